"""The panel beside every mode: what was read, the selected digit's class probabilities and
the 32x32 image the network saw, buttons to correct it, and the settings."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digit_app.gui import style
from digit_app.gui.widgets.common import ElidedLabel
from digit_app.gui.widgets.convert import float_to_qimage
from digit_app.gui.widgets.settings_panel import SettingsPanel
from digit_app.session.corrections import SHORT_LABELS, label_name
from digit_app.session.reading import (
    DEFAULT_UNCERTAIN_BELOW,
    LEVEL_CORRECTED,
    candidate_for_digit,
    class_probabilities,
    confidence_level,
    digit_text,
    number_texts,
    rejected_digits,
)
from digit_app.types import NOT_A_DIGIT, NUM_CLASSES, Recognition

BAR_ROW_HEIGHT = 19
BAR_LABEL_WIDTH = 22
BAR_PERCENT_WIDTH = 52
MAX_NUMBERS_SHOWN = 12


class ProbabilityBars(QWidget):
    """One horizontal bar per class (0-9, then ✗ = "not a digit"), the best one highlighted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._probs: list[float] = []
        self.setMinimumHeight(BAR_ROW_HEIGHT * NUM_CLASSES)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_probabilities(self, probs: list[float]) -> None:
        self._probs = list(probs)
        self.update()

    def probabilities(self) -> list[float]:
        return list(self._probs)

    def sizeHint(self) -> QSize:
        return QSize(260, BAR_ROW_HEIGHT * NUM_CLASSES)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        best = max(range(len(self._probs)), key=lambda k: self._probs[k]) if self._probs else -1
        bar_w = max(10, self.width() - BAR_LABEL_WIDTH - BAR_PERCENT_WIDTH - 8)
        for k in range(NUM_CLASSES):
            y = k * BAR_ROW_HEIGHT
            p = self._probs[k] if k < len(self._probs) else 0.0
            painter.setPen(style.ACCENT_COLOUR if k == best else style.MUTED_TEXT_COLOUR)
            font = painter.font()
            font.setBold(k == best)
            painter.setFont(font)
            painter.drawText(QRectF(0, y, BAR_LABEL_WIDTH, BAR_ROW_HEIGHT), Qt.AlignmentFlag.AlignCenter,
                             SHORT_LABELS[k])
            track = QRectF(BAR_LABEL_WIDTH + 4, y + 4, bar_w, BAR_ROW_HEIGHT - 8)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.BAR_BACKGROUND)
            painter.drawRoundedRect(track, 3, 3)
            if p > 0:
                painter.setBrush(style.ACCENT_COLOUR if k == best else style.MUTED_TEXT_COLOUR)
                painter.drawRoundedRect(QRectF(track.x(), track.y(), max(2.0, bar_w * p), track.height()), 3, 3)
            painter.setPen(style.ACCENT_COLOUR if k == best else style.MUTED_TEXT_COLOUR)
            painter.drawText(QRectF(track.right() + 4, y, BAR_PERCENT_WIDTH, BAR_ROW_HEIGHT),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, f"{100 * p:.1f}%")
        painter.end()


class CorrectionPad(QWidget):
    """One button per class to correct the selected digit, and "Box a missed digit"."""

    label_chosen = Signal(int)
    box_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout()
        grid.setSpacing(3)
        self.buttons: list[QToolButton] = []
        for label in range(NUM_CLASSES):
            button = QToolButton(text=SHORT_LABELS[label])  # type: ignore[call-arg]  # a Qt property as a keyword: PySide6 takes it, its stubs do not
            button.setMinimumWidth(24)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setToolTip(f"It is {'not a digit' if label == NOT_A_DIGIT else 'a ' + str(label)}: "
                              "correct it and save it in My handwriting")
            button.clicked.connect(lambda checked=False, k=label: self.label_chosen.emit(k))
            grid.addWidget(button, 0, label)
            self.buttons.append(button)
        self.box_button = QPushButton("Box a missed digit…")
        self.box_button.setToolTip("Drag a box around a digit that was not found, then say which it is")
        self.box_button.clicked.connect(self.box_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.box_button)

    def set_digit_selected(self, selected: bool) -> None:
        for button in self.buttons:
            button.setEnabled(selected)

    def button(self, label: int) -> QToolButton:
        return self.buttons[label]


def _heading(text: str) -> QLabel:
    label = QLabel(text.upper())
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 0.85)
    label.setFont(font)
    label.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()}; letter-spacing: 1px;")
    return label


