"""Draw mode: a canvas read while you draw (throttled) and after each stroke."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from digit_app import atomic
from digit_app.gui import style
from digit_app.gui.correcting import Entry
from digit_app.gui.modes.base import CAN_CLEAR, CAN_OPEN, CAN_SAVE, CAN_UNDO, ModeWidget
from digit_app.gui.settings_store import Store
from digit_app.gui.widgets import dialogs
from digit_app.gui.widgets.canvas import DrawCanvas
from digit_app.gui.widgets.common import ClampingSpinBox, MessageBar
from digit_app.gui.widgets.convert import bgr_to_qimage, qimage_to_bgr
from digit_app.gui.workers.inference import InferenceService, Result
from digit_app.session.geometry import best_overlap
from digit_app.session.reading import overlay_items
from digit_app.types import Recognition

PEN_WIDTH_KEY = "draw/pen_width"
HINT = ("Draw digits with the mouse, a pen or a finger. Right-click a box to select it "
        "and correct it.")


class DrawMode(ModeWidget):
    channel = "draw"
    open_dialog_title = "Load an image onto the canvas"
    open_dialog_filter = dialogs.IMAGE_FILTER
    title = "Draw"
    open_label = "&Load Image onto Canvas…"
    save_label = "&Save Drawing as PNG…"
    open_short = "Load Image"
    save_short = "Save PNG"

    def __init__(self, inference: InferenceService, store: Store, parent: QWidget | None = None):
        super().__init__(inference, store, parent)
        self.canvas = DrawCanvas()
        self.message = MessageBar()
        self._rec: Recognition | None = None
        self._revision = 0  # bumped at every change of the drawing
        self._shown = 0  # revision of the result on screen
        self._last_stroke = None
        # Corrections Ctrl+Z may undo: sample id -> canvas layers when it was made. Undo takes
        # whichever came last, the correction or the newest stroke.
        self._undoable: dict[str, int] = {}
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(style.DRAW_THROTTLE_MS)
        self._throttle.timeout.connect(self.read_now)

        self.pen_width = ClampingSpinBox()
        self.pen_width.setRange(*style.PEN_WIDTH_RANGE)
        self.pen_width.clamped.connect(self._pen_width_clamped)
        self.pen_width.setSuffix(" px")
        self.pen_width.setToolTip("Pen width in canvas pixels")
        self.pen_width.setValue(store.get(PEN_WIDTH_KEY, style.DEFAULT_PEN_WIDTH))
        self.pen_width.valueChanged.connect(self._set_pen_width)
        self.canvas.pen_width = self.pen_width.value()
        self.undo_button = QPushButton("Undo")
        self.undo_button.clicked.connect(self.undo)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear)
        hint = QLabel(HINT)
        hint.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")
        hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # may be cut
        hint.setToolTip(HINT)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Pen width"))
        bar.addWidget(self.pen_width)
        bar.addSpacing(12)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.clear_button)
        bar.addSpacing(12)
        bar.addWidget(hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.canvas, 1)

        self.canvas.drawing_changed.connect(self._drawing)
        self.canvas.stroke_finished.connect(self._stroke_finished)
        self.canvas.content_changed.connect(self.read_now)
        self.canvas.digit_clicked.connect(self.select_digit)
        self.canvas.context_requested.connect(self.show_correction_menu)
        self.canvas.box_drawn.connect(self.box_drawn)
        self._update_buttons()

    # -- mode interface -------------------------------------------------------------------
    def capabilities(self) -> set[str]:
        caps = {CAN_OPEN, CAN_SAVE, CAN_CLEAR}
        if self.canvas.can_undo() or self._last_undoable() is not None:
            caps.add(CAN_UNDO)
        return caps

    def raw_recognition(self, key=None) -> Recognition | None:
        return self._rec

    def correction_image(self):
        return None if self.canvas.is_empty() else qimage_to_bgr(self.canvas.image())

    def prepare_correction(self) -> bool:
        return not self.canvas.is_empty()  # as correction_image() is not None, without converting

    def start_box_tool(self) -> None:
        self.canvas.set_box_mode(True)

    def refresh_overlay(self) -> None:
        self.canvas.set_items(overlay_items(self.current_recognition(), self.uncertain_below, self.selected,
                                            corrected=self.corrected_digits()))

    def config_applied(self) -> None:
        if not self.canvas.is_empty():
            self.read_now()

    def undo(self) -> None:
        """Undo the last stroke, or the last correction if it came after it."""
        last = self._last_undoable()
        if last is not None and self.canvas.layer_count() <= self._undoable[last]:
            del self._undoable[last]
            if self.corrector is not None and self.corrector.undo(sample_id=last) is not None:
                self.status.emit("Correction undone.")
            self._update_buttons()
        else:
            self.canvas.undo()

    def clear(self) -> None:
        self._undoable.clear()
        self.canvas.clear()

    def correction_saved(self, entry: Entry) -> None:
        self._undoable[entry.correction.sample_id] = self.canvas.layer_count()

    def _last_undoable(self) -> str | None:
        for sample_id in reversed(list(self._undoable)):
            if self.corrector is not None and self.corrector.can_undo(sample_id=sample_id):
                return sample_id
            del self._undoable[sample_id]  # undone or deleted elsewhere
        return None

    def open_path(self, path: str) -> bool:
        """Load the first page of an image or document onto the canvas."""
        from digit_app.io import read_pages

        try:
            image = bgr_to_qimage(read_pages(path)[0].image)
        except Exception as exc:  # shown in the window
            self.message.show_message(f"Could not load {path}: {exc}")
            return False
        self.message.hide()
        self.canvas.load_image(image)
        return True

    def paste_image(self, image: QImage) -> None:
        self.canvas.load_image(image)

    def save(self) -> None:
        path, _ = dialogs.save_file(self, self.store, "Save the drawing", "drawing.png", dialogs.PNG_FILTER)
        if path:
            self.save_to(path if path.lower().endswith(".png") else path + ".png")

    def save_to(self, path: str) -> bool:
        try:
            self.canvas.save(path)
        except OSError as exc:
            self.message.show_message(atomic.write_error(path, exc, "the drawing"))
            return False
        self.status.emit(f"Saved {path}")
        return True

    def shutdown(self) -> None:
        self._throttle.stop()
        self.store.set(PEN_WIDTH_KEY, self.pen_width.value())

    def is_settled(self) -> bool:
        """True when the reading on screen is that of the drawing as it is now."""
        return self._shown == self._revision and not self._throttle.isActive()

    # -- reading --------------------------------------------------------------------------
    def read_now(self) -> None:
        """Send the canvas as it is now to the inference thread (newest wins)."""
        self._throttle.stop()
        self._revision += 1
        self._update_buttons()
        if self.canvas.is_empty():
            size = self.canvas.canvas_size()
            self.correction_controller.forget()  # nothing left to correct; the samples stay saved
            self._show(Recognition(size.width(), size.height()), self._revision)
            return
        self.submit(qimage_to_bgr(self.canvas.image()), tag=self._revision)

    def _drawing(self) -> None:
        if not self._throttle.isActive():
            self._throttle.start()

    def _stroke_finished(self, box) -> None:
        self._last_stroke = box
        self.read_now()

    def handle_result(self, result: Result) -> None:
        if result.tag is None or result.tag < self._shown:
            return  # older than what is on screen (e.g. the canvas was cleared since)
        self._show(result.recognition, result.tag)

    def _show(self, rec: Recognition, revision: int) -> None:
        self._rec, self._shown = rec, revision
        shown = self.current_recognition()
        boxes = [d.box for d in shown.digits] if shown is not None else []
        if self._last_stroke is not None and boxes:
            self.selected = best_overlap(boxes, self._last_stroke)
            if revision == self._revision:
                self._last_stroke = None
        if self.selected is None or self.selected >= len(boxes):
            self.selected = 0 if boxes else None
        self.refresh_overlay()
        self.publish()

    def _pen_width_clamped(self, typed: int, value: int) -> None:
        low, high = style.PEN_WIDTH_RANGE
        self.message.show_message(f"The pen width is {low}-{high} px: {typed} px became {value} px.",
                                  error=False)

    def _set_pen_width(self, value: int) -> None:
        self.canvas.pen_width = value
        self.store.set(PEN_WIDTH_KEY, value)

    def corrections_changed(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.undo_button.setEnabled(self.canvas.can_undo() or self._last_undoable() is not None)
        self.clear_button.setEnabled(not self.canvas.is_empty())
        self.actions_changed.emit()
