"""What one task of a batch does: read its files page by page and recognize them.

The same code runs in this process, in a ``--jobs`` worker process and on a Dask worker. A
task's output is *records*: a result entry per page (the fields of the JSON document's
``results``) or an error entry (``{"path", "error"}``, plus ``"page"`` when one page of a
document failed), in the order of the task's files and pages.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from digit_app.io import InputError, Page, iter_bytes, iter_pages
from digit_app.output import recognition_to_dict
from digit_app.pipeline import PipelineConfig

PAGES_PER_CALL = 64  # pages whose crops go through the model together
#: ... unless they hold more pixels than this: two A4 pages at 200 dpi (23 MB of BGR, plus
#: the pipeline's work arrays), so a 500-page scan is read in bounded memory (pages come from a
#: generator); a model call per page or two costs nothing next to a page's pipeline.
PIXELS_PER_CALL = 8_000_000

#: A file to read: its path as given, or ``(name, content)`` for standard input.
Source = str | tuple[str, bytes]
#: A page of a file, ``(path as given, 0-based page)``; ``(path, None)`` stands for the file.
PageKey = tuple[str, int | None]


def error_entry(err: InputError) -> dict:
    """``{"path", "error"}``, plus ``"page"`` (0-based) when only that page of the file failed."""
    if err.page is None:
        return {"path": err.path, "error": err.reason}
    return {"path": err.path, "error": f"page {err.page + 1}: {err.reason}", "page": err.page}


def record_key(record: dict) -> PageKey:
    """The page a record is about; ``(path, None)`` for an error about the whole file."""
    return record["path"], record.get("page")


def source_name(source: Source) -> str:
    return source[0] if isinstance(source, tuple) else source


@dataclass(frozen=True)
class Job:
    """What every task of a batch shares: the model file, the pipeline settings, PDF dpi.

    ``base_dir``: the folder relative paths are read from (the client's working directory, so
    that a worker started elsewhere finds the files on shared storage); None: this process's.
    """

    model: str | None = None
    config: PipelineConfig | None = None
    dpi: int = 200
    base_dir: str | None = None


@dataclass(frozen=True)
class Task:
    """Files for one worker to read, in order; ``skip``: pages already recorded (``--resume``)."""

    index: int
    sources: tuple[Source, ...]
    skip: frozenset = field(default_factory=frozenset)


@dataclass
class TaskResult:
    """Records of a task (or of part of it, when read in this process), in page order."""

    index: int
    model: str
    records: list[dict]


def recognize_stream(
    recognizer,
    sources: Iterable[Source],
    config: PipelineConfig | None,
    dpi: int,
    skip: Collection[PageKey] = frozenset(),
) -> Iterator[list[dict]]:
    """Records of every page of ``sources`` but those in ``skip``, one list per model call
    (at most :data:`PAGES_PER_CALL` pages and :data:`PIXELS_PER_CALL` pixels; a page is
    released once its group is read, so memory does not grow with a document's length)."""
    group: list[Page | dict] = []
    pages = pixels = 0
    for item in _pages(sources, dpi):
        if isinstance(item, InputError):
            entry = error_entry(item)
            if record_key(entry) not in skip:
                group.append(entry)
        elif (item.path, item.index) not in skip:
            group.append(item)
            pages += 1
            pixels += item.image.shape[0] * item.image.shape[1]
        del item  # the group owns the page now: released with it
        if pages >= PAGES_PER_CALL or len(group) >= PAGES_PER_CALL or pixels >= PIXELS_PER_CALL:
            yield _read(recognizer, group, config)
            group, pages, pixels = [], 0, 0
    if group:
        yield _read(recognizer, group, config)


def _pages(sources: Iterable[Source], dpi: int) -> Iterator[Page | InputError]:
    for source in sources:
        if isinstance(source, tuple):
            yield from iter_bytes(source[1], source[0], dpi=dpi)
        else:
            yield from iter_pages(source, dpi=dpi)


def _read(recognizer, group: list[Page | dict], config: PipelineConfig | None) -> list[dict]:
    """The group's pages recognized with one model call; error entries kept in their place."""
    pages = [item for item in group if isinstance(item, Page)]
    readings = iter(recognizer.recognize_many([p.image for p in pages], config))
    return [recognition_to_dict(item.path, item.index, next(readings))
            if isinstance(item, Page) else item for item in group]


# Worker side (a --jobs process, a Dask worker): the model is loaded once per thread and kept
# for the following tasks; a changed model file (same path, new content) is loaded again.
_LOADED = threading.local()


def loaded_recognizer(model: str | None, config: PipelineConfig | None):
    """The Recognizer for ``model`` and ``config``, loaded on this thread's first call."""
    from digit_app.model.classifier import DEFAULT_MODEL
    from digit_app.recognizer import Recognizer

    try:
        stamp = os.stat(Path(model) if model is not None else DEFAULT_MODEL).st_mtime_ns
    except OSError:
        stamp = None  # Recognizer.load says what is wrong with the file
    key = (model, config, stamp)
    cache = _LOADED.__dict__.setdefault("recognizers", {})
    if key not in cache:
        cache.clear()  # one model per thread: an older one is not kept alive
        cache[key] = Recognizer.load(model, config)
    return cache[key]


def run_task(task: Task, job: Job) -> TaskResult:
    """Read and recognize a task's files with this thread's recognizer (worker side)."""
    recognizer = loaded_recognizer(job.model, job.config)
    skip: Collection[PageKey]
    sources, skip, given = task.sources, task.skip, {}
    if job.base_dir is not None:  # read where the client sees the files; report paths as given
        where = {s: os.path.join(job.base_dir, s) for s in sources if not isinstance(s, tuple)}
        given = {w: s for s, w in where.items()}
        sources = tuple(where.get(s, s) if not isinstance(s, tuple) else s for s in sources)
        skip = {(where.get(p, p), page) for p, page in skip}
    records = [r for group in recognize_stream(recognizer, sources, job.config, job.dpi, skip)
               for r in group]
    for r in records:
        r["path"] = given.get(r["path"], r["path"])
    return TaskResult(task.index, recognizer.model_name, records)
