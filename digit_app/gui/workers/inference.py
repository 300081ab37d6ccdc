"""The inference thread: owns the one recognizer; the newest request of each channel wins.

Each mode submits to its own *channel* ("draw", "camera", "document"). A request waiting in
a channel is replaced by a newer one (dropped, not queued), so latency stays bounded however
fast frames arrive. The recognizer is created by ``recognizer_factory`` *in the thread*, so
the model is loaded there while the window is already on screen (its LiteRT file, in about
0.1 s; TensorFlow only where LiteRT cannot run). :meth:`InferenceService.reload`
swaps the model (another factory) the same way, in the thread, without stopping it.
"""
from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal

from digit_app.types import Recognition

STATE_LOADING, STATE_READY, STATE_ERROR, STATE_STOPPED = "loading", "ready", "error", "stopped"

log = logging.getLogger(__name__)


class RecognizerLike(Protocol):
    config: Any

    def recognize(self, image: np.ndarray, config: Any = None) -> Recognition: ...


RecognizerFactory = Callable[[], RecognizerLike]


def default_factory(model: str | None) -> RecognizerFactory:
    """Loads :class:`digit_app.recognizer.Recognizer` when called."""

    def load() -> RecognizerLike:
        from digit_app.recognizer import Recognizer

        return Recognizer.load(model)

    return load


@dataclass(frozen=True)
class Request:
    channel: str
    request_id: int
    image: np.ndarray
    config: Any = None
    tag: Any = None  # anything the submitter needs back (page index, crop offset, ...)


@dataclass(frozen=True)
class Result:
    channel: str
    request_id: int
    recognition: Recognition
    latency_ms: float
    tag: Any = None


@dataclass(frozen=True)
class Failure:
    channel: str
    request_id: int
    message: str
    tag: Any = None


class InferenceThread(QThread):
    """The inference thread. Thread-safe entry points: :meth:`submit`, :meth:`cancel`, :meth:`stop`.

    The whole life of the thread is one Python ``run()`` (a loop on a condition variable), not
    a Qt event loop calling slots: PySide creates and destroys a Python thread state around
    every slot call in a non-Python thread, and TensorFlow's pybind11 bindings keep using the
    destroyed one (intermittent segfault in ``gil_scoped_acquire`` on the first inference).
    """

    state_changed = Signal(str, str)  # state, detail (model name or error message)
    config_ready = Signal(object)  # the recognizer's default config, once loaded
    result_ready = Signal(object)  # Result
    failed = Signal(object)  # Failure

    def __init__(self, factory: RecognizerFactory, parent: QObject | None = None):
        super().__init__(parent)
        self.setObjectName("inference")
        self._factory = factory
        self._cond = threading.Condition()
        self._pending: dict[str, Request] = {}
        self._reload: RecognizerFactory | None = None
        self._stopping = False
        self.dropped = 0  # requests replaced before they ran
        self.processed = 0

    # -- any thread ---------------------------------------------------------------------
    def submit(self, request: Request) -> None:
        with self._cond:
            if self._stopping:
                return
            if self._pending.pop(request.channel, None) is not None:
                self.dropped += 1
            self._pending[request.channel] = request  # to the end: channels take turns
            self._cond.notify()

    def cancel(self, channel: str) -> None:
        with self._cond:
            self._pending.pop(channel, None)

    def reload(self, factory: RecognizerFactory) -> None:
        """Load another model (in the thread, between two requests). Until it is ready the
        current one keeps answering; if it cannot be loaded, the current one stays in use."""
        with self._cond:
            if self._stopping:
                return
            if not self.isRunning():
                self._factory = factory  # not started yet: the first load takes it
                return
            self._reload = factory
            self._cond.notify()

    def stop(self) -> None:
        """Drop what waits, let a running request (or the model load) finish, end the thread."""
        with self._cond:
            self._stopping = True
            self._pending.clear()
            self._cond.notify_all()
        self.requestInterruption()
        self.wait()

    # -- inference thread ---------------------------------------------------------------
    def run(self) -> None:
        with self._cond:
            factory: RecognizerFactory | None = self._factory
        recognizer: RecognizerLike | None = None
        while True:
            if factory is not None:
                loaded = self._load(factory)
                recognizer = loaded if loaded is not None else recognizer
            with self._cond:
                # Without a model, requests wait (for a reload that works).
                while not self._stopping and self._reload is None and (
                        recognizer is None or not self._pending):
                    self._cond.wait()
                if self._stopping:
                    return
                factory, self._reload = self._reload, None
                if factory is not None:
                    continue
                channel = next(iter(self._pending))
                request = self._pending.pop(channel)
            assert recognizer is not None
            self._process(recognizer, request)

    def _load(self, factory: RecognizerFactory) -> RecognizerLike | None:
        self.state_changed.emit(STATE_LOADING, "")
        try:
            recognizer = factory()
        except Exception as exc:  # any failure is shown, never raised
            log.debug("the recognizer could not be made", exc_info=True)
            self.state_changed.emit(STATE_ERROR, str(exc) or type(exc).__name__)
            return None
        self.config_ready.emit(getattr(recognizer, "config", None))
        name = (getattr(recognizer, "model_name", "") or getattr(recognizer, "name", "")
                or type(recognizer).__name__)
        self.state_changed.emit(STATE_READY, str(name))
        return recognizer

    def _process(self, recognizer: RecognizerLike, request: Request) -> None:
        start = time.perf_counter()
        try:
            rec = recognizer.recognize(request.image, request.config)
        except Exception as exc:
            log.exception("recognizing an image of the %s channel failed", request.channel)
            self.failed.emit(Failure(request.channel, request.request_id,
                                     f"{type(exc).__name__}: {exc}", request.tag))
            return
        self.processed += 1
        latency = (time.perf_counter() - start) * 1000.0
        self.result_ready.emit(Result(request.channel, request.request_id, rec, latency, request.tag))


