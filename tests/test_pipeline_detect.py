"""Detection part of the pipeline on synthetic images: binarize, components, merge, grouping."""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from digit_app.pipeline import (
    CandidateCrop,
    NormalizeConfig,
    PipelineConfig,
    binarize,
    find_candidates,
    find_candidates_and_writing,
    group_numbers,
    normalize_batch,
    reading_order,
)
from digit_app.pipeline.binarize import detect_polarity, to_gray
from digit_app.pipeline.components import box_filter
from digit_app.pipeline.grouping import digits_in_context, lone_giants, lone_marks, marks_in_numbers
from digit_app.pipeline.merge import merge_pieces

FONT = cv2.FONT_HERSHEY_SIMPLEX


def paper(h: int, w: int, value: int = 255) -> np.ndarray:
    return np.full((h, w), value, np.uint8)


def write(img: np.ndarray, text: str, org: tuple[int, int], scale: float, thick: int,
          color: int | tuple[int, ...] = 0) -> np.ndarray:
    cv2.putText(img, text, org, FONT, scale, color, thick, cv2.LINE_AA)
    return img


def text_box(text: str, org: tuple[int, int], scale: float, thick: int) -> tuple[int, int, int, int]:
    """Ink bounding box of ``text`` as :func:`write` draws it."""
    m = np.zeros((org[1] + 400, org[0] + 2000), np.uint8)
    write(m, text, org, scale, thick, 255)
    return cv2.boundingRect(cv2.findNonZero(m))


def boxes_of(cands: list[CandidateCrop]) -> list[tuple[int, int, int, int]]:
    return [c.box for c in cands]


def assert_valid(cands: list[CandidateCrop], shape: tuple[int, ...]) -> None:
    assert isinstance(cands, list)
    for c in cands:
        assert isinstance(c, CandidateCrop)
        x, y, w, h = c.box
        assert all(isinstance(v, int) for v in c.box)
        assert x >= 0 and y >= 0 and w > 0 and h > 0
        assert x + w <= shape[1] and y + h <= shape[0]
        assert c.mask.shape == (h, w) and c.mask.dtype == np.uint8
        assert set(np.unique(c.mask).tolist()) <= {0, 255}
        assert c.mask.any()


def covers(box, ref, tol: int = 3) -> bool:
    """``box`` matches ``ref`` within ``tol`` pixels on every side."""
    x, y, w, h = box
    rx, ry, rw, rh = ref
    return (abs(x - rx) <= tol and abs(y - ry) <= tol and abs(x + w - rx - rw) <= tol
            and abs(y + h - ry - rh) <= tol)


# ---- the GUI canvas ------------------------------------------------------------------------


@pytest.mark.parametrize("thick", [2, 6, 14, 24])
def test_one_digit_on_canvas(thick):
    img = write(paper(300, 500), "7", (200, 220), 6.0, thick)
    cands = find_candidates(img)
    assert_valid(cands, img.shape)
    assert len(cands) == 1
    assert covers(cands[0].box, text_box("7", (200, 220), 6.0, thick))
    assert cands[0].line_height == pytest.approx(cands[0].box[3], rel=0.01)
    batch = normalize_batch([c.mask for c in cands])
    assert batch.shape == (1, 32, 32, 1) and batch.max() > 0.5


@pytest.mark.parametrize("thick", [2, 40])
def test_pen_width_extremes_with_mouse_strokes(thick):
    img = paper(300, 500)
    cv2.line(img, (120, 40), (120, 260), 0, thick)  # a '1'
    cv2.ellipse(img, (330, 150), (70, 110), 0, 0, 360, 0, thick)  # a '0'
    cands = find_candidates(img)
    assert len(cands) == 2
    assert cands[0].box[0] < 130 < cands[1].box[0]
    assert cands[0].box[3] >= 215 and cands[1].box[3] >= 215


def test_a_hairline_digit_on_a_big_canvas_is_found():
    """A 7 drawn with a 1 px line, 730 px tall, fills under 1% of its box; it is a digit
    all the same (it was dropped as too empty), and the fill widening finds it."""
    img = paper(1000, 800)
    seven = np.array([[200, 150], [600, 150], [330, 880]], np.int32)
    cv2.polylines(img, [seven], False, 0, 1, cv2.LINE_AA)
    ink = np.count_nonzero(img < 128)
    cands = find_candidates(img)
    assert len(cands) == 1
    _, _, w, h = cands[0].box
    assert h >= 725 and ink / (w * h) < 0.01
    assert find_candidates(img, PipelineConfig(min_ink_stroke_rel=0.0)) == []


def test_fill_is_widened_only_for_strokes_thinner_than_the_share_of_the_height():
    """``box_filter``'s fill: a 700 px box holding 0.75% ink is a hairline digit when its
    strokes are 2 px wide, and too empty for a digit when they are 30 px (a few blots)."""
    boxes = np.array([[0, 0, 500, 700]])
    areas = np.array([0.0075 * 500 * 700])
    shape = (1000, 1000)
    assert box_filter(boxes, areas, 700.0, shape, stroke=2.0).tolist() == [True]
    assert box_filter(boxes, areas, 700.0, shape, stroke=30.0).tolist() == [False]
    assert box_filter(boxes, areas, 700.0, shape).tolist() == [False]  # stroke unknown


def test_digits_in_a_row_form_one_number_in_order():
    img = write(paper(300, 600), "4096", (40, 200), 4.0, 8)
    cands = find_candidates(img)
    assert_valid(cands, img.shape)
    assert len(cands) == 4
    xs = [c.box[0] for c in cands]
    assert xs == sorted(xs)
    assert group_numbers(boxes_of(cands)) == [(0, 1, 2, 3)]
    # The grouping works on any order of the same boxes.
    shuffled = [cands[i].box for i in (2, 0, 3, 1)]
    assert group_numbers(shuffled) == [(1, 3, 0, 2)]


def test_a_doubtful_candidate_standing_in_a_number_joins_it():
    """The middle candidate of three on a line is kept (it stands between digits the model
    read); a dot after them (too short), a candidate far away (no number) and one beside
    digits that may not vouch for it (1s) are not."""
    boxes = np.array([(0, 0, 30, 40), (35, 0, 30, 40), (70, 0, 30, 40), (105, 30, 6, 8),
                      (300, 0, 30, 40)])
    read = np.array([True, False, True, False, False])
    maybe = np.array([False, True, False, True, True])
    assert digits_in_context(boxes, read, maybe).tolist() == [False, True, False, False, False]
    assert not digits_in_context(boxes, read, maybe, vouch=np.zeros(5, bool)).any()
    assert not digits_in_context(boxes, np.zeros(5, bool), maybe).any()


def test_a_mark_far_shorter_than_its_numbers_digits_is_no_digit():
    """Two dots after a "1" read as another 1 (a third of the digits' height); a lone small
    digit elsewhere, and a thin but tall 1, stay digits."""
    boxes = np.array([(0, 0, 20, 76), (30, 50, 5, 27), (45, 0, 60, 76), (110, 5, 50, 70),
                      (400, 0, 12, 20), (170, 0, 8, 74)])
    assert marks_in_numbers(boxes).tolist() == [False, True, False, False, False, False]
    assert not marks_in_numbers(boxes, PipelineConfig(number_min_height_rel=0)).any()
    assert not marks_in_numbers(boxes[:1]).any()


def test_digits_of_the_pages_size_are_no_marks_of_a_far_taller_box_beside_them():
    """A frame read whole: a ring on the desk, 300 px tall, stands just left of a number
    written 45 px tall on the sheet. The ring does not join the number, so its digits are
    no marks of it; a full stop after the number still is one."""
    ring = (0, 0, 200, 300)
    digits = [(225 + 40 * k, 20, 28, 45) for k in range(4)]
    boxes = np.array([ring, *digits, (385, 57, 6, 8)])
    assert group_numbers(boxes) == [(0,), (1, 2, 3, 4, 5)]
    assert marks_in_numbers(boxes).tolist() == [False] * 5 + [True]
    off = PipelineConfig(number_min_height_rel=0)
    assert group_numbers(boxes, off) == [(0, 1, 2, 3, 4, 5)]


def test_a_thick_lone_mark_far_shorter_than_the_pages_digits_is_a_blot():
    """Five digits 70 px tall drawn with a 6 px pen; a lone blob 24 px tall whose stroke is
    half its width is a blot. A lone digit as small drawn with the page's pen, and two small
    blobs side by side (a number written small), are kept."""
    digits = [(x, 0, 45, 70) for x in range(0, 500, 100)]
    boxes = np.array(digits + [(700, 20, 18, 24), (800, 20, 18, 24), (1000, 20, 18, 24), (1025, 20, 18, 24)])
    strokes = np.array([6.0] * 5 + [9.0, 4.0, 9.0, 9.0])
    assert lone_marks(boxes, strokes).tolist() == [False] * 5 + [True, False, False, False]
    assert not lone_marks(boxes, strokes, PipelineConfig(lone_mark_height_rel=0)).any()
    unknown = strokes.copy()
    unknown[5] = np.nan
    assert not lone_marks(boxes, unknown).any()


def test_on_a_page_of_few_digits_only_a_solid_speck_is_a_blot():
    """Two digits 70 px tall and a lone blob: solid (stroke half its width) and 24 px tall
    (0.34 of their height), it is a speck of ink; 31 px tall (0.44), or drawn with the page's
    pen, or beside a single digit, it is kept (a small digit of a short page)."""
    digits = [(0, 0, 45, 70), (100, 0, 45, 70)]
    speck, taller = (300, 20, 18, 24), (300, 20, 24, 31)
    strokes = np.array([6.0, 6.0, 9.0])
    assert lone_marks(np.array(digits + [speck]), strokes).tolist() == [False, False, True]
    assert not lone_marks(np.array(digits + [taller]), [6.0, 6.0, 12.0]).any()
    assert not lone_marks(np.array(digits + [speck]), [6.0, 6.0, 4.0]).any()
    assert not lone_marks(np.array(digits[:1] + [speck]), strokes[1:]).any()
    off = PipelineConfig(lone_speck_height_rel=0)
    assert not lone_marks(np.array(digits + [speck]), strokes, off).any()


