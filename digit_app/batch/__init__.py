"""Recognition of many files at once (``digit-app recognize``): in this process, over
``--jobs`` processes, or on a Dask cluster (``--scheduler``); collected into one document, or
streamed into a JSON Lines file that a later run can resume (``--out``, ``--resume``).

Pages are recognized in chunks with one model call per chunk; worker processes load the
model once and take a few files at a time. :func:`recognize_paths` keeps the input order;
:func:`recognize_to_file` writes the pages as they are read (completion order).
"""
from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from digit_app.batch import cluster, local
from digit_app.batch.journal import BatchError, Recorded, ResultsFile
from digit_app.batch.pages import (
    PAGES_PER_CALL,
    Job,
    Source,
    Task,
    TaskResult,
    error_entry,
    recognize_stream,
    source_name,
)
from digit_app.io import STDIN_NAME, expand_inputs
from digit_app.pipeline import PipelineConfig

__all__ = [
    "FILES_PER_TASK", "PAGES_PER_CALL", "BatchError", "BatchResult", "FileSummary",
    "error_entry", "recognize_paths", "recognize_sources", "recognize_to_file", "stream_paths",
]

FILES_PER_TASK = 32  # files a --jobs worker process takes at a time
TASKS_PER_PROCESS = 2  # tasks queued per --jobs process


@dataclass
class BatchResult:
    model: str
    results: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def extend(self, other: BatchResult) -> None:
        self.results.extend(other.results)
        self.errors.extend(other.errors)

    def add(self, records: list[dict]) -> None:
        for r in records:
            (self.errors if "error" in r else self.results).append(r)


def recognize_sources(recognizer, sources, config: PipelineConfig | None, dpi: int) -> BatchResult:
    """Recognize every page of ``sources`` (paths, or ``(name, bytes)`` for standard input)."""
    out = BatchResult(recognizer.model_name)
    for records in recognize_stream(recognizer, sources, config, dpi):
        out.add(records)
    return out


