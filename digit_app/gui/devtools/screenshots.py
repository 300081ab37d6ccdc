"""Screenshots of each mode with the sample inputs of ``assets/``.

``python -m digit_app.gui.devtools.screenshots OUTDIR [--model PATH] [--demo]`` opens the real window
(under Xvfb, or with ``QT_QPA_PLATFORM=offscreen``), feeds each mode a sample, waits for the
reading and saves ``draw.png``, ``camera.png``, ``document.png`` and ``settings.png`` with
``QWidget.grab()``, then ``correction.png`` (a digit corrected, the label menu open on another)
and ``handwriting.png`` (the "My handwriting" window with the digits read saved as samples).
Without a usable model (or with ``--demo``) the stand-in recognizer is used. Settings and user
data (samples) go to a temporary folder, never to the user's.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from digit_app.gui.app import application, create_window
from digit_app.gui.devtools.demo_recognizer import DemoRecognizer
from digit_app.gui.main_window import CAMERA, DOCUMENT, DRAW, MainWindow
from digit_app.gui.workers.inference import STATE_ERROR, STATE_READY, default_factory

ASSETS = Path(__file__).resolve().parents[3] / "assets"
WINDOW_SIZE = (1280, 800)
MODEL_TIMEOUT_S = 120.0
STEP_TIMEOUT_S = 30.0
CAMERA_RESULTS = 12  # readings to wait for, so the tracker has settled


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    """Process events until ``predicate()`` or the timeout; returns the predicate's value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def settle(seconds: float = 0.3) -> None:
    wait_until(lambda: False, seconds)


def recognizer_factory(model: str | None, demo: bool):
    def load():
        if demo:
            return DemoRecognizer()
        try:
            return default_factory(model)()
        except Exception as exc:  # fall back so the screenshots are still made
            print(f"screenshots: model not available ({exc}); using the stand-in recognizer",
                  file=sys.stderr)
            return DemoRecognizer()

    return load


def shoot(window: MainWindow, outdir: Path, assets: Path) -> list[Path]:
    written = []

    def grab(name: str) -> None:
        settle()
        path = outdir / name
        if not window.grab().save(str(path)):
            raise RuntimeError(f"cannot write {path}")
        written.append(path)

    if not wait_until(lambda: window.inference.state in (STATE_READY, STATE_ERROR), MODEL_TIMEOUT_S):
        raise RuntimeError("the model did not load in time")

    window.set_mode(DRAW)
    draw = window.draw_mode
    draw.open_path(str(assets / "drawing.png"))
    if not wait_until(lambda: draw.is_settled() and draw.current_recognition() is not None, STEP_TIMEOUT_S):
        raise RuntimeError("no reading in Draw mode")
    grab("draw.png")

    window.set_mode(CAMERA)
    camera = window.camera_mode
    camera.start(str(assets / "camera.avi"))
    ok = wait_until(lambda: camera.results_shown >= CAMERA_RESULTS, STEP_TIMEOUT_S)
    if not ok:
        raise RuntimeError("no reading in Camera mode: " + camera.message.text())
    grab("camera.png")
    camera.stop()

    window.set_mode(DOCUMENT)
    doc = window.document_mode
    doc.open_path(str(assets / "document.tiff"))
    if not wait_until(doc.is_done, STEP_TIMEOUT_S):
        raise RuntimeError("no reading in Document mode: " + doc.message.text())
    doc.show_page(0)
    if doc.table.rowCount():
        doc.select_row(0)
    grab("document.png")

    window.side.setCurrentIndex(1)
    grab("settings.png")
    window.side.setCurrentIndex(0)

    # Corrections: every digit of the document confirmed as read (they become samples), and
    # in Draw mode one digit corrected, the label menu open on the least sure of the others.
    doc_rec = doc.current_recognition()
    for i, digit in enumerate(doc_rec.digits if doc_rec is not None else ()):
        doc.correct("digit", i, digit.label)
    window.set_mode(DRAW)
    rec = draw.current_recognition()
    if rec is not None and len(rec.digits) >= 2:
        draw.correct("digit", 0, rec.digits[0].label)
        rec = draw.current_recognition()
        assert rec is not None, "a correction keeps the reading"
        target = min(range(1, len(rec.digits)), key=lambda i: rec.digits[i].confidence)
        settle()
        menu = draw.show_correction_menu("digit", target, draw.canvas.global_pos_of(rec.digits[target].box))
        settle()
        if menu is not None:
            path = outdir / "correction.png"
            if not grab_with_popup(window, menu).save(str(path)):
                raise RuntimeError(f"cannot write {path}")
            written.append(path)
            menu.close()

    dialog = window.show_handwriting()
    settle()
    path = outdir / "handwriting.png"
    if not dialog.grab().save(str(path)):
        raise RuntimeError(f"cannot write {path}")
    written.append(path)
    dialog.close()
    return written


def grab_with_popup(window: QWidget, popup: QWidget):
    """The window's picture with ``popup`` (a menu, its own top-level window) painted where it is."""
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(popup.pos() - window.mapToGlobal(QPoint(0, 0)), popup.grab())
    painter.end()
    return picture


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m digit_app.gui.devtools.screenshots",
                                     description="Save a screenshot of each mode of the app.")
    parser.add_argument("outdir", help="folder for the PNG files")
    parser.add_argument("--model", help="model file (.keras); default: the shipped model")
    parser.add_argument("--demo", action="store_true", help="use the stand-in recognizer (no model)")
    parser.add_argument("--assets", default=str(ASSETS), help="folder with the sample inputs")
    parser.add_argument("--size", default="{}x{}".format(*WINDOW_SIZE),
                        help="window size WIDTHxHEIGHT (a smaller one than the minimum gives the minimum)")
    args = parser.parse_args(argv)
    try:
        size = tuple(int(v) for v in args.size.lower().split("x"))
        if len(size) != 2 or min(size) <= 0:
            raise ValueError
    except ValueError:
        parser.error(f"--size: expected WIDTHxHEIGHT, e.g. 1280x800, got {args.size!r}")
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    app = application()  # noqa: F841 - must outlive the window
    with tempfile.TemporaryDirectory() as tmp:
        saved_data = os.environ.get("DIGIT_APP_DATA")
        os.environ["DIGIT_APP_DATA"] = str(Path(tmp) / "user-data")  # samples made here stay here
        window = create_window(recognizer_factory(args.model, args.demo),
                               settings_path=Path(tmp) / "settings.ini")
        window.resize(*size)
        window.show()
        window.inference.start()
        try:
            written = shoot(window, outdir, Path(args.assets))
        except RuntimeError as exc:
            print(f"screenshots: error: {exc}", file=sys.stderr)
            return 1
        finally:
            window.close()
            if saved_data is None:
                os.environ.pop("DIGIT_APP_DATA", None)
            else:
                os.environ["DIGIT_APP_DATA"] = saved_data
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