def test_a_lone_digit_far_taller_than_the_others_is_a_giant():
    """Four digits 45 px tall and a lone box 150 px tall (3.3 times: a ring on the desk) is a
    giant; one 120 px tall (2.7 times: a big digit) is not, nor a number of two tall boxes,
    nor a tall box beside a single digit."""
    digits = [(300 + 40 * k, 20, 28, 45) for k in range(4)]
    assert lone_giants(np.array([(0, 0, 150, 150), *digits])).tolist() == [True] + [False] * 4
    assert not lone_giants(np.array([(0, 0, 100, 120), *digits])).any()
    assert not lone_giants(np.array([(0, 0, 60, 150), (65, 0, 60, 150), *digits])).any()
    assert not lone_giants(np.array([(0, 0, 150, 150), digits[0]])).any()
    assert not lone_giants(np.array([(0, 0, 150, 150), *digits]), PipelineConfig(lone_giant_height_rel=0)).any()


def test_a_round_thick_lone_mark_is_a_blot_a_little_taller_than_a_bar_is():
    """Five digits 70 px tall; lone marks 38 px tall (0.54 of them), drawn with a stroke
    half their width: the round one (a blot, read 8) is dropped, the bar (a short 1) kept."""
    digits = [(x, 0, 45, 70) for x in range(0, 500, 100)]
    boxes = np.array(digits + [(700, 20, 30, 38), (800, 20, 12, 38)])
    strokes = np.array([6.0] * 5 + [15.0, 6.0])
    assert lone_marks(boxes, strokes).tolist() == [False] * 5 + [True, False]
    assert not lone_marks(boxes, strokes, PipelineConfig(lone_blot_height_rel=0.5)).any()


def test_two_lines_are_two_numbers_in_reading_order():
    img = paper(400, 600)
    write(img, "385", (60, 150), 3.0, 6)
    write(img, "72", (300, 320), 3.0, 6)
    cands = find_candidates(img)
    assert len(cands) == 5
    numbers = group_numbers(boxes_of(cands))
    assert [len(n) for n in numbers] == [3, 2]
    assert numbers == [(0, 1, 2), (3, 4)]  # candidates already come in reading order
    assert all(c.box[1] < 200 for c in cands[:3]) and all(c.box[1] > 200 for c in cands[3:])


def test_light_ink_on_dark_background():
    img = np.zeros((300, 500, 3), np.uint8)
    img[:] = (40, 70, 30)  # a dark green board
    write(img, "58", (120, 220), 5.0, 12, (235, 240, 230))
    assert detect_polarity(img) == "light"
    cands = find_candidates(img)
    assert len(cands) == 2
    assert covers(cands[0].box, text_box("5", (120, 220), 5.0, 12), tol=4)
    dark = write(paper(300, 500), "58", (120, 220), 5.0, 12)
    assert detect_polarity(dark) == "dark"
    assert boxes_of(find_candidates(255 - dark)) == boxes_of(find_candidates(dark))