def recognize_paths(
    paths: Sequence[str],
    *,
    model: str | None = None,
    config: PipelineConfig | None = None,
    dpi: int = 200,
    jobs: int | None = 1,
    stdin: bytes | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> BatchResult:
    """Everything ``digit-app recognize`` does but printing, in input order. ModelError if the
    model is bad; BatchError if the cluster cannot be reached.

    ``scheduler``: a Dask scheduler's address, or ``"local"`` for a LocalCluster of ``jobs``
    worker processes (None: one per core). ``progress``: a progress bar on standard error
    (when it is a terminal).
    """
    input_errors, parts = stream_paths(paths, model=model, config=config, dpi=dpi, jobs=jobs,
                                       stdin=stdin, scheduler=scheduler, progress=progress)
    results = list(parts)
    out = BatchResult(next((p.model for p in results if p.model), ""))
    out.errors.extend(input_errors)
    for part in results:
        out.add(part.records)
    return out


def stream_paths(paths: Sequence[str], **options) -> tuple[list[dict], Iterator[TaskResult]]:
    """As :func:`recognize_paths` (same options), but the results come as they are read, in
    input order: the error entries of the paths themselves, and the parts of the pages. In
    this process (``jobs`` 1, no scheduler) nothing is held but the pages of one model call,
    so the CLI writes a long document in bounded memory; the parts of worker processes or a
    cluster, which finish in any order, are put back in order first."""
    input_errors, _, parts = _start(paths, Recorded(), **options)
    if (options.get("jobs") or 1) > 1 or options.get("scheduler") is not None:
        parts = iter(sorted(parts, key=lambda part: part.index))  # stable
    return [error_entry(e) for e in input_errors], parts


@dataclass
class FileSummary:
    """What :func:`recognize_to_file` did: page lines and error lines written, and files the
    results file already held entirely (``--resume``)."""

    pages: int = 0
    errors: int = 0
    skipped_files: int = 0


def recognize_to_file(
    paths: Sequence[str],
    out: str | os.PathLike,
    *,
    resume: bool = False,
    on_error: Callable[[dict], None] | None = None,
    **options,
) -> FileSummary:
    """Recognize ``paths`` into the JSON Lines file ``out``, a line per page as it is read
    (see :mod:`digit_app.batch.journal`); ``resume``: skip the pages ``out`` already holds.
    ``on_error`` is called with each error line written; ``options`` are the keyword arguments
    of :func:`recognize_paths`. Raises BatchError if ``out`` exists and ``resume`` is false,
    or cannot be written."""
    summary = FileSummary()
    with ResultsFile(out, resume=resume) as results:
        input_errors, summary.skipped_files, parts = _start(paths, results.recorded, **options)
        fresh = [e for e in map(error_entry, input_errors) if e["path"] not in results.recorded.files]
        for part in itertools.chain([TaskResult(-1, "", fresh)], parts):
            results.write(part.records)
            for r in part.records:
                if "error" in r:
                    summary.errors += 1
                    if on_error:
                        on_error(r)
                if "page" in r:
                    summary.pages += 1
    return summary


def _start(paths: Sequence[str], recorded: Recorded, *, model: str | None = None,
           config: PipelineConfig | None = None, dpi: int = 200, jobs: int | None = 1,
           stdin: bytes | None = None, scheduler: str | None = None,
           progress: bool = False) -> tuple[list, int, Iterator[TaskResult]]:
    """The problems with ``paths`` themselves, the number of files ``recorded`` already holds
    entirely, and the results of the others as they come."""
    files, input_errors = expand_inputs(list(paths))
    sources: list[Source] = list(files)
    if STDIN_NAME in files:
        data = sys.stdin.buffer.read() if stdin is None else stdin
        sources = [(STDIN_NAME, data) if f == STDIN_NAME else f for f in files]
    todo = [s for s in sources if not recorded.is_done(source_name(s))]
    parts = _run(_tasks(todo, recorded, scheduler), _job(model, config, dpi, scheduler), jobs,
                 scheduler, progress)
    return input_errors, len(sources) - len(todo), parts


def _job(model: str | None, config: PipelineConfig | None, dpi: int, scheduler: str | None) -> Job:
    """On a cluster, the model and relative paths are found from this process's folder."""
    if scheduler is None:
        return Job(model, config, dpi)
    return Job(os.path.abspath(model) if model else None, config, dpi, base_dir=os.getcwd())


def _tasks(sources: list[Source], recorded: Recorded, scheduler: str | None) -> list[Task]:
    size = cluster.DEFAULT.files_per_task if scheduler else FILES_PER_TASK
    return [Task(n, tuple(chunk), frozenset().union(*(recorded.skip_in(source_name(s)) for s in chunk)))
            for n, chunk in enumerate(sources[i : i + size] for i in range(0, len(sources), size))]


def _run(tasks: list[Task], job: Job, jobs: int | None, scheduler: str | None,
         progress: bool) -> Iterator[TaskResult]:
    processes = jobs or 1
    if scheduler is not None:
        parts = cluster.on_cluster(scheduler, tasks, job, jobs if scheduler == cluster.LOCAL else None)
    elif processes > 1 and sum(len(t.sources) for t in tasks) >= 2 * FILES_PER_TASK:
        parts = local.over_processes(tasks, job, processes, TASKS_PER_PROCESS)
    else:
        parts = local.in_process(tasks, job)
    return _with_progress(parts) if progress else parts


def _with_progress(parts: Iterator[TaskResult]) -> Iterator[TaskResult]:
    """A pages and pages/s bar on standard error, shown only when that is a terminal."""
    from tqdm import tqdm

    with tqdm(unit="page", desc="recognize", file=sys.stderr, disable=None) as bar:
        for part in parts:
            bar.update(sum("page" in r for r in part.records))
            yield part
