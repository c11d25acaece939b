"""Where a batch's conversions run: "local" (this process, or a pool of processes on this
machine) or "ray" (the workers of a Ray cluster). The batch runner does the rest the same way
for both: what to skip, progress, the summary and the failures.

An executor runs ``convert(job, report)`` once per job and tells the batch runner through
``Events`` when a file starts, how far it has got and how it ended. Every failure a file can
cause comes back as a failed ``Outcome``, never as an exception; the converter writes its
outputs itself, atomically, wherever it runs.
"""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Protocol

from .batch import Converter, Events, Job, Outcome, install_signal_handlers
from .errors import TRACEBACK_ENV, ConversionError

Report = Callable[[float, float], None]


class ExecutorError(Exception):
    """The executor cannot be used as asked (a usage error: the batch never starts)."""

    def __init__(self, option: str, cause: str):
        self.option, self.cause = option, cause
        super().__init__(f"{option}: {cause}")


@dataclass(frozen=True)
class ExecutorOptions:
    workers: int = 1  # files converted at the same time
    address: Optional[str] = None  # the Ray cluster to join (ray only)
    # Seconds between progress reports a remote worker sends: every Whisper segment or spoken
    # sentence would be a message, and the bar needs only a few a second.
    report_interval: float = 0.25
    # How long the batch runner waits for news before it looks at the progress reports.
    poll_interval: float = 0.2
    # Seconds the Ray workers get, after Ctrl-C, to stop their files and remove the temporary ones.
    stop_grace: float = 10.0


class Executor(Protocol):
    def run(self, jobs: list[Job], convert: Converter, events: Events) -> None: ...


def run_one(convert: Converter, job: Job, report: Optional[Report]) -> Outcome:
    """Convert one file where the executor placed it; what went wrong becomes its Outcome."""
    started = time.monotonic()
    try:
        convert(job, report or _ignore)
    except ConversionError as exc:
        if os.environ.get(TRACEBACK_ENV):
            traceback.print_exc()
        return Outcome(job.input, "failed", exc.for_file(job.input).cause, time.monotonic() - started)
    except MemoryError:
        return Outcome(job.input, "failed", "out of memory", time.monotonic() - started)
    except OSError as exc:
        return Outcome(job.input, "failed", exc.strerror or str(exc), time.monotonic() - started)
    return Outcome(job.input, "converted", "", time.monotonic() - started)


def _ignore(done: float, total: float) -> None:
    pass


def _died(job: Job, exc: BaseException) -> Outcome:
    """A worker that died under a file (killed, out of memory, a crashed engine)."""
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]  # Ray's reports run to many lines
    return Outcome(job.input, "failed", f"converter process failed: {first_line}")


class LocalExecutor:
    """In this process for one worker or one file; otherwise a process pool on this machine."""

    def __init__(self, options: ExecutorOptions):
        if options.address is not None:
            raise ExecutorError("--address", "goes with --executor ray")
        self.options = options

    def run(self, jobs: list[Job], convert: Converter, events: Events) -> None:
        if self.options.workers <= 1 or len(jobs) <= 1:
            for job in jobs:
                events.started(job)
                report = (lambda done, total, job=job: events.progressed(job, done, total)) \
                    if events.progressed else None
                events.finished(job, run_one(convert, job, report))
        else:
            self._run_pool(jobs, convert, events)

    def _run_pool(self, jobs: list[Job], convert: Converter, events: Events) -> None:
        import multiprocessing

        manager = multiprocessing.Manager() if events.progressed else None
        queue = manager.Queue() if manager else None
        by_input = {job.input: job for job in jobs}
        try:
            with ProcessPoolExecutor(max_workers=self.options.workers, initializer=install_signal_handlers) as pool:
                by_future = {}
                for job in jobs:
                    by_future[pool.submit(_run_reporting, convert, job, queue)] = job
                    events.started(job)
                remaining = set(by_future)
                while remaining:
                    done, remaining = wait(remaining, timeout=self.options.poll_interval, return_when=FIRST_COMPLETED)
                    _drain(queue, by_input, events)
                    for future in done:
                        job = by_future[future]
                        try:
                            outcome = future.result()
                        except Exception as exc:
                            outcome = _died(job, exc)
                        events.finished(job, outcome)
        finally:
            if manager:
                manager.shutdown()


def _run_reporting(convert: Converter, job: Job, queue) -> Outcome:
    report = (lambda done, total: queue.put((job.input, done, total))) if queue is not None else None
    return run_one(convert, job, report)


def _drain(queue, by_input: dict[Path, Job], events: Events) -> None:
    """Hand the progress reports that have arrived to the listener (a multiprocessing or Ray queue)."""
    while queue is not None and not queue.empty():
        path, done, total = queue.get_nowait()
        events.progressed(by_input[path], done, total)


# Ray is told to stay off the network: no usage statistics, no dashboard.
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0"}
RAY_MISSING = "needs Ray: pip install '.[ray]'"


