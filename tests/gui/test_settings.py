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


class WithPipelineConfig:
    """A recognizer-like object with the real pipeline config (and no model)."""

    model_name = "fake"

    def __init__(self):
        from digit_app.pipeline.config import PipelineConfig

        self.config = PipelineConfig()

    def recognize(self, image, config=None):
        from digit_app.types import Recognition

        return Recognition(image.shape[1], image.shape[0])


def test_basic_settings_first_the_others_under_advanced_by_section(make_window, qtbot):
    from PySide6.QtWidgets import QLabel

    window = make_window(factory=WithPipelineConfig)
    panel = window.side.settings
    window.side.setCurrentIndex(1)
    basic = [s.name for s in panel._specs if s.basic]
    assert basic == ["polarity", "min_contrast", "min_height_px", "number_gap_rel", "read_printed",
                     "min_confidence"]
    advanced = panel.advanced_names()
    assert len(advanced) >= 50 and not set(advanced) & set(basic)
    assert len(advanced) + len(basic) == len(panel._specs)
    assert all(panel.editor(name).isVisible() for name in basic)
    assert not any(panel.editor(name).isVisible() for name in advanced)
    assert "Advanced" in panel.advanced_button.text()
    # the basic settings go by plain names; the field's name is in the tooltip
    label = panel._form.labelForField(panel.editor("min_confidence"))
    assert label.text() == "Unsure below (confidence)" and "(min_confidence)" in label.toolTip()
    panel.advanced_button.click()
    assert all(panel.editor(name).isVisible() for name in advanced)
    titles = [w.text() for w in panel._advanced_host.findChildren(QLabel) if w.styleSheet()]
    assert titles[:2] == ["Binarization", "The sheet in a webcam frame"] and "Results" in titles
    panel.advanced_button.click()
    assert not panel.editor(advanced[0]).isVisible()


def test_spin_boxes_keep_to_the_ranges_of_the_config(make_window, qtbot):
    window = make_window(factory=WithPipelineConfig)
    panel = window.side.settings
    for spec in panel._specs:
        editor = panel.editor(spec.name)
        if spec.kind in (int, float):
            assert (editor.minimum(), editor.maximum()) == (spec.minimum, spec.maximum), spec.name
            assert editor.value() == spec.default, spec.name
    panel.editor("min_confidence").setValue(1.5)  # the config refuses > 1: the box stops at 1
    assert panel.error.isHidden()
    assert window.draw_mode.config.min_confidence == 1.0
    panel.editor("min_confidence").setValue(0.8)
    assert window.draw_mode.uncertain_below == 0.8
    panel.editor("work_side").setValue(2)
    assert window.draw_mode.config.work_side == 8


def test_an_invalid_setting_is_reported_not_applied(make_window, qtbot):
    from dataclasses import dataclass

    from digit_app.pipeline.settings import setting

    @dataclass(frozen=True)
    class Limits:
        low: float = setting(0.2, help="Low.", section="Limits", range=(0, 1), basic=True)
        high: float = setting(0.6, help="High.", section="Limits", range=(0, 1), basic=True)

        def __post_init__(self):
            if self.low > self.high:
                raise ValueError(f"low must not exceed high, got {self.low} > {self.high}")

    class WithLimits(WithPipelineConfig):
        def __init__(self):
            self.config = Limits()

    window = make_window(factory=WithLimits)
    panel = window.side.settings
    window.side.setCurrentIndex(1)
    panel.editor("low").setValue(0.9)
    assert "low must not exceed high" in panel.error.text() and not panel.error.isHidden()
    assert window.draw_mode.config.low == 0.2
    panel.editor("high").setValue(0.95)
    assert panel.error.isHidden()
    assert (window.draw_mode.config.low, window.draw_mode.config.high) == (0.9, 0.95)


def test_a_stored_value_outside_its_range_is_refused_alone(make_window, qtbot, settings_path):
    from PySide6.QtCore import QSettings

    stored = QSettings(str(settings_path), QSettings.Format.IniFormat)
    stored.setValue("pipeline/min_confidence", "7")  # edited by hand, or by an older version
    stored.setValue("pipeline/polarity", "sideways")
    stored.setValue("pipeline/number_gap_rel", "1.5")
    stored.sync()
    from digit_app.pipeline.config import PipelineConfig

    default = PipelineConfig().min_confidence
    window = make_window(factory=WithPipelineConfig)
    config = window.draw_mode.config
    assert (config.min_confidence, config.polarity, config.number_gap_rel) == (default, "auto", 1.5)
    panel = window.side.settings
    assert panel.editor("number_gap_rel").value() == 1.5 and panel.editor("min_confidence").value() == default
    assert panel.error.isHidden()


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
