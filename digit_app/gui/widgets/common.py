"""Small shared widgets: the in-window message bar and a labelled value for status lines."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF, QPainter, QPaintEvent, QValidator
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox, QToolButton, QWidget

from digit_app.gui import style


class MessageBar(QFrame):
    """A message inside the window (never a modal dialog): text, an optional action, close."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.action_button = QPushButton()
        self.action_button.hide()
        self.close_button = QToolButton(text="✕")  # type: ignore[call-arg]  # a Qt property as a keyword: PySide6 takes it, its stubs do not
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self._action: Callable[[], object] | None = None
        self.action_button.clicked.connect(self._run_action)
        self.hide()

    def show_message(self, text: str, error: bool = True, action: str = "",
                     callback: Callable[[], object] | None = None) -> None:
        self.setStyleSheet(f"MessageBar {{ {style.ERROR_BANNER_STYLE if error else style.INFO_BANNER_STYLE} }}")
        self.label.setText(text)
        self._action = callback
        self.action_button.setText(action)
        self.action_button.setVisible(bool(action and callback))
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def dismiss(self) -> None:
        self.hide()
        self.closed.emit()

    def _run_action(self) -> None:
        callback = self._action
        self.hide()
        if callback is not None:
            callback()


class ElidedLabel(QLabel):
    """One line of plain text that never wraps nor widens its parent: text too wide is drawn
    smaller, down to ``min_scale`` of the font, then what still does not fit ends in "…" (the
    whole text is then the tooltip). ``text()`` is the whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None, min_scale: float = 0.5):
        super().__init__(text, parent)
        self.min_scale = min_scale
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def shown_font(self) -> QFont:
        """The font the text is drawn in: the label's, made smaller as far as needed to fit."""
        font = QFont(self.font())
        width = QFontMetricsF(font).horizontalAdvance(self.text())
        room = max(0, self.contentsRect().width())
        if width > room > 0:
            scale = max(self.min_scale, room / width * 0.98)
            font.setPointSizeF(font.pointSizeF() * scale)
        return font

    def shown_text(self) -> str:
        return QFontMetrics(self.shown_font()).elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                                          max(0, self.contentsRect().width()))

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tooltip()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        self.setToolTip(self.text() if self.shown_text() != self.text() else "")

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…"), super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.shown_font())
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
                         self.shown_text())
        painter.end()


class ClampingSpinBox(QSpinBox):
    """A spin box that lets a number beyond its range be typed whole, then brings it to the
    nearest limit and says so (``clamped(typed, value)``), instead of silently dropping the
    keys that go beyond (999 typed into 2-60 would become 9)."""

    clamped = Signal(int, int)

    def _number(self, text: str) -> str:
        return text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()

    def validate(self, text: str, pos: int):
        number = self._number(text)
        if number.isdigit():
            inside = self.minimum() <= int(number) <= self.maximum()
            return (QValidator.State.Acceptable if inside else QValidator.State.Intermediate, text, pos)
        return super().validate(text, pos)

    def fixup(self, text: str) -> str:
        number = self._number(text)
        if not number.isdigit():
            return super().fixup(text)
        typed = int(number)
        value = min(max(typed, self.minimum()), self.maximum())
        if value != typed:
            self.clamped.emit(typed, value)
        return f"{self.prefix()}{value}{self.suffix()}"
