"""Diagnostics go to `logging` (standard error, WARNING unless $DIGIT_APP_LOG says otherwise);
what the user reads stays in the window."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from digit_app.gui.app import LOG_ENV, install_error_hook, log_level

# Configures logging as `digit-app` does at start-up, then logs from the app and from a library.
CONFIGURED = """
import logging
from digit_app.gui.app import configure_logging
configure_logging()
logging.getLogger("digit_app.gui.workers.camera").debug("app debug")
logging.getLogger("digit_app.gui.app").warning("app warning")
logging.getLogger("some_library").info("library info")
logging.getLogger("some_library").warning("library warning")
"""


@pytest.mark.parametrize(("name", "level"), [
    ("debug", logging.DEBUG), ("INFO", logging.INFO), (" Warning ", logging.WARNING),
    ("error", logging.ERROR), (None, logging.WARNING), ("", logging.WARNING), ("loud", logging.WARNING),
])
def test_log_level_from_the_environment(name, level):
    assert log_level(name) == level


@pytest.mark.parametrize(("value", "expected"), [
    (None, ["digit-app: WARNING digit_app.gui.app: app warning",
            "digit-app: WARNING some_library: library warning"]),
    ("debug", ["digit-app: DEBUG digit_app.gui.workers.camera: app debug",
               "digit-app: WARNING digit_app.gui.app: app warning",
               "digit-app: WARNING some_library: library warning"]),
])
def test_start_up_sends_diagnostics_to_stderr_at_the_level_asked(value, expected):
    env = {k: v for k, v in os.environ.items() if k != LOG_ENV}
    if value is not None:
        env[LOG_ENV] = value
    out = subprocess.run([sys.executable, "-c", CONFIGURED], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert out.stderr.splitlines() == expected


def test_an_escaped_exception_is_logged_and_shown_in_the_window(window, caplog, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_error_hook(window)
    try:
        raise KeyError("lost")
    except KeyError:
        kind, value, tb = sys.exc_info()
    with caplog.at_level(logging.ERROR, logger="digit_app"):
        sys.excepthook(kind, value, tb)
    [record] = [r for r in caplog.records if r.name == "digit_app.gui.app"]
    assert record.exc_info is not None and record.exc_info[1] is value
    assert window.banner.label.text() == "Unexpected error: KeyError: 'lost'"
