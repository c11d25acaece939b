"""make eval: scores both converters on the real-world corpus beside the checkout, when present.

The corpus (../shared/corpus from the repository root, or $CONVERTER_CORPUS) holds real
episodes and roundups with gold answers; a user's clone has none, so this says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    return Path(os.environ.get("CONVERTER_CORPUS") or ROOT.parent / "shared" / "corpus")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval", description=__doc__)
    parser.add_argument("--side", choices=("episodes", "transcripts", "roundups", "both"), default="both",
                        help="both: every set (the transcript corpus's cross-validation takes about 20 minutes)")
    parser.add_argument("--readme", action="store_true", help="also refresh the README's eval tables")
    args = parser.parse_args(argv)
    corpus = corpus_dir()
    if not corpus.is_dir():
        print(f"no corpus at {corpus}: nothing to evaluate (set CONVERTER_CORPUS to its folder)")
        return 0
    print(f"corpus: {corpus}")
    tables = {}
    if args.side in ("episodes", "both"):
        from bench import eval_episodes

        tables["episodes"] = eval_episodes.main(corpus / "episodes")
    if args.side in ("transcripts", "both") and (corpus / "transcripts").is_dir():
        from bench import eval_keypoints, train_sections

        report, _, _ = train_sections.cross_validate(corpus)
        tables["transcripts"] = f"```text\n{report}\n```\n\n{eval_keypoints.evaluate(corpus)}"
    if args.side in ("roundups", "both"):
        from bench import eval_roundups

        tables["roundups"] = eval_roundups.main(corpus / "roundups")
    for name, table in tables.items():
        print(f"\n## {name}\n\n{table}")
    if args.readme:
        from bench.report import replace_block
        from episodekit.files import write_atomic

        readme = ROOT / "README.md"
        text = readme.read_text("utf-8")
        for name, table in tables.items():
            text = replace_block(text, f"eval-{name}", table)
        write_atomic(readme, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
