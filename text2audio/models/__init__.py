"""The learned block classifier's heads (``make train`` writes them), pinned by sha256."""

PINS = {
    "blocks-draft.json": "dcb99485791b00682a0a845dda870d55daed715c185c5706adf47d80a34ca7e4",
    "blocks-story.json": "22da1d5754615ef7f7327e3d96d32e4c57c796db21b3402bca32457e9d7f6c39",
    "blocks-title.json": "be87a1dac7832ba7abcf0cd896937553a46402f9fb188fd7e0ef7a78a57614c5",
    "blocks-drop.json": "c84fae1291d1df35ed87b6c7a16cc2fe3190f58ff966032e006f22b3df9ec400",
}
