"""The camera thread: reads frames with ``cv2.VideoCapture`` and hands over the newest one.

A source is a device index (``0``), a video file or a stream URL. Frames are not queued: the
thread keeps only the newest frame and signals ``frame_ready`` when the previous one has been
taken, so a slow GUI never builds a backlog. Stopping is ``stop()``: requestInterruption()
then wait(). Never terminate().

Faults survived (:class:`CameraConfig` states the times):

* a source that stops delivering frames (a webcam unplugged, a stream that stalls) is reported
  within ``stall_timeout_s`` through ``status`` and reconnected with back-off
  (``reconnect_delays_s``); ``failed`` follows when every attempt failed;
* a stream whose open or read blocks never blocks this thread, so ``stop()`` always returns at
  once: the blocking ``VideoCapture`` calls run in a helper thread (a :class:`_Grabber`, one per
  connection) that this thread watches; opening gives up after ``open_timeout_s``. A grabber
  stuck in a call is left to return on its own; it releases its capture then.
"""
from __future__ import annotations

import glob
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QThread, Signal

log = logging.getLogger(__name__)

FAILED_READ_PAUSE_S = 0.02
#: Pace of a video file whose frame rate is unknown.
DEFAULT_FILE_FPS = 30.0
#: How often the camera thread looks at its grabber and at interruption requests.
POLL_S = 0.02
NOT_OPENED = "cannot be opened"

Source = int | str


@dataclass(frozen=True)
class CameraConfig:
    """Times of the camera thread, in seconds."""

    #: No new frame for this long: the source is reported lost and reconnected (issue: < 2 s).
    stall_timeout_s: float = 1.0
    #: Opening a source (a stream URL that does not answer) gives up after this long.
    open_timeout_s: float = 10.0
    #: Pauses before each reconnection attempt; when all have failed the camera gives up.
    reconnect_delays_s: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
    #: How long ``stop()`` lets a grabber release its capture before leaving it to do so alone.
    release_wait_s: float = 1.0


CaptureFactory = Callable[[Source, CameraConfig], "cv2.VideoCapture"]


def parse_source(text: str) -> Source:
    """``"0"`` -> device 0; anything else is a file path or a URL."""
    text = text.strip()
    return int(text) if text.isdigit() else text


def source_kind(source: Source) -> str:
    """``"device"``, ``"stream"`` (a URL) or ``"file"``."""
    if isinstance(source, int):
        return "device"
    return "stream" if "://" in source else "file"


def describe_source(source: Source) -> str:
    if isinstance(source, int):
        return f"camera {source}"
    return os.path.basename(source) if source_kind(source) == "file" else source


def available_cameras(probe: int = 4) -> list[int]:
    """Device indexes to offer: the /dev/video* nodes on Linux, else 0..probe-1 (not opened)."""
    if sys.platform.startswith("linux"):
        found = sorted(int(p[len("/dev/video"):]) for p in glob.glob("/dev/video*")
                       if p[len("/dev/video"):].isdigit())
        return found or [0]
    return list(range(probe))


def open_capture(source: Source, config: CameraConfig = CameraConfig()) -> cv2.VideoCapture:
    """A VideoCapture for a device index, a file or a URL (with OpenCV's own timeouts for URLs;
    the camera thread does not rely on them: a backend may ignore them)."""
    if source_kind(source) == "stream":
        ms = int(config.open_timeout_s * 1000)
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, ms]
        return cv2.VideoCapture(source, cv2.CAP_ANY, params)
    return cv2.VideoCapture(source)


def _capital(name: str) -> str:
    """``camera 0`` -> ``Camera 0``; file names and URLs keep their case."""
    return name[:1].upper() + name[1:] if name.startswith("camera ") else name


