"""GUI test fixtures: offscreen Qt, settings in tmp_path, the stand-in recognizer, no leaks."""
from __future__ import annotations

import json
import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # The offscreen screen is 800x600 by default, smaller than the window: give it a real size
    # so that window geometry is restored as saved.
    _screen = {"screens": [{"name": "test", "x": 0, "y": 0, "width": 1920, "height": 1200,
                            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}
    # One fixed file, always the same content, replaced atomically: nothing left behind.
    _config = os.path.join(tempfile.gettempdir(), "digit-app-test-offscreen-screen.json")
    _fd, _tmp = tempfile.mkstemp(prefix="digit-app-test-offscreen-", suffix=".tmp")
    with os.fdopen(_fd, "w") as _f:
        json.dump(_screen, _f)
    os.replace(_tmp, _config)
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_config}"

import pytest

from digit_app.gui.app import create_window
from digit_app.gui.devtools.demo_recognizer import DemoRecognizer
from digit_app.gui.workers.inference import STATE_READY

WAIT_MS = 5000


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "settings.ini"


@pytest.fixture
def make_window(qtbot, settings_path):
    """Factory of main windows on the stand-in recognizer; all are closed and checked at the end."""
    windows = []

    def make(factory=DemoRecognizer, path=None, wait_ready: bool = True, **kwargs):
        window = create_window(factory, settings_path=path or settings_path, **kwargs)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        window.inference.start()
        if wait_ready:
            qtbot.waitUntil(lambda: window.inference.state == STATE_READY, timeout=WAIT_MS)
        return window

    yield make
    for window in windows:
        window.close()
        window.shutdown()
        assert not window.inference.is_running(), "inference thread left running"
        assert not window.camera_mode.is_running(), "camera thread left running"
        window.deleteLater()


@pytest.fixture
def window(make_window):
    return make_window()
