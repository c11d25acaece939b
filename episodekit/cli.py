"""What both command lines share: the error convention, batch planning and the summary.

A converter error prints ``error: <file>: <cause>`` on one line and exits 1; usage errors
exit 2; a traceback appears only when CONVERTER_TRACEBACK=1 is set.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Callable, Iterator

import typer

from .batch import (BatchProgress, Job, Outcome, Summary, collect_inputs, install_signal_handlers,
                    refuse_clobbering_inputs, run_batch)
from .errors import TRACEBACK_ENV, ConversionError
from .executors import EXECUTORS, Executor, ExecutorError, ExecutorOptions, make_executor


def say_error(path, cause: str) -> None:
    print(f"error: {path}: {cause}" if path else f"error: {cause}", file=sys.stderr)


def say_warning(path, message: str) -> None:
    print(f"warning: {path}: {message}", file=sys.stderr)


def make_app(help: str) -> typer.Typer:
    """A command's typer app: -h and --help, shell completion (--install-completion),
    tracebacks never shown (guarded reports errors). Help is click's plain layout, where
    an on/off flag reads as a flag ("--force") rather than as "--force <bool>"."""
    return typer.Typer(help=help, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                       context_settings={"help_option_names": ["-h", "--help"]})


def guarded(app) -> Callable[[], None]:
    """A console entry point for a typer app: any failure ends as one line, never a traceback."""

    def entry() -> None:
        install_signal_handlers()
        try:
            # Not standalone: typer would end a usage error, Ctrl-C or SIGTERM itself.
            status = app(standalone_mode=False)
        except typer.TyperException as exc:  # typer's own click: a usage error, exit 2
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2))
        except (KeyboardInterrupt, typer.Abort):
            status = INTERRUPTED
        except ConversionError as exc:
            if os.environ.get(TRACEBACK_ENV):
                raise
            say_error(exc.path, exc.cause)
            sys.exit(1)
        except Exception as exc:  # a bug: still one line, with the way to see more
            if os.environ.get(TRACEBACK_ENV):
                raise
            say_error(None, f"unexpected {type(exc).__name__}: {exc} (set {TRACEBACK_ENV}=1 for details)")
            sys.exit(1)
        # typer turns Ctrl-C (and so SIGTERM) into exit status 130 without a word.
        if status == INTERRUPTED:
            print("interrupted; no partial output was left", file=sys.stderr)
        sys.exit(status if isinstance(status, int) else 0)

    return entry


INTERRUPTED = 130  # the shell's status for a command ended by SIGINT


@contextlib.contextmanager
def usage_error(param_hint: str) -> Iterator[None]:
    """A check of an option that fails with ConversionError is a usage error (exit 2)
    naming the option, not a failure of the input file."""
    try:
        yield
    except ConversionError as exc:
        raise typer.BadParameter(exc.cause, param_hint=param_hint) from None


def version_callback(program: str, version: str) -> Callable[[bool], None]:
    def show(value: bool) -> None:
        if value:
            print(f"{program} {version}")
            raise SystemExit(0)

    return show


# Options both commands take for a batch, declared once.
RECURSIVE = typer.Option(False, "--recursive", "-r", help="Descend into folders.")
JOBS = typer.Option(1, "--jobs", "-j", min=1, help="Files converted in parallel processes.")
FORCE = typer.Option(False, "--force", help="Convert even when the outputs are up to date.")
QUIET = typer.Option(False, "--quiet", "-q", help="Print only errors.")
EXECUTOR = typer.Option("local", "--executor", metavar="|".join(EXECUTORS),
                        help="Where the files are converted: local (this machine, --jobs processes) or ray "
                             "(--jobs workers on a Ray cluster; needs the ray extra and paths every node can reach).")
ADDRESS = typer.Option(None, "--address", metavar="ADDR",
                       help="The Ray cluster for --executor ray (default: $RAY_ADDRESS, else a local one for the batch).")


def executor_for(name: str, *, workers: int, address: str | None) -> Executor:
    """The executor the options ask for; one that cannot be had is a usage error, before any work."""
    try:
        return make_executor(name, ExecutorOptions(workers=workers, address=address))
    except ExecutorError as exc:
        raise typer.BadParameter(exc.cause, param_hint=exc.option) from None


def version_option(program: str, version: str):
    return typer.Option(False, "--version", callback=version_callback(program, version), is_eager=True,
                        help="Show the version and exit.")


def target_folder(path: Path, root: Path, out_dir: Path | None) -> Path:
    """Where an input's outputs go: beside it, or under ``out_dir`` at the place the input
    has below the folder it was found in (created when missing)."""
    if out_dir is None:
        return path.parent
    folder = out_dir / path.parent.relative_to(root) if path.is_relative_to(root) else out_dir
    return make_output_folder(folder, path)


def make_output_folder(folder: Path, for_input: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConversionError(for_input, f"cannot create output folder {folder}: {exc.strerror}") from None
    return folder


def plan_and_run(inputs: list[str], *, suffixes: tuple[str, ...], recursive: bool,
                 plan: Callable[[Path, Path], Job], convert, executor: Executor, force: bool,
                 quiet: bool, in_folders: Callable[[Path], bool] = lambda path: True) -> Summary:
    """Collect inputs (a folder's files as ``in_folders`` accepts them), plan each job's
    outputs, convert, and print the summary; planning errors (a bad -o, a clobbered input)
    fail that file only."""
    found, problems = collect_inputs(inputs, suffixes, recursive=recursive, in_folders=in_folders)
    resolved_inputs = {p.resolve() for p, _ in found}
    jobs, failures = [], list(problems)
    for path, root in found:
        try:
            job = plan(path, root)
            refuse_clobbering_inputs(job, resolved_inputs)
            jobs.append(job)
        except ConversionError as exc:
            failures.append(Outcome(path, "failed", exc.for_file(path).cause))
    for outcome in failures:
        say_error(outcome.input, outcome.cause)
    return run_jobs(jobs, convert=convert, executor=executor, force=force, quiet=quiet, failures=failures)


def run_jobs(jobs: list[Job], *, convert, executor: Executor, force: bool, quiet: bool,
             failures: list[Outcome] = ()) -> Summary:
    """Convert planned jobs and print the summary, listing ``failures`` (already said) first."""
    # Bars redraw in place, which only a terminal can show; a log file gets the summary.
    progress = BatchProgress() if jobs and not quiet and sys.stderr.isatty() else None
    summary = run_batch(
        jobs, convert, executor, force=force, progress=progress,
        on_outcome=lambda o: say_error(o.input, o.cause) if o.status == "failed" else None,
    )
    summary.outcomes[:0] = failures
    print_summary(summary, quiet=quiet, outputs={j.input: j.outputs for j in jobs})
    return summary


def print_summary(summary: Summary, *, quiet: bool, outputs: dict) -> None:
    if quiet:
        return
    out = sys.stderr
    for outcome in summary.outcomes:
        if outcome.status == "converted":
            targets = ", ".join(str(p) for p in outputs.get(outcome.input, {}).values())
            print(f"wrote {targets} ({outcome.seconds:.1f} s)", file=out)
        elif outcome.status == "skipped":
            print(f"skipped {outcome.input}: outputs are up to date (--force converts again)", file=out)
    if len(summary.outcomes) <= 1:
        return  # one file: its error line or its "wrote" line says it all
    line = (f"{summary.count('converted')} converted, {summary.count('skipped')} skipped "
            f"(up to date), {summary.count('failed')} failed")
    print(line, file=out)
    for outcome in summary.failed:
        print(f"  failed: {outcome.input}: {outcome.cause}", file=out)
