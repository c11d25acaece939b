"""The learned block classifier's heads (``make train`` writes them), pinned by sha256."""

PINS = {
    "blocks-draft.json": "d9f6bbd3fc1775d34eba383596f41a845f6321d9c21dd0526ba68528852f718c",
    "blocks-story.json": "bbc35b6193332192ab2c4d29a09467cdb126717c83d4348cdf6c7095b3ea31f8",
    "blocks-title.json": "108cb3e39c7d69d5fae457f853193ecf29475b43b6e685ba19df2f256388f799",
    "blocks-drop.json": "dd0db0e03ab25aff908cc8718b0e67dc56dd86c9208feff0816520266ad22a9e",
}