def test_gradient_lit_low_contrast_noisy_webcam_frame():
    rng = np.random.default_rng(3)
    h, w = 480, 640
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 70 + 110 * xx / w + 40 * yy / h
    light *= 1 - 0.35 * np.exp(-(((xx - 120) / 150) ** 2))  # soft shadow on the left
    ink = write(np.zeros((h, w), np.uint8), "2024", (60, 260), 3.5, 7, 255) / 255.0
    frame = light * (1 - 0.3 * ink) + rng.normal(0, 4, (h, w))  # ink only 30% darker
    frame = cv2.cvtColor(np.clip(frame, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
    cands = find_candidates(frame)
    assert_valid(cands, frame.shape)
    assert len(cands) == 4
    assert group_numbers(boxes_of(cands)) == [(0, 1, 2, 3)]
    ref = text_box("2024", (60, 260), 3.5, 7)
    assert all(abs(c.box[3] - ref[3]) <= 0.1 * ref[3] for c in cands)


def test_ruled_lines_are_removed_and_do_not_break_digits():
    img = paper(600, 900, 250)
    for y in range(40, 600, 60):  # ruled paper, one line crossing the digits
        cv2.line(img, (0, y), (899, y + 4), 170, 2)
    cv2.line(img, (80, 0), (80, 599), 120, 3)  # margin / table border
    org, scale, thick = (200, 250), 3.0, 7
    write(img, "1749", org, scale, thick, 20)
    write(img, "36", (600, 500), 2.0, 5, 20)
    ref = text_box("1749", org, scale, thick)
    assert ref[1] < 220 < ref[1] + ref[3]  # the line at y=220 runs through the digits
    cands = find_candidates(img)
    assert_valid(cands, img.shape)
    assert len(cands) == 6
    assert group_numbers(boxes_of(cands)) == [(0, 1, 2, 3), (4, 5)]
    for c, digit in zip(cands[:4], "1749"):  # each digit whole, not cut at the line
        assert abs(c.box[3] - ref[3]) <= 4
        assert c.box[2] <= text_box(digit, org, scale, thick)[2] + 4


def test_table_grid_with_digits_touching_the_borders():
    img = paper(500, 800)
    for y in (60, 160, 260, 360):
        cv2.line(img, (50, y), (750, y), 0, 2)
    for x in (50, 300, 750):
        cv2.line(img, (x, 60), (x, 360), 0, 2)
    write(img, "57", (90, 161), 2.6, 6)  # sits on the line below (baseline touches it)
    write(img, "903", (340, 240), 2.6, 6)
    write(img, "8", (120, 300), 2.6, 6)
    cands = find_candidates(img)
    assert_valid(cands, img.shape)
    assert [len(n) for n in group_numbers(boxes_of(cands))] == [2, 3, 1]
    assert all(c.box[3] < 100 and c.box[2] < 100 for c in cands)


def squared_paper(h: int, w: int, cell: int, offset: int = 7) -> np.ndarray:
    """Paper ruled in squares of ``cell`` px by 1 px grey lines, as a scan or copy shows them."""
    img = paper(h, w, 250)
    img[:, offset::cell] = 150
    img[offset::cell, :] = 150
    return img


def test_a_number_cut_from_squared_paper_is_read_without_the_grid():
    """A crop three digits tall: the grid's columns are far shorter than a page's ruling
    (``line_length_rel_height`` digit heights) but cross every row of it."""
    img = squared_paper(180, 360, 40)
    org, scale, thick = (50, 125), 2.6, 3
    write(img, "2074", org, scale, thick, 30)
    ref = text_box("2074", org, scale, thick)
    cands = find_candidates(img)
    assert_valid(cands, img.shape)
    assert len(cands) == 4
    assert all(ref[1] - 3 <= c.box[1] and c.box[1] + c.box[3] <= ref[1] + ref[3] + 3 for c in cands)
    # Before, the grid was left whole, and the digits joined to it were lost.
    assert len(find_candidates(img, PipelineConfig(line_grid_min_crossings=1000))) < 4


@pytest.mark.parametrize("digit", ["1", "7"])
def test_a_lone_digit_cut_small_from_squared_paper_keeps_its_straight_stroke(digit):
    """A 1, or the stem of a 7, about 90 px long on squares of 42 px: a straight run as long
    as the lines of so small a crop, but its top stops short of them. The grid's lines,
    shorter than any length rule here, are told by crossing each other."""
    img = squared_paper(142, 142, 42, offset=1)
    pts = [(69, 29), (69, 129)] if digit == "1" else [(45, 32), (90, 32), (66, 117)]
    cv2.polylines(img, [np.array(pts)], False, 40, 3)
    cands = find_candidates(img)
    assert len(cands) == 1
    _, y, w, h = cands[0].box
    assert abs(y - pts[0][1]) <= 4 and abs(y + h - pts[-1][1]) <= 4 and w <= 55
    # Before, the 1 went with the lines; the 7 was lost with the whole grid left on it.
    assert not any(abs(c.box[1] - y) <= 4 and c.box[2] <= 55 for c in find_candidates(
        img, PipelineConfig(line_float_reach=100.0, line_grid_min_crossings=1000)))


def _ruled_crop(width: int) -> tuple[np.ndarray, int]:
    """A crop of ruled paper (ink mask, 0/255) ``width`` px wide: two 1 px lines across it, a
    7 and a 1 drawn with a 4 px pen crossing the lower one; and that line's row."""
    mask = np.zeros((170, width), np.uint8)
    mask[30, :] = mask[104, :] = 255
    cv2.polylines(mask, [np.array([(60, 58), (100, 58), (75, 118)])], False, 255, 4)
    cv2.line(mask, (130, 58), (125, 118), 255, 4)
    return mask, 104


@pytest.mark.parametrize("width", [200, 260])
def test_the_lines_of_a_ruled_crop_a_few_digits_wide_are_erased(width):
    """Such lines are far shorter than a page's ruling (``line_length_rel_height`` digit
    heights) but run past the writing to both edges."""
    from digit_app.pipeline.binarize import estimate_stroke_width, speck_area
    from digit_app.pipeline.components import label, remove_lines

    mask, row = _ruled_crop(width)
    stroke = estimate_stroke_width(mask)
    cfg = PipelineConfig()
    args = (mask, label(mask), stroke, speck_area(mask.shape, stroke, cfg))
    cleaned = remove_lines(*args, cfg)
    assert cleaned is not None
    assert not cleaned[row, :50].any() and not cleaned[row, 150:].any()  # the line is gone
    assert cleaned[row, 126:132].any()  # the 1 crossing it is mended
    before = remove_lines(*args, PipelineConfig(line_across_min_aspect=100.0))
    assert before is None or before[row, :50].all()  # the line through the digits stayed


def test_a_7_whose_bar_spans_a_tight_crop_keeps_it():
    img = paper(120, 80, 250)
    cv2.polylines(img, [np.array([(0, 10), (79, 10), (30, 119)])], False, 30, 6)
    cands = find_candidates(img)
    assert len(cands) == 1 and cands[0].box[1] <= 8


def test_the_dots_of_dotted_paper_are_no_ink():
    """Printed dots smaller than the pen's, 25 px apart round and inside the digits. Held-out
    UNIPEN numbers on such paper (``benchmarks/bench_paper.py``): the dots set the typical
    height and joined the digits; many pieces under 0.35 stroke widths squared are specks
    now (``paper_dot_area_rel_stroke``, ``paper_dot_min_count``)."""
    img = paper(170, 300, 250)
    for y in range(5, 170, 25):
        for x in range(9, 300, 25):
            cv2.circle(img, (x, y), 1, 120, -1)
    org, scale, thick = (50, 115), 2.6, 4
    write(img, "2074", org, scale, thick, 30)
    ref = text_box("2074", org, scale, thick)
    cands = find_candidates(img)
    assert len(cands) == 4
    assert all(ref[1] - 3 <= c.box[1] and c.box[1] + c.box[3] <= ref[1] + ref[3] + 3 for c in cands)
    # With a 4.4 px pen, sixty printed dots of 5 px are specks, a decimal point (a disc of the
    # pen's width, 15 px) is not; so are a few such dots, as before.
    from digit_app.pipeline.binarize import speck_area
    from digit_app.pipeline.components import label

    dotted = np.zeros((170, 300), np.uint8)
    for k in range(60):
        dotted[5 + 25 * (k // 12), 9 + 25 * (k % 12)] = 255
    dotted = cv2.dilate(dotted, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))  # 5 px each
    cfg = PipelineConfig()
    plain = speck_area(dotted.shape, 4.4, cfg)
    assert plain < 5 < speck_area(dotted.shape, 4.4, cfg, label(dotted).stats[1:, 4]) < 15
    assert speck_area(dotted.shape, 4.4, cfg, label(dotted[:30]).stats[1:, 4]) == plain  # twelve dots: as before


def test_printed_dots_beside_a_lone_thin_digit_are_specks():
    """Thirty printed dots of 5 px beside one photographed digit whose pen is 3.3 px: by
    their number and height the dots set the usual stroke, the digit passed for a solid shape,
    and the dots' height was the typical one (``bench_paper.py --photos --single``, dots 25 px
    apart: 0.39 read right at 0.35 stroke widths squared, 0.96 now). A decimal point (a disc
    of the pen's width, about 0.8) is no dot."""
    from digit_app.pipeline.binarize import speck_area

    areas = np.array([5] * 30 + [599])
    cfg = PipelineConfig()
    assert speck_area((160, 136), 3.34, cfg, areas) > 5
    assert speck_area((160, 136), 3.34, PipelineConfig(paper_dot_area_rel_stroke=0.35), areas) < 5
    assert speck_area((160, 136), 3.34, cfg, areas) < 0.78 * 3.34**2


def test_a_stroke_lying_along_a_grid_line_is_kept():
    """The bar of a 7 drawn right along a row of squared paper, its upright crossing the rows
    below: erased with the row, the 7 lost its bar."""
    img = squared_paper(240, 360, 40)
    row = 7 + 40 * 2  # a row of the grid
    cv2.polylines(img, [np.array([(150, row), (200, row), (165, row + 90)])], False, 30, 4)
    cands = find_candidates(img)
    assert len(cands) == 1
    _, y, w, _ = cands[0].box
    assert abs(y - (row - 2)) <= 2 and w >= 50
    y_lost = find_candidates(img, PipelineConfig(line_keep_thicker_px=0))[0].box[1]
    assert y_lost > row + 2


@pytest.mark.parametrize("thick", [2, 5])
def test_lone_one_with_flag_and_foot_is_not_taken_for_a_line(thick):
    img = paper(300, 500)
    cv2.line(img, (250, 30), (250, 270), 0, thick)  # stem, 80% of the canvas height
    cv2.line(img, (250, 30), (232, 45), 0, thick)  # small flag
    cv2.line(img, (215, 270), (285, 270), 0, thick)  # foot
    cands = find_candidates(img)
    assert len(cands) == 1 and cands[0].box[3] >= 238
    # Beside other digits and a margin line: the line goes, the '1' stays.
    img = paper(700, 700)
    cv2.line(img, (20, 0), (20, 699), 0, thick)
    write(img, "23", (60, 230), 5.0, thick + 4)
    cv2.line(img, (450, 80), (450, 230), 0, thick + 4)
    cv2.line(img, (450, 80), (435, 92), 0, thick + 4)
    cands = find_candidates(img)
    assert len(cands) == 3
    assert cands[-1].box[3] >= 150 and all(c.box[0] > 30 for c in cands)


# The pen points of a held-out UNIPEN writer's "1" (x, y in tablet units): one stroke whose
# slant changes halfway, so its straight runs lie end to end.
WOBBLY_ONE = np.array([
    (103.60, -53.36), (103.52, -53.20), (103.52, -53.00), (103.52, -52.88), (103.52, -52.76),
    (103.52, -52.60), (103.56, -52.44), (103.56, -52.28), (103.60, -52.04), (103.60, -51.84),
    (103.64, -51.64), (103.70, -51.44), (103.74, -51.18), (103.78, -50.98), (103.78, -50.74),
    (103.82, -50.50), (103.82, -50.30), (103.86, -50.10), (103.86, -49.90), (103.90, -49.74),
    (103.90, -49.54), (103.90, -49.42), (103.90, -49.26), (103.90, -49.14), (103.86, -49.02)], np.float32)


def test_a_tall_one_whose_runs_lie_end_to_end_is_not_ruling():
    from digit_app.real_eval import PEN_STYLES, canvas_image

    img = canvas_image([WOBBLY_ONE], *PEN_STYLES["unipen-mouse"])  # 2 px on a 585 px canvas
    cands = find_candidates(img)
    assert len(cands) == 1 and cands[0].box[3] >= 0.9 * 320
    # Two such strokes side by side, joined at the top, are a grid's two rules.
    grid = paper(300, 300)
    cv2.line(grid, (100, 20), (200, 20), 0, 2)
    cv2.line(grid, (100, 20), (100, 290), 0, 2)
    cv2.line(grid, (200, 20), (200, 290), 0, 2)
    assert find_candidates(grid) == []


# The pen points of a held-out UNIPEN writer's "1" (every fourth), drawn down and back up:
# its two passes lie side by side, up to six stroke widths apart.
RETRACED_ONE = np.array([
    (99.34, -52.04), (99.22, -52.44), (99.18, -52.68), (99.22, -52.68), (99.30, -52.28),
    (99.30, -51.56), (99.30, -50.68), (99.30, -49.80), (99.30, -49.24), (99.30, -49.12),
    (99.38, -49.40), (99.42, -50.16), (99.54, -51.12), (99.62, -51.92), (99.66, -52.24),
    (99.62, -51.92), (99.54, -51.12), (99.54, -50.84)], np.float32)


def test_mouse_digits_whose_strokes_run_side_by_side_are_not_ruling():
    from digit_app.real_eval import PEN_STYLES, canvas_image

    img = canvas_image([RETRACED_ONE], *PEN_STYLES["unipen-mouse"])  # 2 px, 585 px canvas
    cands = find_candidates(img)
    assert len(cands) == 1 and cands[0].box[3] >= 0.9 * 320
    # A 4 whose stroke and upright run in parallel, about as far apart as they are long.
    four = np.full((585, 480), 255, np.uint8)
    cv2.line(four, (150, 131), (140, 300), 0, 2)
    cv2.line(four, (140, 300), (340, 296), 0, 2)
    cv2.line(four, (300, 150), (296, 454), 0, 2)
    cands = find_candidates(four)
    assert len(cands) == 1 and cands[0].box[3] >= 320
    # Two rules as long as that, far longer than the distance between them, are ruling.
    rules = paper(300, 600)
    cv2.line(rules, (40, 100), (560, 100), 0, 2)
    cv2.line(rules, (40, 100), (40, 180), 0, 2)
    cv2.line(rules, (40, 180), (560, 180), 0, 2)
    assert find_candidates(rules) == []


def test_three_sides_of_a_box_whose_fourth_runs_along_the_sheet_edge_are_ruling():
    from helpers import ROOT

    cap = cv2.VideoCapture(str(ROOT / "assets" / "camera.avi"))
    ok, frame = cap.read()
    cap.release()
    assert ok
    # The box around "75013" at the foot of the sheet: its sides run in parallel, as far
    # apart as the box is wide, and its top joins them.
    cands = find_candidates(frame)
    assert cands and all(c.box[2] < 200 for c in cands)


def test_five_with_detached_top_bar_is_one_candidate():
    img = paper(300, 300)
    cv2.line(img, (125, 60), (200, 60), 0, 9)  # top bar, not touching the rest
    cv2.line(img, (115, 80), (110, 140), 0, 9)  # stem
    cv2.ellipse(img, (150, 185), (50, 52), 0, 200, 500, 0, 9)  # belly
    pieces = cv2.connectedComponents(255 - img)[0] - 1
    assert pieces == 2
    cands = find_candidates(img)
    assert len(cands) == 1
    _x, y, _w, h = cands[0].box
    assert y <= 57 and y + h >= 235 and np.count_nonzero(cands[0].mask[:10]) > 0


def test_five_whose_top_bar_is_shifted_right_of_its_body_is_one_candidate():
    img = paper(300, 300)
    # The bar, drawn last, starts over the belly's right end: a quarter of it over the body.
    cv2.line(img, (145, 62), (225, 54), 0, 9)
    cv2.line(img, (112, 80), (108, 140), 0, 9)  # stem
    cv2.ellipse(img, (125, 185), (38, 52), 0, 200, 500, 0, 9)  # belly
    assert cv2.connectedComponents(255 - img)[0] - 1 == 2
    cands = find_candidates(img)
    assert len(cands) == 1
    x, y, w, _h = cands[0].box
    assert y <= 50 and x + w >= 225


def test_five_whose_bar_runs_wider_than_its_typical_height_is_one_candidate():
    """A mouse 5 whose bar, drawn apart, runs far to the right: the digit is wider than 1.4
    typical heights (set by the body), but not than 1.4 of its own height with the bar."""
    body, bar = (131, 190, 230, 265), (300, 131, 270, 50)
    assert merge_pieces(np.array([body, bar]), 265.0) == [[0, 1]]
    # A line as wide over a digit but reaching past its left side too (a rule, a printed
    # word) stays apart.
    line = (60, 150, 400, 20)
    assert merge_pieces(np.array([body, line]), 265.0) == [[0], [1]]
    # So does the edge of a desk over a digit: the merged box is no digit's height.
    desk, digit = (373, 0, 267, 221), (419, 234, 48, 57)
    assert merge_pieces(np.array([desk, digit]), 57.0) == [[0], [1]]


def test_four_written_in_two_strokes_is_one_candidate():
    img = paper(300, 300)
    cv2.line(img, (175, 50), (95, 170), 0, 8)  # first stroke: down and across
    cv2.line(img, (95, 170), (150, 170), 0, 8)
    cv2.line(img, (165, 95), (165, 250), 0, 8)  # second stroke, not touching the first
    assert cv2.connectedComponents(255 - img)[0] - 1 == 2
    cands = find_candidates(img)
    assert len(cands) == 1
    assert covers(cands[0].box, (91, 46, 89, 209), tol=3)


def test_broken_faint_stroke_is_merged():
    img = write(paper(300, 400), "3", (60, 240), 6.0, 9)
    cv2.line(img, (300, 122), (300, 238), 0, 7)  # a '1' beside the '3' ...
    img[150:156, 250:] = 255  # ... whose faint stroke broke in three
    img[195:200, 250:] = 255
    assert cv2.connectedComponents(255 - img)[0] - 1 == 4
    cands = find_candidates(img)
    assert len(cands) == 2
    assert cands[1].box[1] <= 120 and cands[1].box[1] + cands[1].box[3] >= 240
    # Pieces of a dashed stroke, each short, join too.
    dashed = write(paper(300, 400), "3", (60, 240), 6.0, 9)
    for y in range(122, 238, 16):
        cv2.line(dashed, (300, y), (300, y + 6), 0, 7)
    cands = find_candidates(dashed)
    assert len(cands) == 2 and cands[1].box[3] >= 110


def test_two_digits_with_a_small_gap_stay_two():
    img = paper(300, 500)
    write(img, "3", (100, 220), 5.0, 10)
    x, _, w, _ = text_box("3", (100, 220), 5.0, 10)
    x8 = x + w + 6 - text_box("8", (0, 220), 5.0, 10)[0]  # 6 px gap, digits ~150 px tall
    write(img, "8", (x8, 220), 5.0, 10)
    cands = find_candidates(img)
    assert len(cands) == 2
    assert cands[0].box[0] + cands[0].box[2] <= cands[1].box[0]
    assert group_numbers(boxes_of(cands)) == [(0, 1)]
    # Two '1's side by side are also two digits, though together narrower than one '0'.
    ones = paper(300, 300)
    cv2.line(ones, (120, 50), (120, 250), 0, 8)
    cv2.line(ones, (140, 50), (140, 250), 0, 8)
    assert len(find_candidates(ones)) == 2


def test_masks_hold_only_their_own_component():
    img = paper(300, 400)
    cv2.line(img, (130, 50), (170, 250), 0, 8)  # a '1' leaning back
    cv2.line(img, (150, 60), (240, 60), 0, 8)  # a '7' whose bar reaches over the '1's foot
    cv2.line(img, (240, 60), (200, 250), 0, 8)
    assert cv2.connectedComponents(255 - img)[0] - 1 == 2
    cands = find_candidates(img)
    assert len(cands) == 2
    one, seven = cands
    overlap_x = one.box[0] + one.box[2] - seven.box[0]
    assert overlap_x > 0  # the boxes do overlap ...
    # ... but the '1's mask has no pixel of the '7' (its bar lies inside the '1's box).
    x, y, w, h = one.box
    bar_in_one = img[y:y + h, x:x + w] < 128
    bar_in_one[:, : 146 - x] = False  # right of x=146 only the '7' has ink at the top
    bar_in_one[20:] = False
    assert bar_in_one.any() and not (one.mask[bar_in_one] > 0).any()
    assert one.mask.sum() > 0


def test_tiny_noise_specks_are_ignored():
    rng = np.random.default_rng(0)
    img = write(paper(480, 640), "6", (250, 300), 5.0, 12)
    ys, xs = rng.integers(0, 480, 300), rng.integers(0, 640, 300)
    img[ys, xs] = 0  # salt-and-pepper
    for y, x in zip(rng.integers(0, 470, 20), rng.integers(0, 630, 20)):
        img[y:y + 2, x:x + 2] = 0  # 2x2 dust
    cands = find_candidates(img)
    assert len(cands) == 1
    assert covers(cands[0].box, text_box("6", (250, 300), 5.0, 12), tol=4)


def test_page_with_printed_text_many_numbers_and_columns():
    img = paper(1754, 1240, 245)
    rng = np.random.default_rng(5)
    expected = []
    for row in range(8):
        for col in range(2):
            text = str(rng.integers(100, 99999))
            write(img, text, (150 + col * 550, 200 + row * 170), 1.6, 4, 25)
            expected.append(len(text))
    cands = find_candidates(img)
    assert_valid(cands, img.shape)
    numbers = group_numbers(boxes_of(cands))
    assert [len(n) for n in numbers] == expected
    order = reading_order([c.box for c in cands][::-1])
    assert order == list(range(len(cands)))[::-1]


# ---- blank and invalid input -----------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 128, 255])
def test_blank_images_give_nothing(value):
    assert find_candidates(paper(300, 500, value)) == []
    assert find_candidates(np.full((480, 640, 3), value, np.uint8)) == []
    assert not binarize(paper(300, 500, value)).any()


def test_blank_noisy_paper_gives_nothing():
    rng = np.random.default_rng(1)
    noisy = np.clip(rng.normal(180, 4, (480, 640)), 0, 255).astype(np.uint8)
    assert find_candidates(noisy) == []


@pytest.mark.parametrize("shape", [(0, 0), (0, 10), (10, 0), (0, 0, 3), (5, 0, 4)])
def test_zero_size_gives_empty_list(shape):
    assert find_candidates(np.zeros(shape, np.uint8)) == []


@pytest.mark.parametrize("shape", [(1, 1), (4, 1), (1, 4), (2, 3), (5, 1, 3), (4, 1, 4), (7, 7)])
@pytest.mark.parametrize("value", [0, 255])
def test_tiny_images_do_not_crash(shape, value):
    img = np.full(shape, value, np.uint8)
    img.reshape(-1)[::2] = 255 - value
    assert isinstance(find_candidates(img), list)


@pytest.mark.parametrize(
    "image, message",
    [
        (np.zeros((30, 30), np.float32), "dtype"),
        (np.zeros((30, 30), np.int64), "dtype"),
        (np.zeros((30, 30), np.uint16), "dtype"),
        (np.zeros(30, np.uint8), "dimensions"),
        (np.zeros((2, 30, 30, 3), np.uint8), "dimensions"),
        (np.zeros((30, 30, 2), np.uint8), "channels"),
        (np.zeros((30, 30, 5), np.uint8), "channels"),
        ([[0, 255], [255, 0]], "numpy array"),
    ],
)
def test_invalid_input_raises_value_error(image, message):
    with pytest.raises(ValueError, match=message):
        find_candidates(image)
    with pytest.raises(ValueError, match=message):
        binarize(image)


def test_channel_layouts_and_bool_masks_are_accepted():
    gray = write(paper(200, 300), "9", (100, 160), 4.0, 8)
    expected = boxes_of(find_candidates(gray))
    assert len(expected) == 1
    bgr = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    bgra = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGRA)
    bgra[..., 3] = 7  # alpha is dropped
    assert boxes_of(find_candidates(bgr)) == expected
    assert boxes_of(find_candidates(bgra)) == expected
    assert boxes_of(find_candidates(gray[:, :, None])) == expected
    binary = np.where(gray < 128, 255, 0).astype(np.uint8)
    assert boxes_of(find_candidates(gray < 128)) == boxes_of(find_candidates(binary))
    assert len(find_candidates(gray < 128)) == 1  # bool: True is light, so ink on dark
    assert boxes_of(find_candidates(np.asfortranarray(gray))) == expected
    flipped = gray[:, ::-1]
    assert len(find_candidates(flipped)) == 1
    assert to_gray(bgra).shape == gray.shape


def test_max_candidates_caps_the_list():
    img = paper(400, 900)
    write(img, "1234567890", (20, 250), 3.0, 6)
    assert len(find_candidates(img)) == 10
    capped = find_candidates(img, PipelineConfig(max_candidates=3))
    assert len(capped) == 3
    xs = [c.box[0] for c in capped]
    assert xs == sorted(xs)
    assert find_candidates(img, PipelineConfig(max_candidates=0)) == []


def test_config_defaults_and_validation():
    cfg = PipelineConfig()
    assert cfg.min_confidence == 0.3 and cfg.max_candidates == 400
    assert isinstance(cfg.normalize, NormalizeConfig)
    with pytest.raises(ValueError):
        PipelineConfig(polarity="sideways")
    with pytest.raises(ValueError):
        PipelineConfig(min_confidence=1.5)
    with pytest.raises(ValueError):
        PipelineConfig(number_gap_rel=-1.0)
    dark_only = PipelineConfig(polarity="dark")
    img = write(paper(200, 300), "4", (100, 160), 4.0, 8)
    assert len(find_candidates(img, dark_only)) == 1
    assert find_candidates(255 - img, dark_only) != find_candidates(255 - img)


# ---- grouping on plain boxes -----------------------------------------------------------------


def test_grouping_lines_columns_and_gaps():
    h = 40
    boxes = [
        (400, 12, 25, h), (10, 10, 25, h), (40, 12, 25, h),  # line 1: "ab" then far right "c"
        (12, 100, 25, h), (45, 98, 25, h), (75, 102, 25, h),  # line 2: one number of three
        (400, 101, 25, h),  # line 2, second column
    ]
    assert reading_order(boxes) == [1, 2, 0, 3, 4, 5, 6]
    assert group_numbers(boxes) == [(1, 2), (0,), (3, 4, 5), (6,)]
    assert group_numbers([]) == [] and reading_order([]) == []
    assert group_numbers(np.array([[5, 5, 10, 20]])) == [(0,)]
    # A gap of 0.7 heights joins, 0.9 does not (default number_gap_rel 0.8).
    assert group_numbers([(0, 0, 20, 40), (48, 0, 20, 40)]) == [(0, 1)]
    assert group_numbers([(0, 0, 20, 40), (56, 0, 20, 40)]) == [(0,), (1,)]
    with pytest.raises(ValueError):
        group_numbers([(1, 2, 3)])


def test_slanted_line_stays_one_line():
    boxes = [(i * 30, 100 + i * 6, 24, 40) for i in range(6)]  # baseline rising 6 px a digit
    assert group_numbers(boxes) == [tuple(range(6))]


# ---- property: anything in, a list of valid crops or ValueError out ---------------------------

_dtypes = st.sampled_from([np.uint8, np.uint8, np.uint8, np.bool_, np.int8, np.uint16,
                           np.float32, np.float64, np.int64])
_shapes = st.one_of(
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=64),
    st.tuples(st.integers(0, 48), st.integers(0, 48), st.sampled_from([0, 1, 2, 3, 4, 5])),
    hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6),
)


