"""Settings (window, modes, pipeline thresholds) survive a restart; reset to defaults."""
from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

from digit_app.gui.main_window import CAMERA


def test_settings_survive_a_restart(make_window, qtbot, settings_path, tmp_path):
    first = make_window()
    first.resize(1100, 700)
    first.move(30, 40)
    first.set_mode(CAMERA)
    first.draw_mode.pen_width.setValue(33)
    first.camera_mode.source_box.setCurrentText(str(tmp_path / "clip.avi"))
    first.side.setCurrentIndex(1)
    editor = first.side.settings.editor("min_area")
    assert isinstance(editor, QSpinBox)
    editor.setValue(55)
    confidence = first.side.settings.editor("confidence")
    assert isinstance(confidence, QDoubleSpinBox)
    confidence.setValue(0.5)
    assert first.draw_mode.config.min_area == 55
    first.close()

    second = make_window(path=settings_path)
    assert (second.width(), second.height()) == (1100, 700)
    assert second.stack.currentIndex() == CAMERA
    assert second.draw_mode.pen_width.value() == 33
    assert second.camera_mode.source_box.currentText() == str(tmp_path / "clip.avi")
    assert second.side.currentIndex() == 1
    assert second.side.settings.editor("min_area").value() == 55
    assert second.draw_mode.config.min_area == 55
    assert second.document_mode.config.confidence == 0.5

    second.reset_action.trigger()
    assert second.draw_mode.config.min_area == 30
    assert second.side.settings.editor("min_area").value() == 30
    second.close()
    third = make_window(path=settings_path)
    assert third.draw_mode.config.min_area == 30


def test_an_invalid_setting_is_reported_not_applied(make_window, qtbot):
    import pytest

    pipeline = pytest.importorskip("digit_app.pipeline.config")

    class WithPipelineConfig:
        config = pipeline.PipelineConfig()
        model_name = "fake"

        def recognize(self, image, config=None):
            from digit_app.types import Recognition

            return Recognition(image.shape[1], image.shape[0])

    window = make_window(factory=WithPipelineConfig)
    panel = window.side.settings
    # A few basic settings first; the many others under Advanced, hidden until asked for.
    window.side.setCurrentIndex(1)
    from digit_app.gui.widgets.settings_panel import BASIC_SETTINGS
    advanced = panel.advanced_names()
    assert len(advanced) >= 50 and not set(advanced) & set(BASIC_SETTINGS)
    assert len(advanced) + len(BASIC_SETTINGS) == len(panel._specs)
    assert panel.editor("min_confidence").isVisible() and not panel.editor(advanced[0]).isVisible()
    assert "Advanced" in panel.advanced_button.text()
    panel.advanced_button.click()
    assert panel.editor(advanced[0]).isVisible()
    panel.advanced_button.click()
    assert not panel.editor(advanced[0]).isVisible()
    panel.editor("min_confidence").setValue(1.5)  # the config refuses > 1
    assert "min_confidence" in panel.error.text() and not panel.error.isHidden()
    assert window.draw_mode.config.min_confidence == 0.4
    assert window.draw_mode.uncertain_below == 0.4
    panel.editor("min_confidence").setValue(0.8)
    assert panel.error.isHidden()
    assert window.draw_mode.uncertain_below == 0.8


def test_modes_are_a_key_or_a_click_away(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from digit_app.gui.main_window import DOCUMENT, DRAW

    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == DOCUMENT
    assert window.save_action.text() == "&Export Results…"
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == CAMERA
    window.mode_actions[DRAW].trigger()
    assert window.stack.currentIndex() == DRAW
    assert window.undo_action.isVisible()
