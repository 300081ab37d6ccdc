"""The camera thread: reads frames with ``cv2.VideoCapture`` and hands over the newest one.

A source is a device index (``0``), a video file or a stream URL. Frames are not queued: the
thread keeps only the newest frame and signals ``frame_ready`` when the previous one has been
taken, so a slow GUI never builds a backlog. Stopping is ``stop()``: requestInterruption()
then wait(); the device is released by the thread itself. Never terminate().
"""
from __future__ import annotations

import glob
import os
import sys
import threading
import time

import cv2
import numpy as np
from PySide6.QtCore import QThread, Signal

#: Consecutive failed reads after which a live source is considered gone.
MAX_FAILED_READS = 30
FAILED_READ_PAUSE_S = 0.02
#: Pace of a video file whose frame rate is unknown.
DEFAULT_FILE_FPS = 30.0
#: Open/read timeouts for network streams, milliseconds.
STREAM_TIMEOUT_MS = 5000

Source = int | str


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
    kind = source_kind(source)
    if kind == "device":
        return f"camera {source}"
    return os.path.basename(source) if kind == "file" else str(source)


def available_cameras(probe: int = 4) -> list[int]:
    """Device indexes to offer: the /dev/video* nodes on Linux, else 0..probe-1 (not opened)."""
    if sys.platform.startswith("linux"):
        found = sorted(int(p[len("/dev/video"):]) for p in glob.glob("/dev/video*")
                       if p[len("/dev/video"):].isdigit())
        return found or [0]
    return list(range(probe))


def open_capture(source: Source) -> cv2.VideoCapture:
    """A VideoCapture for a device index, a file or a URL (with timeouts for URLs)."""
    if source_kind(source) == "stream":
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, STREAM_TIMEOUT_MS,
                  cv2.CAP_PROP_READ_TIMEOUT_MSEC, STREAM_TIMEOUT_MS]
        return cv2.VideoCapture(source, cv2.CAP_ANY, params)
    return cv2.VideoCapture(source)


class CameraThread(QThread):
    """Reads ``source`` until interrupted; video files are paced at their frame rate and loop."""

    opened = Signal(float)  # nominal frame rate (0 if unknown)
    frame_ready = Signal()  # a new frame can be taken with take_frame()
    failed = Signal(str)  # could not open, or the source went away

    def __init__(self, source: Source, loop_files: bool = True, parent=None):
        super().__init__(parent)
        self.source = source
        self.loop_files = loop_files
        self.setObjectName(f"camera:{describe_source(source)}")
        self._lock = threading.Lock()
        self._frame: np.ndarray | None = None
        self._frame_time = 0.0
        self._taken = True
        self.frames_read = 0

    def take_frame(self) -> tuple[np.ndarray, float] | None:
        """The newest frame and its time (``time.monotonic()``), or None if already taken."""
        with self._lock:
            if self._frame is None or self._taken:
                return None
            self._taken = True
            return self._frame, self._frame_time

    def stop(self) -> None:
        """Ask the thread to finish and wait for it (it releases the device itself)."""
        self.requestInterruption()
        self.wait()

    def run(self) -> None:  # noqa: D401 - QThread entry point
        cap = open_capture(self.source)
        try:
            if not cap.isOpened():
                self.failed.emit(f"Cannot open {describe_source(self.source)}.")
                return
            is_file = source_kind(self.source) == "file"
            fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
            if not np.isfinite(fps) or fps <= 0 or fps > 240:
                fps = 0.0
            self.opened.emit(fps)
            period = 1.0 / (fps or DEFAULT_FILE_FPS) if is_file else 0.0
            next_due = time.monotonic()
            failures = 0
            while not self.isInterruptionRequested():
                ok, frame = cap.read()
                if not ok or frame is None:
                    if is_file and self.loop_files and self.frames_read > 0 and failures == 0:
                        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                        failures += 1
                        continue
                    failures += 1
                    if is_file or failures >= MAX_FAILED_READS:
                        what = "ended" if is_file and self.frames_read else "stopped delivering frames"
                        self.failed.emit(f"{describe_source(self.source).capitalize()} {what}.")
                        return
                    time.sleep(FAILED_READ_PAUSE_S)
                    continue
                failures = 0
                self.frames_read += 1
                if period:
                    next_due += period
                    delay = next_due - time.monotonic()
                    if delay > 0:
                        self._sleep(delay)
                    else:
                        next_due = time.monotonic()
                with self._lock:
                    notify = self._taken
                    self._frame, self._frame_time, self._taken = frame, time.monotonic(), False
                if notify:
                    self.frame_ready.emit()
        finally:
            cap.release()

    def _sleep(self, seconds: float) -> None:
        """Sleep in small steps so an interruption is honoured quickly."""
        end = time.monotonic() + seconds
        while not self.isInterruptionRequested():
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.02))
