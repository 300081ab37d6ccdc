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
    "FILES_FOR_A_FILE_BAR", "FILES_PER_TASK", "PAGES_PER_CALL", "BatchError", "BatchResult", "FileSummary",
    "error_entry", "recognize_paths", "recognize_sources", "recognize_to_file", "stream_paths",
]

FILES_PER_TASK = 32  # files a --jobs worker process takes at a time
TASKS_PER_PROCESS = 2  # tasks queued per --jobs process
FILES_FOR_A_FILE_BAR = 50  # more files than this: the progress bar counts files, else pages


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
    progress: bool | None = False,
) -> BatchResult:
    """Everything ``digit-app recognize`` does but printing, in input order. ModelError if the
    model is bad; BatchError if the cluster cannot be reached.

    ``scheduler``: a Dask scheduler's address, or ``"local"`` for a LocalCluster of ``jobs``
    worker processes (None: one per core). ``progress``: a progress bar on standard error,
    of files when there are more than :data:`FILES_FOR_A_FILE_BAR`, else of pages (True: always;
    None: when standard error is a terminal; False: none).
    """
    input_errors, parts = stream_paths(paths, model=model, config=config, dpi=dpi, jobs=jobs,
                                       stdin=stdin, scheduler=scheduler, progress=progress)
    done = list(parts)
    out = BatchResult(next((p.model for p in done if p.model), ""))
    out.errors.extend(input_errors)
    for part in done:
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
           progress: bool | None = False) -> tuple[list, int, Iterator[TaskResult]]:
    """The problems with ``paths`` themselves, the number of files ``recorded`` already holds
    entirely, and the results of the others as they come."""
    files, input_errors = expand_inputs(list(paths))
    if STDIN_NAME in files and stdin is None:
        stdin = sys.stdin.buffer.read()
    sources: list[Source] = [(STDIN_NAME, stdin or b"") if f == STDIN_NAME else f for f in files]
    todo = [s for s in sources if not recorded.is_done(source_name(s))]
    parts = _run(_tasks(todo, recorded, scheduler), _job(model, config, dpi, scheduler), jobs,
                 scheduler)
    if progress is not False:
        parts = _with_progress(parts, len(todo), progress)
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


def _run(tasks: list[Task], job: Job, jobs: int | None, scheduler: str | None) -> Iterator[TaskResult]:
    if scheduler is not None:
        parts = cluster.on_cluster(scheduler, tasks, job, jobs if scheduler == cluster.LOCAL else None)
    elif (jobs or 1) > 1 and sum(len(t.sources) for t in tasks) >= 2 * FILES_PER_TASK:
        parts = local.over_processes(tasks, job, jobs or 1, TASKS_PER_PROCESS)
    else:
        parts = local.in_process(tasks, job)
    return parts


def _with_progress(parts: Iterator[TaskResult], files: int, progress: bool | None) -> Iterator[TaskResult]:
    """A bar on standard error (see :func:`recognize_paths`): files read of ``files`` when
    they are more than :data:`FILES_FOR_A_FILE_BAR` (a file counts once its first page or
    error is in), else pages read and pages/s."""
    from digit_app.model.progress import progress_bar

    if files <= FILES_FOR_A_FILE_BAR:
        with progress_bar(progress=progress, unit="page", desc="recognize") as bar:
            for part in parts:
                bar.update(sum("page" in r for r in part.records))
                yield part
        return
    seen: set[str] = set()
    pages = 0
    with progress_bar(progress=progress, total=files, unit="file", desc="recognize") as bar:
        for part in parts:
            new = {r["path"] for r in part.records} - seen
            seen |= new
            pages += sum("page" in r for r in part.records)
            bar.set_postfix(pages=pages, refresh=False)
            bar.update(len(new))
            yield part
