"""audio2text's learned models, each pinned by its sha256 (checked before first use).

``make train`` refits them on the transcript corpus and rewrites these pins.
"""

PINS = {
    "sections.json": "e6f35f3b799f92e990f460bd3f448389c63b8f7badbff5cb37f69ccc8631ef01",
    "headings.json": "c7f85bd9973607390fc7b81c8e1b3fee6ccf0f19faaacfe1a078c31a9a09d124",
    "labels.json": "e0f22816282f608f6652c1552a814674283dec3f3d8ab26d03fa71b82c0f4654",
}