class InferenceService(QObject):
    """GUI-thread handle on the inference thread: start, submit, stop; forwards the signals."""

    state_changed = Signal(str, str)
    config_ready = Signal(object)
    result_ready = Signal(object)
    failed = Signal(object)

    def __init__(self, factory: RecognizerFactory, parent: QObject | None = None):
        super().__init__(parent)
        self._ids = itertools.count(1)
        self.state = STATE_STOPPED
        self.detail = ""
        self.default_config: Any = None
        self.base_factory = factory  # the recognizer it was created with (the shipped model)
        self.worker = InferenceThread(factory)  # not `thread`: that would hide QObject.thread()
        self.worker.state_changed.connect(self._on_state)
        self.worker.config_ready.connect(self._on_config)
        self.worker.result_ready.connect(self.result_ready)
        self.worker.failed.connect(self.failed)

    def start(self) -> None:
        if not self.worker.isRunning() and not self.worker.isFinished():
            self.state = STATE_LOADING
            self.worker.start()

    def submit(self, channel: str, image: np.ndarray, config: Any = None, tag: Any = None) -> int:
        """Queue ``image`` for recognition, replacing what ``channel`` had waiting; returns its id."""
        request_id = next(self._ids)
        self.worker.submit(Request(channel, request_id, image, config, tag))
        return request_id

    def cancel(self, channel: str) -> None:
        self.worker.cancel(channel)

    def reload(self, factory: RecognizerFactory) -> None:
        """Use the recognizer ``factory`` makes from now on, loaded in the inference thread
        (the GUI never waits). Before :meth:`start`, it simply replaces the first factory."""
        if self.worker.isRunning():
            self.state = STATE_LOADING
        self.worker.reload(factory)

    def is_running(self) -> bool:
        return self.worker.isRunning()

    def stop(self) -> None:
        self.worker.stop()
        self.state = STATE_STOPPED

    def _on_state(self, state: str, detail: str) -> None:
        if self.state == STATE_STOPPED and state != STATE_ERROR:
            return  # a late signal from a thread already stopped
        self.state, self.detail = state, detail
        self.state_changed.emit(state, detail)

    def _on_config(self, config: Any) -> None:
        self.default_config = config
        self.config_ready.emit(config)
