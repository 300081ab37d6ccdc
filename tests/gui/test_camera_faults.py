"""Camera faults with fake captures (no hardware): a source that stops delivering frames is
reported within 2 s and reconnected; a stream whose open or read hangs never blocks the GUI
or Stop, and opening gives up after ``CameraConfig.open_timeout_s``."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from digit_app.gui.main_window import CAMERA
from digit_app.gui.workers.camera import CameraConfig, CameraThread

REPORT_MS = 2000  # the bound for reporting a lost source
TIMEOUT = 8000
FAST = CameraConfig(reconnect_delays_s=(0.05, 0.1), release_wait_s=0.1, open_timeout_s=0.5)


class FakeCapture:
    """A synthetic live source: ``frames`` frames at about 100 fps, then ``then``:
    ``"fail"`` (reads return False, as an unplugged webcam) or ``"hang"`` (read blocks)."""

    def __init__(self, frames: int, then: str, gate: threading.Event):
        self.left, self.then, self.gate = frames, then, gate
        self.released = False

    def isOpened(self) -> bool:
        return True

    def get(self, prop) -> float:
        return 0.0

    def set(self, prop, value) -> bool:
        return False

    def read(self):
        if self.left > 0:
            self.left -= 1
            time.sleep(0.01)
            return True, np.full((48, 64, 3), 200, np.uint8)
        if self.then == "hang":
            self.gate.wait()
        time.sleep(0.01)
        return False, None

    def release(self) -> None:
        self.released = True


class Factory:
    """Makes captures from ``plans``: a ``(frames, then)`` per connection, ``"closed"`` for a
    source that cannot be opened, ``"hang"`` for an open that never returns."""

    def __init__(self, *plans):
        self.plans = list(plans)
        self.opened: list[FakeCapture] = []
        self.gate = threading.Event()  # set at the end: every blocked call returns

    def __call__(self, source, config):
        plan = self.plans.pop(0) if len(self.plans) > 1 else self.plans[0]
        if plan == "hang":
            self.gate.wait()
            return None
        if plan == "closed":
            return _Closed()
        cap = FakeCapture(*plan, gate=self.gate)
        self.opened.append(cap)
        return cap


class _Closed(FakeCapture):
    def __init__(self):
        super().__init__(0, "fail", threading.Event())

    def isOpened(self) -> bool:
        return False


@pytest.fixture
def factory_cleanup():
    made: list[Factory] = []
    yield made.append
    for factory in made:
        factory.gate.set()


def start(thread: CameraThread) -> dict[str, list]:
    seen: dict[str, list] = {"status": [], "failed": [], "opened": []}
    thread.status.connect(seen["status"].append)
    thread.failed.connect(seen["failed"].append)
    thread.opened.connect(seen["opened"].append)
    thread.frame_ready.connect(thread.take_frame)
    thread.start()
    return seen


def test_a_source_that_stops_is_reported_within_2_s_and_reconnected(qtbot, factory_cleanup):
    factory = Factory((20, "fail"), (20, "fail"))
    factory_cleanup(factory)
    thread = CameraThread(0, factory=factory)  # the default times: stall_timeout_s = 1
    seen = start(thread)
    qtbot.waitUntil(lambda: thread.frames_read == 20, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(seen["status"]), timeout=REPORT_MS)
    assert "Camera 0 stopped delivering frames; reconnecting in 0.5 s (attempt 1 of 5)" in seen["status"][0]
    qtbot.waitUntil(lambda: thread.frames_read >= 30, timeout=TIMEOUT)  # back after reconnecting
    assert len(seen["opened"]) == 2 and thread.reconnects == 1 and not seen["failed"]
    assert factory.opened[0].released  # the lost capture was released before the new one
    thread.stop()
    assert thread.isFinished() and factory.opened[1].released


def test_reconnection_gives_up_after_the_last_attempt(qtbot, factory_cleanup):
    factory = Factory((5, "fail"), "closed")
    factory_cleanup(factory)
    thread = CameraThread(0, config=FAST, factory=factory)
    seen = start(thread)
    qtbot.waitUntil(lambda: bool(seen["failed"]), timeout=TIMEOUT)
    assert len(seen["status"]) == 2  # two attempts, as FAST.reconnect_delays_s says
    assert "attempt 2 of 2" in seen["status"][1] and "cannot be opened" in seen["status"][1]
    assert seen["failed"] == ["Camera 0 cannot be opened; gave up after 2 reconnection attempts."]
    thread.wait(TIMEOUT)
    assert thread.isFinished()


def test_a_stream_whose_read_hangs_is_reported_and_stop_returns_at_once(qtbot, factory_cleanup):
    factory = Factory((10, "hang"), "hang")
    factory_cleanup(factory)
    url = "rtsp://127.0.0.1:9/stream"
    thread = CameraThread(url, config=FAST, factory=factory)
    seen = start(thread)
    qtbot.waitUntil(lambda: bool(seen["status"]), timeout=REPORT_MS + 500)
    assert seen["status"][0].startswith(f"{url} stopped delivering frames; reconnecting")
    # The reconnection's open hangs too; Stop does not wait for it.
    qtbot.waitUntil(lambda: thread.reconnects == 1, timeout=TIMEOUT)
    began = time.monotonic()
    thread.stop()
    assert thread.isFinished() and time.monotonic() - began < 1.0


def test_a_stream_that_never_opens_gives_up_after_the_open_timeout(qtbot, factory_cleanup):
    factory = Factory("hang")
    factory_cleanup(factory)
    thread = CameraThread("http://127.0.0.1:9/video", config=FAST, factory=factory)
    seen = start(thread)
    qtbot.waitUntil(lambda: bool(seen["failed"]), timeout=TIMEOUT)
    assert seen["failed"] == ["Cannot open http://127.0.0.1:9/video: no answer within 0.5 s."]
    thread.wait(TIMEOUT)
    assert thread.isFinished() and not seen["opened"]


def test_camera_mode_shows_the_loss_reconnects_and_stop_always_works(window, qtbot, factory_cleanup):
    factory = Factory((30, "fail"), (10_000, "fail"))
    factory_cleanup(factory)
    window.set_mode(CAMERA)
    camera = window.camera_mode
    camera.capture_factory = factory
    camera.start(0)
    qtbot.waitUntil(lambda: camera.frames_shown > 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "reconnecting" in camera.message.text(), timeout=TIMEOUT)
    assert "reconnecting" in camera.info.text() and camera.start_button.text() == "Stop"
    qtbot.waitUntil(lambda: not camera.message.text(), timeout=TIMEOUT)  # back
    shown = camera.frames_shown
    qtbot.waitUntil(lambda: camera.frames_shown > shown, timeout=TIMEOUT)

    # A stream that hangs while opening: the window keeps working, and Stop ends it at once.
    hanging = Factory("hang")
    factory_cleanup(hanging)
    camera.capture_factory = hanging
    camera.start("rtsp://127.0.0.1:9/stream")
    shown = camera.frames_shown
    qtbot.wait(200)
    assert camera.is_running() and camera.frames_shown == shown and not camera.message.text()
    window.set_mode(0)  # the GUI answers
    window.set_mode(CAMERA)
    camera.start_button.click()  # Stop
    assert not camera.is_running() and camera.start_button.text() == "Start"