class _Grabber:
    """One connection to a source: opens it and reads frames in a daemon thread, handing each
    to ``deliver(frame)``. Its outcome is read from ``opened``, ``done`` and ``error``."""

    def __init__(self, factory: CaptureFactory, source: Source, config: CameraConfig,
                 loop_files: bool, deliver: Callable[[np.ndarray], None], name: str):
        self.factory, self.source, self.config = factory, source, config
        self.loop_files, self.deliver = loop_files, deliver
        self.opened = threading.Event()
        self.done = threading.Event()
        self.stopping = threading.Event()
        self.fps = 0.0
        self.error: str | None = None  # why the capture could not be opened or read
        self.ended = False  # a video file reached its end (not looping)
        self.frames = 0
        self.last_frame = time.monotonic()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait_s: float) -> None:
        """Ask the grabber to end; wait up to ``wait_s`` for it to release the capture."""
        self.stopping.set()
        self._thread.join(wait_s)

    def _run(self) -> None:
        cap = None
        try:
            cap = self.factory(self.source, self.config)
            if self.stopping.is_set():
                return
            if cap is None or not cap.isOpened():
                self.error = NOT_OPENED
                return
            fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
            self.fps = fps if np.isfinite(fps) and 0 < fps <= 240 else 0.0
            self.last_frame = time.monotonic()
            self.opened.set()
            self._read(cap)
        except Exception as exc:  # a backend error ends this connection only
            log.debug("camera source %r failed", self.source, exc_info=True)
            self.error = str(exc) or type(exc).__name__
        finally:
            if cap is not None:
                cap.release()
            self.done.set()

    def _read(self, cap) -> None:
        is_file = source_kind(self.source) == "file"
        period = 1.0 / (self.fps or DEFAULT_FILE_FPS) if is_file else 0.0
        next_due = time.monotonic()
        rewound = False
        while not self.stopping.is_set():
            ok, frame = cap.read()
            if self.stopping.is_set():  # given up on while the read blocked
                return
            if not ok or frame is None:
                if is_file:
                    if self.loop_files and self.frames and not rewound:
                        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                        rewound = True
                        continue
                    self.ended = True
                    return
                # A live source that fails to read: the camera thread judges by time.
                self.stopping.wait(FAILED_READ_PAUSE_S)
                continue
            rewound = False
            self.frames += 1
            if period:
                next_due += period
                delay = next_due - time.monotonic()
                if delay > 0:
                    self.stopping.wait(delay)
                else:
                    next_due = time.monotonic()
            self.last_frame = time.monotonic()
            self.deliver(frame)


#: Outcomes of one connection, as :meth:`CameraThread._watch` returns them.
_STOPPED, _ENDED, _OPEN_FAILED, _OPEN_TIMEOUT, _LOST = "stopped", "ended", "open", "timeout", "lost"


