"""Converting many files unattended: plan outputs, skip what is up to date, run the rest on
an executor (episodekit.executors: this machine or a Ray cluster), show progress, and report
every failure at the end.

A converter is a picklable function ``convert(job, report)`` that writes ``job.outputs``
(through ``episodekit.files``) and calls ``report(done, total)`` as it goes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional

from .errors import ConversionError
from .files import write_atomic

if TYPE_CHECKING:
    from .executors import Executor

CACHE_ENV = "CONVERTER_CACHE_DIR"


@dataclass(frozen=True)
class Job:
    input: Path  # the file the job is reported under
    outputs: dict  # format name -> Path
    options: Any = None  # the converter's options: a dataclass, or a dict of them
    inputs: tuple = ()  # every file the outputs are made from, when more than ``input`` (a brief)

    @property
    def sources(self) -> tuple:
        return self.inputs or (self.input,)

    @property
    def fingerprint(self) -> str:
        """What the outputs depend on: every option except those that only say how the
        work is done (a dataclass field with ``metadata={"fingerprint": False}``, such as
        the number of threads), so changing --jobs reconverts nothing."""
        blob = json.dumps(_fingerprinted(self.options), sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _fingerprinted(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _fingerprinted(getattr(value, f.name))
                for f in dataclasses.fields(value) if f.metadata.get("fingerprint", True)}
    if isinstance(value, dict):
        return {str(k): _fingerprinted(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_fingerprinted(v) for v in value]
    if isinstance(value, (set, frozenset)):
        # A set prints in hash order, which changes from process to process: sorted, the
        # same options give the same fingerprint on every run (and every cluster worker).
        return sorted(str(_fingerprinted(v)) for v in value)
    return value


@dataclass(frozen=True)
class Outcome:
    input: Path
    status: str  # converted, skipped or failed
    cause: str = ""
    seconds: float = 0.0


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def collect_inputs(paths: Iterable[str], suffixes: tuple[str, ...], *, recursive: bool = False,
                   in_folders: Callable[[Path], bool] = lambda path: True,
                   ) -> tuple[list[tuple[Path, Path]], list[Outcome]]:
    """(file, folder it was found under) for every input, and failures for paths that are not
    there. Folders give their files with a known suffix that ``in_folders`` accepts (a file
    named on its own is always taken); ``recursive`` descends."""
    found, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            pattern = path.rglob("*") if recursive else path.glob("*")
            files = sorted(p for p in pattern if p.is_file() and _has_suffix(p, suffixes)
                           and not p.name.startswith(".") and in_folders(p))
            if not files:
                problems.append(Outcome(path, "failed", f"no {'/'.join(suffixes)} files in this folder"))
            found.extend((f, path) for f in files)
        elif path.exists():
            found.append((path, path.parent))
        else:
            problems.append(Outcome(path, "failed", "no such file or folder"))
    return found, problems


def _has_suffix(path: Path, suffixes: tuple[str, ...]) -> bool:
    return path.name.lower().endswith(suffixes)


def refuse_clobbering_inputs(job: Job, inputs: set[Path]) -> None:
    for target in job.outputs.values():
        if target.resolve() in inputs:
            raise ConversionError(job.input, f"output {target} would overwrite an input; choose another --out-dir")


def cache_dir() -> Path:
    """Where the converters keep what they remember between runs: $CONVERTER_CACHE_DIR,
    else the user's cache folder ($XDG_CACHE_HOME or ~/.cache)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "podcast-article-converter"


