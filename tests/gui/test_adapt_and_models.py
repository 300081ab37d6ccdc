"""Adapting in a background process (progress, cancel, outcome in figures) and switching
between the shipped and the adapted model (reloaded in the inference thread, persisted).

The adaptation process runs stand-ins from ``fake_adapt`` (no TensorFlow); the "models" are
stand-in recognizers, the adapted one reading every digit as 4.
"""
from __future__ import annotations

import threading

from gui_helpers import digits_image

from digit_app.gui.devtools.demo_recognizer import DemoConfig, DemoRecognizer
from digit_app.gui.main_window import DOCUMENT, DRAW
from digit_app.gui.model_choice import ADAPTED, CHOICE_KEY, SHIPPED
from digit_app.gui.widgets.convert import bgr_to_qimage
from digit_app.gui.workers.inference import STATE_LOADING, STATE_READY
from digit_app.userdata import adapted_model_path

PROCESS_TIMEOUT = 60000  # a spawned Python process starts in a second or two; leave margin
TIMEOUT = 5000
SHIPPED_NAME = DemoRecognizer.model_name


class AdaptedDemo(DemoRecognizer):
    model_name = "adapted demo"

    def __init__(self):
        super().__init__(DemoConfig(label=4))


def loader(path: str):
    assert path == str(adapted_model_path())
    return AdaptedDemo


def reads(window, qtbot, text: str = "5") -> list[str]:
    """What Draw mode reads of ``text`` drawn on the canvas."""
    window.set_mode(DRAW)
    draw = window.draw_mode
    draw.clear()
    draw.canvas.load_image(bgr_to_qimage(digits_image(text)))
    qtbot.waitUntil(lambda: draw.is_settled() and draw.current_recognition() is not None
                    and len(draw.current_recognition().digits) == len(text), timeout=TIMEOUT)
    return [d.label for d in draw.current_recognition().digits]


def add_samples(window, n: int = 20) -> None:
    """``n`` corrected samples in the window's store (adapting needs 20)."""
    import numpy as np

    store = window.corrector.store
    for i in range(n):
        x = np.zeros((32, 32, 1), np.float32)
        x[8:24, 12 + i % 8: 16 + i % 8] = 1.0
        store.add(x, (x[:, :, 0] * 255).astype(np.uint8), i % 10, "draw")
    window.corrector.samples_added()


def ready_with(window, name: str):
    return lambda: window.inference.state == STATE_READY and window.inference.detail == name


def test_adapting_keeps_the_result_and_reads_with_it(make_window, qtbot, settings_path):
    window = make_window(model_loader=loader, adapt_function="fake_adapt:kept")
    add_samples(window)
    assert window.models.choice() == SHIPPED and reads(window, qtbot) == [7]
    steps = []
    window.adapt_runner.progress.connect(lambda step, total, message: steps.append((step, total)))
    with qtbot.waitSignal(window.adapt_runner.finished, timeout=PROCESS_TIMEOUT) as outcome:
        window.adapt_action.trigger()
        # In the background: progress and Cancel in the status bar and in My handwriting.
        assert window.adapt_runner.is_running()
        assert window.adapt_progress.isVisible() and window.adapt_cancel.isVisible()
        panel = window.handwriting.adapt_panel
        assert window.handwriting.isVisible()
        assert panel.cancel_button.isEnabled() and not panel.adapt_button.isEnabled()
    report = outcome.args[0]
    assert report.kept and (5, 5) in steps
    assert not window.adapt_progress.isVisible()
    # The figures, before and after.
    text = panel.outcome.text()
    for figure in ("62.0%", "91.0%", "99.10%", "99.00%", "kept"):
        assert figure in text
    assert "62.0% → 91.0%" in window.banner.text()
    # Kept: now in use (reloaded in the inference thread), shown in the title and status.
    qtbot.waitUntil(ready_with(window, "adapted demo"), timeout=TIMEOUT)
    assert window.models.choice() == ADAPTED and adapted_model_path().is_file()
    # Once the app's name: the platform appends the display name to the title.
    from PySide6.QtGui import QGuiApplication
    assert "adapted" in window.windowTitle().lower()
    assert QGuiApplication.applicationDisplayName() not in window.windowTitle()
    assert "Adapted model ready" in window.model_label.text()
    assert reads(window, qtbot) == [4]
    assert panel.adapted_radio.isChecked()

    # The choice survives a restart; reverting is one click and persists too.
    window.close()
    second = make_window(path=settings_path, model_loader=loader)
    assert second.inference.detail == "adapted demo" and second.models.choice() == ADAPTED
    second.handwriting_menu.aboutToShow.emit()
    assert second.model_actions[ADAPTED].isChecked()
    second.model_actions[SHIPPED].trigger()
    qtbot.waitUntil(ready_with(second, SHIPPED_NAME), timeout=TIMEOUT)
    assert reads(second, qtbot) == [7]
    assert "adapted" not in second.windowTitle().lower()
    assert second.store.get(CHOICE_KEY, "") == SHIPPED
    second.close()
    third = make_window(path=settings_path, model_loader=loader)
    assert third.inference.detail == SHIPPED_NAME


