"""Saving from the window into a full or read-only folder: one message naming the folder in
the window (no crash), nothing half-written, what was saved before intact."""
from __future__ import annotations

import cv2
import pytest
from faults import DISK_FULL, READ_ONLY, fail_writes, snapshot, temporary_files
from gui_helpers import digits_image, write_video

from digit_app.gui.main_window import CAMERA
from digit_app.gui.widgets.convert import bgr_to_qimage
from digit_app.samples import SampleStore

TIMEOUT = 8000


def settled(draw, n: int):
    return lambda: draw.is_settled() and draw.current_recognition() is not None and len(
        draw.current_recognition().digits) == n


def test_document_export_into_a_full_folder(window, qtbot, tmp_path, monkeypatch):
    page = tmp_path / "page.png"
    cv2.imwrite(str(page), digits_image("42"))
    doc = window.document_mode
    window.open_path(str(page))
    qtbot.waitUntil(lambda: not doc.loading and doc.is_done(), timeout=TIMEOUT)
    out = tmp_path / "out" / "numbers.csv"
    assert doc.export_to(str(out))
    old = out.read_bytes()
    fail_writes(monkeypatch, "write", DISK_FULL)
    assert not doc.export_to(str(out))
    assert doc.message.text() == f"Cannot save numbers.csv in {out.parent}: the disk is full."
    assert out.read_bytes() == old and temporary_files(tmp_path) == []


def test_a_snapshot_is_saved_whole_or_not_at_all(window, qtbot, tmp_path, monkeypatch):
    window.set_mode(CAMERA)
    camera = window.camera_mode
    camera.start(write_video(tmp_path / "digits.avi", "42"))
    qtbot.waitUntil(lambda: camera.results_shown >= 2, timeout=TIMEOUT)
    camera.set_frozen(True)
    folder = tmp_path / "snaps"
    folder.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        fail_writes(patch, "write", DISK_FULL, after=1)  # the PNG fits, the JSON does not
        assert not camera.save_to(str(folder / "snap.png"))
    assert camera.message.text() == f"Cannot save the snapshot in {folder}: the disk is full."
    assert list(folder.iterdir()) == []  # no picture without its reading
    assert camera.save_to(str(folder / "snap.png"))
    assert sorted(p.name for p in folder.iterdir()) == ["snap.json", "snap.png"]
    camera.stop()


def test_a_drawing_saved_into_a_read_only_folder(window, qtbot, tmp_path, monkeypatch):
    draw = window.draw_mode
    draw.canvas.load_image(bgr_to_qimage(digits_image("4")))
    qtbot.waitUntil(settled(draw, 1), timeout=TIMEOUT)
    fail_writes(monkeypatch, "rename", READ_ONLY)
    assert not draw.save_to(str(tmp_path / "drawing.png"))
    assert draw.message.text() == (f"Cannot save the drawing in {tmp_path}: the folder is not "
                                   "writable (permission denied).")
    assert not (tmp_path / "drawing.png").exists() and temporary_files(tmp_path) == []


def test_a_correction_on_a_full_disk_keeps_the_samples_saved_before(window, qtbot, monkeypatch,
                                                                    isolated_user_data):
    draw = window.draw_mode
    draw.canvas.load_image(bgr_to_qimage(digits_image("42")))
    qtbot.waitUntil(settled(draw, 2), timeout=TIMEOUT)
    draw.select_digit(0)
    assert draw.correct_selected(4)
    root = SampleStore().root
    before, saved = snapshot(root), SampleStore().samples()
    with pytest.MonkeyPatch.context() as patch:
        fail_writes(patch, "fsync", DISK_FULL)
        draw.select_digit(1)
        assert not draw.correct_selected(2)
    assert draw.message.text() == ("The correction could not be saved: Cannot save the sample in "
                                   f"{root}: the disk is full.")
    assert snapshot(root) == before and SampleStore().samples() == saved
    assert window.isVisible()  # and the window goes on reading
    draw.canvas.clear()
    qtbot.waitUntil(settled(draw, 0), timeout=TIMEOUT)


def test_settings_that_cannot_be_written_are_reported(make_window, tmp_path, capsys):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the settings folder should be")
    window = make_window(path=blocker / "settings.ini")
    window.save_settings()
    message = f"Cannot save the settings in {blocker}: the folder is not writable"
    assert window.banner.text().startswith(message)
    assert message in capsys.readouterr().err