class Stamps:
    """Which input and options each output was made from, so a rerun skips files that
    are already done and redoes those made with other options. Kept in the cache folder,
    one small file per output named by the output's path, never beside the outputs
    (where a blogger uploading the folder would publish it)."""

    def __init__(self, folder: Path | None = None):
        self.folder = (folder or cache_dir()) / "outputs"

    def _path(self, target: Path) -> Path:
        return self.folder / (hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:32] + ".json")

    @staticmethod
    def _stamp(job: Job, target: Path) -> dict:
        # The output's own size and time: an output replaced by hand is made again.
        stat = target.stat()
        return {"output": str(target.resolve()), "inputs": [str(p.resolve()) for p in job.sources],
                "options": job.fingerprint,
                "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}

    def up_to_date(self, job: Job) -> bool:
        source_mtime = max(p.stat().st_mtime for p in job.sources)
        for target in job.outputs.values():
            if not target.exists() or target.stat().st_mtime < source_mtime:
                return False
            try:
                recorded = json.loads(self._path(target).read_text("utf-8"))
            except (OSError, ValueError):
                return False
            if recorded != self._stamp(job, target):
                return False
        return True

    def record(self, job: Job) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for target in job.outputs.values():
                write_atomic(self._path(target), json.dumps(self._stamp(job, target), indent=1))
        except (OSError, ConversionError):
            pass  # an unwritable cache loses only the skip-on-rerun convenience


Converter = Callable[[Job, Callable[[float, float], None]], None]


@dataclass(frozen=True)
class Events:
    """What an executor tells the batch runner as files go."""

    started: Callable[[Job], None]
    finished: Callable[[Job, Outcome], None]
    progressed: Optional[Callable[[Job, float, float], None]] = None  # None: nobody watches, nothing is sent


def _terminate_as_interrupt(signum, frame):
    raise KeyboardInterrupt


def install_signal_handlers() -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed on the way out."""
    signal.signal(signal.SIGTERM, _terminate_as_interrupt)


def run_batch(jobs: list[Job], convert: Converter, executor: "Executor", *, force: bool = False,
              progress: Optional["BatchProgress"] = None,
              on_outcome: Callable[[Outcome], None] | None = None) -> Summary:
    """Skip what is up to date, run the rest on ``executor`` and record what each file came to."""
    summary, stamps = Summary(), Stamps()
    pending = []
    for job in jobs:
        if not force and stamps.up_to_date(job):
            summary.outcomes.append(Outcome(job.input, "skipped", "up to date"))
        else:
            pending.append(job)
    if progress:
        progress.start(len(jobs), skipped=len(jobs) - len(pending))

    def finished(job: Job, outcome: Outcome) -> None:
        if outcome.status == "converted":
            stamps.record(job)
        summary.outcomes.append(outcome)
        if progress:
            progress.file_done(job.input, outcome)
        if on_outcome:
            on_outcome(outcome)

    events = Events(
        started=(lambda job: progress.file_started(job.input)) if progress else (lambda job: None),
        finished=finished,
        progressed=(lambda job, done, total: progress.file_progress(job.input, done, total)) if progress else None,
    )
    try:
        executor.run(pending, convert, events)
    finally:
        if progress:
            progress.stop()
    return summary


class BatchProgress:
    """A bar per file and an overall bar with elapsed and remaining time, on stderr."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import (BarColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.progress = Progress(
            TextColumn("{task.description}", justify="left"), BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=False,
        )
        self.tasks: dict[Path, int] = {}
        self.overall = None

    def start(self, total: int, *, skipped: int = 0) -> None:
        self.progress.start()
        self.overall = self.progress.add_task(f"all files ({total})", total=max(total, 1), completed=skipped)

    def file_started(self, path: Path) -> None:
        self.tasks[path] = self.progress.add_task(path.name, total=1.0)

    def file_progress(self, path: Path, done: float, total: float) -> None:
        if path in self.tasks and total:
            self.progress.update(self.tasks[path], completed=done / total)

    def file_done(self, path: Path, outcome: Outcome) -> None:
        task = self.tasks.pop(path, None)
        if task is not None:
            colour = "red" if outcome.status == "failed" else "green"
            self.progress.update(task, completed=1.0, description=f"{path.name} [{colour}]{outcome.status}")
        self.progress.advance(self.overall)

    def stop(self) -> None:
        self.progress.stop()
