"""A form for the pipeline thresholds, built from the config dataclass's fields.

What each field shows (label, help, range, section, basic or advanced) comes from the field's
own description (:mod:`digit_app.session.config_fields`): the basic settings first, the others
under "Advanced", grouped by section.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digit_app.gui import style
from digit_app.session.config_fields import FieldSpec, describe, humanize, sections

WAITING_TEXT = "The pipeline settings appear when the model has loaded."
SECTION_TITLE_STYLE = "font-weight:bold; padding-top:6px;"


class SettingsPanel(QScrollArea):
    """Edits a frozen config; emits ``config_changed(config)`` with every valid change.

    An invalid combination (the config's own validation raises ValueError) is reported under the
    form and not applied.
    """

    config_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._default: Any = None
        self._config: Any = None
        self._specs: list[FieldSpec] = []
        self._editors: dict[str, QWidget] = {}
        self._updating = False

        body = QWidget()
        self._layout = QVBoxLayout(body)
        self.info = QLabel(WAITING_TEXT)
        self.info.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(style.ERROR_BANNER_STYLE + "padding:4px;")
        self.error.hide()
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.setEnabled(False)
        self.reset_button.clicked.connect(self.reset_to_defaults)
        top = QHBoxLayout()
        top.addWidget(self.info, 1)
        self._form_host, self._form = self._new_form()
        self.advanced_button = QToolButton()
        self.advanced_button.setCheckable(True)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.setAutoRaise(True)
        self.advanced_button.toggled.connect(self.show_advanced)
        self.advanced_button.hide()
        self._advanced_host, self._advanced_form = self._new_form()
        self._advanced_host.hide()
        self._layout.addLayout(top)
        self._layout.addWidget(self.reset_button)
        self._layout.addWidget(self.error)
        self._layout.addWidget(self._form_host)
        self._layout.addWidget(self.advanced_button)
        self._layout.addWidget(self._advanced_host)
        self._layout.addStretch(1)
        self.setWidget(body)

    # -- public ---------------------------------------------------------------------------
    def config(self) -> Any:
        return self._config

    def set_config(self, default: Any, current: Any | None = None) -> None:
        """Build the form for ``default``'s fields and show ``current`` (or the defaults)."""
        self._default = default
        self._config = current if current is not None else default
        self._specs = describe(default)
        for form in (self._form, self._advanced_form):
            while form.rowCount():
                form.removeRow(0)
        self._editors.clear()
        basic = [s for s in self._specs if s.basic]
        advanced = [s for s in self._specs if not s.basic]
        for spec in basic:
            self._form.addRow(*self._row(spec))
        for section, specs in sections(advanced):
            if section:
                title = QLabel(section)
                title.setStyleSheet(SECTION_TITLE_STYLE)
                self._advanced_form.addRow(title)
            for spec in specs:
                self._advanced_form.addRow(*self._row(spec))
        self._show(self._config)
        self.advanced_button.setText(f"Advanced: {len(advanced)} more settings")
        self.advanced_button.setVisible(bool(advanced))
        self.info.setText(f"{len(basic)} basic settings of the recognition pipeline"
                          + (f", {len(advanced)} advanced" if advanced else "")
                          + ". Hover a name for its meaning.")
        self.reset_button.setEnabled(True)

    def show_advanced(self, on: bool) -> None:
        """Show or hide the advanced settings (hidden at first)."""
        if self.advanced_button.isChecked() != on:
            self.advanced_button.setChecked(on)
        self.advanced_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self._advanced_host.setVisible(on)

    def advanced_names(self) -> list[str]:
        """The settings under "Advanced", in their order."""
        form = self._advanced_form
        return [name for name, editor in self._editors.items()
                if form.indexOf(editor) >= 0]

    def set_values(self, values: dict[str, Any]) -> Any:
        """Apply ``{name: value}`` (unknown names ignored); returns the new config."""
        if self._config is None:
            return None
        known = {s.name for s in self._specs}
        changes = {k: v for k, v in values.items() if k in known}
        self._config = dataclasses.replace(self._config, **changes)
        self._show(self._config)
        return self._config

    def reset_to_defaults(self) -> None:
        if self._default is None:
            return
        self._config = self._default
        self._show(self._config)
        self.error.hide()
        self.config_changed.emit(self._config)

    def editor(self, name: str) -> QWidget | None:
        return self._editors.get(name)

    # -- editors --------------------------------------------------------------------------
    def _row(self, spec: FieldSpec) -> tuple[QLabel, QWidget]:
        """The label and the editor of one setting; both carry its help as a tooltip (with the
        field's name when the label is a plain name of its own)."""
        editor = self._make_editor(spec)
        self._editors[spec.name] = editor
        help_text = spec.help + (f"\n({spec.name})" if spec.label != humanize(spec.name) else "")
        label = QLabel(spec.label)
        label.setToolTip(help_text)
        editor.setToolTip(help_text)
        return label, editor

    @staticmethod
    def _new_form() -> tuple[QWidget, QFormLayout]:
        host = QWidget()
        form = QFormLayout(host)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        return host, form

    def _make_editor(self, spec: FieldSpec) -> QWidget:
        if spec.kind is bool:
            box = QCheckBox()
            box.toggled.connect(self._edited)
            return box
        if spec.kind is str:
            combo = QComboBox()
            combo.setEditable(not spec.choices)
            combo.addItems(list(spec.choices) or [spec.default])
            combo.currentTextChanged.connect(self._edited)
            return combo
        spin: QSpinBox | QDoubleSpinBox
        if spec.kind is int:
            spin = QSpinBox()
            spin.setRange(int(spec.minimum), int(spec.maximum))
        else:
            spin = QDoubleSpinBox()
            spin.setDecimals(spec.decimals)
            spin.setRange(spec.minimum, spec.maximum)
            spin.setSingleStep(spec.step)
        spin.setKeyboardTracking(False)  # apply when typing is done, not at every keystroke
        spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.valueChanged.connect(self._edited)
        return spin

    def _show(self, config: Any) -> None:
        self._updating = True
        try:
            for spec in self._specs:
                editor = self._editors[spec.name]
                value = getattr(config, spec.name)
                if isinstance(editor, QCheckBox):
                    editor.setChecked(bool(value))
                elif isinstance(editor, QComboBox):
                    if editor.findText(str(value)) < 0:
                        editor.addItem(str(value))
                    editor.setCurrentText(str(value))
                elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                    editor.setValue(value)
                    font = editor.font()
                    font.setBold(value != spec.default)  # changed settings stand out
                    editor.setFont(font)
        finally:
            self._updating = False

    def _read(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for spec in self._specs:
            editor = self._editors[spec.name]
            if isinstance(editor, QCheckBox):
                values[spec.name] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                values[spec.name] = editor.currentText()
            elif isinstance(editor, QSpinBox):
                values[spec.name] = int(editor.value())
            elif isinstance(editor, QDoubleSpinBox):
                values[spec.name] = float(editor.value())
        return values

    def _edited(self, *_args) -> None:
        if self._updating or self._config is None:
            return
        try:
            config = dataclasses.replace(self._config, **self._read())
        except (TypeError, ValueError) as exc:
            self.error.setText(f"Not applied: {exc}")
            self.error.show()
            return
        self.error.hide()
        self._config = config
        self._show(config)
        self.config_changed.emit(config)