class ReadingView(QWidget):
    """Numbers in large type, then the selected digit: its input image and class bars."""

    digit_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rec: Recognition | None = None
        self._corrected: dict[int, int | None] = {}
        self._selected: int | None = None
        self._uncertain_below = DEFAULT_UNCERTAIN_BELOW
        self._note = ""

        # One line: a page of numbers must not wrap and push the digit's figures off the panel.
        self.numbers_label = ElidedLabel("—")
        font = QFont()
        font.setPointSize(style.BIG_READING_PT)
        font.setBold(True)
        self.numbers_label.setFont(font)
        self.summary_label = QLabel("Nothing read yet.")
        self.summary_label.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")
        self.summary_label.setWordWrap(True)

        self.prev_button = QToolButton(text="◀")  # type: ignore[call-arg]  # a Qt property as a keyword: PySide6 takes it, its stubs do not
        self.next_button = QToolButton(text="▶")  # type: ignore[call-arg]  # a Qt property as a keyword: PySide6 takes it, its stubs do not
        self.prev_button.setToolTip("Previous digit")
        self.next_button.setToolTip("Next digit")
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.digit_title = QLabel("No digit selected")
        self.digit_title.setWordWrap(True)

        self.input_view = QLabel()
        self.input_view.setFixedSize(style.MODEL_INPUT_VIEW_SIDE, style.MODEL_INPUT_VIEW_SIDE)
        self.input_view.setFrameShape(QFrame.Shape.Box)
        self.input_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.input_view.setToolTip("The 32x32 image the network saw for this digit")
        self.input_caption = QLabel("Model input\n32 × 32")
        self.input_caption.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")
        self.bars = ProbabilityBars()
        self.pad = CorrectionPad()

        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.digit_title, 1)
        nav.addWidget(self.next_button)
        picture = QHBoxLayout()
        picture.addWidget(self.input_view)
        picture.addWidget(self.input_caption, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(_heading("Read"))
        layout.addWidget(self.numbers_label)
        layout.addWidget(self.summary_label)
        layout.addSpacing(10)
        layout.addWidget(_heading("Selected digit"))
        layout.addLayout(nav)
        layout.addLayout(picture)
        layout.addWidget(self.bars)
        layout.addSpacing(6)
        layout.addWidget(_heading("Correct it"))
        layout.addWidget(self.pad)
        layout.addStretch(1)
        self._refresh()

    def set_recognition(self, rec: Recognition | None, selected: int | None, uncertain_below: float,
                        note: str = "", corrected: dict[int, int | None] | None = None) -> None:
        """Show ``rec`` with digit ``selected``; ``note`` is a line under the summary (e.g. the page);
        ``corrected``: digit index -> the reader's own label, for the digits the user corrected."""
        self._rec, self._selected, self._uncertain_below, self._note = rec, selected, uncertain_below, note
        self._corrected = dict(corrected or {})
        self._refresh()

    def selected(self) -> int | None:
        return self._selected

    def _step(self, delta: int) -> None:
        if self._rec is None or not self._rec.digits:
            return
        n = len(self._rec.digits)
        index = 0 if self._selected is None else (self._selected + delta) % n
        self.digit_selected.emit(index)

    def _refresh(self) -> None:
        rec = self._rec
        extra = self._note
        if rec is None:
            self.numbers_label.setText("—")
            self.summary_label.setText(extra or "Nothing read yet.")
        else:
            texts = number_texts(rec, self._uncertain_below)
            shown = texts[:MAX_NUMBERS_SHOWN]
            more = f"  …(+{len(texts) - len(shown)})" if len(texts) > len(shown) else ""
            self.numbers_label.setText("  ".join(shown) + more if shown else "—")
            unsure = len(rejected_digits(rec)) + sum(
                d.confidence < self._uncertain_below for d in rec.digits)
            parts = [f"{len(texts)} number{'s' * (len(texts) != 1)}",
                     f"{len(rec.digits)} digit{'s' * (len(rec.digits) != 1)}"]
            if unsure:
                parts.append(f"{unsure} unsure (?)")
            self.summary_label.setText(" · ".join(parts) + (f"\n{extra}" if extra else ""))
        has = rec is not None and self._selected is not None and 0 <= self._selected < len(rec.digits)
        self.prev_button.setEnabled(rec is not None and len(rec.digits) > 1)
        self.next_button.setEnabled(rec is not None and len(rec.digits) > 1)
        self.pad.set_digit_selected(has)
        if not has:
            self.digit_title.setText("No digit selected" if rec is None or not rec.digits
                                     else "Click a box to select a digit")
            self.input_view.setPixmap(QPixmap())
            self.input_view.setText("—")
            self.bars.set_probabilities([])
            return
        assert rec is not None and self._selected is not None
        d = rec.digits[self._selected]
        text = digit_text(d.label, d.confidence, self._uncertain_below)
        level = confidence_level(d.confidence, self._uncertain_below)
        if self._selected in self._corrected:
            colour = style.LEVEL_COLOURS[LEVEL_CORRECTED].name()
            original = self._corrected[self._selected]
            read = f"read as {label_name(original)}" if original is not None else "missed by the reader"
            detail = f"corrected by you ({read})"
        else:
            colour = style.LEVEL_COLOURS[level].name()
            detail = f"{100 * d.confidence:.1f}%"
        self.digit_title.setText(
            f"Digit {self._selected + 1} of {len(rec.digits)}: "
            f"<b style='color:{colour}; font-size:18pt'>{text}</b> &nbsp;{detail}")
        cand = candidate_for_digit(rec, self._selected)
        if cand is not None and cand.model_input is not None:
            pix = QPixmap.fromImage(float_to_qimage(cand.model_input)).scaled(
                self.input_view.size() - QSize(2, 2), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation)
            self.input_view.setPixmap(pix)
        else:
            self.input_view.setPixmap(QPixmap())
            self.input_view.setText("n/a")
        self.bars.set_probabilities(class_probabilities(rec, self._selected))


class SidePanel(QTabWidget):
    """"Reading" and "Settings" tabs, common to all modes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.reading = ReadingView()
        self.settings = SettingsPanel()
        # Scrolls on a short screen instead of forcing a taller window.
        reading_scroll = QScrollArea()
        reading_scroll.setWidgetResizable(True)
        reading_scroll.setFrameShape(QFrame.Shape.NoFrame)
        reading_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        reading_scroll.setWidget(self.reading)
        # Never narrower than the reading (no horizontal scroll bar: it would be cut off).
        scroll_bar = reading_scroll.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        reading_scroll.setMinimumWidth(self.reading.minimumSizeHint().width() + scroll_bar + 2)
        self.addTab(reading_scroll, "Reading")
        self.addTab(self.settings, "Settings")
        self.setMinimumWidth(style.SIDE_PANEL_WIDTH - 60)
