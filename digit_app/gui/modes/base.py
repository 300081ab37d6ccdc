"""What every mode offers the main window: its actions, its result, its settings."""
from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPoint, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMenu, QWidget

from digit_app.gui.correcting import Corrector, Entry
from digit_app.gui.modes.corrections import CorrectionsController
from digit_app.gui.settings_store import Store
from digit_app.gui.widgets import dialogs
from digit_app.gui.workers.inference import Failure, InferenceService, Result
from digit_app.session.corrections import CorrectedReading, Correction
from digit_app.session.reading import DEFAULT_UNCERTAIN_BELOW, uncertain_threshold
from digit_app.types import Box, Recognition

# Capabilities, used to enable the main window's actions (pasting works in every mode).
CAN_OPEN, CAN_SAVE, CAN_UNDO, CAN_CLEAR, CAN_ZOOM = "open", "save", "undo", "clear", "zoom"


class ModeWidget(QWidget):
    """Base of Draw, Camera and Document modes.

    Emits ``result_changed(recognition, selected_digit, note)`` for the side panel,
    ``status(text)`` for the status bar and ``actions_changed()`` when capabilities change.
    The user's corrections of the reading are kept by its :class:`CorrectionsController`
    (``correction_controller``); the mode's correction methods below hand over to it.
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
        self.correction_controller = CorrectionsController(self)
        inference.result_ready.connect(self._on_result)
        inference.failed.connect(self._on_failure)

    # -- to override ----------------------------------------------------------------------
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

    # -- correction hooks, to override (asked by the CorrectionsController) -----------------
    def correction_key(self) -> Any:
        """What corrections are attached to (the page in Document mode)."""
        return 0

    def correction_image(self) -> np.ndarray | None:
        """The picture the boxes of :meth:`current_recognition` refer to (HxW or HxWx3 BGR)."""
        return None

    def prepare_correction(self) -> bool:
        """Called before a correction starts (Camera mode freezes the picture); False: cannot."""
        return self.correction_image() is not None

    def start_box_tool(self) -> None:
        """Let the user drag a box on the picture; the mode then calls :meth:`box_drawn`."""

    def corrections_changed(self) -> None:
        """The corrections shown changed (Document mode refills its table)."""

    def correction_saved(self, entry: Entry) -> None:
        """Hook: a correction of this mode was saved (Draw mode records it for undo)."""

    # -- corrections: handed over to the CorrectionsController ----------------------------
    @property
    def corrector(self) -> Corrector | None:
        return self.correction_controller.corrector

    @property
    def correction_menu(self) -> QMenu | None:
        """The last label popup (tests trigger its actions)."""
        return self.correction_controller.correction_menu

    def attach_corrector(self, corrector: Corrector) -> None:
        self.correction_controller.attach_corrector(corrector)

    def finish_background(self) -> None:
        """Wait for the boxed digits being read (the window is closing)."""
        self.correction_controller.finish_background()

    def reading(self, key: Any = None) -> CorrectedReading | None:
        """The reading of ``key`` (default: on screen) with the user's corrections applied."""
        return self.correction_controller.reading(key)

    def current_recognition(self) -> Recognition | None:
        return self.correction_controller.current_recognition()

    def corrected_digits(self) -> dict[int, int | None]:
        """Digit index -> the reader's label (None if it had none) for the digits corrected."""
        return self.correction_controller.corrected_digits()

    def corrections(self, key: Any = None) -> list[Correction]:
        return self.correction_controller.corrections(key)

    def clear_corrections(self) -> None:
        """Forget the corrections shown (new picture); the samples saved stay saved."""
        self.correction_controller.clear_corrections()

    def correct(self, kind: str, index: int, label: int) -> bool:
        """Say that item ``index`` is ``label`` (0-9, or 10 = not a digit); saves a sample."""
        return self.correction_controller.correct(kind, index, label)

    def correct_selected(self, label: int) -> bool:
        return self.correction_controller.correct_selected(label)

    def show_correction_menu(self, kind: str, index: int, global_pos: QPoint | None = None) -> QMenu | None:
        """The label popup for a digit or "?" crop (right-click, or Correct… in the panel)."""
        return self.correction_controller.show_correction_menu(kind, index, global_pos)

    def begin_box_missed(self) -> bool:
        """Start the "box a missed digit" tool."""
        return self.correction_controller.begin_box_missed()

    def box_drawn(self, box: Box, global_pos: QPoint | None = None) -> QMenu | None:
        """A box was dragged with the box tool: ask for its label."""
        return self.correction_controller.box_drawn(box, global_pos)

    def add_missed(self, box: Box, label: int) -> bool:
        """A digit the reader missed, boxed by hand (image pixels), is ``label`` (saved once its
        model input is made in the background, see :meth:`is_busy`)."""
        return self.correction_controller.add_missed(box, label)

    def is_busy(self) -> bool:
        """True while a boxed digit's model input is being made."""
        return self.correction_controller.is_busy()

    def undo_correction(self) -> bool:
        """Undo the newest correction made in this mode (its sample is deleted)."""
        return self.correction_controller.undo_correction()

    def can_undo_correction(self) -> bool:
        return self.correction_controller.can_undo_correction()

    # -- shared ---------------------------------------------------------------------------
    def set_config(self, config: Any) -> None:
        self.config = config
        self.correction_controller.invalidate()  # numbers are regrouped with the new thresholds
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
