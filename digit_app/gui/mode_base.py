"""What every mode offers the main window: its actions, its result, its settings."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from digit_app.gui import dialogs
from digit_app.gui.inference import Failure, InferenceService, Result
from digit_app.gui.reading import DEFAULT_UNCERTAIN_BELOW, uncertain_threshold
from digit_app.gui.settings_store import Store
from digit_app.types import Recognition

# Capabilities, used to enable the main window's actions (pasting works in every mode).
CAN_OPEN, CAN_SAVE, CAN_UNDO, CAN_CLEAR, CAN_ZOOM = "open", "save", "undo", "clear", "zoom"


class ModeWidget(QWidget):
    """Base of Draw, Camera and Document modes.

    Emits ``result_changed(recognition, selected_digit, note)`` for the side panel,
    ``status(text)`` for the status bar and ``actions_changed()`` when capabilities change.
    """

    result_changed = Signal(object, object, str)
    status = Signal(str)
    latency = Signal(float)
    actions_changed = Signal()

    channel = ""
    title = ""
    open_label = "&Open…"
    save_label = "&Save…"
    open_short = "Open"  # tool bar texts
    save_short = "Save"
    open_dialog_title = ""  # the file dialog of open_file(); empty: the mode opens no file
    open_dialog_filter = ""
    view: Any = None  # the ImageView of a mode that shows a picture: zoom acts on it

    def __init__(self, inference: InferenceService, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.inference = inference
        self.store = store
        self.config: Any = None
        self.uncertain_below = DEFAULT_UNCERTAIN_BELOW
        self.active = False
        self.selected: int | None = None
        inference.result_ready.connect(self._on_result)
        inference.failed.connect(self._on_failure)

    # -- to override ----------------------------------------------------------------------
    def capabilities(self) -> set[str]:
        return set()

    def current_recognition(self) -> Recognition | None:
        return None

    def handle_result(self, result: Result) -> None: ...

    def handle_failure(self, failure: Failure) -> None:
        self.status.emit(f"Recognition failed: {failure.message}")

    def config_applied(self) -> None:
        """The pipeline settings changed: read the current input again."""

    def refresh_overlay(self) -> None: ...

    def open_file(self) -> None:
        if not self.open_dialog_title:
            return
        path = dialogs.open_file(self, self.store, self.open_dialog_title, self.open_dialog_filter)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        return False

    def save(self) -> None: ...

    def undo(self) -> None: ...

    def clear(self) -> None: ...

    def zoom_in(self) -> None:
        if self.view is not None:
            self.view.zoom_in()

    def zoom_out(self) -> None:
        if self.view is not None:
            self.view.zoom_out()

    def zoom_fit(self) -> None:
        if self.view is not None:
            self.view.fit()

    def paste_image(self, image: QImage) -> None: ...

    def select_digit(self, index: int | None) -> None:
        self.selected = index
        self.refresh_overlay()
        self.publish()

    def activate(self) -> None:
        self.active = True
        self.publish()

    def deactivate(self) -> None:
        self.active = False

    def shutdown(self) -> None:
        """Stop threads and save settings (the window is closing)."""

    # -- shared ---------------------------------------------------------------------------
    def set_config(self, config: Any) -> None:
        self.config = config
        self.uncertain_below = uncertain_threshold(config)
        self.refresh_overlay()
        self.publish()
        self.config_applied()

    def submit(self, image, tag: Any = None) -> int:
        return self.inference.submit(self.channel, image, self.config, tag)

    def publish(self, note: str = "") -> None:
        if self.active:
            self.result_changed.emit(self.current_recognition(), self.selected, note)

    def _on_result(self, result: Result) -> None:
        if result.channel == self.channel:
            self.handle_result(result)
            if self.active:
                self.latency.emit(result.latency_ms)

    def _on_failure(self, failure: Failure) -> None:
        if failure.channel == self.channel:
            self.handle_failure(failure)
