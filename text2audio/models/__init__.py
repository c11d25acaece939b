"""The learned block classifier's heads (``make train`` writes them), pinned by sha256."""

PINS = {
    "blocks-draft.json": "a32fa51b8576003b971ba3bf78e549098050fe0299f7ac5c2b4cded93fcc7c64",
    "blocks-story.json": "0c5479bb2878ffd2de7cf186845bb233d9139596462ead7932fe27cd4582c366",
    "blocks-title.json": "010ef175e4a5dc8a0ba3e77d91094ad54460836b9ef87695e15d94bf6c45ef34",
    "blocks-drop.json": "27c02e9117f80c919d542cc1e4308b87e06a47a22bc72e4dae046cd59755874c",
}
