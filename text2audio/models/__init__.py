"""The learned block classifier's heads (``make train`` writes them), pinned by sha256."""

PINS = {
    "blocks-draft.json": "1e4684663ccb1f28ebb6bb14a279ae6ec6746614909fb57cbe90045ca3f80c42",
    "blocks-story.json": "c3db1b52fbabff4cfec4e04aa08406f3e5a449d974c72444f48fa9066ae30873",
    "blocks-title.json": "1154e02a3472207b6d4a7502c633f2e9a8da2f255142db3986fcc3db5fe526d0",
    "blocks-drop.json": "054b2775157be55f48c90056ed1a92ac6d225fdcf2fd276f36023c40dd90f623",
}
