"""The state of a Camera mode run (no Qt): frames counted, the frozen frame and its reading,
the digit tracker and the detection of cuts in the video.

:class:`CameraRun` is the model the Camera mode's widgets show (they hold one and refresh from
it). The camera thread hands it frames (:meth:`CameraRun.frame_arrived`), the inference thread
readings (:meth:`CameraRun.reading_arrived`); it measures the frame rate, detects a cut from
the pictures (:func:`~.tracking.is_scene_cut`) and drops the previous scene's tracks and late
readings, and steadies the labels across frames (:class:`~.tracking.DigitTracker`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from digit_app.session.geometry import offset_recognition
from digit_app.session.tracking import DigitTracker, frame_signature, is_scene_cut, steady_recognition
from digit_app.types import Recognition

#: Weight of the newest frame interval in the frame rate shown (exponential smoothing).
DEFAULT_FPS_SMOOTHING = 0.1


@dataclass
class FrameStep:
    """What a frame changed: the first frame (or a new size), a cut in the video, and the
    picture to read with the tag its reading carries back."""

    first: bool
    cut: bool
    to_read: np.ndarray
    tag: tuple


@dataclass
class CameraRun:
    """One run of the camera: reset when it (re)starts, when the region changes, on a cut."""

    fps_smoothing: float = DEFAULT_FPS_SMOOTHING
    tracker: DigitTracker = field(default_factory=DigitTracker)
    frame: np.ndarray | None = None  # the last frame shown (the frozen one when frozen)
    recognition: Recognition | None = None  # the steady reading of the frame shown
    region: tuple[int, int, int, int] | None = None  # read only inside (x, y, w, h)
    frozen: bool = False
    fps: float = 0.0
    latency_ms: float = 0.0
    last_frame_time: float | None = None
    signature: np.ndarray | None = None  # the last frame's thumbnail, to detect cuts
    cut_at: int = 0  # the number of the first frame after the last cut
    frames_shown: int = 0
    results_shown: int = 0

    def restart(self) -> None:
        """A new run (start, restart): no tracks, no reading, the frame rate measured again;
        the frame shown and the counters stay."""
        self.frozen = False
        self.tracker.reset()
        self.signature, self.cut_at = None, 0
        self.recognition, self.fps, self.last_frame_time = None, 0.0, None

    def set_frozen(self, frozen: bool) -> None:
        """Frozen frames are not read; the frame rate is measured again from the first live
        frame (the pause is no frame gap)."""
        self.frozen = frozen
        self.fps, self.last_frame_time = 0.0, None

    def set_region(self, region) -> None:
        """Read only inside ``region`` (x, y, w, h in frame pixels), or everywhere (None)."""
        self.region = region
        self.tracker.reset()

    def frame_arrived(self, frame: np.ndarray, stamp: float) -> FrameStep:
        """A live frame taken at ``stamp`` (seconds) is shown: count it, measure the rate,
        detect a cut (:meth:`scene_cut`), and say what to read."""
        if self.last_frame_time is not None and stamp > self.last_frame_time:
            rate = 1.0 / (stamp - self.last_frame_time)
            a = self.fps_smoothing
            self.fps = rate if self.fps == 0 else a * rate + (1 - a) * self.fps
        self.last_frame_time = stamp
        first = self.frame is None or frame.shape != self.frame.shape
        self.frame = frame
        self.frames_shown += 1
        signature = frame_signature(frame)
        cut = is_scene_cut(self.signature, signature)
        if cut:
            self.scene_cut()
        self.signature = signature
        h, w = frame.shape[:2]
        seq = self.frames_shown
        if self.region is not None:
            x, y, rw, rh = self.region
            return FrameStep(first, cut, frame[y:y + rh, x:x + rw], (x, y, w, h, seq))
        return FrameStep(first, cut, frame, (0, 0, w, h, seq))

    def scene_cut(self) -> None:
        """The video was cut: the previous scene's tracks and reading go at once, and the
        readings of its frames still coming are ignored."""
        self.cut_at = self.frames_shown
        self.tracker.reset()
        self.recognition = None

    def reading_arrived(self, recognition: Recognition, tag: tuple, latency_ms: float) -> bool:
        """The reading of the frame tagged ``tag`` (as :meth:`frame_arrived` gave it): steadied
        and kept; False (nothing kept) when it was read from the previous scene."""
        dx, dy, w, h, seq = tag
        if seq < self.cut_at:
            return False
        rec = offset_recognition(recognition, dx, dy, w, h)
        current, lingering = self.tracker.update(rec.digits)
        self.recognition = steady_recognition(rec, current, lingering)
        self.latency_ms = latency_ms
        self.results_shown += 1
        return True

    def info_parts(self) -> list[str]:
        """The run's figures as shown under the picture (frozen: no frame rate, nothing runs)."""
        parts = ["Frozen"] if self.frozen else [f"{self.fps:.1f} fps", f"recognition {self.latency_ms:.0f} ms"]
        if self.frame is not None:
            parts.append(f"{self.frame.shape[1]}×{self.frame.shape[0]}")
        if self.region is not None:
            parts.append("region {}×{}".format(*self.region[2:]))
        return parts
