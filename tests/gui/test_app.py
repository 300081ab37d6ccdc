"""Start-up (fast, no TensorFlow in the GUI thread), screenshots, and the real model if shipped."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from digit_app.gui.devtools import screenshots
from digit_app.gui.workers.inference import STATE_ERROR, STATE_READY, default_factory

ROOT = Path(__file__).resolve().parents[2]
# DIGIT_APP_GUI_TEST_MODEL points the real-model test at another model file.
MODEL = Path(os.environ.get("DIGIT_APP_GUI_TEST_MODEL", ROOT / "models" / "lenet.keras"))
# Start-up time itself is measured by benchmarks/bench_gui_startup.py, not asserted here.
STARTUP = """
import sys
from digit_app.gui.app import application, create_window
from digit_app.gui.workers.inference import default_factory
app = application()
window = create_window(default_factory(None), settings_path=sys.argv[1])
window.show()
app.processEvents()
heavy = [m for m in ("tensorflow", "keras", "digit_app.recognizer") if m in sys.modules]
window.shutdown()
print(heavy)
"""


def test_window_is_shown_without_importing_the_model(tmp_path):
    out = subprocess.run([sys.executable, "-c", STARTUP, str(tmp_path / "s.ini")], check=True,
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]"


QUIT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from digit_app.gui.devtools.demo_recognizer import DemoRecognizer
from digit_app.gui.app import application, run
app = application()

def close_when_shown():
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    if windows:
        print("closing", flush=True)
        windows[0].close()
    else:
        QTimer.singleShot(50, close_when_shown)

QTimer.singleShot(50, close_when_shown)
run(recognizer_factory=DemoRecognizer, settings_path=sys.argv[1])
print("not reached: the process ends in run()")
"""


def test_quitting_ends_the_process_at_once_with_the_settings_saved(tmp_path):
    settings = tmp_path / "s.ini"
    out = subprocess.run([sys.executable, "-c", QUIT, str(settings)], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["closing"]
    assert "geometry" in settings.read_text()


def test_screenshots_of_every_mode(qapp, tmp_path):
    assert screenshots.main([str(tmp_path), "--demo"]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == ["camera.png", "correction.png", "document.png", "draw.png", "handwriting.png",
                     "settings.png"]


@pytest.mark.slow
@pytest.mark.skipif(not MODEL.exists(), reason="no shipped model (models/lenet.keras)")
def test_the_real_model_reads_the_sample_drawing(make_window, qtbot):
    window = make_window(factory=default_factory(str(MODEL)), wait_ready=False)
    draw = window.draw_mode
    # Drawn before the model is ready: read as soon as it is.
    assert draw.open_path(str(ROOT / "assets" / "drawing.png"))
    qtbot.waitUntil(lambda: window.inference.state == STATE_ERROR or (
        draw.is_settled() and draw.current_recognition() is not None), timeout=60000)
    assert window.inference.state == STATE_READY, window.inference.detail
    assert window.inference.detail == MODEL.name
    rec = draw.current_recognition()
    assert len(rec.candidates) >= 6 and all(c.model_input.shape == (32, 32) for c in rec.candidates)
    # The settings panel is built from the real PipelineConfig.
    assert window.side.settings.editor("min_confidence") is not None


def test_a_small_window_keeps_its_minimum_and_a_long_reading_stays_on_one_line(window, qtbot):
    from digit_app.gui import style
    from digit_app.types import Digit, Number, Recognition

    window.resize(640, 480)
    qtbot.wait(10)
    assert (window.width(), window.height()) >= style.MIN_WINDOW_SIZE
    assert window.width() >= style.MIN_WINDOW_SIZE[0] and window.height() >= style.MIN_WINDOW_SIZE[1]
    reading = window.side.reading
    digits = tuple(Digit(k % 10, 0.9, (30 * k, 0, 20, 30)) for k in range(40))
    numbers = tuple(Number(str(k % 10) * 2, 0.9, (30 * k, 0, 50, 30), (k, k + 1)) for k in range(0, 40, 2))
    reading.set_recognition(Recognition(1200, 40, digits, numbers), 0, 0.4)
    qtbot.wait(10)
    label = reading.numbers_label
    assert label.text().startswith("01  23  45")  # the whole reading, for the tooltip
    assert label.shown_text().endswith("…") and label.toolTip() == label.text()
    assert label.height() < 2 * label.fontMetrics().height()  # one line, no wrapping
    # The probabilities are still inside the panel.
    bars = reading.bars
    bottom = bars.mapTo(reading, bars.rect().bottomLeft()).y()
    assert bottom <= reading.height()
    assert bars.mapTo(window, bars.rect().topRight()).x() <= window.width()


def test_help_lists_the_modes_and_the_shortcuts(window, qtbot):
    window.help_action.trigger()
    dialog = window.help_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    for expected in ("Draw", "Camera", "Document", "Ctrl+1", "Ctrl+B", "Space", "Enter", "Right-click"):
        assert expected in text
    assert window.show_help() is dialog  # one window, raised again
    dialog.close()
