"""A long document in Document mode: pages are read one at a time in the background (only
``PAGES_KEPT`` held), the table fills as pages finish, and Cancel stops the reading."""
from __future__ import annotations

from gui_helpers import digits_image
from PIL import Image

from digit_app.gui.main_window import DOCUMENT
from digit_app.session.documents import PAGES_KEPT

TIMEOUT = 60000


def long_pdf(path, pages: int):
    """A PDF of ``pages`` pages with one number on each (72 dpi: 400 x 240 points)."""
    images = [Image.fromarray(digits_image(str(1 + i % 9))[:, :, ::-1]) for i in range(pages)]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return path


def open_watched(window, path):
    """Open ``path`` in Document mode, recording the rows in the table and the pages held in
    memory after each page's result."""
    window.set_mode(DOCUMENT)
    doc = window.document_mode
    seen = {"rows": [], "kept": []}
    original = doc.handle_result

    def handle_result(result):
        original(result)
        seen["rows"].append(doc.table.rowCount())
        seen["kept"].append(len(doc.document().pages.kept()))

    doc.handle_result = handle_result
    window.open_path(str(path))
    return doc, seen


def test_a_long_pdf_fills_the_table_page_by_page_holding_a_few_pages(window, qtbot, tmp_path):
    doc, seen = open_watched(window, long_pdf(tmp_path / "long.pdf", 30))
    qtbot.waitUntil(lambda: doc.document() is not None and doc.is_done(), timeout=TIMEOUT)
    assert doc.page_count() == 30 and doc.document().errors == []
    assert seen["rows"] == list(range(1, 31))  # one number per page, row by row
    assert max(seen["kept"]) <= PAGES_KEPT
    assert not doc.cancel_button.isVisible()
    doc.show_page(20)  # a page read long ago is read again to be shown
    assert doc.view.image().width() > 0 and [r[2] for r in doc.table_rows()][20] == "21"
    assert len(doc.document().pages.kept()) <= PAGES_KEPT


def test_cancel_stops_reading_and_keeps_the_pages_read(window, qtbot, tmp_path):
    doc, seen = open_watched(window, long_pdf(tmp_path / "long.pdf", 40))
    qtbot.waitUntil(lambda: len(seen["rows"]) >= 3, timeout=TIMEOUT)
    assert doc.cancel_button.isVisible()
    doc.cancel_button.click()
    read = len(seen["rows"])
    qtbot.wait(500)
    assert len(seen["rows"]) <= read + 1  # at most the page already in the model's hands
    assert not doc.is_done() and not doc.cancel_button.isVisible()
    assert doc.progress.text().startswith("Stopped:") and "of 40 pages read" in doc.progress.text()
    assert doc.table.rowCount() == len(seen["rows"])
    # The window works on; new settings read the rest.
    doc.config_applied()
    qtbot.waitUntil(doc.is_done, timeout=TIMEOUT)
    assert doc.table.rowCount() == 40
