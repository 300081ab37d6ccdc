"""Recognition of many files at once (``digit-app recognize``), optionally over N processes.

Pages are recognized in chunks with one model call per chunk (a chunk is at most
``PAGES_PER_CALL`` pages and ``PIXELS_PER_CALL`` pixels; pages are read one at a time and
released once recognized, so memory does not grow with a document's length); with ``jobs > 1`` every worker
process loads the model once and takes chunks of files in turn. Results keep the input order.
"""
from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from digit_app.io import STDIN_NAME, InputError, Page, expand_inputs, iter_bytes, iter_pages
from digit_app.output import recognition_to_dict
from digit_app.pipeline import PipelineConfig

PAGES_PER_CALL = 64  # pages whose crops go through the model together
#: ... unless they hold more pixels than this: two A4 pages at 200 dpi (23 MB of BGR, plus
#: the pipeline's work arrays), so a 500-page scan is read in bounded memory (pages come from a
#: generator); a model call per page or two costs nothing next to a page's pipeline.
PIXELS_PER_CALL = 8_000_000
FILES_PER_TASK = 32  # files a worker process takes at a time


@dataclass
class BatchResult:
    model: str
    results: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def extend(self, other: "BatchResult") -> None:
        self.results.extend(other.results)
        self.errors.extend(other.errors)


def error_entry(err: InputError) -> dict:
    reason = err.reason if err.page is None else f"page {err.page + 1}: {err.reason}"
    return {"path": err.path, "error": reason}


def _pages(sources: Iterable[str | tuple[str, bytes]], dpi: int) -> Iterator[Page | InputError]:
    for source in sources:
        if isinstance(source, tuple):
            yield from iter_bytes(source[1], source[0], dpi=dpi)
        else:
            yield from iter_pages(source, dpi=dpi)


def recognize_sources(recognizer, sources, config: PipelineConfig | None, dpi: int) -> BatchResult:
    """Recognize every page of ``sources`` (paths, or ``(name, bytes)`` for standard input)."""
    out = BatchResult(recognizer.model_name)
    pending: list[Page] = []

    def flush() -> None:
        recs = recognizer.recognize_many([p.image for p in pending], config)
        out.results.extend(recognition_to_dict(p.path, p.index, r) for p, r in zip(pending, recs))
        pending.clear()

    for item in _pages(sources, dpi):
        if isinstance(item, InputError):
            out.errors.append(error_entry(item))
            continue
        pending.append(item)
        del item  # the chunk owns the page now: released with it
        if (len(pending) >= PAGES_PER_CALL
                or sum(p.image.shape[0] * p.image.shape[1] for p in pending) >= PIXELS_PER_CALL):
            flush()
    if pending:
        flush()
    return out


# Worker-process side: one recognizer per process, loaded by the pool's initializer.
_WORKER: dict = {}


def _init_worker(model: str | None, config: PipelineConfig | None, dpi: int) -> None:
    from digit_app.recognizer import Recognizer

    _WORKER.update(recognizer=Recognizer.load(model, config), config=config, dpi=dpi)


def _work(sources: Sequence[str]) -> BatchResult:
    return recognize_sources(_WORKER["recognizer"], sources, _WORKER["config"], _WORKER["dpi"])


def recognize_paths(
    paths: Sequence[str],
    *,
    model: str | None = None,
    config: PipelineConfig | None = None,
    dpi: int = 200,
    jobs: int = 1,
    stdin: bytes | None = None,
) -> BatchResult:
    """Everything ``digit-app recognize`` does but printing. ModelError if the model is bad."""
    from digit_app.recognizer import Recognizer

    files, input_errors = expand_inputs(list(paths))
    if STDIN_NAME in files and stdin is None:
        stdin = sys.stdin.buffer.read()
    sources = [(STDIN_NAME, stdin) if f == STDIN_NAME else f for f in files]
    on_disk = [s for s in sources if not isinstance(s, tuple)]
    if jobs <= 1 or len(on_disk) < 2 * FILES_PER_TASK:
        recognizer = Recognizer.load(model, config)
        out = recognize_sources(recognizer, sources, config, dpi)
    else:
        # The files go to the workers in order; standard input is recognized here, in the parent.
        out = BatchResult("")
        tasks = [on_disk[i : i + FILES_PER_TASK] for i in range(0, len(on_disk), FILES_PER_TASK)]
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(model, config, dpi),
        ) as pool:
            for part in pool.map(_work, tasks):
                out.model = part.model
                out.extend(part)
        if len(on_disk) < len(sources):
            stdin_part = recognize_sources(Recognizer.load(model, config),
                                           [s for s in sources if isinstance(s, tuple)], config, dpi)
            out.model = stdin_part.model
            out.extend(stdin_part)
    out.errors[:0] = [error_entry(e) for e in input_errors]
    return out
