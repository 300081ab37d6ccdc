"""Draw mode: images and strokes on the canvas are read; undo, clear, save, selection."""
from __future__ import annotations

import cv2
import pytest
from gui_helpers import digits_image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from digit_app.gui.main_window import DRAW
from digit_app.gui.widgets.convert import bgr_to_qimage

TIMEOUT = 5000


def settled_with(draw, n_digits: int):
    return lambda: draw.is_settled() and draw.current_recognition() is not None and len(
        draw.current_recognition().digits) == n_digits


def stroke(canvas, points: list[tuple[float, float]]) -> None:
    """Press, move and release the left button along canvas-pixel points."""
    t = canvas.transform()
    pts = [t.map(QPoint(int(x), int(y))) for x, y in points]
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[0])
    for p in pts[1:]:
        QTest.mouseMove(canvas, p)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[-1])


def test_a_digit_image_placed_on_the_canvas_is_read(window, qtbot):
    window.set_mode(DRAW)
    draw = window.draw_mode
    results = []
    window.side.reading.numbers_label.setText("")
    draw.result_changed.connect(lambda rec, sel, note: results.append(rec))
    draw.canvas.load_image(bgr_to_qimage(digits_image("42")))
    qtbot.waitUntil(settled_with(draw, 2), timeout=TIMEOUT)
    rec = draw.current_recognition()
    assert [n.text for n in rec.numbers] == ["77"]
    # Boxes and labels are on the canvas, the reading in the side panel in large type.
    assert [i.text for i in draw.canvas.items() if i.kind == "digit"] == ["7", "7"]
    assert window.side.reading.numbers_label.text() == "77"
    assert window.side.reading.bars.probabilities()[7] == 0.9
    assert window.side.reading.input_view.pixmap() is not None
    assert "Latency" in window.latency_label.text() and "–" not in window.latency_label.text()
    draw_latency = window.latency_label.text()
    # Another mode that has read nothing shows no latency, not Draw's.
    from digit_app.gui.main_window import CAMERA
    window.set_mode(CAMERA)
    assert window.latency_label.text() == "Latency: –"
    window.set_mode(DRAW)
    assert window.latency_label.text() == draw_latency


def test_mouse_strokes_are_read_and_undo_removes_them(window, qtbot):
    draw = window.draw_mode
    canvas = draw.canvas
    draw.pen_width.setValue(16)
    stroke(canvas, [(300, 200), (320, 300), (340, 400), (350, 450)])
    qtbot.waitUntil(settled_with(draw, 1), timeout=TIMEOUT)
    stroke(canvas, [(600, 200), (650, 220), (700, 260), (690, 400)])
    qtbot.waitUntil(settled_with(draw, 2), timeout=TIMEOUT)
    assert canvas.stroke_count() == 2
    # The digit just drawn is the one selected.
    assert draw.selected == 1
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    qtbot.waitUntil(settled_with(draw, 1), timeout=TIMEOUT)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(settled_with(draw, 0), timeout=TIMEOUT)
    assert canvas.is_empty()
    assert window.side.reading.numbers_label.text() == "—"
    assert not window.undo_action.isEnabled()


def test_recognition_runs_while_drawing_without_blocking(window, qtbot):
    draw = window.draw_mode
    canvas = draw.canvas
    submitted = []
    window.inference.worker.result_ready.connect(lambda r: submitted.append(r.tag))
    t = canvas.transform()
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     t.map(QPoint(200, 200)))
    for k in range(30):
        QTest.mouseMove(canvas, t.map(QPoint(200 + 5 * k, 200 + 8 * k)))
        qtbot.wait(15)
    # Read during the stroke (throttled), before the pen is lifted.
    qtbot.waitUntil(lambda: draw.current_recognition() is not None
                    and len(draw.current_recognition().digits) == 1, timeout=TIMEOUT)
    assert canvas.stroke_count() == 0
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       t.map(QPoint(350, 440)))
    qtbot.waitUntil(settled_with(draw, 1), timeout=TIMEOUT)
    assert 1 <= len(submitted) < 30


