"""The inference thread: background loading, newest request wins, errors reported."""
from __future__ import annotations

import logging
import threading

import numpy as np
from gui_helpers import digits_image

from digit_app.gui.devtools.demo_recognizer import DemoRecognizer
from digit_app.gui.workers.inference import STATE_ERROR, STATE_READY, InferenceService


def test_model_loads_in_its_thread_and_newest_request_wins(qtbot):
    loaded_in = []
    gate = threading.Event()

    def factory():
        loaded_in.append(threading.get_ident())
        gate.wait(5)
        return DemoRecognizer(delay=0.15)

    service = InferenceService(factory)
    results = []
    service.result_ready.connect(results.append)
    try:
        service.start()
        qtbot.waitUntil(lambda: bool(loaded_in))
        assert loaded_in[0] != threading.get_ident()
        image = digits_image("4")
        # Requests made while the model loads wait; only the newest of a channel survives.
        for i in range(5):
            service.submit("draw", image, tag=i)
        service.submit("camera", image, tag="cam")
        gate.set()
        qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
        assert service.state == STATE_READY
        assert sorted(str(r.tag) for r in results) == ["4", "cam"]
        assert service.worker.dropped == 4
        # While one request runs, a burst leaves only the first and the last.
        results.clear()
        for i in range(10):
            service.submit("draw", image, tag=i)
            qtbot.wait(10)
        qtbot.waitUntil(lambda: bool(results) and results[-1].tag == 9, timeout=5000)
        qtbot.wait(300)
        assert len(results) < 10
        assert all(r.latency_ms > 0 for r in results)
        assert results[-1].recognition.digits
    finally:
        service.stop()
    assert not service.is_running()


def test_a_model_that_cannot_load_is_reported(qtbot):
    def factory():
        raise RuntimeError("models/broken.keras: not a Keras file")

    service = InferenceService(factory)
    states = []
    service.state_changed.connect(lambda s, d: states.append((s, d)))
    service.start()
    try:
        qtbot.waitUntil(lambda: service.state == STATE_ERROR, timeout=5000)
        assert "broken.keras" in service.detail
    finally:
        service.stop()


def test_a_failing_recognition_is_reported_not_raised(qtbot, caplog):
    class Broken(DemoRecognizer):
        def recognize(self, image, config=None):
            raise ValueError("bad pixels")

    service = InferenceService(Broken)
    failures = []
    service.failed.connect(failures.append)
    service.start()
    try:
        with caplog.at_level(logging.ERROR, logger="digit_app"):
            service.submit("draw", np.zeros((10, 10), np.uint8), tag=1)
            qtbot.waitUntil(lambda: bool(failures), timeout=5000)
        assert failures[0].message == "ValueError: bad pixels" and failures[0].tag == 1
        # The traceback goes to the log (for diagnostics), not to the user.
        [record] = [r for r in caplog.records if r.name == "digit_app.gui.workers.inference"]
        assert record.levelno == logging.ERROR and "draw" in record.getMessage()
        assert record.exc_info is not None and str(record.exc_info[1]) == "bad pixels"
    finally:
        service.stop()
