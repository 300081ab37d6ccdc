"""The "My handwriting" window: samples per class, a gallery, delete, export and import, and
adapting the model to the samples (with the choice of model).

It is a non-modal dialog: the modes stay usable behind it, and it follows every correction
made meanwhile (through the :class:`~digit_app.gui.correcting.Corrector`).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from html import escape

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digit_app.gui import style
from digit_app.gui.correcting import Corrector
from digit_app.gui.model_choice import ADAPTED, SHIPPED, ModelChoice
from digit_app.gui.settings_store import Store
from digit_app.gui.widgets import dialogs
from digit_app.gui.widgets.common import MessageBar
from digit_app.gui.widgets.convert import bgr_to_qimage
from digit_app.gui.workers.adapt_runner import AdaptRunner
from digit_app.samples import Sample, SampleError
from digit_app.session.adapt_worker import AdaptReport, readiness
from digit_app.session.corrections import label_name, short_label
from digit_app.types import NUM_CLASSES

ARCHIVE_FILTER = "Sample archives (*.zip);;All files (*)"
ALL = -1  # the filter showing every class
THUMB_SIDE = 64
THUMB_MARGIN = 4
DIALOG_SIZE = (900, 680)
SOURCE_NAMES = {"draw": "drawn", "camera": "from the camera", "document": "from a document",
                "import": "imported"}
ROLE_ID = Qt.ItemDataRole.UserRole
ADAPT_INTRO = ("Fine-tunes the model on your samples mixed with MNIST digits (so that it does not "
               "forget the others). The result is kept only if it reads your samples better, each "
               "judged by a run that did not train on it (cross-validation), and loses at most 0.3 "
               "points on the MNIST test set.")


def thumbnail(crop: np.ndarray, side: int = THUMB_SIDE) -> QPixmap:
    """The crop fitted (aspect kept) on a white square with a thin frame."""
    pix = QPixmap(side, side)
    pix.fill(QColor(255, 255, 255))
    painter = QPainter(pix)
    if crop.size:
        image = bgr_to_qimage(crop)
        inner = side - 2 * THUMB_MARGIN
        scaled = image.scaled(inner, inner, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        painter.drawImage((side - scaled.width()) // 2, (side - scaled.height()) // 2, scaled)
    painter.setPen(QColor(203, 213, 225))
    painter.drawRect(0, 0, side - 1, side - 1)
    painter.end()
    return pix


class AdaptPanel(QGroupBox):
    """Adapt / Cancel, progress, the outcome in figures, and which model reads."""

    def __init__(self, runner: AdaptRunner, models: ModelChoice, start: Callable[[], bool],
                 parent: QWidget | None = None):
        super().__init__("Adapt to my handwriting", parent)
        self.runner, self.models, self._start = runner, models, start
        self._not_ready = ""
        self.needs_label = QLabel("")
        self.needs_label.setWordWrap(True)
        self.needs_label.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")
        intro = QLabel(ADAPT_INTRO)
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")
        self.adapt_button = QPushButton("Adapt to my handwriting")
        self.adapt_button.clicked.connect(self._start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(runner.cancel)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress_label = QLabel("")
        self.progress_label.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")
        self.outcome = QLabel("")
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shipped_radio = QRadioButton("Shipped model")
        self.adapted_radio = QRadioButton("Adapted model")
        self.model_info = QLabel("")
        self.model_info.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")
        self.model_info.setWordWrap(True)
        self.shipped_radio.toggled.connect(lambda on: self._choose(SHIPPED) if on else None)
        self.adapted_radio.toggled.connect(lambda on: self._choose(ADAPTED) if on else None)

        run = QHBoxLayout()
        run.addWidget(self.adapt_button)
        run.addWidget(self.cancel_button)
        run.addWidget(self.progress, 1)
        run.addStretch(0)
        model_row = QHBoxLayout()
        model_row.addWidget(QLabel("Reading with:"))
        model_row.addWidget(self.shipped_radio)
        model_row.addWidget(self.adapted_radio)
        model_row.addWidget(self.model_info, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(run)
        layout.addWidget(self.needs_label)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.outcome)
        layout.addLayout(model_row)

        runner.running_changed.connect(self._running)
        runner.progress.connect(self._progress)
        runner.finished.connect(self.show_report)
        runner.failed.connect(
            lambda text: self._show_outcome(f"<b>Adaptation failed.</b> {escape(text, quote=False)}"))
        runner.cancelled.connect(lambda: self._show_outcome("Adaptation cancelled: nothing was changed."))
        runner.refused.connect(self.show_refusal)
        models.changed.connect(lambda choice: self.refresh_models())
        models.inference.state_changed.connect(lambda *_: self.refresh_models())
        self._running(runner.is_running())
        self.refresh_models()

    def _choose(self, choice: str) -> None:
        if choice != self.models.choice():
            self.models.set_choice(choice)

    def set_readiness(self, reason: str) -> None:
        """Why adapting cannot start yet ('' when it can): the button waits, and says why."""
        self._not_ready = reason
        self._running(self.runner.is_running())

    def show_refusal(self, reason: str) -> None:
        colour = style.LEVEL_COLOURS["medium"].name()
        self._show_outcome(f"<b style='color:{colour}'>Not adapted yet:</b> {escape(reason, quote=False)}.")

    def _running(self, running: bool) -> None:
        self.adapt_button.setEnabled(not running and not self._not_ready)
        self.adapt_button.setToolTip(f"Not yet: {self._not_ready}." if self._not_ready and not running
                                     else "Fine-tune the model on your samples, in the background")
        _set_text(self.needs_label, f"Adapting needs more samples: {self._not_ready}."
                  if self._not_ready and not running else "")
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        if running:
            _set_text(self.outcome, "")
            self._progress(*self.runner.last_progress)
        else:
            _set_text(self.progress_label, "")

    def _progress(self, step: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(step)
        else:
            self.progress.setRange(0, 0)  # busy
        _set_text(self.progress_label, message)

    def _show_outcome(self, html: str) -> None:
        _set_text(self.outcome, html)

    def show_report(self, report: AdaptReport) -> None:
        colour = style.LEVEL_COLOURS["high" if report.kept else "medium"].name()
        rows = "".join(f"<tr><td>{what}</td><td align='right'>{before}</td><td align='right'>{after}</td></tr>"
                       for what, before, after in report.figures())
        self._show_outcome(
            f"<b style='color:{colour}'>{escape(report.headline(), quote=False)}</b>"
            f"<table cellspacing='6'><tr><th></th><th>Before</th><th>After</th></tr>{rows}</table>"
            f"Trained on {report.trained_on} samples in {report.seconds:.0f} s.")

    def refresh_models(self) -> None:
        available = self.models.adapted_available()
        self.adapted_radio.setEnabled(available)
        for radio, choice in ((self.shipped_radio, SHIPPED), (self.adapted_radio, ADAPTED)):
            radio.blockSignals(True)
            radio.setChecked(self.models.choice() == choice)
            radio.blockSignals(False)
        if not available:
            self.model_info.setText("(no adapted model yet)")
            return
        info = self.models.adapted_info()
        created = str(info.get("created", ""))[:16].replace("T", " ")
        parts = [f"adapted {created} UTC" if created else "adapted"]
        if "samples" in info:
            parts.append(f"from {info['samples']} samples")
        if "user_after" in info and "user_before" in info:
            parts.append(f"your samples {100 * float(info['user_before']):.0f}% → "
                         f"{100 * float(info['user_after']):.0f}%")
        self.model_info.setText(", ".join(parts))


def _set_text(label: QLabel, text: str) -> None:
    """A label that takes no room when it has nothing to say."""
    label.setText(text)
    label.setVisible(bool(text))


class HandwritingDialog(QDialog):
    """Counts per class (buttons that filter the gallery), the gallery, delete, export, import,
    and the :class:`AdaptPanel`."""

    def __init__(self, corrector: Corrector, settings: Store, runner: AdaptRunner, models: ModelChoice,
                 start_adapt: Callable[[], bool], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("My handwriting")
        self.setModal(False)
        self.resize(*DIALOG_SIZE)
        self.corrector = corrector
        self.settings = settings
        self._icons: dict[str, QIcon] = {}
        self._samples: list[Sample] = []
        self._filter = ALL
        self._dirty = True
        self._undo_deleted: list[tuple[Sample, np.ndarray, np.ndarray]] = []

        self.message = MessageBar()
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.count_buttons: dict[int, QToolButton] = {}
        counts_row = QHBoxLayout()
        counts_row.setSpacing(4)
        for label in [ALL] + list(range(NUM_CLASSES)):
            button = QToolButton()
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumSize(52, 44)
            button.setToolTip("Every sample" if label == ALL else f"Samples labelled {label_name(label)}")
            button.clicked.connect(lambda checked=False, k=label: self.set_filter(k))
            self.filter_group.addButton(button)
            counts_row.addWidget(button)
            self.count_buttons[label] = button
        counts_row.addStretch(1)
        self.count_buttons[ALL].setChecked(True)

        self.gallery = QListWidget()
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMB_SIDE, THUMB_SIDE))
        self.gallery.setGridSize(QSize(THUMB_SIDE + 18, THUMB_SIDE + 26))
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setUniformItemSizes(True)
        self.gallery.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.gallery.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel("No samples yet. Correct a digit in any mode (right-click its box) "
                                  "and it appears here.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")

        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected samples (Del)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save every sample in one .zip archive")
        self.export_button.clicked.connect(self._export_clicked)
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Add the samples of an archive made by Export")
        self.import_button.clicked.connect(self._import_clicked)
        self.summary = QLabel("")
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)

        self.adapt_panel = AdaptPanel(runner, models, start_adapt)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("Samples per class (click to filter the gallery):"))
        layout.addLayout(counts_row)
        layout.addWidget(self.gallery, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        layout.addWidget(self.adapt_panel)
        layout.addLayout(bottom)

        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.gallery)
        delete_key.activated.connect(self.delete_selected)
        corrector.changed.connect(self._samples_changed)
        self.refresh()

    # -- content --------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def _samples_changed(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Read the store again: counts, gallery (thumbnails are cached by sample id)."""
        self._dirty = False
        store = self.corrector.store
        try:
            self._samples = store.samples()
        except SampleError as exc:
            self._samples = []
            self.message.show_message(f"Your samples cannot be read: {exc}")
        counts = dict.fromkeys(range(NUM_CLASSES), 0)
        for s in self._samples:
            counts[s.label] = counts.get(s.label, 0) + 1
        self.count_buttons[ALL].setText(f"All\n{len(self._samples)}")
        self.adapt_panel.set_readiness(readiness(len(self._samples)))
        for label in range(NUM_CLASSES):
            self.count_buttons[label].setText(f"{short_label(label)}\n{counts[label]}")
        selected = set(self.selected_ids())
        self.gallery.clear()
        failed = []
        for sample in reversed(self._samples):  # newest first
            icon = self._icons.get(sample.id)
            if icon is None:
                try:
                    icon = QIcon(thumbnail(store.load_crop(sample)))
                except (SampleError, ValueError, OSError) as exc:
                    failed.append(str(exc))
                    icon = QIcon()
                self._icons[sample.id] = icon
            item = QListWidgetItem(icon, short_label(sample.label))
            item.setData(ROLE_ID, sample.id)
            item.setToolTip(f"{label_name(sample.label)} · {SOURCE_NAMES.get(sample.source, sample.source)}"
                            f" · {sample.created[:19].replace('T', ' ')} UTC")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.gallery.addItem(item)
            item.setSelected(sample.id in selected)
        if failed:
            self.message.show_message(f"{len(failed)} sample picture(s) cannot be read: {failed[0]}")
        self._apply_filter()

    def counts(self) -> dict[int, int]:
        """What the count buttons show: class -> number of samples."""
        return {label: int(self.count_buttons[label].text().split("\n")[1]) for label in range(NUM_CLASSES)}

    def shown_ids(self) -> list[str]:
        return [self.gallery.item(i).data(ROLE_ID) for i in range(self.gallery.count())
                if not self.gallery.item(i).isHidden()]

    def selected_ids(self) -> list[str]:
        return [item.data(ROLE_ID) for item in self.gallery.selectedItems()]

    def select_ids(self, ids: list[str]) -> None:
        wanted = set(ids)
        for i in range(self.gallery.count()):
            item = self.gallery.item(i)
            item.setSelected(item.data(ROLE_ID) in wanted)

    def set_filter(self, label: int) -> None:
        """Show the samples of one class (``ALL``: every one)."""
        self._filter = label
        self.count_buttons[label].setChecked(True)
        self._apply_filter()

    def _apply_filter(self) -> None:
        labels = {s.id: s.label for s in self._samples}
        for i in range(self.gallery.count()):
            item = self.gallery.item(i)
            hide = self._filter != ALL and labels.get(item.data(ROLE_ID)) != self._filter
            item.setHidden(hide)
            if hide:
                item.setSelected(False)
        shown = len(self.shown_ids())
        self.empty_label.setVisible(not self._samples)
        self.gallery.setVisible(bool(self._samples))
        what = "" if self._filter == ALL else f" labelled {label_name(self._filter)}"
        self.summary.setText(f"{shown} sample{'s' * (shown != 1)}{what}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(bool(self.gallery.selectedItems()))
        self.export_button.setEnabled(bool(self._samples))

    # -- delete ---------------------------------------------------------------------------
    def delete_selected(self) -> int:
        """Delete the selected samples (undoable from the message bar); returns how many."""
        ids = self.selected_ids()
        if not ids:
            return 0
        store = self.corrector.store
        by_id = {s.id: s for s in self._samples}
        undo_data, removable, errors = {}, [], []
        for sample_id in ids:
            sample = by_id.get(sample_id)
            try:  # what an undo needs, read before anything is deleted
                if sample is not None:
                    undo_data[sample_id] = (sample, store.load_input(sample), store.load_crop(sample))
            except (SampleError, ValueError, OSError) as exc:
                errors.append(str(exc))
                continue
            removable.append(sample_id)
        try:
            removed = [s.id for s in store.remove_many(removable)]  # one index rewrite for all
        except (SampleError, OSError) as exc:
            errors.append(str(exc))
            removed = []
        deleted = [undo_data[i] for i in removed if i in undo_data]
        for sample_id in removed:
            self._icons.pop(sample_id, None)
        self._undo_deleted = deleted
        self.corrector.samples_removed({s.id for s, _, _ in deleted})
        if self._dirty:  # hidden: _samples_changed did not refresh
            self.refresh()
        if errors:
            self.message.show_message(f"Some samples could not be deleted: {errors[0]}")
        elif deleted:
            n = len(deleted)
            self.message.show_message(f"Deleted {n} sample{'s' * (n != 1)}.", error=False,
                                      action="Undo", callback=self.undo_delete)
        return len(deleted)

    def undo_delete(self) -> int:
        """Put back the samples of the last delete."""
        items, self._undo_deleted = self._undo_deleted, []
        restored = 0
        for sample, model_input, crop in items:
            try:
                self.corrector.store.restore(sample, model_input, crop)
                restored += 1
            except (SampleError, ValueError, OSError) as exc:
                self.message.show_message(f"A sample could not be put back: {exc}")
        self.corrector.samples_added()
        if self._dirty:  # hidden: _samples_changed did not refresh
            self.refresh()
        return restored

    # -- archives -------------------------------------------------------------------------
    def _export_clicked(self) -> None:
        path, _ = dialogs.save_file(self, self.settings, "Export my handwriting", "my-handwriting.zip",
                                    ARCHIVE_FILTER)
        if path:
            self.export_to(path if path.lower().endswith(".zip") else path + ".zip")

    def _import_clicked(self) -> None:
        path = dialogs.open_file(self, self.settings, "Import samples", ARCHIVE_FILTER)
        if path:
            self.import_from(path)

    def export_to(self, path: str) -> bool:
        try:
            n = self.corrector.store.export_archive(path)
        except SampleError as exc:  # says which folder and why
            self.message.show_message(str(exc))
            return False
        except (ValueError, OSError) as exc:
            self.message.show_message(f"Could not export to {os.path.basename(path)}: {exc}")
            return False
        self.message.show_message(f"Exported {n} sample{'s' * (n != 1)} to {path}.", error=False)
        return True

    def import_from(self, path: str) -> bool:
        try:
            n = self.corrector.store.import_archive(path)
        except (SampleError, ValueError, OSError) as exc:
            self.message.show_message(f"Could not import {os.path.basename(path)}: {exc}")
            return False
        self.corrector.samples_added()
        if self._dirty:  # hidden: _samples_changed did not refresh
            self.refresh()
        text = (f"Imported {n} new sample{'s' * (n != 1)} from {os.path.basename(path)}." if n
                else f"{os.path.basename(path)} holds no sample that is not already here.")
        self.message.show_message(text, error=False)
        return True