class RayExecutor:
    """One long-lived actor per worker, each converting one file at a time, so a worker loads
    the Whisper model, the embedding model and the voice once (the converters keep them) and
    reuses them for every file it is given.

    Without an address (or $RAY_ADDRESS, which ``ray job submit`` sets) a local cluster with
    ``workers`` CPUs is started for the batch and stopped after it. Inputs and outputs must be
    at the same paths on every node (shared storage)."""

    def __init__(self, options: ExecutorOptions):
        self.address = options.address or os.environ.get("RAY_ADDRESS")
        os.environ.update(RAY_ENV)
        if not self.address:
            # A cluster of our own keeps Ray's token authentication; saying so (before Ray
            # reads its configuration on import) spares the warning Ray prints otherwise.
            os.environ.setdefault("RAY_AUTH_MODE", "token")
        try:
            import ray
        except ImportError:
            raise ExecutorError("--executor", RAY_MISSING) from None
        self.ray = ray
        self.options = options

    def run(self, jobs: list[Job], convert: Converter, events: Events) -> None:
        if not jobs:
            return
        ray = self.ray
        started_here = not ray.is_initialized()
        if started_here:
            self._connect()
        try:
            self._run_on_cluster(jobs, convert, events)
        finally:
            if started_here:
                ray.shutdown()

    def _connect(self) -> None:
        import logging

        where = {"address": self.address} if self.address else {"address": "local", "num_cpus": self.options.workers}
        try:
            self.ray.init(**where, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=True)
        except Exception as exc:  # Ray raises several kinds, each with a report of many lines
            what = f"cannot reach the Ray cluster at {self.address}" if self.address \
                else "cannot start a local Ray cluster"
            raise ConversionError(None, f"{what}: {str(exc).splitlines()[0]}") from None
        # ray.init puts in a SIGTERM handler of its own, which the batch never notices; ours
        # unwinds like Ctrl-C, so the workers are told to stop their files.
        install_signal_handlers()

    def _run_on_cluster(self, jobs: list[Job], convert: Converter, events: Events) -> None:
        from ray.exceptions import RayError
        from ray.util.queue import Queue

        ray = self.ray
        # The queue holds no CPU, so the workers get all of a local cluster's.
        queue = Queue(actor_options={"num_cpus": 0}) if events.progressed else None
        # Ray sets OMP_NUM_THREADS to an actor's CPUs where the local executor's processes leave
        # it to the machine (all its cores); Whisper's sums come out different enough to change
        # a word, so the workers get the setting the local executor would have.
        threads = os.environ.get("OMP_NUM_THREADS", str(os.cpu_count() or 1))
        worker_class = ray.remote(num_cpus=1, runtime_env={"env_vars": {"OMP_NUM_THREADS": threads}})(ConversionWorker)

        def spawn():
            return worker_class.remote(convert, queue, self.options.report_interval, os.getcwd())

        idle = [spawn() for _ in range(min(self.options.workers, len(jobs)))]
        by_input = {job.input: job for job in jobs}
        waiting = list(reversed(jobs))
        running: dict = {}  # object ref -> (job, actor)
        try:
            while waiting or running:
                while waiting and idle:
                    job, actor = waiting.pop(), idle.pop()
                    running[actor.convert.remote(job)] = (job, actor)
                    events.started(job)
                done, _ = ray.wait(list(running), num_returns=1, timeout=self.options.poll_interval)
                _drain(queue, by_input, events)
                for ref in done:
                    job, actor = running.pop(ref)
                    try:
                        outcome = ray.get(ref)
                    except RayError as exc:
                        outcome = _died(job, exc)
                        ray.kill(actor)
                        actor = spawn()
                    idle.append(actor)
                    events.finished(job, outcome)
            _drain(queue, by_input, events)
        except KeyboardInterrupt:
            # A running actor task is only flagged as cancelled: each file stops at its next
            # progress report and unwinds like Ctrl-C, removing its temporary files.
            for ref in running:
                ray.cancel(ref)
            if running:
                ray.wait(list(running), num_returns=len(running), timeout=self.options.stop_grace)
            raise
        finally:
            for actor in idle + [actor for _, actor in running.values()]:
                ray.kill(actor)
            if queue is not None:
                queue.shutdown()


class ConversionWorker:
    """A Ray actor: one worker process that converts the files it is given, one at a time."""

    def __init__(self, convert: Converter, queue, report_interval: float, folder: str):
        self.converter, self.queue, self.report_interval = convert, queue, report_interval
        # A relative path in a job means the folder the command ran in; on shared storage that
        # folder is at the same path here, otherwise only absolute paths can be found.
        with contextlib.suppress(OSError):
            os.chdir(folder)

    def convert(self, job: Job) -> Outcome:
        return run_one(self.converter, job, self._reporter(job))

    def _reporter(self, job: Job) -> Report:
        import ray

        context, last = ray.get_runtime_context(), [0.0]

        def report(done: float, total: float) -> None:
            if context.is_canceled():
                raise KeyboardInterrupt
            now = time.monotonic()
            if self.queue is not None and (now - last[0] >= self.report_interval or done >= total):
                last[0] = now
                self.queue.put_nowait((job.input, done, total))

        return report


EXECUTORS: dict[str, Callable[[ExecutorOptions], Executor]] = {"local": LocalExecutor, "ray": RayExecutor}


def make_executor(name: str, options: ExecutorOptions) -> Executor:
    if name not in EXECUTORS:
        raise ExecutorError("--executor", f"unknown executor '{name}'; choose from {', '.join(EXECUTORS)}")
    return EXECUTORS[name](options)
