"""Small shared widgets: the in-window message bar and a labelled value for status lines."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

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
        self.close_button = QToolButton(text="✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self._action: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._run_action)
        self.hide()

    def show_message(self, text: str, error: bool = True, action: str = "",
                     callback: Callable[[], None] | None = None) -> None:
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
