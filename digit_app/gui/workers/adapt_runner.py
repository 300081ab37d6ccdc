"""Adaptation in the background: a child process, its progress polled by a timer, cancel.

The child is a ``multiprocessing`` "spawn" process (:func:`digit_app.session.adapt_worker.work`):
TensorFlow trains there, in its own interpreter, so the window never waits for the GIL and no
TensorFlow call is made from a Qt thread. Progress comes back through a queue that a QTimer
drains in the GUI thread; cancel sets an event the adapt function polls between batches. A
child that does not stop within ``cancel_grace_s`` after a cancel is terminated (the model is
written atomically and only at the very end, so nothing half-written becomes the model). A
child that dies (killed, out of memory, a crash) is reported, and the temporary files it was
writing are removed.
"""
from __future__ import annotations

import multiprocessing
import queue as queue_module
import time
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from digit_app import atomic
from digit_app.model.metadata import metadata_path
from digit_app.session.adapt_worker import ADAPT_FUNCTION, AdaptReport, work

POLL_MS = 100
CANCEL_GRACE_S = 15.0
STOP_JOIN_S = 5.0


class AdaptRunner(QObject):
    """Signals: ``progress(step, total, message)``, then one of ``finished(AdaptReport)``,
    ``refused(reason)`` (too few samples), ``failed(message)`` or ``cancelled()``;
    ``running_changed(bool)`` around a run."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    refused = Signal(str)
    failed = Signal(str)
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, function: str = ADAPT_FUNCTION, parent: QObject | None = None,
                 poll_ms: int = POLL_MS, cancel_grace_s: float = CANCEL_GRACE_S):
        super().__init__(parent)
        self.function = function
        self.cancel_grace_s = cancel_grace_s
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._queue: Any = None
        self._stop: Any = None
        self._cancel_time: float | None = None
        self._out: str | None = None  # the model file the run writes
        self._exiting: list[Any] = []  # children that said their last word and are ending
        self.last_progress: tuple[int, int, str] = (0, 0, "")
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._poll)

    def is_running(self) -> bool:
        return self._process is not None

    def start(self, **kwargs: Any) -> bool:
        """Start adapting with ``kwargs`` for the adapt function; False if a run is going on."""
        if self._process is not None:
            return False
        self._reap()
        self._queue = self._context.Queue()
        self._stop = self._context.Event()
        self._cancel_time = None
        self._out = kwargs.get("out")
        self.last_progress = (0, 0, "starting…")
        process = self._context.Process(target=work, args=(self.function, kwargs, self._queue, self._stop),
                                        name="digit-app-adapt", daemon=True)
        try:
            process.start()
        except OSError as exc:
            self._queue = self._stop = None
            self.failed.emit(f"The adaptation could not start: {exc}")
            return False
        self._process = process
        self._timer.start()
        self.running_changed.emit(True)
        self.progress.emit(*self.last_progress)
        return True

    def cancel(self) -> None:
        """Ask the run to stop; ``cancelled`` follows when it has."""
        if self._process is not None and self._cancel_time is None:
            self._stop.set()
            self._cancel_time = time.monotonic()
            self.progress.emit(self.last_progress[0], self.last_progress[1], "cancelling…")

    def stop(self, timeout: float = STOP_JOIN_S) -> None:
        """Cancel and wait for the child (the window is closing): no outcome signal follows."""
        process = self._process
        if process is not None:
            self._stop.set()
            self._exiting.append(process)
            self._finish()
        for child in self._exiting:
            child.join(timeout)
            if child.is_alive():
                child.terminate()
                child.join(timeout)
        self._exiting.clear()

    def _reap(self) -> None:
        self._exiting = [p for p in self._exiting if p.is_alive()]

    def _poll(self) -> None:
        process = self._process
        if process is None:
            return
        while True:
            try:
                message = self._queue.get_nowait()
            except (queue_module.Empty, EOFError, OSError):
                break
            kind = message[0]
            if kind == "progress":
                self.last_progress = (message[1], message[2], message[3])
                self.progress.emit(*self.last_progress)
            elif kind == "done":
                self._end(partial(self.finished.emit, message[1]))
                return
            elif kind == "cancelled":
                self._end(self.cancelled.emit)
                return
            elif kind == "refused":
                self._end(partial(self.refused.emit, message[1]))
                return
            elif kind == "error":
                self._end(partial(self.failed.emit, message[1]))
                return
        if not process.is_alive():
            # Ended without its last word (killed, out of memory, crash).
            code = process.exitcode
            self._discard_partial(process.pid)
            if self._cancel_time is not None:
                self._end(self.cancelled.emit)
            else:
                self._end(lambda: self.failed.emit(
                    f"The adaptation process stopped unexpectedly (exit code {code})."))
        elif self._cancel_time is not None and time.monotonic() - self._cancel_time > self.cancel_grace_s:
            process.terminate()

    def _discard_partial(self, pid: int) -> None:
        """Remove what a dead child was writing (never the model in use: that is only replaced
        by a rename, which the child did not reach)."""
        if self._out:
            out = Path(self._out)
            atomic.discard(atomic.temp_path(out, pid), atomic.temp_path(metadata_path(out), pid))

    def _end(self, emit) -> None:
        """The child's last word arrived: it exits on its own (not waited for here, so the
        window never blocks on TensorFlow's shutdown)."""
        if self._process is not None:
            self._exiting.append(self._process)
        self._finish()
        emit()

    def _finish(self) -> None:
        self._timer.stop()
        if self._queue is not None:
            self._queue.close()
            self._queue.join_thread()
        self._process = self._queue = self._stop = None
        self._cancel_time = None
        self.running_changed.emit(False)


__all__ = ["AdaptReport", "AdaptRunner"]