@st.composite
def _images(draw):
    dtype = draw(_dtypes)
    shape = draw(_shapes)
    kind = draw(st.sampled_from(["random", "constant", "digits"]))
    if kind == "random":
        return draw(hnp.arrays(dtype, shape))
    drawable = (np.dtype(dtype) == np.uint8 and len(shape) in (2, 3) and min(shape[:2]) >= 8
                and (len(shape) == 2 or shape[2] in (1, 3, 4)))
    if kind == "constant" or not drawable:
        fill = draw(st.integers(0, 1 if np.dtype(dtype) == np.bool_ else 127))
        return np.full(shape, fill, dtype)
    img = np.full(shape, draw(st.integers(0, 255)), np.uint8)
    color = draw(st.integers(0, 255))
    for _ in range(draw(st.integers(1, 4))):
        x, y = draw(st.integers(0, shape[1])), draw(st.integers(0, shape[0]))
        write(img, str(draw(st.integers(0, 99))), (x, y), draw(st.floats(0.2, 2.0)),
              draw(st.integers(1, 6)), (color,) * (shape[2] if len(shape) == 3 else 1))
    return img


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_images())
def test_find_candidates_returns_list_or_raises_value_error(image):
    try:
        cands = find_candidates(image)
    except ValueError:
        return
    assert_valid(cands, image.shape)
    assert len(cands) <= PipelineConfig().max_candidates
    order = reading_order(boxes_of(cands))
    assert sorted(order) == list(range(len(cands)))
    numbers = group_numbers(boxes_of(cands))
    assert sorted(i for n in numbers for i in n) == list(range(len(cands)))