def test_cancel_stops_adapting_and_the_app_stays_usable(make_window, qtbot):
    window = make_window(model_loader=loader, adapt_function="fake_adapt:until_cancelled")
    add_samples(window)
    panel = window.show_handwriting().adapt_panel
    messages = []
    window.adapt_runner.progress.connect(lambda step, total, message: messages.append(message))
    panel.adapt_button.click()
    qtbot.waitUntil(lambda: "training" in messages, timeout=PROCESS_TIMEOUT)
    assert panel.progress.maximum() == 6000 and panel.progress.isVisible()
    # Meanwhile the app reads and switches modes as usual.
    assert reads(window, qtbot, "42") == [7, 7]
    window.set_mode(DOCUMENT)
    with qtbot.waitSignal(window.adapt_runner.cancelled, timeout=PROCESS_TIMEOUT):
        window.adapt_cancel.click()
    assert not window.adapt_runner.is_running() and not window.adapt_progress.isVisible()
    assert "cancelled" in panel.outcome.text() and panel.adapt_button.isEnabled()
    assert not adapted_model_path().exists()
    assert window.models.choice() == SHIPPED and window.adapt_action.isEnabled()


def test_a_result_not_kept_and_failures_are_shown_in_figures_and_words(make_window, qtbot):
    window = make_window(model_loader=loader, adapt_function="fake_adapt:not_kept")
    add_samples(window)
    panel = window.show_handwriting().adapt_panel
    with qtbot.waitSignal(window.adapt_runner.finished, timeout=PROCESS_TIMEOUT):
        panel.adapt_button.click()
    assert "not kept" in panel.outcome.text() and "60.0%" in panel.outcome.text()
    assert "not kept" in window.banner.text()
    assert window.models.choice() == SHIPPED and not adapted_model_path().exists()
    assert not panel.adapted_radio.isEnabled()

    window.adapt_runner.function = "fake_adapt:too_few"
    with qtbot.waitSignal(window.adapt_runner.refused, timeout=PROCESS_TIMEOUT):
        panel.adapt_button.click()
    # A refusal is a result, in words, without the samples folder's path.
    text = panel.outcome.text()
    assert "Not adapted yet" in text and "needs at least 20" in text and "failed" not in text
    assert str(window.corrector.store.root) not in text

    window.adapt_runner.function = "fake_adapt:crashes"
    with qtbot.waitSignal(window.adapt_runner.failed, timeout=PROCESS_TIMEOUT):
        panel.adapt_button.click()
    assert "exit code 3" in window.banner.text()
    assert panel.adapt_button.isEnabled()


def test_switching_models_reloads_without_freezing_and_a_broken_one_falls_back(make_window, qtbot):
    gate = threading.Event()
    broken = {"on": False}

    def slow_loader(path: str):
        def load():
            if broken["on"]:
                raise RuntimeError(f"{path}: not a Keras file")
            gate.wait(10)
            return AdaptedDemo()
        return load

    window = make_window(model_loader=slow_loader)
    # No adapted model yet: the choice is offered but disabled; asking for it explains why.
    window.handwriting_menu.aboutToShow.emit()
    assert not window.model_actions[ADAPTED].isEnabled()
    assert not window.models.set_choice(ADAPTED)
    assert "no adapted model" in window.banner.text()

    adapted_model_path().parent.mkdir(parents=True, exist_ok=True)
    adapted_model_path().write_bytes(b"stand-in")
    window.handwriting_menu.aboutToShow.emit()
    assert window.model_actions[ADAPTED].isEnabled()
    window.model_actions[ADAPTED].trigger()
    # The model loads in the inference thread while the window keeps working.
    qtbot.waitUntil(lambda: window.inference.state == STATE_LOADING, timeout=TIMEOUT)
    window.set_mode(DOCUMENT)
    qtbot.wait(50)
    assert window.stack.currentIndex() == DOCUMENT and window.inference.state == STATE_LOADING
    gate.set()
    qtbot.waitUntil(ready_with(window, "adapted demo"), timeout=TIMEOUT)
    assert reads(window, qtbot) == [4]

    # A broken adapted model: reported, and the shipped model is back in use.
    broken["on"] = True
    window.models.set_choice(ADAPTED)
    qtbot.waitUntil(ready_with(window, SHIPPED_NAME), timeout=TIMEOUT)
    assert "adapted model could not be loaded" in window.banner.text()
    assert window.models.choice() == SHIPPED
    assert reads(window, qtbot) == [7]


