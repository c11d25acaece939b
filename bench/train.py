"""`make train`: refit every shipped structure model on ../shared/corpus and print its
cross-validated table. Each trainer writes its model file and rewrites its sha256 pin."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .eval import corpus_dir


def _sections(corpus: Path) -> None:
    from . import train_sections

    train_sections.train(corpus)


def _stories(corpus: Path) -> None:
    from . import train_stories

    train_stories.train(corpus)


TRAINERS: dict = {"sections": _sections, "stories": _stories}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--only", choices=sorted(TRAINERS), help="train one model")
    args = parser.parse_args(argv)
    args.corpus = args.corpus or corpus_dir()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: nothing to train on (the shipped models stay as they are)")
        return 0
    for name, train in TRAINERS.items():
        if args.only in (None, name):
            print(f"== {name}")
            train(args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
