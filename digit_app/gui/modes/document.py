"""Document mode: pages of a scan or PDF, every digit boxed, and a table of the numbers read."""
from __future__ import annotations

import functools
import os

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QBrush, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digit_app import atomic
from digit_app.gui import style
from digit_app.gui.modes.base import CAN_OPEN, CAN_SAVE, CAN_UNDO, CAN_ZOOM, ModeWidget
from digit_app.gui.settings_store import Store
from digit_app.gui.widgets import dialogs
from digit_app.gui.widgets.common import MessageBar
from digit_app.gui.widgets.convert import bgr_to_qimage, qimage_to_bgr
from digit_app.gui.widgets.image_view import ImageView
from digit_app.gui.workers.inference import Failure, InferenceService, Result
from digit_app.gui.workers.jobs import BackgroundJobs
from digit_app.session import export
from digit_app.session.document import DocumentSession
from digit_app.session.documents import Document, document_from_image, load_document
from digit_app.session.reading import confidence_level, number_of_digit, number_texts, overlay_items
from digit_app.types import Recognition

RECENT_KEY = "document/recent"
SPLITTER_KEY = "document/splitter"
COLUMNS = ("Number", "Confidence", "Page", "Position (x, y, w × h)")
ROLE_REF = Qt.ItemDataRole.UserRole
PLACEHOLDER = ("Open a scan or a PDF (Ctrl+O), drop a file here, or paste an image (Ctrl+V).\n"
               "PNG, JPEG, BMP, TIFF (several pages) and PDF are read.")


def _read_page(doc: Document, index: int):
    """One page of ``doc`` (rendering a PDF page, decoding a big TIFF take time)."""
    return doc.pages[index]


