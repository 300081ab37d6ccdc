"""What every mode offers the main window: its actions, its result, its settings."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from digit_app.gui.modes.corrections import CorrectionsMixin
from digit_app.gui.settings_store import Store
from digit_app.gui.widgets import dialogs
from digit_app.gui.workers.inference import Failure, InferenceService, Result
from digit_app.session.reading import DEFAULT_UNCERTAIN_BELOW, uncertain_threshold
from digit_app.types import Recognition

# Capabilities, used to enable the main window's actions (pasting works in every mode).
CAN_OPEN, CAN_SAVE, CAN_UNDO, CAN_CLEAR, CAN_ZOOM = "open", "save", "undo", "clear", "zoom"


class ModeWidget(CorrectionsMixin, QWidget):
    """Base of Draw, Camera and Document modes.

    Emits ``result_changed(recognition, selected_digit, note)`` for the side panel,
    ``status(text)`` for the status bar and ``actions_changed()`` when capabilities change.
    The user's corrections of the reading: see :class:`CorrectionsMixin`.
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
        self.last_latency_ms: float | None = None  # of this mode's newest reading
        self._init_corrections()
        inference.result_ready.connect(self._on_result)
        inference.failed.connect(self._on_failure)

    # -- to override (the correction hooks are in CorrectionsMixin) -----------------------
    def capabilities(self) -> set[str]:
        return set()

    def raw_recognition(self, key: Any = None) -> Recognition | None:
        """The reader's result for ``key`` (default: what is on screen), before corrections."""
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

    def undo(self) -> None:
        """Edit > Undo: the newest correction made in this mode (Draw mode: or the last stroke)."""
        self.undo_correction()

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
        self._corrections_version += 1  # numbers are regrouped with the new thresholds
        self.uncertain_below = uncertain_threshold(config)
        self.refresh_overlay()
        self.publish()
        self.config_applied()

    def submit(self, image, tag: Any = None) -> int:
        return self.inference.submit(self.channel, image, self.config, tag)

    def publish(self, note: str = "") -> None:
        if self.active:
            self.result_changed.emit(self.current_recognition(), self.selected, note)

    def show_message(self, text: str) -> None:
        bar = getattr(self, "message", None)
        if bar is not None:
            bar.show_message(text)
        self.status.emit(text)

    def _on_result(self, result: Result) -> None:
        if result.channel == self.channel:
            self.last_latency_ms = result.latency_ms
            self.handle_result(result)
            if self.active:
                self.latency.emit(result.latency_ms)

    def _on_failure(self, failure: Failure) -> None:
        if failure.channel == self.channel:
            self.handle_failure(failure)
