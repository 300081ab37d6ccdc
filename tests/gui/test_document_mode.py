"""Document mode: pages read into the results table, export, errors that lose nothing."""
from __future__ import annotations

import csv
import json

import cv2
import numpy as np
from gui_helpers import digits_image, write_tiff
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from digit_app.gui.main_window import DOCUMENT, DRAW
from digit_app.gui.widgets.convert import bgr_to_qimage

TIMEOUT = 5000


def page_image() -> np.ndarray:
    """A page with three numbers on three lines."""
    rows = [digits_image(t, size=(200, 600), scale=3.0, thickness=10, origin=(40, 140))
            for t in ("123", "45", "6")]
    return np.vstack(rows)


def open_and_wait(window, qtbot, path):
    doc = window.document_mode
    window.open_path(str(path))
    qtbot.waitUntil(lambda: not doc.loading and (doc.is_done() or bool(doc.message.text())),
                    timeout=TIMEOUT)
    return doc


def test_a_document_page_fills_the_table_and_exports(window, qtbot, tmp_path):
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), page_image())
    doc = open_and_wait(window, qtbot, path)
    assert window.stack.currentIndex() == DOCUMENT
    rows = doc.table_rows()
    assert [r[0] for r in rows] == ["777", "77", "7"]
    assert rows[0][1] == "90.0%" and rows[0][2] == "1"
    # Every digit boxed on the page.
    assert len([i for i in doc.view.items() if i.kind == "digit"]) == 6
    # Selecting a row selects its number on the page (and the reverse).
    doc.select_row(1)
    assert doc.selected == 3
    assert any(i.selected and i.kind == "number" for i in doc.view.items())
    doc.select_digit(5)
    assert doc.table.selectionModel().selectedRows()[0].row() == 2

    out_json, out_csv = tmp_path / "out.json", tmp_path / "out.csv"
    assert doc.export_to(str(out_json)) and doc.export_to(str(out_csv))
    data = json.loads(out_json.read_text())
    assert data["model"] == "demo (no model)" and data["errors"] == []
    [result] = data["results"]
    assert result["path"] == str(path) and result["page"] == 1  # as the table's Page column
    assert doc.table.item(0, 2).text() == "1"
    assert (result["width"], result["height"]) == (600, 600)
    assert [n["text"] for n in result["numbers"]] == ["777", "77", "7"]
    rows = list(csv.reader(out_csv.open()))
    assert rows[0] == ["path", "page", "text", "confidence", "x", "y", "w", "h"]
    assert [r[2] for r in rows[1:]] == ["777", "77", "7"]
    assert {r[1] for r in rows[1:]} == {"1"}
    # Recent files remember it.
    first = window.recent_menu.actions()[0]
    assert first.text().startswith("page.png — ") and first.toolTip() == str(path)
    assert window.recent_menu.toolTipsVisible()


def test_multipage_tiff_navigation(window, qtbot, tmp_path):
    path = write_tiff(tmp_path / "two.tiff", [page_image(), digits_image("9")])
    doc = open_and_wait(window, qtbot, path)
    assert doc.page_count() == 2
    assert [r[2] for r in doc.table_rows()] == ["1", "1", "1", "2"]
    doc.next_button.click()
    assert doc.page_index() == 1
    assert [i.text for i in doc.view.items() if i.kind == "digit"] == ["7"]
    doc.select_row(0)
    assert doc.page_index() == 0
    doc.zoom_in()
    assert not doc.view.is_fit()
    window.zoom_fit_action.trigger()
    assert doc.view.is_fit()


def test_a_corrupt_file_shows_an_error_and_the_window_keeps_working(window, qtbot, tmp_path):
    good = tmp_path / "good.png"
    cv2.imwrite(str(good), page_image())
    doc = open_and_wait(window, qtbot, good)
    bad = tmp_path / "corrupt.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage \x00\x01")
    open_and_wait(window, qtbot, bad)
    assert "corrupt.pdf" in doc.message.text()
    assert doc.progress.text() == "3 numbers on 1 page"  # not "Opening corrupt.pdf…" any more
    # Nothing lost: the previous document and its results are still there.
    assert doc.document().path == str(good)
    assert len(doc.table_rows()) == 3
    # And everything still works.
    window.set_mode(DRAW)
    window.draw_mode.canvas.load_image(bgr_to_qimage(digits_image("5")))
    qtbot.waitUntil(lambda: window.draw_mode.is_settled() and window.draw_mode.current_recognition()
                    is not None and len(window.draw_mode.current_recognition().digits) == 1,
                    timeout=TIMEOUT)


def test_paste_and_drop(window, qtbot, tmp_path):
    window.set_mode(DOCUMENT)
    QApplication.clipboard().setImage(bgr_to_qimage(digits_image("42")))
    window.paste_action.trigger()
    doc = window.document_mode
    qtbot.waitUntil(doc.is_done, timeout=TIMEOUT)
    assert doc.document().path == "clipboard"
    assert [r[0] for r in doc.table_rows()] == ["77"]
    path = tmp_path / "dropped.png"
    cv2.imwrite(str(path), digits_image("7"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: doc.document().path == str(path) and doc.is_done(), timeout=TIMEOUT)
    assert [r[0] for r in doc.table_rows()] == ["7"]


def test_a_failed_open_does_not_leave_opening_beside_fit(window, qtbot, tmp_path):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    doc = open_and_wait(window, qtbot, empty)
    assert "empty.png" in doc.message.text()
    assert "Opening" not in doc.progress.text()