# ---- a sheet of paper seen by a camera over a desk ------------------------------------------


def _sheet_on_desk(desk: int = 60, paper_level: int = 225, shadow: bool = False,
                   seed: int = 5, text: str = "47", org: tuple[int, int] = (250, 300)
                   ) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:
    """640x480 frame: a rotated sheet over a dark, textured desk with a bright object on it
    and a dark cable; ``text`` (default '47') written on the sheet at ``org``. Returns the
    frame, the sheet's mask, and the text box."""
    rng = np.random.default_rng(seed)
    h, w = 480, 640
    frame = np.full((h, w), float(desk), np.float32)
    frame += cv2.resize(rng.normal(0, 8, (12, 16)).astype(np.float32), (w, h),
                        interpolation=cv2.INTER_CUBIC)
    cv2.circle(frame, (70, 80), 50, 200.0, -1)  # a cup
    cv2.line(frame, (560, 20), (620, 400), 20.0, 8)  # a cable
    quad = np.array([[150, 70], [500, 40], [530, 420], [170, 450]], np.int32)
    sheet = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(sheet, quad, 255)
    frame[sheet > 0] = paper_level
    ink = write(np.zeros((h, w), np.uint8), text, org, 3.0, 6, 255)
    frame[ink > 0] = 70
    if shadow:
        _yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        frame *= 1 - 0.4 * np.clip((xx - 200) / 250, 0, 1)
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0) + rng.normal(0, 3, (h, w))
    img = cv2.cvtColor(np.clip(frame, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
    return img, sheet, text_box(text, org, 3.0, 6)


@pytest.mark.parametrize("desk,shadow", [(60, False), (30, True), (140, True)])
def test_sheet_over_dark_desk_only_its_digits(desk, shadow):
    img, _, ref = _sheet_on_desk(desk=desk, shadow=shadow)
    cands = find_candidates(img)
    assert_valid(cands, img.shape)
    assert len(cands) == 2
    assert group_numbers(boxes_of(cands)) == [(0, 1)]
    x0 = min(c.box[0] for c in cands)
    x1 = max(c.box[0] + c.box[2] for c in cands)
    assert abs(x0 - ref[0]) <= 4 and abs(x1 - ref[0] - ref[2]) <= 4


def test_a_digit_written_against_the_sheets_edge_is_read_whole():
    # '94' starts 8 px from the sheet's left edge (x = 159 at that height): the steps of
    # the 9's ink join the border's, and the page found had a notch there that cut the 9.
    img, _, ref = _sheet_on_desk(text="94", org=(164, 300))
    boxes = sorted(c.box for c in find_candidates(img))
    assert len(boxes) == 2
    assert abs(boxes[0][0] - ref[0]) <= 2 and abs(boxes[0][3] - ref[3]) <= 4


def test_convex_fill_closes_a_notch_and_keeps_a_convex_page():
    from digit_app.pipeline.page import convex_fill

    page = np.zeros((60, 80), np.uint8)
    page[10:50, 10:70] = 255
    notched = page.copy()
    notched[25:35, 10:18] = 0  # ink at the edge, cut out of the page
    assert np.array_equal(convex_fill(notched), page)
    assert np.array_equal(convex_fill(page), page)
    assert not convex_fill(np.zeros((5, 5), np.uint8)).any()


def test_a_notch_of_paper_joins_the_page_a_notch_of_desk_does_not():
    from digit_app.pipeline.page import fill_notches

    page = np.zeros((60, 80), np.uint8)
    page[10:50, 10:70] = 255
    notched = page.copy()
    notched[20:40, 10:22] = 0  # 10% of the sheet
    paper = np.full((60, 80), 220, np.uint8)  # the ink-free grey: paper all over the sheet
    assert np.array_equal(fill_notches(notched, paper, 10.0), page)
    desk = paper.copy()
    desk[20:40, 10:22] = 90  # a dark object lying over the sheet's edge there
    assert np.array_equal(fill_notches(notched, desk, 10.0), notched)
    colour = np.dstack([paper, paper, desk])  # or one of another colour, not darker
    assert np.array_equal(fill_notches(notched, colour, 10.0), notched)


def test_paper_in_shadow_is_told_from_a_desk_by_its_hue():
    from digit_app.pipeline.page import shaded_paper

    level = np.array([200.0, 210.0, 190.0, 180.0], np.float32)  # grey, then B, G, R
    pixels = np.array([
        level,  # the paper itself
        0.8 * level,  # in shadow: every colour darker alike
        1.02 * level,  # lit paper above a mean a shadow pulled down
        [160.0, 150.0, 175.0, 160.0],  # a desk as dark as the shadow, of another hue
        0.6 * level,  # darker than a shadow on paper
        1.2 * level,  # brighter than the sheet's lit paper: a sheet beside a piece of desk
    ], np.float32).reshape(1, -1, 4)
    shaded = shaded_paper(pixels, level, lit=205.0, tolerance=10.0)
    assert shaded.tolist() == [[True, True, True, False, False, False]]


def test_a_notch_of_paper_in_shadow_joins_the_page_in_colour():
    from digit_app.pipeline.page import fill_notches

    page = np.zeros((60, 80), np.uint8)
    page[10:50, 10:70] = 255
    notched = page.copy()
    notched[20:40, 10:22] = 0  # 10% of the sheet, under a shadow's edge
    paper = np.zeros((60, 80, 4), np.float32)
    paper[:] = (200, 210, 190, 180)  # grey, then B, G, R
    paper[20:40, 10:22] *= 0.8
    stack = paper.astype(np.uint8)
    assert np.array_equal(fill_notches(notched, stack, 10.0), page)
    # In grey alone a shadow cannot be told from a darker desk: the notch stays out.
    assert np.array_equal(fill_notches(notched, stack[:, :, 0], 10.0), notched)


def test_a_small_notch_joins_the_page_whatever_it_holds():
    from digit_app.pipeline.page import fill_notches

    page = np.zeros((60, 80), np.uint8)
    page[10:50, 10:70] = 255
    notched = page.copy()
    notched[26:32, 10:16] = 0  # 1.5% of the sheet: carved by a digit or a shadow's edge
    dark = np.full((60, 80), 220, np.uint8)
    dark[26:32, 10:16] = 90  # unlike the paper there (the ink-free grey of a fat digit)
    assert np.array_equal(fill_notches(notched, dark, 10.0), page)
    cfg = PipelineConfig(page_notch_small_rel=0.0)  # off: only paper joins
    assert np.array_equal(fill_notches(notched, dark, 10.0, cfg), notched)


def test_find_page_finds_the_sheet_and_not_a_full_page():
    from digit_app.pipeline.binarize import work_copy
    from digit_app.pipeline.page import find_page

    img, sheet, _ = _sheet_on_desk()
    small = work_copy(to_gray(img))
    page = find_page(small)
    assert page is not None
    truth = cv2.resize(sheet, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA) > 127
    found = page > 0
    assert (found & ~truth).sum() == 0  # never on the desk
    assert (found & truth).sum() >= 0.85 * truth.sum()
    # A page filling the image (canvas, scan) or a blank image gives no mask.
    canvas = write(paper(300, 500), "38", (100, 220), 5.0, 12)
    assert find_page(work_copy(canvas)) is None
    assert find_page(work_copy(paper(300, 500, 0))) is None


def test_find_sheet_gives_the_sheet_at_the_image_size_or_none():
    from digit_app.pipeline import find_sheet

    img, sheet, _ = _sheet_on_desk()
    page = find_sheet(img)
    assert page is not None and page.shape == img.shape[:2] and page.dtype == np.uint8
    found = page > 0
    assert (found & (sheet == 0)).sum() == 0  # never on the desk
    assert (found & (sheet > 0)).sum() >= 0.8 * np.count_nonzero(sheet)
    assert find_sheet(write(paper(300, 500), "38", (100, 220), 5.0, 12)) is None


def test_light_ink_on_dark_canvas_is_not_taken_for_a_sheet():
    img = write(paper(300, 500, 0), "0", (150, 260), 7.0, 30, 255)
    assert detect_polarity(img) == "light"
    cands = find_candidates(img)
    assert len(cands) == 1
    assert covers(cands[0].box, text_box("0", (150, 260), 7.0, 30))


def test_faint_stroke_joins_on_a_camera_sheet():
    """A blurred, faint thin join between two strong parts of one stroke: kept by hysteresis
    on a sheet in a frame, so the digit stays one candidate."""
    img, _, _ = _sheet_on_desk()
    g = img[:, :, 0].copy()
    g[300:306, 200:230] = 60  # strong bar
    g[300:306, 230:250] = 150  # faint join (darker than paper by less than the threshold)
    g[300:306, 250:280] = 60
    g[270:300, 200:206] = 60  # upright part, so the bar is part of a digit-tall shape
    img2 = cv2.cvtColor(g, cv2.COLOR_GRAY2BGR)
    from digit_app.pipeline.binarize import threshold_ink

    mask = threshold_ink(img2)
    assert mask[303, 240] == 255
    no_hyst = threshold_ink(img2, PipelineConfig(hysteresis_low_rel=1.0))
    assert no_hyst[303, 240] == 0


def test_side_by_side_numbers_at_different_heights_do_not_interleave():
    from digit_app.pipeline import group_numbers, reading_order

    h = 100
    left = [(10, 50, 40, h), (60, 58, 40, h - 10)]  # a number written slightly downhill
    right = [(300, 110, 40, h), (350, 95, 40, h)]  # another one, lower, further right
    boxes = [left[0], right[0], left[1], right[1]]
    assert group_numbers(boxes) == [(0, 2), (1, 3)]
    assert reading_order(boxes) == [0, 2, 1, 3]


def test_sides_of_form_boxes_are_not_candidates():
    import cv2

    from digit_app.pipeline import find_candidates

    page = np.full((400, 900), 255, np.uint8)
    for top in (60, 220):  # two boxes of a form, each spanning most of the page
        cv2.rectangle(page, (40, top), (860, top + 110), 0, 3)
        cv2.putText(page, "47", (120, top + 85), cv2.FONT_HERSHEY_SIMPLEX, 2.4, 0, 7)
    boxes = [c.box for c in find_candidates(page)]
    assert len(boxes) == 4
    assert all(60 < x < 400 for x, _, _, _ in boxes)  # no bar at x = 40 or x = 860


def _coloured_sheet_frame(top: int = 70) -> tuple[np.ndarray, np.ndarray]:
    """640x480 BGR frame: a pink sheet on a tan desk of almost the same grey, running out
    of the frame at the top; a form box whose top line lies near the sheet's top edge,
    with '47' in it. Returns the frame and the sheet's mask."""
    h, w = 480, 640
    desk = np.array([130, 170, 205], np.float32)  # tan (BGR)
    pink = np.array([220, 160, 225], np.float32)
    frame = np.empty((h, w, 3), np.float32)
    frame[:] = desk
    sheet = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(sheet, np.array([[120, -20], [540, -20], [560, 430], [100, 450]],
                                       np.int32), 255)
    frame[sheet > 0] = pink
    ink = np.zeros((h, w), np.uint8)
    cv2.rectangle(ink, (150, top), (510, top + 110), 255, 2)
    write(ink, "47", (230, top + 90), 2.6, 7, 255)
    frame[ink > 0] = (60, 40, 40)
    frame = cv2.GaussianBlur(frame, (0, 0), 1.2)
    frame += np.random.default_rng(3).normal(0, 3, frame.shape)
    return np.clip(frame, 0, 255).astype(np.uint8), sheet


def test_sheet_differing_from_the_desk_in_colour_only_is_found():
    from digit_app.pipeline.binarize import work_copy
    from digit_app.pipeline.page import find_page

    img, sheet = _coloured_sheet_frame()
    grey = to_gray(img)
    desk_grey, sheet_grey = int(grey[460, 20]), int(grey[240, 330])
    assert abs(desk_grey - sheet_grey) < 12  # the grey alone barely tells them apart
    page = find_page(work_copy(grey), colour=work_copy(img))
    assert page is not None
    truth = cv2.resize(sheet, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_AREA) > 127
    found = page > 0
    assert (found & ~truth).sum() <= 0.01 * truth.sum()
    assert (found & truth).sum() >= 0.8 * truth.sum()


def test_sides_of_a_form_box_cut_by_the_sheet_edge_are_not_ones():
    img, _ = _coloured_sheet_frame(top=12)  # the box's top line runs along the sheet's edge
    cands = find_candidates(img)
    assert_valid(cands, img.shape)
    ref = text_box("47", (230, 102), 2.6, 7)
    assert len(cands) == 2  # the 4 and the 7, no bars
    x0, x1 = ref[0] - 6, ref[0] + ref[2] + 6
    assert all(x0 <= x and x + w <= x1 for x, _, w, _ in boxes_of(cands))


# ---- digits of different sizes on one canvas (pipeline/scale.py) ---------------------------


def test_small_number_beside_a_big_digit_keeps_its_digits_apart():
    """A big 2 sets the image's typical height; the small number "231" drawn with the same
    pen far from it is judged by its own size: three candidates, not one glued blob or none
    at all (too short next to the 2)."""
    img = write(paper(300, 500), "2", (300, 250), 6.0, 10)
    org = [(40 + 40 * k, 90) for k in range(3)]
    small = [text_box(d, o, 1.7, 10) for d, o in zip("231", org)]
    for d, o in zip("231", org):
        write(img, d, o, 1.7, 10)
    cands = find_candidates(img)
    assert len(cands) == 4
    assert all(covers(c.box, b) for c, b in zip(cands, small))
    assert cands[0].neighbourhood is not None  # smaller than the image's digits
    assert cands[0].neighbourhood == cands[1].neighbourhood == cands[2].neighbourhood
    assert cands[3].neighbourhood is None
    assert cands[0].line_height < cands[3].line_height / 2


def test_big_zero_on_a_canvas_is_not_taken_for_a_sheet():
    """The bright inside of a big 0 drawn with a broad pen is enclosed by ink with paper
    all around it: it is not a sheet lying on a desk, and the 7 beside it is read."""
    img = paper(300, 500)
    cv2.ellipse(img, (185, 125), (105, 95), -30, 0, 360, 0, 24, cv2.LINE_AA)
    cv2.polylines(img, [np.array([[365, 45], [470, 35], [460, 215]])], False, 0, 24, cv2.LINE_AA)
    from digit_app.pipeline.binarize import ink_and_page

    assert ink_and_page(img)[1] is None
    assert len(find_candidates(img)) == 2


def _pale_sheet_beside_a_dark_object(shadow: bool) -> tuple[np.ndarray, np.ndarray]:
    """640x480 grey frame: a pale sheet on a desk almost as pale, a black box on the desk
    (which widens the brightness range), and optionally a soft shadow across the sheet.
    Returns the frame and the sheet's mask."""
    h, w = 480, 640
    frame = np.full((h, w), 195.0, np.float32)
    cv2.rectangle(frame, (20, 300), (110, 460), 10.0, -1)
    sheet = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(sheet, np.array([[170, 60], [520, 40], [540, 420], [190, 440]], np.int32), 255)
    frame[sheet > 0] = 228.0
    frame[write(np.zeros((h, w), np.uint8), "47", (280, 280), 3.0, 6, 255) > 0] = 60.0
    if shadow:  # a soft-edged band of shade across the middle of the sheet
        band = np.zeros((h, w), np.float32)
        band[:, 330:] = 1.0
        frame *= 1 - 0.3 * cv2.GaussianBlur(band, (0, 0), 8)
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0) + np.random.default_rng(4).normal(0, 2, (h, w))
    return np.clip(frame, 0, 255).astype(np.uint8), sheet


@pytest.mark.parametrize("shadow", [False, True])
def test_pale_sheet_beside_a_dark_object_is_found_at_a_second_look(shadow):
    from digit_app.pipeline.binarize import work_copy
    from digit_app.pipeline.page import find_page

    img, sheet = _pale_sheet_beside_a_dark_object(shadow)
    small = work_copy(img)
    # The sheet's border is fainter than the first look's step (set by the black box) ...
    assert find_page(small, PipelineConfig(page_edge_rel_retry=0)) is None
    # ... the second look finds it, whole: the shadow's soft edge does not cut it.
    page = find_page(small)
    assert page is not None
    truth = cv2.resize(sheet, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA) > 127
    found = page > 0
    assert (found & ~truth).sum() <= 0.01 * truth.sum()
    assert (found & truth).sum() >= 0.85 * truth.sum()
    if shadow:  # counting soft steps too, the shadow's edge would cut the sheet
        cut = find_page(small, PipelineConfig(page_min_sharpness=0))
        assert cut is None or ((cut > 0) & truth).sum() < 0.5 * truth.sum()


def test_ink_along_the_sheets_edge_is_not_writing():
    from digit_app.pipeline.components import along_rim, label

    page = np.zeros((200, 300), np.uint8)
    page[20:180, 30:270] = 255
    ink = np.zeros_like(page)
    ink[40:160, 30:34] = 255  # the sheet's own edge, inside the page: a "1"
    ink[140:180, 200:230] = 255  # a digit the page's (ragged) edge grazes ...
    ink[60:100, 150:170] = 255  # ... and one in the middle
    comps = label(ink)
    edge_label = comps.labels[100, 31]
    assert along_rim(comps, page, stroke=3.0).tolist() == [edge_label]
    assert along_rim(comps, np.full_like(page, 255), stroke=3.0).size == 0  # no desk around


def test_a_sheet_mostly_in_shadow_is_still_brighter_than_the_desk_beside_it():
    """A soft shadow darkens most of a white sheet below a pale desk's grey on average; the
    sheet's unshaded paper is still the brightest flat thing in view, so the sheet is found,
    not the convex piece of desk that a cable cuts off beside it."""
    from digit_app.pipeline.binarize import work_copy
    from digit_app.pipeline.page import find_page

    h, w = 480, 640
    frame = np.full((h, w), 200.0, np.float32)  # a pale desk
    cv2.line(frame, (360, 0), (360, h), 90.0, 14)  # a cable across it, top to bottom
    sheet = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(sheet, np.array([[40, 60], [300, 40], [320, 430], [60, 450]], np.int32), 255)
    frame[sheet > 0] = 240.0
    band = np.zeros((h, w), np.float32)
    band[:, 130:] = 1.0
    frame[:, :350] *= 1 - 0.35 * cv2.GaussianBlur(band, (0, 0), 20)[:, :350]  # the shadow
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0) + np.random.default_rng(4).normal(0, 2, (h, w))
    img = np.clip(frame, 0, 255).astype(np.uint8)
    assert img[sheet > 0].mean() < 190  # darker than the desk on average
    small = work_copy(img)
    truth = cv2.resize(sheet, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA) > 127
    page = find_page(small)
    assert page is not None
    found = page > 0
    assert (found & ~truth).sum() <= 0.01 * truth.sum()
    assert (found & truth).sum() >= 0.85 * truth.sum()
    # Judged by its mean grey, the shaded sheet loses to the desk.
    desk = find_page(small, PipelineConfig(page_bright_percentile=50))
    assert desk is not None and ((desk > 0) & truth).sum() == 0


