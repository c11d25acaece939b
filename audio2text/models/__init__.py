"""audio2text's learned models, each pinned by its sha256 (checked before first use).

``make train`` refits them on the transcript corpus and rewrites these pins.
"""

PINS = {
    "sections.json": "e6f35f3b799f92e990f460bd3f448389c63b8f7badbff5cb37f69ccc8631ef01",
    "headings.json": "290ae4420dd280463ad1699ad3d1d12ab01cc63d7bda1842b83e2ab0aecccc6b",
}
