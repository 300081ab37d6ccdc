"""Camera soak: Camera mode (the real camera and inference threads, the shipped model, offscreen)
on a looping video for N frames, reporting memory growth, thread counts and frames per second.

Run: ``.venv/bin/python benchmarks/soak_camera.py [--frames 10000] [--fps 50]``
(targets of issue 19: growth < 10 MB after warm-up, thread count constant).

``assets/camera.avi`` (640x480, 15 fps, 30 frames) is read by a real ``cv2.VideoCapture`` and
looped by the camera thread; ``--fps`` is the frame rate the thread paces the file at (the
file says 15: the soak would take 11 minutes for 10,000 frames). Memory is the process's
resident set (``VmRSS``), sampled every ``--every`` frames; growth is measured from the first
sample after ``--warmup`` frames to the last.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import cv2

from digit_app.gui.app import application, create_window
from digit_app.gui.main_window import CAMERA
from digit_app.gui.workers.camera import open_capture
from digit_app.gui.workers.inference import STATE_READY, default_factory

VIDEO = Path(__file__).resolve().parents[1] / "assets" / "camera.avi"


class Paced:
    """A real VideoCapture whose frame rate reads as ``fps``."""

    def __init__(self, cap, fps: float):
        self._cap, self._fps = cap, fps

    def get(self, prop):
        return self._fps if prop == cv2.CAP_PROP_FPS else self._cap.get(prop)

    def __getattr__(self, name):
        return getattr(self._cap, name)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10_000)
    parser.add_argument("--fps", type=float, default=50.0)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--every", type=int, default=500)
    args = parser.parse_args()

    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        window = create_window(default_factory(None), settings_path=Path(tmp) / "settings.ini")
        window.show()
        window.inference.start()
        while window.inference.state != STATE_READY:
            app.processEvents()
            time.sleep(0.01)
        window.set_mode(CAMERA)
        camera = window.camera_mode
        camera.capture_factory = lambda source, config: Paced(open_capture(source, config), args.fps)
        camera.start(str(VIDEO))
        thread = camera.camera_thread()
        samples = []  # (frames read, seconds, RSS MB, Python threads, OS threads, results shown)
        start = time.monotonic()
        next_sample = args.warmup
        while thread.frames_read < args.frames:
            app.processEvents()
            time.sleep(0.002)
            if thread.frames_read >= next_sample:
                samples.append((thread.frames_read, time.monotonic() - start, rss_mb(),
                                threading.active_count(), os_threads(), camera.results_shown))
                next_sample += args.every
            if not thread.isRunning():
                raise SystemExit(f"the camera stopped: {camera.info.text()}")
        end = (thread.frames_read, time.monotonic() - start, rss_mb(), threading.active_count(),
               os_threads(), camera.results_shown)
        camera.stop()
        window.shutdown()

    first = samples[0]
    print(f"{'frames':>7} {'s':>7} {'RSS MB':>8} {'py thr':>6} {'OS thr':>6} {'results':>7}")
    for s in samples + [end]:
        print(f"{s[0]:7d} {s[1]:7.1f} {s[2]:8.1f} {s[3]:6d} {s[4]:6d} {s[5]:7d}")
    seconds = end[1] - first[1]
    print(f"frames read: {end[0]} in {end[1]:.0f} s; after warm-up "
          f"{(end[0] - first[0]) / seconds:.1f} frames/s read, "
          f"{(end[5] - first[5]) / seconds:.1f} results/s shown")
    print(f"memory growth after {first[0]} frames: {end[2] - first[2]:+.1f} MB "
          f"({first[2]:.1f} -> {end[2]:.1f} MB; max {max(s[2] for s in samples):.1f} MB)")
    print(f"threads: Python {sorted({s[3] for s in samples + [end]})}, "
          f"OS {sorted({s[4] for s in samples + [end]})}")


if __name__ == "__main__":
    main()