class DocumentMode(ModeWidget):
    channel = "document"
    open_dialog_title = "Open a document"
    open_dialog_filter = dialogs.IMAGE_FILTER
    title = "Document"
    open_label = "&Open Document…"
    save_label = "&Export Results…"
    open_short = "Open"
    save_short = "Export"

    recent_changed = Signal()

    def __init__(self, inference: InferenceService, store: Store, parent: QWidget | None = None):
        super().__init__(inference, store, parent)
        # The document, its pages' readings and the page shown (Qt-free, tested without a window).
        self.session = DocumentSession()
        self._images: dict[int, QImage] = {}
        self._selected_number: int | None = None
        # Files opened and pages read in pool threads; every failure (an InputError, or anything
        # a reader raises) becomes a message in the window.
        self._jobs = BackgroundJobs(self)
        self.loading = False

        open_button = QPushButton("Open…")
        open_button.clicked.connect(self.open_file)
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip("Previous page (Page Up)")
        self.prev_button.clicked.connect(lambda: self.show_page(self.session.page - 1))
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip("Next page (Page Down)")
        self.next_button.clicked.connect(lambda: self.show_page(self.session.page + 1))
        self.page_box = QSpinBox()
        self.page_box.setRange(1, 1)
        self.page_box.setPrefix("Page ")
        self.page_box.valueChanged.connect(lambda v: self.show_page(v - 1))
        self.pages_label = QLabel("of 0")
        zoom_out = QPushButton("−")
        zoom_out.setToolTip("Zoom out (Ctrl+-)")
        zoom_out.clicked.connect(self.zoom_out)
        zoom_in = QPushButton("+")
        zoom_in.setToolTip("Zoom in (Ctrl++)")
        zoom_in.clicked.connect(self.zoom_in)
        fit = QPushButton("Fit")
        fit.setToolTip("Whole page (Ctrl+0)")
        fit.clicked.connect(self.zoom_fit)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the numbers read as CSV or JSON")
        self.export_button.clicked.connect(self.save)
        self.progress = QLabel("")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop reading the remaining pages (the pages read stay)")
        self.cancel_button.clicked.connect(self.cancel_reading)

        self._reading_progress = ""
        self.progress.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")
        for b in (zoom_out, zoom_in, fit, self.prev_button, self.next_button):
            b.setFixedWidth(36)

        bar = QHBoxLayout()
        bar.addWidget(open_button)
        bar.addSpacing(12)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.page_box)
        bar.addWidget(self.pages_label)
        bar.addWidget(self.next_button)
        bar.addSpacing(12)
        bar.addWidget(zoom_out)
        bar.addWidget(zoom_in)
        bar.addWidget(fit)
        bar.addSpacing(12)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.export_button)

        self.view = ImageView(PLACEHOLDER)
        self.view.item_clicked.connect(self._clicked)
        self.view.context_requested.connect(self.show_correction_menu)
        self.view.box_drawn.connect(self.box_drawn)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._row_selected)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        state = store.get(SPLITTER_KEY, QByteArray())
        if state.isEmpty() or not self.splitter.restoreState(state):
            self.splitter.setSizes(list(style.DOCUMENT_SPLIT))
        self.message = MessageBar()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, step in ((QKeySequence.StandardKey.MoveToPreviousPage, -1),
                          (QKeySequence.StandardKey.MoveToNextPage, 1)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(context)
            shortcut.activated.connect(lambda s=step: self.show_page(self.session.page + s))
        self._update_controls()

    # -- mode interface -------------------------------------------------------------------
    def capabilities(self) -> set[str]:
        caps = {CAN_OPEN, CAN_ZOOM}
        if self.session.results:
            caps.add(CAN_SAVE)
        if self.can_undo_correction():
            caps.add(CAN_UNDO)
        return caps

    def document(self) -> Document | None:
        return self.session.doc

    def page_index(self) -> int:
        return self.session.page

    def page_count(self) -> int:
        return self.session.page_count()

    def results(self) -> dict[int, Recognition]:
        """Every page read so far, with the user's corrections applied."""
        return {page: self._shown_reading(page) for page in self.session.results}

    def _shown_reading(self, page: int) -> Recognition:
        reading = self.reading(page)
        assert reading is not None, "a page read has a reading"
        return reading.recognition

    def is_done(self) -> bool:
        """True when every page has been read with the current settings."""
        return self.session.is_done()

    def raw_recognition(self, key=None) -> Recognition | None:
        return self.session.results.get(self.session.page if key is None else key)

    def correction_key(self):
        return self.session.page

    def correction_image(self):
        doc = self.session.doc
        if doc is None or not self.session.has_page(self.session.page):
            return None
        try:
            return doc.pages[self.session.page]
        except ValueError:  # InputError: the page cannot be read (reported when it was read)
            return None

    def start_box_tool(self) -> None:
        self.view.set_box_mode(True)

    def corrections_changed(self) -> None:
        rec = self.current_recognition()
        self._selected_number = (number_of_digit(rec, self.selected)
                                 if rec is not None and self.selected is not None else None)
        self._fill_table()
        self.refresh_overlay()

    def refresh_overlay(self) -> None:
        self.view.set_items(overlay_items(self.current_recognition(), self.uncertain_below,
                                          self.selected, self._selected_number,
                                          corrected=self.corrected_digits()))

    def publish(self, note: str = "") -> None:
        if self.session.doc is not None and not note:
            note = f"{self.session.name()} · page {self.session.page + 1} of {self.page_count()}"
        super().publish(note)

    def config_applied(self) -> None:
        if self.session.settings_changed():
            self._read_next()

    def cancel_reading(self) -> None:
        """Stop reading the remaining pages; the pages read so far stay (new settings or
        opening the document again read the rest)."""
        if not self.session.cancel():
            return
        self.inference.cancel(self.channel)
        done = self.session.pages_done()
        self.progress.setText(f"Stopped: {done} of {self.page_count()} pages read, "
                              f"{self.table.rowCount()} numbers")
        self.status.emit("Reading cancelled")
        self._update_controls()

    def is_reading(self) -> bool:
        return self.session.is_reading()

    def open_path(self, path: str) -> bool:
        """Read ``path`` in the background; the current document stays until it succeeds."""
        generation = self.session.open_requested()
        self.loading = True
        self.progress.setText(f"Opening {os.path.basename(path)}…")
        self._jobs.run_in_background(load_document, path,
                                     on_done=functools.partial(self._loaded, generation),
                                     on_error=lambda exc: self._load_failed(generation, path, str(exc)))
        return True

    def paste_image(self, image: QImage) -> None:
        self.session.open_requested()
        self._set_document(document_from_image(qimage_to_bgr(image)))

    def save(self) -> None:
        if not self.session.results or self.session.doc is None:
            return
        base = os.path.splitext(self.session.name())[0] or "results"
        path, chosen = dialogs.save_file(self, self.store, "Export the numbers read", base + ".json",
                                         dialogs.EXPORT_FILTER)
        if not path:
            return
        if not os.path.splitext(path)[1]:
            path += ".csv" if "CSV" in chosen else ".json"
        self.export_to(path)

    def export_to(self, path: str) -> bool:
        """Write every page's reading as CSV (``.csv``) or JSON (anything else)."""
        if self.session.doc is None:
            return False
        pages = self.session.export_rows(self._shown_reading)
        try:
            kind = export.write_results(path, pages, self.inference.detail, self.session.doc.errors)
        except OSError as exc:
            self.message.show_message(atomic.write_error(path, exc))
            return False
        self.status.emit(f"Exported {sum(len(p.recognition.numbers) for p in pages)} numbers "
                         f"as {kind.upper()} to {path}")
        return True

    def recent_files(self) -> list[str]:
        return self.store.get(RECENT_KEY, [])

    def clear_recent(self) -> None:
        self.store.set(RECENT_KEY, [])
        self.recent_changed.emit()

    def shutdown(self) -> None:
        self.session.open_requested()  # a file still loading is not shown
        self._jobs.wait()
        self.store.set(SPLITTER_KEY, self.splitter.saveState())

    # -- pages ----------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        doc = self.session.doc
        if doc is None or not self.session.has_page(index):
            return
        changed = index != self.session.page or self.view.image().isNull()
        self.session.page = index
        if changed:
            image = self._images.get(index)
            if image is None:
                try:  # the page being read is kept: this is a lookup, else one page's read
                    pixels = doc.pages[index]
                except ValueError as exc:  # InputError
                    self.message.show_message(f"Page {index + 1} cannot be shown: {exc}")
                    pixels = None
                self._images.clear()  # one page on screen, one page converted
                image = QImage() if pixels is None else bgr_to_qimage(pixels)
                if pixels is not None:
                    self._images[index] = image
            self.view.set_image(image, keep_view=False)
            self.selected, self._selected_number = None, None
        self.page_box.blockSignals(True)
        self.page_box.setValue(index + 1)
        self.page_box.blockSignals(False)
        self.refresh_overlay()
        self.publish()
        self._update_controls()

    def _set_document(self, doc: Document) -> None:
        self.session.set_document(doc)
        self.correction_controller.forget()  # they belonged to the pages of the previous document
        self._images.clear()
        self.loading = False
        self.message.hide()
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, max(1, len(doc.pages)))
        self.page_box.blockSignals(False)
        self.pages_label.setText(f"of {len(doc.pages)}")
        self._fill_table()
        self.show_page(0)
        if doc.errors:
            self.message.show_message("Some pages could not be read: " + self.session.errors_text(),
                                      error=False)
        self._read_next()

    def _loaded(self, generation: int, doc: Document) -> None:
        if not self.session.is_current_open(generation):
            return
        self._set_document(doc)
        self._add_recent(doc.path)
        self.status.emit(f"Opened {doc.path}: {len(doc.pages)} page{'s' * (len(doc.pages) != 1)}")

    def _load_failed(self, generation: int, path: str, message: str) -> None:
        if not self.session.is_current_open(generation):
            return
        self.loading = False
        self.progress.setText(self._reading_progress if self.session.doc is not None else "")
        self.message.show_message(f"Could not open {os.path.basename(path)}: {message}")
        self.status.emit(f"Could not open {path}")
        self._update_controls()

    def _add_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [path] + [p for p in self.recent_files() if p != path]
        self.store.set(RECENT_KEY, recent[:style.MAX_RECENT_FILES])
        self.recent_changed.emit()

    # -- reading --------------------------------------------------------------------------
    def _read_next(self) -> None:
        """Submit the next page not yet read with the current settings (one page at a time)."""
        session = self.session
        if session.doc is None or session.is_stopped():
            return
        index = session.next_page_to_read()  # the page on screen first, then in order
        if index is None:
            self._set_progress(f"{self.table.rowCount()} numbers on {self.page_count()} "
                               f"page{'s' * (self.page_count() != 1)}")
            self._update_controls()
            return
        # Read in a pool thread, then recognized: one page in memory at a time, however long.
        run = session.run
        self._jobs.run_in_background(_read_page, session.doc, index,
                                     on_done=lambda image: self._page_read(run, index, image),
                                     on_error=lambda exc: self._page_failed(run, index, exc))
        self._update_controls()
        done = session.pages_done()
        waiting = "" if self.inference.state == "ready" else " (waiting for the model)"
        self._set_progress(f"Reading page {index + 1} of {self.page_count()}… {done} done{waiting}")

    def _set_progress(self, text: str) -> None:
        """The reading's progress beside Fit (shown again when an open fails)."""
        self._reading_progress = text
        if not self.loading:
            self.progress.setText(text)

    def _page_read(self, run: int, index: int, image) -> None:
        if not self.session.accepts(run) or self.session.is_stopped(run):
            return
        self.submit(image, tag=(run, index))

    def _page_failed(self, run: int, index: int, exc) -> None:
        if not self.session.record_page_error(run, index, exc):  # not tried again with these settings
            return
        self.message.show_message("Some pages could not be read: " + self.session.errors_text(),
                                  error=False)
        self._read_next()

    def handle_result(self, result: Result) -> None:
        run, index = result.tag
        if not self.session.record_result(run, index, result.recognition):
            return
        self._fill_table()
        if index == self.session.page:
            self.refresh_overlay()
            self.publish()
        self._read_next()

    def handle_failure(self, failure: Failure) -> None:
        run, index = failure.tag
        if not self.session.record_failure(run, index, failure.message):  # not retried forever
            return
        self.message.show_message(f"Page {index + 1} could not be read: {failure.message}")
        self._read_next()

    # -- table ----------------------------------------------------------------------------
    def _fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        rows = []
        for page in self.session.pages_read():
            rec = self._shown_reading(page)
            for n, (number, text) in enumerate(zip(rec.numbers, number_texts(rec, self.uncertain_below))):
                rows.append((page, n, number, text))
        self.table.setRowCount(len(rows))
        for r, (page, n, number, text) in enumerate(rows):
            x, y, w, h = number.box
            cells = (text, f"{100 * number.confidence:.1f}%", str(page + 1), f"{x}, {y}, {w} × {h}")
            colour = style.LEVEL_COLOURS[confidence_level(number.confidence, self.uncertain_below)]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(ROLE_REF, (page, n))
                if c == 1:
                    item.setForeground(QBrush(colour))
                if c in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self._select_row(self.session.page, self._selected_number)
        self._update_controls()

    def table_rows(self) -> list[tuple[str, ...]]:
        return [tuple(self._cell(r, c).text() for c in range(self.table.columnCount()))
                for r in range(self.table.rowCount())]

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None, "every cell of the table is filled"
        return item

    def _select_row(self, page: int, number: int | None) -> None:
        self.table.blockSignals(True)
        self.table.clearSelection()
        if number is not None:
            for r in range(self.table.rowCount()):
                if self._cell(r, 0).data(ROLE_REF) == (page, number):
                    self.table.selectRow(r)
                    self.table.scrollToItem(self._cell(r, 0))
                    break
        self.table.blockSignals(False)

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        page, n = self._cell(rows[0].row(), 0).data(ROLE_REF)
        if page != self.session.page:
            self.show_page(page)
        rec = self.current_recognition()
        if rec is None or n >= len(rec.numbers):
            return
        number = rec.numbers[n]
        self._selected_number = n
        self.selected = number.digits[0] if number.digits else None
        if not self.view.is_fit():
            self.view.center_on(number.box)
        self.refresh_overlay()
        self.publish()

    def select_digit(self, index: int | None) -> None:
        rec = self.current_recognition()
        self._selected_number = number_of_digit(rec, index) if rec is not None and index is not None else None
        self._select_row(self.session.page, self._selected_number)
        super().select_digit(index)

    def _clicked(self, kind: str, index: int) -> None:
        if kind == "digit":
            self.select_digit(index)
        elif kind == "number":
            rec = self.current_recognition()
            if rec is not None and index < len(rec.numbers) and rec.numbers[index].digits:
                self.select_digit(rec.numbers[index].digits[0])

    def _update_controls(self) -> None:
        count = self.page_count()
        page = self.session.page
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(0 <= page < count - 1)
        self.page_box.setEnabled(count > 1)
        self.export_button.setEnabled(bool(self.session.results))
        self.cancel_button.setVisible(self.session.is_reading())
        self.actions_changed.emit()
