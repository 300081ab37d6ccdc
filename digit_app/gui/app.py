"""Starting the desktop app: ``run()`` is what ``digit-app`` (no command) calls.

Nothing here imports the model code (:mod:`digit_app.recognizer`): the model is loaded by the
inference thread once the window is on screen.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from digit_app.gui import icons, style
from digit_app.gui.main_window import MainWindow
from digit_app.gui.model_choice import ModelLoader
from digit_app.gui.settings_store import open_settings
from digit_app.gui.workers.inference import InferenceService, RecognizerFactory, default_factory
from digit_app.session.adapt_worker import ADAPT_FUNCTION

SIGNAL_POLL_MS = 250
#: Environment variable naming the level of the app's diagnostics (``debug``, ``info``,
#: ``warning``, ``error``); unset or unknown: ``warning``.
LOG_ENV = "DIGIT_APP_LOG"
LOG_FORMAT = "digit-app: %(levelname)s %(name)s: %(message)s"

log = logging.getLogger(__name__)


def log_level(name: str | None) -> int:
    """The :mod:`logging` level called ``name`` (any case); WARNING for None or an unknown name."""
    level = logging.getLevelName((name or "").strip().upper())
    return level if isinstance(level, int) else logging.WARNING


def configure_logging(environ: Mapping[str, str] = os.environ) -> None:
    """Diagnostics to standard error: the app's own at the level ``$DIGIT_APP_LOG`` names,
    other libraries' from WARNING. Once per process (a root logger with handlers is kept)."""
    logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT, stream=sys.stderr)
    logging.getLogger("digit_app").setLevel(log_level(environ.get(LOG_ENV)))


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    assert isinstance(app, QApplication), "a QCoreApplication made elsewhere shows no windows"
    app.setApplicationName(style.APP_NAME)
    app.setOrganizationName(style.ORGANIZATION)
    app.setApplicationDisplayName(style.WINDOW_TITLE)
    app.setWindowIcon(icons.app_icon())
    return app


def create_window(recognizer_factory: RecognizerFactory, settings: QSettings | None = None,
                  settings_path: str | Path | None = None, model_loader: ModelLoader | None = None,
                  base_model: str | None = None, adapt_function: str = ADAPT_FUNCTION) -> MainWindow:
    """A main window with its inference service (not started, not shown).

    ``recognizer_factory`` makes the base recognizer (the shipped model, or ``base_model``);
    ``model_loader(path)`` the factory for the adapted model (default: load the file)."""
    if settings is None:
        settings = open_settings(settings_path)
    service = InferenceService(recognizer_factory)
    window = MainWindow(service, settings, model_loader=model_loader, base_model=base_model,
                        adapt_function=adapt_function)
    service.setParent(window)
    return window


def install_error_hook(window: MainWindow) -> None:
    """An exception escaping a slot is shown in the window instead of ending the app."""
    previous = sys.excepthook

    def hook(kind, value, tb):
        log.error("unexpected error in the GUI thread", exc_info=(kind, value, tb))
        try:
            window.show_error(f"Unexpected error: {kind.__name__}: {value}")
        except Exception:  # the window may be gone
            previous(kind, value, tb)

    sys.excepthook = hook


def close_on_interrupt(window: MainWindow) -> QTimer:
    """Ctrl+C in the terminal closes the window cleanly (Qt's loop would not let Python see it)."""
    signal.signal(signal.SIGINT, lambda *_: window.close())
    timer = QTimer(window)
    timer.timeout.connect(lambda: None)  # gives the interpreter a chance to run signal handlers
    timer.start(SIGNAL_POLL_MS)
    return timer


def end_process(code: int) -> NoReturn:
    """End the process at once, without the interpreter's teardown.

    Called once the window has stopped every thread and child process and saved the settings:
    what the teardown would still do is free TensorFlow's and Keras's modules, which took
    2.5-3 s after the last window had gone (``benchmarks/bench_gui_quit.py``)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # closed or replaced streams
            stream.flush()
    os._exit(code)


def run(model: str | None = None, settings_path: str | Path | None = None,
        recognizer_factory: RecognizerFactory | None = None, argv: list[str] | None = None,
        fast_exit: bool = True) -> int:
    """Open the app; returns the exit code when the window is closed (with ``fast_exit``, the
    process ends there instead: see :func:`end_process`)."""
    configure_logging()
    app = application(argv)
    window = create_window(recognizer_factory or default_factory(model), settings_path=settings_path,
                           base_model=model)
    install_error_hook(window)
    close_on_interrupt(window)
    window.show()
    # Load the model once the window has been painted.
    QTimer.singleShot(0, window.inference.start)
    code = app.exec()
    window.shutdown()
    if fast_exit:
        end_process(code)
    return code
