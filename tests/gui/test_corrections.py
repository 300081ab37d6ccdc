"""Correcting digits in every mode: samples saved with the right label and source, the reading
updated at once, undo, boxing a missed digit, the camera frozen while correcting."""
from __future__ import annotations

import cv2
import numpy as np
from gui_helpers import digits_image, write_video
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from digit_app.gui.correcting import menu_action
from digit_app.gui.main_window import CAMERA, DOCUMENT, DRAW
from digit_app.gui.widgets.convert import bgr_to_qimage
from digit_app.samples import SampleStore
from digit_app.session.corrections import Correction, apply_corrections
from digit_app.session.reading import LEVEL_CORRECTED
from digit_app.types import NOT_A_DIGIT, Candidate, Digit, Number, Recognition

TIMEOUT = 8000


def settled_with(draw, n_digits: int):
    return lambda: draw.is_settled() and draw.current_recognition() is not None and len(
        draw.current_recognition().digits) == n_digits


def digit_texts(items) -> list[str]:
    return [i.text for i in items if i.kind == "digit"]


def right_click_canvas(draw, box) -> None:
    x, y, w, h = box
    pos = draw.canvas.transform().map(QPoint(x + w // 2, y + h // 2))
    QTest.mouseClick(draw.canvas, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, pos)


def right_click_view(view, box) -> None:
    x, y, w, h = box
    pos = view.transform().map(QPoint(x + w // 2, y + h // 2))
    QTest.mouseClick(view, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, pos)


def drag_view(view, a: tuple[int, int], b: tuple[int, int]) -> None:
    t = view.transform()
    QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, t.map(QPoint(*a)))
    QTest.mouseMove(view, t.map(QPoint((a[0] + b[0]) // 2, (a[1] + b[1]) // 2)))
    QTest.mouseMove(view, t.map(QPoint(*b)))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, t.map(QPoint(*b)))


# -- pure: how corrections change a reading -----------------------------------------------------
def _reading() -> Recognition:
    boxes = [(10, 10, 20, 30), (35, 10, 20, 30), (100, 10, 20, 30)]
    digits = tuple(Digit(7, 0.9, b, ((7, 0.9),)) for b in boxes)
    probs = tuple([0.01] * 7 + [0.9] + [0.01] * 3)
    rejected = (0.05,) * 3 + (0.5,) + (0.05,) * 6 + (0.2,)
    candidates = tuple(Candidate(b, probs, True, i, np.zeros((32, 32), np.float32))
                       for i, b in enumerate(boxes)) + (
        Candidate((150, 12, 18, 28), rejected, False, None, np.zeros((32, 32), np.float32)),)
    numbers = (Number("77", 0.81, (10, 10, 45, 30), (0, 1)), Number("7", 0.9, (100, 10, 20, 30), (2,)))
    return Recognition(200, 60, digits, numbers, candidates)


def test_a_relabelled_digit_keeps_the_numbers_and_not_a_digit_removes_it():
    rec = _reading()
    shown = apply_corrections(rec, [Correction((11, 10, 20, 31), 1, "a")])
    assert [n.text for n in shown.recognition.numbers] == ["17", "7"]
    assert shown.corrected == {0: 7}
    assert shown.recognition.digits[0].confidence == 1.0
    shown = apply_corrections(rec, [Correction((35, 10, 20, 30), NOT_A_DIGIT, "b")])
    assert [n.text for n in shown.recognition.numbers] == ["7", "7"]
    assert len(shown.recognition.digits) == 2
    # The candidate of the removed digit is no longer an accepted digit.
    assert [c.digit_index for c in shown.recognition.candidates] == [0, None, 1, None]


def test_a_rejected_crop_and_a_box_drawn_by_hand_become_digits():
    rec = _reading()
    shown = apply_corrections(rec, [Correction((150, 12, 18, 28), 3, "c"),
                                    Correction((60, 10, 20, 30), 4, "d", added=True)])
    # 4 boxed between "77" and "7" joins them (close enough); the "?" at 150 becomes a 3.
    assert "".join(d.text for d in shown.recognition.numbers) == "77473"
    assert sorted(shown.corrected.values(), key=str) == [None, None]
    assert shown.recognition.candidates[3].accepted
    # "Not a digit" on a "?" crop: it is no longer shown as "?".
    shown = apply_corrections(rec, [Correction((150, 12, 18, 28), NOT_A_DIGIT, "f")])
    assert len(shown.recognition.candidates) == 3 and shown.recognition.digits == rec.digits
    # A correction whose digit is gone (not boxed by hand) shows nothing.
    assert apply_corrections(rec, [Correction((0, 40, 5, 5), 2, "e")]).recognition == rec


# -- Draw -------------------------------------------------------------------------------------
def test_correcting_a_drawn_digit_saves_a_sample_and_undo_removes_it(window, qtbot):
    draw = window.draw_mode
    draw.canvas.load_image(bgr_to_qimage(digits_image("42")))
    qtbot.waitUntil(settled_with(draw, 2), timeout=TIMEOUT)
    boxes = [i.box for i in draw.canvas.items() if i.kind == "digit"]

    # Right-click the second digit: it is selected and the label menu opens; pick 2.
    right_click_canvas(draw, boxes[1])
    assert draw.selected == 1
    menu = draw.correction_menu
    assert menu is not None and menu.isVisible()
    menu_action(menu, 2).trigger()
    store = SampleStore()
    [sample] = store.samples()
    assert (sample.label, sample.source) == (2, "draw")
    _x, _y, w, h = boxes[1]
    assert store.load_crop(sample).shape[:2] == (h, w)
    assert store.load_input(sample).shape == (32, 32)
    # Shown at once: on the canvas (in the "corrected" colour) and in the side panel.
    assert digit_texts(draw.canvas.items()) == ["7", "2"]
    assert [i.level for i in draw.canvas.items() if i.kind == "digit"][1] == LEVEL_CORRECTED
    assert window.side.reading.numbers_label.text() == "72"
    assert "corrected by you" in window.side.reading.digit_title.text()

    # The panel's buttons correct the selected digit.
    window.side.reading.digit_selected.emit(0)
    window.side.reading.pad.button(4).click()
    assert sorted(s.label for s in store.samples()) == [2, 4]
    assert window.side.reading.numbers_label.text() == "42"

    # Another stroke: the canvas is read again and the corrections stay on their digits.
    t = draw.canvas.transform()
    QTest.mousePress(draw.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, t.map(QPoint(900, 200)))
    QTest.mouseMove(draw.canvas, t.map(QPoint(910, 300)))
    QTest.mouseRelease(draw.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, t.map(QPoint(920, 400)))
    qtbot.waitUntil(settled_with(draw, 3), timeout=TIMEOUT)
    assert "42" in [n.text for n in draw.current_recognition().numbers]

    # Ctrl+Z undoes the newest first: the stroke, then the 4, then the 2, then the image.
    window.undo_action.trigger()
    qtbot.waitUntil(settled_with(draw, 2), timeout=TIMEOUT)
    window.undo_action.trigger()  # (Ctrl+Z: the same action)
    assert [s.label for s in store.samples()] == [2]
    assert window.side.reading.numbers_label.text() == "72"
    window.undo_action.trigger()
    assert store.samples() == []
    assert digit_texts(draw.canvas.items()) == ["7", "7"]
    window.undo_action.trigger()
    qtbot.waitUntil(settled_with(draw, 0), timeout=TIMEOUT)
    assert draw.canvas.is_empty()


def test_a_missed_digit_is_boxed_on_the_canvas(window, qtbot):
    draw = window.draw_mode
    image = digits_image("4", size=(240, 400), origin=(40, 180))
    cv2.putText(image, "5", (220, 180), cv2.FONT_HERSHEY_SIMPLEX, 4.0, (130, 130, 130), 14)  # too light
    draw.canvas.load_image(bgr_to_qimage(image))
    qtbot.waitUntil(settled_with(draw, 1), timeout=TIMEOUT)
    window.side.reading.pad.box_button.click()
    assert draw.canvas.box_mode()
    # The image is fitted and centred on the page: the 5 is around x 220-300, y 90-180 of it.
    size = draw.canvas.canvas_size()
    s = min(size.width() / 400, size.height() / 240)
    ox, oy = (size.width() - 400 * s) / 2, (size.height() - 240 * s) / 2
    t = draw.canvas.transform()

    def at(x, y):
        return t.map(QPoint(int(ox + x * s), int(oy + y * s)))

    QTest.mousePress(draw.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(210, 80))
    QTest.mouseMove(draw.canvas, at(266, 133))
    QTest.mouseRelease(draw.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(310, 190))
    assert not draw.canvas.box_mode() and draw.canvas.stroke_count() == 0  # a box, not a stroke
    menu_action(draw.correction_menu, 5).trigger()
    qtbot.waitUntil(lambda: not draw.is_busy(), timeout=TIMEOUT)
    [sample] = SampleStore().samples()
    assert (sample.label, sample.source) == (5, "draw")
    assert window.side.reading.numbers_label.text().split() == ["7", "5"]
    # Undo takes the boxed digit away again.
    window.undo_action.trigger()
    assert SampleStore().samples() == [] and window.side.reading.numbers_label.text() == "7"


def test_a_correction_that_cannot_be_saved_is_reported(window, qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("DIGIT_APP_DATA", str(blocker))
    window.corrector._store = None  # re-read $DIGIT_APP_DATA
    draw = window.draw_mode
    draw.canvas.load_image(bgr_to_qimage(digits_image("4")))
    qtbot.waitUntil(settled_with(draw, 1), timeout=TIMEOUT)
    assert not draw.correct_selected(4)
    assert "could not be saved" in draw.message.text()
    assert digit_texts(draw.canvas.items()) == ["7"]


# -- Document ---------------------------------------------------------------------------------
def _page(tmp_path, faint: bool = False):
    """Three numbers; with ``faint``, a grey 5 the stand-in reader misses (lighter than its
    threshold) but that is still ink for the pipeline."""
    page = np.vstack([digits_image(t, size=(200, 600), scale=3.0, thickness=10, origin=(40, 140))
                      for t in ("123", "45", "6")])
    if faint:
        cv2.putText(page, "5", (420, 540), cv2.FONT_HERSHEY_SIMPLEX, 3.0, (130, 130, 130), 10)
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), page)
    return path


def open_document(window, qtbot, path):
    doc = window.document_mode
    window.open_path(str(path))
    qtbot.waitUntil(lambda: not doc.loading and doc.is_done(), timeout=TIMEOUT)
    return doc


def test_not_a_digit_hides_a_digit_in_a_document(window, qtbot, tmp_path):
    doc = open_document(window, qtbot, _page(tmp_path))
    doc.view.resize(600, 600)
    assert [r[0] for r in doc.table_rows()] == ["777", "77", "7"]
    first = next(i for i in doc.view.items() if i.kind == "digit")
    right_click_view(doc.view, first.box)
    menu_action(doc.correction_menu, NOT_A_DIGIT).trigger()
    [sample] = SampleStore().samples()
    assert (sample.label, sample.source) == (NOT_A_DIGIT, "document")
    assert [r[0] for r in doc.table_rows()] == ["77", "77", "7"]
    assert len([i for i in doc.view.items() if i.kind == "digit"]) == 5
    # Edit > Undo Correction brings it back and deletes the sample.
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo Correction"
    window.undo_action.trigger()
    assert SampleStore().samples() == []
    assert [r[0] for r in doc.table_rows()] == ["777", "77", "7"]
    # Handwriting > Undo Last Correction works from any mode.
    assert doc.correct("digit", 5, 6)
    assert [r[0] for r in doc.table_rows()] == ["777", "77", "6"]
    window.set_mode(DRAW)
    window.undo_correction_action.trigger()
    assert SampleStore().samples() == []
    assert [r[0] for r in doc.table_rows()] == ["777", "77", "7"]


def test_a_missed_digit_is_boxed_by_hand_and_labelled(window, qtbot, tmp_path):
    doc = open_document(window, qtbot, _page(tmp_path, faint=True))
    doc.view.resize(600, 600)
    assert [r[0] for r in doc.table_rows()] == ["777", "77", "7"]
    window.box_action.trigger()
    assert doc.view.box_mode()
    drag_view(doc.view, (410, 460), (500, 560))
    assert not doc.view.box_mode()
    menu = doc.correction_menu
    menu_action(menu, 5).trigger()
    qtbot.waitUntil(lambda: not doc.is_busy(), timeout=TIMEOUT)  # its model input is made in a pool
    [sample] = SampleStore().samples()
    assert (sample.label, sample.source) == (5, "document")
    model_input = SampleStore().load_input(sample)
    assert model_input.shape == (32, 32) and model_input.max() > 0.5  # the grey 5 was found as ink
    assert sorted(r[0] for r in doc.table_rows()) == ["5", "7", "77", "777"]
    boxed = [i for i in doc.view.items() if i.kind == "digit" and i.level == LEVEL_CORRECTED]
    assert len(boxed) == 1 and boxed[0].text == "5"
    # A box with no ink saves nothing and says so.
    doc.add_missed((450, 20, 40, 40), 3)
    qtbot.waitUntil(lambda: not doc.is_busy(), timeout=TIMEOUT)
    assert "no ink" in doc.message.text()
    assert len(SampleStore().samples()) == 1


# -- Camera -----------------------------------------------------------------------------------
def test_correcting_in_camera_mode_freezes_the_picture(window, qtbot, tmp_path):
    video = write_video(tmp_path / "digits.avi", "42", frames=40)
    window.set_mode(CAMERA)
    camera = window.camera_mode
    camera.view.resize(640, 480)
    camera.start(video)
    qtbot.waitUntil(lambda: camera.results_shown >= 3, timeout=TIMEOUT)
    assert not camera.is_frozen()
    first = next(i for i in camera.view.items() if i.kind == "digit")
    right_click_view(camera.view, first.box)
    assert camera.is_frozen() and camera.freeze_button.isChecked()
    assert "frozen" in camera.message.text().lower()
    frames = camera.frames_shown
    frame = camera.correction_image().copy()
    menu_action(camera.correction_menu, 4).trigger()
    qtbot.wait(200)
    assert camera.frames_shown == frames  # still frozen after the correction
    [sample] = SampleStore().samples()
    assert (sample.label, sample.source) == (4, "camera")
    [correction] = camera.corrections()
    x, y, w, h = correction.box  # the box under the pointer when the picture froze
    assert np.array_equal(SampleStore().load_crop(sample), frame[y:y + h, x:x + w])
    assert digit_texts(camera.view.items())[0] == "4"
    assert window.side.reading.numbers_label.text() == "47"
    # Live again: the reading is the model's again; the sample stays.
    camera.freeze_button.setChecked(False)
    qtbot.waitUntil(lambda: camera.frames_shown > frames + 2, timeout=TIMEOUT)
    assert digit_texts(camera.view.items())[0] == "7"
    assert len(SampleStore().samples()) == 1
    # The box tool freezes the picture too; Esc puts the tool away.
    window.box_action.trigger()
    assert camera.is_frozen() and camera.view.box_mode()
    QTest.keyClick(camera.view, Qt.Key.Key_Escape)
    assert not camera.view.box_mode()
    camera.stop()


def test_the_menu_away_from_a_box_offers_the_box_tool(window, qtbot, tmp_path):
    doc = open_document(window, qtbot, _page(tmp_path))
    window.set_mode(DOCUMENT)
    doc.view.resize(600, 600)
    doc.show_correction_menu("", -1)
    [action] = [a for a in doc.correction_menu.actions() if "Box" in a.text()]
    action.trigger()
    assert doc.view.box_mode()
    QTest.keyClick(doc.view, Qt.Key.Key_Escape)
    assert not doc.view.box_mode()