class CameraThread(QThread):
    """Reads ``source`` until interrupted; video files are paced at their frame rate and loop.

    ``factory(source, config)`` makes the capture (:func:`open_capture`; tests give fakes).
    """

    opened = Signal(float)  # nominal frame rate (0 if unknown), at each (re)connection
    frame_ready = Signal()  # a new frame can be taken with take_frame()
    status = Signal(str)  # the source was lost and is being reconnected (one sentence)
    failed = Signal(str)  # could not open, or the source went away for good

    def __init__(self, source: Source, loop_files: bool = True, parent=None,
                 config: CameraConfig = CameraConfig(), factory: CaptureFactory = open_capture):
        super().__init__(parent)
        self.source = source
        self.loop_files = loop_files
        self.config = config
        self.factory = factory
        self.setObjectName(f"camera:{describe_source(source)}")
        self._lock = threading.Lock()
        self._fresh = threading.Event()
        self._frame: np.ndarray | None = None
        self._frame_time = 0.0
        self._taken = True
        self._notify = False
        self.frames_read = 0
        self.reconnects = 0  # connections made after a loss

    def take_frame(self) -> tuple[np.ndarray, float] | None:
        """The newest frame and its time (``time.monotonic()``), or None if already taken."""
        with self._lock:
            if self._frame is None or self._taken:
                return None
            self._taken = True
            return self._frame, self._frame_time

    def stop(self) -> None:
        """Ask the thread to finish and wait for it (it returns within ``POLL_S`` plus the
        ``release_wait_s`` a grabber is given to release the device)."""
        self.requestInterruption()
        self.wait()

    def _deliver(self, frame: np.ndarray) -> None:  # called in the grabber thread
        with self._lock:
            self._notify = self._notify or self._taken
            self._frame, self._frame_time, self._taken = frame, time.monotonic(), False
            self.frames_read += 1
        self._fresh.set()

    def run(self) -> None:
        name = describe_source(self.source)
        attempt = 0  # reconnection attempts since frames last came
        ever_opened = False
        while not self.isInterruptionRequested():
            grabber = _Grabber(self.factory, self.source, self.config, self.loop_files,
                               self._deliver, f"grab:{name}")
            grabber.start()
            try:
                outcome = self._watch(grabber)
            finally:
                grabber.stopping.set()  # reported below before the device is waited for
            ever_opened = ever_opened or grabber.opened.is_set()
            attempt = 0 if grabber.frames else attempt
            message, retry = self._judge(outcome, grabber, ever_opened, attempt)
            if retry:
                attempt += 1
                self.status.emit(message)
            elif message:
                self.failed.emit(message)
            grabber.stop(self.config.release_wait_s)
            if not retry:
                return
            self._sleep(self.config.reconnect_delays_s[attempt - 1])
            self.reconnects += 1

    def _judge(self, outcome: str, grabber: _Grabber, ever_opened: bool,
               attempt: int) -> tuple[str, bool]:
        """The sentence to show after a connection ended, and whether to reconnect."""
        name = describe_source(self.source)
        if outcome == _STOPPED:
            return "", False
        detail = f" ({grabber.error})" if grabber.error and grabber.error != NOT_OPENED else ""
        if not ever_opened:
            if outcome == _OPEN_TIMEOUT:
                return f"Cannot open {name}: no answer within {self.config.open_timeout_s:g} s.", False
            return f"Cannot open {name}{detail}.", False
        if outcome == _OPEN_TIMEOUT:
            reason = f"did not answer within {self.config.open_timeout_s:g} s"
        elif outcome == _OPEN_FAILED:
            reason = NOT_OPENED + detail
        else:
            reason = "ended" if outcome == _ENDED else "stopped delivering frames"
        if source_kind(self.source) == "file" or outcome == _ENDED:
            return f"{_capital(name)} {reason}.", False
        delays = self.config.reconnect_delays_s
        if attempt >= len(delays):
            return (f"{_capital(name)} {reason}; gave up after {len(delays)} reconnection "
                    f"attempts."), False
        return (f"{_capital(name)} {reason}; reconnecting in {delays[attempt]:g} s "
                f"(attempt {attempt + 1} of {len(delays)})…"), True

    def _watch(self, grabber: _Grabber) -> str:
        """Follow one connection until it ends, stalls, or the thread is interrupted."""
        deadline = time.monotonic() + self.config.open_timeout_s
        while not grabber.opened.is_set():
            if self.isInterruptionRequested():
                return _STOPPED
            if grabber.done.is_set():
                return _OPEN_FAILED
            if time.monotonic() > deadline:
                return _OPEN_TIMEOUT
            grabber.done.wait(POLL_S)
        self.opened.emit(grabber.fps)
        # A slow video file is not a stalled one.
        stall = max(self.config.stall_timeout_s, 2.0 / grabber.fps if grabber.fps else 0.0)
        while not self.isInterruptionRequested():
            if self._fresh.wait(POLL_S):
                self._fresh.clear()
                with self._lock:
                    notify, self._notify = self._notify, False
                if notify:
                    self.frame_ready.emit()
            if grabber.done.is_set():
                return _ENDED if grabber.ended else _LOST
            if time.monotonic() - grabber.last_frame > stall:
                return _LOST
        return _STOPPED

    def _sleep(self, seconds: float) -> None:
        """Sleep in small steps so an interruption is honoured quickly."""
        end = time.monotonic() + seconds
        while not self.isInterruptionRequested():
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, POLL_S))
