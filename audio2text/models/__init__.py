"""audio2text's learned models, each pinned by its sha256 (checked before first use).

``make train`` refits them on the transcript corpus and rewrites these pins.
"""

PINS = {
    "sections.json": "2ff703349d25fadf3162afca13c91dbc7475601b34c2e218d47c8ed5af3ca197",
    "headings.json": "f8223635cffc18ebb93fed6c7a2492c8b8a86319897bd2b84cf6acfd0a7e975e",
}
