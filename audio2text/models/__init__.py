"""audio2text's learned models, each pinned by its sha256 (checked before first use).

``make train`` refits them on the transcript corpus and rewrites these pins.
"""

PINS = {
    "sections.json": "5d7c8dba09dfbe0754d099a5773d20d77e9a8e774c65ea4ecc3713a70437fa7a",
    "headings.json": "1d0b983fa16762754f3bac373601a6d1a06d1036d9f85a4e98bfceeaf22f8d77",
}