def test_a_piece_of_desk_outshone_by_the_paper_is_not_the_sheet():
    """The sheet runs into a desk as bright as itself (no border between them), so its
    region is not convex; a darker, convex strip of desk beside it is no sheet either."""
    from digit_app.pipeline.binarize import work_copy
    from digit_app.pipeline.page import find_page

    frame = np.full((480, 640), 235.0, np.float32)  # the sheet and the bright desk
    frame[:, :120] = 150.0  # a strip of darker desk
    frame[200:, 300:] = 40.0  # a black box on the desk
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0) + np.random.default_rng(2).normal(0, 2, frame.shape)
    small = work_copy(np.clip(frame, 0, 255).astype(np.uint8))
    strip = find_page(small, PipelineConfig(page_max_brighter_outside=100.0))
    assert strip is not None and (strip > 0)[:, : small.shape[1] // 6].mean() > 0.8
    assert find_page(small) is None


@pytest.mark.parametrize("seven,pen,box", [
    ([[340, 22], [465, 20], [350, 185]], 28, (326, 6, 154, 194)),
    ([[300, 20], [470, 18], [330, 200]], 40, (280, 0, 211, 221)),  # touching the top edge
])
def test_broad_seven_across_the_canvas_is_not_the_edge_of_a_sheet(seven, pen, box):
    """A 7 drawn with a broad pen from the top of the canvas nearly to its bottom splits the
    canvas into regions of paper; none is a sheet on a desk (no desk reaches the canvas's
    edge, only paper and the stroke), so the 7 is read."""
    img = paper(300, 500)
    cv2.polylines(img, [np.array(seven)], False, 0, pen, cv2.LINE_AA)
    from digit_app.pipeline.binarize import ink_and_page

    assert ink_and_page(img, PipelineConfig(page_min_desk_at_edge=0))[1] is not None
    assert ink_and_page(img)[1] is None
    cands = find_candidates(img)
    assert len(cands) == 1 and covers(cands[0].box, box, tol=6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_labelling_the_ink_box_gives_the_whole_masks_components(seed):
    """``label`` works on the box around the ink: the labels and stats must be those of the
    same ink with no blank frame around it, moved by the frame's offset."""
    from digit_app.pipeline.components import label

    rng = np.random.default_rng(seed)
    ink = np.where(rng.random((60, 90)) < 0.3, 255, 0).astype(np.uint8)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    ink[0, 5] = ink[-1, 7] = ink[9, 0] = ink[11, -1] = 255  # ink on all four sides of its box
    frame = np.zeros((300, 400), np.uint8)
    frame[120:180, 200:290] = ink
    alone, framed = label(ink), label(frame)
    assert framed.count == alone.count > 2
    assert np.array_equal(framed.labels[120:180, 200:290], alone.labels)
    assert np.count_nonzero(framed.labels) == np.count_nonzero(alone.labels)
    moved = alone.stats.copy()
    moved[1:, 0] += 200
    moved[1:, 1] += 120
    assert np.array_equal(framed.stats, moved)
    empty = label(np.zeros((50, 60), np.uint8))
    assert empty.count == 1 and empty.labels.shape == (50, 60) and not empty.labels.any()


def test_thresholding_a_sheet_only_in_its_box_changes_nothing():
    """With a sheet given, ``threshold_darkness`` works on the sheet's box (widened by the
    denoising blur's reach): the mask must equal the one computed over the whole frame, the
    noise being strong enough that the blur is used."""
    import importlib

    module = importlib.import_module("digit_app.pipeline.binarize")  # the package's
    # ``binarize`` attribute is the function of that name
    rng = np.random.default_rng(3)
    region = np.zeros((240, 320), np.uint8)
    cv2.fillConvexPoly(region, np.array([[60, 40], [250, 55], [240, 200], [70, 190]]), 255)
    dark = np.clip(rng.normal(20, 12, region.shape), 0, 255).astype(np.uint8)
    cv2.line(dark, (90, 80), (200, 160), 180, 4)
    cv2.circle(dark, (150, 110), 25, 120, 3)
    dark = cv2.bitwise_and(dark, dark, mask=region)
    cfg = PipelineConfig()
    whole = module._threshold(dark, cfg, region)
    assert np.count_nonzero(whole) > 300
    assert np.array_equal(module.threshold_darkness(dark, cfg, region), whole)


def test_a_tall_bar_cut_by_the_frames_edge_is_not_a_digit():
    """The edge of a desk or a cable running out of the frame: a thin bar touching the
    image's edge, three times the digits' height, is no candidate. A digit of the usual
    height cut by the edge still is, and so is the bar with both limits raised (a straight
    bar running into the edge is a border whatever its height)."""
    img = paper(300, 500, 235)
    write(img, "4096", (120, 150), 2.0, 5, 40)
    digits = text_box("4096", (120, 150), 2.0, 5)
    tall = 3 * digits[3]
    cv2.line(img, (3, 40), (3, 40 + tall), 40, 6)  # along the left edge, touching it
    write(img, "7", (452, 302), 2.0, 5, 40)  # its foot cut by the bottom edge
    cands = boxes_of(find_candidates(img))
    assert all(x > 20 for x, _, _, _ in cands), cands
    assert any(x > 440 and y + h == 300 for x, y, w, h in cands), cands
    assert len(cands) == 5
    assert not any(x < 20 for x, _, _, _ in boxes_of(
        find_candidates(img, PipelineConfig(edge_max_height_rel_typical=4.0))))
    kept = find_candidates(img, PipelineConfig(edge_max_height_rel_typical=4.0,
                                               edge_bar_min_elongation=100.0))
    assert any(x < 20 for x, _, _, _ in boxes_of(kept))


def test_a_slanted_bar_running_into_the_frames_edge_is_not_a_digit():
    """A pen or the edge of a sheet slanting out of the picture, of a digit's height: a
    straight bar at any angle touching the image's edge is no candidate; the same bar inside
    the picture is a slanted 1, and a 7 cut by the edge (it bends) stays a digit."""
    img = paper(300, 500, 235)
    write(img, "4096", (120, 150), 2.0, 5, 40)
    cv2.line(img, (20, 0), (45, 55), 40, 6)  # from the top edge, slanted
    cv2.line(img, (440, 90), (465, 145), 40, 6)  # the same bar inside: a slanted 1
    write(img, "7", (452, 302), 2.0, 5, 40)  # its foot cut by the bottom edge
    cands = boxes_of(find_candidates(img))
    assert not any(x < 60 and y == 0 for x, y, _, _ in cands), cands
    assert any(430 < x < 450 and 80 < y < 100 for x, y, _, _ in cands), cands
    assert any(x > 440 and y + h == 300 for x, y, w, h in cands), cands
    upright_only = boxes_of(find_candidates(img, PipelineConfig(edge_bar_min_fill=1.01)))
    assert any(x < 60 and y == 0 for x, y, _, _ in upright_only), upright_only


def test_a_dark_object_does_not_set_the_digits_height():
    """Ten digit strokes 40 px tall and two solid dark shapes 150 px tall whose ink outweighs
    them (a camera frame with a box on the desk): the typical height is the digits'. Without
    the rule (a huge ``solid_thickness_rel``) it is the shapes'."""
    from digit_app.pipeline.components import typical_height_of

    widths = np.array([25] * 10 + [150, 160])
    heights = np.array([40] * 10 + [150, 150])
    areas = np.array([450] * 10 + [15000, 16000])
    assert typical_height_of(widths, heights, areas, (480, 640)) == 40
    off = PipelineConfig(solid_thickness_rel=1000.0)
    assert typical_height_of(widths, heights, areas, (480, 640), off) == 150


def test_a_straight_bar_is_told_from_a_bent_stroke():
    from digit_app.pipeline.components import is_straight_bar

    bar = np.zeros((60, 40), np.uint8)
    cv2.line(bar, (5, 2), (32, 56), 255, 5)
    assert is_straight_bar(bar)
    seven = np.zeros((60, 40), np.uint8)
    cv2.polylines(seven, [np.array([(3, 4), (36, 4), (12, 56)])], False, 255, 5)
    assert not is_straight_bar(seven)
    assert not is_straight_bar(np.zeros((10, 10), np.uint8))


def test_a_stick_lying_across_is_told_from_a_slanted_one():
    from digit_app.pipeline.components import bar_shape, is_stick

    def line(p0, p1, pen):
        img = np.zeros((200, 200), np.uint8)
        cv2.line(img, p0, p1, 255, pen)
        return img

    pen = line((10, 10), (150, 150), 6)  # 45 degrees, 33 times longer than wide
    assert is_stick(pen)
    assert bar_shape(pen).lean_deg == pytest.approx(45, abs=1)
    assert not is_stick(line((60, 10), (100, 150), 6))  # a 1 slanted 16 degrees
    assert not is_stick(line((10, 10), (50, 50), 9))  # 45 degrees but thick: 6 times longer
    assert is_stick(line((10, 100), (190, 100), 5))  # lying flat
    assert not is_stick(pen, PipelineConfig(stick_min_lean_deg=50.0))
    assert not is_stick(pen, PipelineConfig(stick_min_elongation=40.0))
    assert bar_shape(np.zeros((5, 5), np.uint8)) is None


def test_a_pen_on_the_desk_is_no_candidate_but_a_number_beside_it_is():
    img = paper(480, 640)
    cv2.line(img, (40, 60), (200, 220), 90, 7, cv2.LINE_AA)  # the pen, 45 degrees
    cv2.line(img, (400, 200), (392, 260), 0, 6, cv2.LINE_AA)  # a 1
    cv2.ellipse(img, (470, 230), (22, 30), 0, 0, 360, 0, 6, cv2.LINE_AA)  # a 0
    boxes = boxes_of(find_candidates(img))
    assert len(boxes) == 2 and all(x > 380 for x, _, _, _ in boxes), boxes
    with_pen = boxes_of(find_candidates(img, PipelineConfig(stick_min_lean_deg=90.01)))
    assert any(x < 60 for x, _, _, _ in with_pen), with_pen


def test_a_ring_is_told_from_a_zero():
    from digit_app.pipeline.components import is_ring

    def loop(axes, pen=10):
        img = np.zeros((140, 140), np.uint8)
        cv2.ellipse(img, (70, 70), axes, 0, 0, 360, 255, pen, cv2.LINE_AA)
        return img

    assert is_ring(loop((50, 50)))
    assert is_ring(loop((50, 50), pen=25))  # a washer
    assert not is_ring(loop((42, 55)))  # an oval zero
    assert not is_ring(loop((50, 50), pen=-1))  # a disk: no hole
    assert not is_ring(loop((50, 50)), PipelineConfig(ring_min_roundness=1.01))


def test_a_ring_is_no_candidate_but_other_writing():
    """A ring on the desk, or the round o of a printed word: not a 0, but the printed-word
    rules still see it among the writing."""
    img = paper(480, 640)
    cv2.circle(img, (150, 200), 40, 70, 14, cv2.LINE_AA)
    cands, writing = find_candidates_and_writing(img)
    assert cands == []
    [(x, y, w, h)] = writing.tolist()
    assert abs(x + w / 2 - 150) < 3 and abs(y + h / 2 - 200) < 3 and 85 <= w <= 100
    assert len(find_candidates(img, PipelineConfig(ring_min_roundness=1.01))) == 1


def _face(pen: int = 14, inner: str = "face") -> np.ndarray:
    """A drawn oval (720x1200 canvas) with, inside it: a face (two eyes and a mouth), one
    dot (a dotted zero), or nothing (a zero)."""
    img = paper(720, 1200)
    cv2.ellipse(img, (600, 360), (130, 160), 0, 0, 360, 0, pen, cv2.LINE_AA)
    if inner in ("face", "eyes"):
        cv2.circle(img, (545, 310), 14, 0, -1, cv2.LINE_AA)
        cv2.circle(img, (655, 310), 14, 0, -1, cv2.LINE_AA)
    if inner == "face":
        cv2.ellipse(img, (600, 360), (90, 70), 0, 20, 160, 0, pen, cv2.LINE_AA)
    if inner == "dot":
        cv2.circle(img, (600, 360), 16, 0, -1, cv2.LINE_AA)
    return img


@pytest.mark.parametrize("pen", [8, 14, 24])
@pytest.mark.parametrize("inner", ["face", "eyes"])
def test_a_loop_with_separate_marks_inside_is_a_drawing_not_a_digit(pen, inner):
    assert find_candidates(_face(pen, inner)) == []
    # The rule is a setting: allowing more marks in a loop brings the candidate back.
    assert len(find_candidates(_face(pen, inner), PipelineConfig(max_pieces_in_loop=3))) == 1


@pytest.mark.parametrize("inner", ["", "dot"])
def test_a_zero_and_a_dotted_zero_stay_digits(inner):
    [cand] = find_candidates(_face(14, inner))
    assert cand.box[3] > 300


def test_pieces_in_loop_counts_only_pieces_wholly_inside():
    from digit_app.pipeline.components import label, pieces_in_loop

    img = np.zeros((60, 100), np.uint8)
    cv2.rectangle(img, (5, 5), (55, 55), 255, 3)  # the loop
    img[20:25, 20:25] = 255  # inside
    img[35:40, 30:35] = 255  # inside
    img[20:25, 70:75] = 255  # outside
    comps = label(img)
    labels = comps.labels
    outer = int(labels[5, 30])
    all_ids = np.arange(1, comps.stats.shape[0])
    assert pieces_in_loop(labels, outer, all_ids) == 2
    assert pieces_in_loop(labels, outer, all_ids[all_ids != int(labels[22, 22])]) == 1
    assert pieces_in_loop(labels, int(labels[22, 72]), all_ids) == 0


def test_a_solid_bar_is_no_candidate_but_is_writing_for_telling_print():
    """A rectangle of ink (a printed I or l) is dropped as an outline, yet kept among the other
    writing: without it, the L of "LINE" stands a gap wider than a letter space from the N."""
    img = paper(200, 400)
    img[60:113, 100:107] = 0  # the I: 7 x 53
    write(img, "4", (200, 113), 2.0, 6)
    cands, writing = find_candidates_and_writing(img)
    assert all(c.box[0] > 150 for c in cands)
    assert any(covers(tuple(int(v) for v in b), (100, 60, 7, 53)) for b in writing)
    img[60:113, 0:7] = 0  # the same bar at the frame's edge: a border running out of view
    _, writing = find_candidates_and_writing(img)
    assert not any(int(b[0]) == 0 for b in writing)


def test_binarize_drops_the_dots_of_dotted_paper_as_the_reading_does():
    """A sample is cut out of ``binarize``'s mask by its box (``samples.boxes``): the printed
    dots round and inside a digit, as dark as its ink, must go as they do when the page is
    read (``paper_dot_area_rel_stroke``), or they join the sample."""
    img = paper(170, 300, 250)
    for y in range(5, 170, 25):
        for x in range(9, 300, 25):
            cv2.circle(img, (x, y), 2, 40, -1)  # 13 px: above a speck, below a dot
    org, scale, thick = (50, 115), 2.6, 4
    write(img, "2074", org, scale, thick, 30)
    ref = text_box("2074", org, scale, thick)
    ink = binarize(img)
    assert not ink[:, :40].any()
    assert ink[ref[1]:ref[1] + ref[3], ref[0]:ref[0] + ref[2]].any()