def test_closing_the_window_stops_the_adaptation_process(make_window, qtbot):
    import multiprocessing

    window = make_window(adapt_function="fake_adapt:until_cancelled")
    add_samples(window)
    messages = []
    window.adapt_runner.progress.connect(lambda step, total, message: messages.append(message))
    assert window.start_adaptation()
    assert not window.start_adaptation()  # one run at a time
    qtbot.waitUntil(lambda: "training" in messages, timeout=PROCESS_TIMEOUT)
    window.close()
    assert not window.adapt_runner.is_running()
    assert not [p for p in multiprocessing.active_children() if p.name == "digit-app-adapt"]


def test_the_adaptation_child_imports_no_qt():
    import subprocess
    import sys

    code = ("import sys, digit_app.session.adapt_worker, digit_app.session.corrections; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_adapting_starts_from_the_model_in_use(make_window, qtbot, monkeypatch):
    window = make_window(model_loader=loader)
    add_samples(window)
    started: list[dict] = []
    monkeypatch.setattr(window.adapt_runner, "start", lambda **kw: started.append(kw) or True)
    assert window.start_adaptation()
    assert "base_model" not in started[-1]  # the shipped model
    adapted_model_path().parent.mkdir(parents=True, exist_ok=True)
    adapted_model_path().write_bytes(b"stand-in")  # the demo loader does not read it
    assert window.models.set_choice(ADAPTED)
    qtbot.waitUntil(ready_with(window, "adapted demo"), timeout=TIMEOUT)
    assert window.start_adaptation()
    assert started[-1]["base_model"] == str(adapted_model_path())
    assert started[-1]["out"] == str(adapted_model_path())


def test_an_adaptation_process_killed_while_writing_leaves_the_model_in_use(make_window, qtbot):
    import os
    import signal

    from digit_app import atomic

    window = make_window(model_loader=loader, adapt_function="fake_adapt:killed_while_writing")
    add_samples(window)
    folder = adapted_model_path().parent
    panel = window.show_handwriting().adapt_panel
    messages = []
    window.adapt_runner.progress.connect(lambda step, total, message: messages.append(message))
    panel.adapt_button.click()
    qtbot.waitUntil(lambda: "writing" in messages, timeout=PROCESS_TIMEOUT)
    assert list(folder.glob(f"{atomic.TMP_PREFIX}*"))  # the half-written files
    with qtbot.waitSignal(window.adapt_runner.failed, timeout=PROCESS_TIMEOUT):
        os.kill(window.adapt_runner._process.pid, signal.SIGKILL)
    assert "stopped unexpectedly (exit code -9)" in window.banner.text()
    assert not adapted_model_path().exists() and list(folder.iterdir()) == []
    assert window.models.choice() == SHIPPED and panel.adapt_button.isEnabled()
    assert reads(window, qtbot, "42") == [7, 7]  # still reading, with the shipped model

def test_adapt_waits_for_enough_samples_and_says_why(make_window, qtbot):
    window = make_window(adapt_function="fake_adapt:kept")
    add_samples(window, 7)
    panel = window.show_handwriting().adapt_panel
    assert not panel.adapt_button.isEnabled()
    assert "7 samples; adaptation needs at least 20" in panel.adapt_button.toolTip()
    assert "correct 13 more digits" in panel.needs_label.text() and panel.needs_label.isVisible()
    window.handwriting_menu.aboutToShow.emit()
    assert not window.adapt_action.isEnabled() and "needs at least 20" in window.adapt_action.toolTip()
    # Asked anyway (e.g. a script): a result in words, nothing started.
    assert not window.start_adaptation()
    assert not window.adapt_runner.is_running() and "Not adapted yet" in panel.outcome.text()
    # Enough samples: the button is ready.
    add_samples(window, 13)
    assert panel.adapt_button.isEnabled() and not panel.needs_label.isVisible()
    window.handwriting_menu.aboutToShow.emit()
    assert window.adapt_action.isEnabled()
