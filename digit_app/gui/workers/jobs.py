"""One-shot background jobs: the one idiom the GUI uses to run a function off the GUI thread.

A job is a plain function (no Qt, it must not touch widgets) run once in a pool thread; its
result, or the exception it raised, comes back to the GUI thread through a queued signal and is
handed to ``on_done(value)`` or ``on_error(exc)`` there, so the callbacks may update widgets::

    self.jobs = BackgroundJobs(self)          # one per owner (a mode, a controller)
    self.jobs.run_in_background(load_document, path,
                                on_done=lambda doc: ..., on_error=lambda exc: ...)
    ...
    self.jobs.wait()                          # the window is closing: let the jobs end

Used for the document a file is opened into, each page of it read (rendering a PDF page takes
time), and the model input of a digit boxed by hand (corrections). The callbacks are called in
the order the jobs end; a job whose answer may arrive late carries what it needs to recognise
that (a generation, a run, a token) in its callbacks' closure, and the owner ignores it.

Only exceptions of the classes given as ``errors`` (default: :class:`Exception`) go to
``on_error``; any other one is raised in the pool thread, as an error of the program.

Three kinds of background work keep their own, documented design and do not use this helper:
the inference thread (:mod:`.inference`: one long-lived thread, the newest request of a channel
wins), the camera thread (:mod:`.camera`: a long-lived thread stopped with
``requestInterruption``/``wait``, its frame grabber a daemon thread it can abandon), and model
adaptation (:mod:`.adapt_runner`: a child process that never imports Qt, so it can be killed).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Callback = Callable[[Any], None]


class _Job(QRunnable):
    def __init__(self, jobs: BackgroundJobs, job: int, fn: Callable[..., Any], args: tuple,
                 errors: tuple[type[BaseException], ...]):
        super().__init__()
        self.jobs, self.job, self.fn, self.args, self.errors = jobs, job, fn, args, errors

    def run(self) -> None:
        try:
            value = self.fn(*self.args)
        except self.errors as exc:
            self.jobs._finished.emit(self.job, False, exc)
        except BaseException:
            self.jobs._abandoned.emit(self.job)
            raise
        else:
            self.jobs._finished.emit(self.job, True, value)


class BackgroundJobs(QObject):
    """Runs one-shot jobs in its own thread pool; their callbacks run in this object's thread
    (the GUI thread it was made in)."""

    _finished = Signal(int, bool, object)  # job, succeeded, its value or the exception
    _abandoned = Signal(int)  # job: it raised an exception not in its ``errors``

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callback | None, Callback | None]] = {}
        # Emitted in pool threads, received by this object: queued to its thread.
        self._finished.connect(self._deliver)
        self._abandoned.connect(self._forget)

    def run_in_background(self, fn: Callable[..., Any], *args: Any, on_done: Callback | None = None,
                          on_error: Callback | None = None,
                          errors: tuple[type[BaseException], ...] = (Exception,)) -> int:
        """Call ``fn(*args)`` in a pool thread; then ``on_done(value)``, or ``on_error(exc)``
        for an exception of ``errors``, in this object's thread. Returns the job's number."""
        job = next(self._ids)
        self._callbacks[job] = (on_done, on_error)
        self._pool.start(_Job(self, job, fn, args, errors))
        return job

    def pending(self) -> int:
        """Jobs started whose callbacks have not run yet."""
        return len(self._callbacks)

    def wait(self) -> None:
        """Wait for the jobs running or queued to end (their callbacks are still delivered
        through the event loop, if it runs again)."""
        self._pool.waitForDone()

    def _deliver(self, job: int, ok: bool, value: Any) -> None:
        on_done, on_error = self._callbacks.pop(job, (None, None))
        callback = on_done if ok else on_error
        if callback is not None:
            callback(value)

    def _forget(self, job: int) -> None:
        self._callbacks.pop(job, None)

