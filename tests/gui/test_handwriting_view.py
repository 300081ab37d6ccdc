"""The "My handwriting" window: counts, gallery and filter, delete (and undo), export, import,
and clear errors for bad archives."""
from __future__ import annotations

import zipfile

import numpy as np

from digit_app.gui.widgets.handwriting_view import ALL
from digit_app.samples import SampleStore
from digit_app.types import NOT_A_DIGIT

LABELS = [1, 1, 1, 4, 7, 7, NOT_A_DIGIT]


def fill(store: SampleStore, labels=LABELS) -> None:
    rng = np.random.default_rng(0)
    for i, label in enumerate(labels):
        crop = np.full((40 + i, 30, 3), 255, np.uint8)
        crop[10:30, 12:18] = 0
        store.add(rng.random((32, 32)).astype(np.float32), crop, label, "draw" if i % 2 else "document")


def test_counts_gallery_filter_and_delete_with_undo(window, qtbot):
    store = window.corrector.store
    fill(store)
    dialog = window.show_handwriting()
    qtbot.waitExposed(dialog)
    assert not dialog.isModal()
    counts = dialog.counts()
    assert counts[1] == 3 and counts[4] == 1 and counts[7] == 2 and counts[NOT_A_DIGIT] == 1
    assert counts[0] == 0 and sum(counts.values()) == len(LABELS)
    assert dialog.count_buttons[ALL].text() == f"All\n{len(LABELS)}"
    assert len(dialog.shown_ids()) == len(LABELS)
    assert not dialog.gallery.item(0).icon().isNull()  # a thumbnail of the crop

    # Click "1": only the three 1s are shown.
    dialog.count_buttons[1].click()
    ones = dialog.shown_ids()
    assert sorted(ones) == sorted(s.id for s in store.samples() if s.label == 1)
    assert dialog.summary.text() == "3 samples labelled 1"

    # Delete two of them: gone from the store and from the counts; Undo puts them back.
    dialog.select_ids(ones[:2])
    assert dialog.delete_button.isEnabled()
    assert dialog.delete_selected() == 2
    assert [s.label for s in store.samples()].count(1) == 1
    assert dialog.counts()[1] == 1 and len(dialog.shown_ids()) == 1
    assert "Deleted 2 samples" in dialog.message.text()
    dialog.message.action_button.click()
    assert dialog.counts()[1] == 3
    assert sorted(s.id for s in store.samples() if s.label == 1) == sorted(ones)

    # A correction made meanwhile in a mode shows up in the open window.
    dialog.set_filter(ALL)
    store_count = len(store.samples())
    window.corrector.save("draw", 0, (0, 0, 10, 10), 9, np.zeros((32, 32), np.float32),
                          np.zeros((10, 10), np.uint8))
    assert dialog.counts()[9] == 1 and len(dialog.shown_ids()) == store_count + 1


def test_export_and_import_an_archive(window, qtbot, tmp_path):
    store = window.corrector.store
    fill(store)
    dialog = window.show_handwriting()
    archive = tmp_path / "mine.zip"
    assert dialog.export_to(str(archive))
    assert f"Exported {len(LABELS)} samples" in dialog.message.text()
    assert zipfile.is_zipfile(archive)
    # Delete everything, then import the archive: all back, same ids.
    ids = sorted(s.id for s in store.samples())
    dialog.select_ids(ids)
    assert dialog.delete_selected() == len(LABELS)
    assert dialog.counts() == dict.fromkeys(range(11), 0)
    assert dialog.empty_label.isVisible()
    assert dialog.import_from(str(archive))
    assert sorted(s.id for s in store.samples()) == ids
    assert dialog.counts()[1] == 3
    assert f"Imported {len(LABELS)} new samples" in dialog.message.text()
    # Importing it again adds nothing, and says so.
    assert dialog.import_from(str(archive))
    assert "no sample that is not already here" in dialog.message.text()
    assert len(store.samples()) == len(LABELS)


def test_a_bad_archive_shows_an_error_and_changes_nothing(window, qtbot, tmp_path):
    store = window.corrector.store
    fill(store, [3, 5])
    dialog = window.show_handwriting()
    bad = tmp_path / "holiday-photos.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert not dialog.import_from(str(bad))
    assert "holiday-photos.zip" in dialog.message.text()
    assert not dialog.message.isHidden()
    missing = tmp_path / "missing.zip"
    assert not dialog.import_from(str(missing))
    assert "missing.zip" in dialog.message.text()
    # A zip without an index is refused too.
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("notes.txt", "hello")
    assert not dialog.import_from(str(other))
    assert "other.zip" in dialog.message.text()
    # Exporting where nothing can be written: an error, not a crash.
    (tmp_path / "a-file").write_text("not a folder")
    assert not dialog.export_to(str(tmp_path / "a-file" / "out.zip"))
    assert "out.zip" in dialog.message.text()
    assert sorted(s.label for s in store.samples()) == [3, 5]
    assert dialog.counts()[3] == 1 and dialog.counts()[5] == 1


def test_deleting_a_sample_removes_its_correction_from_the_reading(window, qtbot):
    from gui_helpers import digits_image

    from digit_app.gui.widgets.convert import bgr_to_qimage

    draw = window.draw_mode
    draw.canvas.load_image(bgr_to_qimage(digits_image("4")))
    qtbot.waitUntil(lambda: draw.is_settled() and draw.current_recognition() is not None
                    and len(draw.current_recognition().digits) == 1, timeout=5000)
    assert draw.correct_selected(4)
    assert window.side.reading.numbers_label.text() == "4"
    dialog = window.show_handwriting()
    dialog.select_ids([s.id for s in window.corrector.store.samples()])
    assert dialog.delete_selected() == 1
    assert window.side.reading.numbers_label.text() == "7"
    assert not window.corrector.can_undo()