def test_clear_save_load_and_pen_width(window, qtbot, tmp_path):
    draw = window.draw_mode
    draw.pen_width.setValue(30)
    assert draw.canvas.pen_width == 30
    assert draw.open_path(str(_png(tmp_path)))
    qtbot.waitUntil(settled_with(draw, 3), timeout=TIMEOUT)
    out = tmp_path / "drawing.png"
    assert draw.save_to(str(out))
    saved = cv2.imread(str(out))
    assert saved.shape[:2] == (draw.canvas.canvas_size().height(), draw.canvas.canvas_size().width())
    assert saved.min() < 50  # the ink is there
    window.clear_action.trigger()
    qtbot.waitUntil(settled_with(draw, 0), timeout=TIMEOUT)
    # A file that is not an image: a message in the window, the canvas untouched.
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png")
    assert not draw.open_path(str(bad))
    assert "bad.png" in draw.message.text()


def test_right_click_selects_a_digit(window, qtbot):
    draw = window.draw_mode
    draw.canvas.load_image(bgr_to_qimage(digits_image("42")))
    qtbot.waitUntil(settled_with(draw, 2), timeout=TIMEOUT)
    second = [i for i in draw.canvas.items() if i.kind == "digit"][1]
    x, y, w, h = second.box
    pos = draw.canvas.transform().map(QPoint(x + w // 2, y + h // 2))
    QTest.mouseClick(draw.canvas, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, pos)
    assert draw.selected == 1
    assert "Digit 2 of 2" in window.side.reading.digit_title.text()
    window.side.reading.next_button.click()
    assert draw.selected == 0


def _png(tmp_path):
    path = tmp_path / "three.png"
    cv2.imwrite(str(path), digits_image("427", size=(240, 500)))
    return path


def _ink_pixels(canvas) -> int:
    from digit_app.gui.widgets.convert import qimage_to_bgr

    return int((qimage_to_bgr(canvas.image()) < 128).any(axis=2).sum())


def test_the_whole_visible_canvas_is_drawable(qtbot):
    from PySide6.QtCore import QPointF

    from digit_app.gui.widgets.canvas import DrawCanvas

    canvas = DrawCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 800)  # much taller than the 1200x720 page's shape
    canvas.show()
    qtbot.waitExposed(canvas)
    # The page covers the widget: its corners are on the page, no band above or below.
    size = canvas.canvas_size()
    for corner in (QPointF(0, 0), QPointF(399, 799)):
        p = canvas.to_canvas(corner)
        assert -1 <= p.x() <= size.width() + 1 and -1 <= p.y() <= size.height() + 1
    top_left = canvas.transform().map(QPointF(0, 0))
    assert abs(top_left.x()) < 1 and abs(top_left.y()) < 1
    # A stroke along the very top of the widget is kept.
    canvas.pen_width = 12
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(50, 4))
    QTest.mouseMove(canvas, QPoint(200, 4))
    QTest.mouseMove(canvas, QPoint(350, 6))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(350, 6))
    assert canvas.stroke_count() == 1
    ink = _ink_pixels(canvas)
    assert ink > 100
    # Made wider, the page grows sideways and keeps the stroke (and its ink) whole.
    canvas.resize(1000, 800)
    qtbot.wait(10)
    assert canvas.canvas_size().width() > size.width() and canvas.canvas_size().height() == size.height()
    assert abs(_ink_pixels(canvas) - ink) <= ink * 0.05
    assert abs(canvas.transform().map(QPointF(0, 0)).x()) < 1
    canvas.clear()
    assert canvas.canvas_size().width() * canvas.canvas_size().height() == pytest.approx(1200 * 720, rel=0.01)


def test_a_pen_width_beyond_the_range_is_clamped_visibly(window, qtbot):
    draw = window.draw_mode
    box = draw.pen_width
    box.lineEdit().selectAll()
    QTest.keyClicks(box, "999")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == 60 and draw.canvas.pen_width == 60  # the nearest limit, not 9
    assert "999 px became 60 px" in draw.message.text() and draw.message.isVisible()
    box.lineEdit().selectAll()
    QTest.keyClicks(box, "25")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == 25
