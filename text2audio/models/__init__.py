"""The learned block classifier's heads (``make train`` writes them), pinned by sha256."""

PINS = {
    "blocks-draft.json": "e34044a0dbbd28bd8e9fa164493c39659a7e142798cd92fe2f94d36189a9f70e",
    "blocks-story.json": "2e13ad35ca7001d6fd517aa78b6c982e392a039e4c13dd2919750794578026ab",
    "blocks-title.json": "43b52e0dbb3d340262772daabfc4e6b5dadb479a6576f74811d60a30cde971ad",
    "blocks-drop.json": "9f0973763c67c3743ea5a1dca8b91ed9f524f32f9764263df1fc4477aaed3c15",
}
