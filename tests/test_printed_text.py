"""Printed text and frames are not handwriting: words, printed digits, check boxes, edges."""
import json
from dataclasses import replace

import cv2
import numpy as np
import pytest
from helpers import SHIPPED_MODEL, first_index_of, page_with_number

from digit_app.data.printed import font_paths, print_text
from digit_app.output import recognition_to_dict
from digit_app.pipeline import PipelineConfig, printed_kinds
from digit_app.pipeline.components import is_outline
from digit_app.pipeline.printed import HANDWRITING, PRINTED_DIGIT, PRINTED_LETTER, letter_links, typed_letters


def _font(name: str) -> str:
    return next(p for p in font_paths() if p.endswith(name))


def print_on(page: np.ndarray, text: str, x: int, baseline: int, cap: float,
             font: str = "DejaVuSans-Bold.ttf") -> tuple[int, int, int, int]:
    """Print ``text`` in black on a BGR page, its baseline at ``baseline``; its box."""
    return print_text(page, text, _font(font), cap, x, baseline)


# --- the word and line logic on boxes --------------------------------------------------------

def _word(x, baseline, cap, n=5, letter=0.7):
    """Boxes of ``n`` letters: a capital then small letters, tightly set on one baseline."""
    boxes, xs = [], x
    for k in range(n):
        h = cap if k == 0 else int(round(letter * cap))
        boxes.append((xs, baseline - h, int(0.6 * cap), h))
        xs += int(0.6 * cap) + max(1, int(0.08 * cap))
    return boxes, xs


def test_a_digit_like_letter_in_a_word_is_print():
    boxes, _ = _word(10, 100, 40)
    rejected = np.array([True, False, True, True, False])  # "Phone": P, h, n rejected; o, e read
    assert (printed_kinds(np.array(boxes), rejected) == PRINTED_LETTER).all()


def test_a_printed_digit_one_space_after_a_word_is_print_handwriting_is_not():
    cfg = PipelineConfig(print_height_tol=0.07, print_run_spread=0.06)
    boxes, end = _word(10, 100, 40)
    rejected = [True, True, True, True, True]
    page_1 = boxes + [(end + 14, 60, 24, 40)]  # same height and baseline: "Page 1"
    assert printed_kinds(np.array(page_1), np.array(rejected + [False]), cfg)[-1] == PRINTED_DIGIT
    # Handwriting after a label: taller than its capitals, or off its baseline, or digits
    # of unequal heights; and far away.
    for extra in ([(end + 14, 48, 30, 58)], [(end + 14, 52, 24, 40)],
                  [(end + 14, 60, 24, 40), (end + 44, 57, 24, 46), (end + 74, 62, 24, 37)],
                  [(end + 90, 60, 24, 40)]):
        kinds = printed_kinds(np.array(boxes + extra), np.array(rejected + [False] * len(extra)), cfg)
        assert (kinds[len(boxes):] == HANDWRITING).all(), extra


def test_an_old_style_figure_hanging_below_the_baseline_after_a_word_is_print():
    """The 4 of "Section 4" in Garamond hangs from the x-height line below the baseline."""
    cfg = PipelineConfig(print_height_tol=0.07, print_run_spread=0.06)
    boxes, end = _word(10, 100, 40)  # capitals 40 px tall, small letters 28: x-height at y 72
    rejected = np.array([True] * 5 + [False])

    def kind(digit, config=cfg):
        return printed_kinds(np.array(boxes + [digit]), rejected, config)[-1]

    assert kind((end + 14, 72, 24, 38)) == PRINTED_DIGIT  # 10 px below the baseline
    assert kind((end + 14, 72, 24, 38), PipelineConfig(print_height_tol=0.07, print_run_spread=0.06,
                                                       print_figure_drop_rel=0.0)) == HANDWRITING
    assert kind((end + 14, 82, 24, 38)) == HANDWRITING  # 20 px below the baseline, 10 below the x-height
    assert kind((end + 14, 66, 24, 44)) == HANDWRITING  # its top off the x-height line


def test_a_digit_the_detector_holds_for_handwriting_a_space_after_a_word_is_no_letter_of_it():
    boxes, end = _word(10, 100, 40)  # letters 3 px apart
    digit = (end + 7, 62, 26, 38)  # 10 px on: close enough to be linked as a letter
    rejected = np.array([True, False, True, True, False, False])  # "Phone" then a digit
    page = np.array(boxes + [digit])
    looked = np.array([1.0, 0.1, 1.0, 1.0, 1.0, 0.0])  # the o held for handwriting too
    kinds = printed_kinds(page, rejected, PipelineConfig(), print_probs=looked)
    assert kinds[-1] == HANDWRITING
    assert (kinds[:-1] == PRINTED_LETTER).all()  # the o, at the word's letter spacing, stays print
    # Without the detector's word, or with the rule off, the digit is the word's last letter.
    assert printed_kinds(page, rejected, PipelineConfig())[-1] == PRINTED_LETTER
    off = PipelineConfig(print_hand_link_max=0)
    assert printed_kinds(page, rejected, off, print_probs=looked)[-1] == PRINTED_LETTER


def test_letters_of_a_rotated_stamp_are_a_word_and_uneven_handwriting_is_not():
    # "PAID" in capitals on a line rising 15 degrees; then digits of unequal heights.
    slope = np.tan(np.radians(15))
    stamp = np.array([(10 + 30 * k, int(100 - slope * 30 * k), 26, 40) for k in range(4)])
    i, j = letter_links(stamp)
    assert sorted(zip(i.tolist(), j.tolist())) == [(0, 1), (1, 2), (2, 3)]
    assert not letter_links(stamp, PipelineConfig(print_max_tilt_deg=0))[0].size
    uneven = np.array([(10, 100, 26, 40), (40, 82, 26, 52), (70, 90, 26, 40)])
    assert not letter_links(uneven)[0].size


def test_letters_of_a_rotated_stamp_may_differ_in_height():
    """Turned glyphs' boxes grow with their widths: "PAID 12.03." rising 12 degrees, the
    boxes 40 to 46 px tall, centres on the line. One height only: the links break."""
    slope = np.tan(np.radians(12))
    heights = [40, 46, 42, 40]
    stamp = np.array([(10 + 30 * k, int(120 - slope * 30 * k - h / 2), 26, h)
                      for k, h in enumerate(heights)])
    i, j = letter_links(stamp)
    assert sorted(zip(i.tolist(), j.tolist())) == [(0, 1), (1, 2), (2, 3)]
    one_height = PipelineConfig(print_tilt_height_rel=0)
    assert len(letter_links(stamp, one_height)[0]) < 3


def test_a_lone_rejected_piece_makes_no_word():
    boxes = np.array([(0, 0, 30, 40), (36, 0, 30, 40), (72, 0, 30, 40)])
    assert (printed_kinds(boxes, np.array([False, False, False])) == HANDWRITING).all()
    assert (printed_kinds(boxes[:1], np.array([True])) == HANDWRITING).all()
    # With print_min_rejected=2, one rejected digit among three is no word.
    one = np.array([False, True, False])
    assert (printed_kinds(boxes, one, PipelineConfig(print_min_rejected=2)) == HANDWRITING).all()
    assert (printed_kinds(boxes, one, PipelineConfig(print_min_rejected=1)) == PRINTED_LETTER).all()


def test_check_boxes_and_cells_are_outlines_a_zero_is_not():
    box = np.zeros((40, 40), np.uint8)
    cv2.rectangle(box, (0, 0), (39, 39), 255, 2)
    assert is_outline(box)
    cv2.line(box, (8, 20), (18, 32), 255, 3)
    cv2.line(box, (18, 32), (36, 4), 255, 3)  # ticked
    assert is_outline(box)
    zero = np.zeros((60, 40), np.uint8)
    cv2.ellipse(zero, (20, 30), (18, 28), 0, 0, 360, 255, 4)
    assert not is_outline(zero)


# --- whole images through the shipped model --------------------------------------------------

needs_model = pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")


@pytest.fixture(scope="module")
def rec():
    from digit_app import Recognizer

    return Recognizer.load()


def _texts(r):
    return [n.text for n in r.numbers]


@needs_model
def test_a_printed_label_beside_a_handwritten_number_reads_the_number_only(rec, mnist_test):
    digits = [5, 0, 7]
    number = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in digits],
                              height=80, margin=40)
    page = np.full((number.shape[0], number.shape[1] + 420, 3), 255, np.uint8)
    page[:, 420:] = number
    # "Phone:" in bold, its capitals nearly as tall as the handwriting, on its baseline.
    print_on(page, "Phone:", 20, 40 + 72, 54)
    r = rec.recognize(page)
    assert _texts(r) == ["507"]
    assert not any(d.printed for d in r.digits)


@needs_model
@pytest.mark.parametrize(("label", "font"), [("Line", "DejaVuSans-Oblique.ttf"), ("Sum", "DejaVuSans.ttf")])
def test_a_form_fields_label_cut_out_alone_gives_no_digit(rec, mnist_test, label, font):
    """One field of a form cropped: its label and a handwritten number, nothing else printed
    to show the page is typeset. An italic "Line" read 1117 and a "Sum" whose u and m were cut
    into 1s read 511177; set like type, they are print."""
    page = np.full((160, 420, 3), 255, np.uint8)
    print_on(page, label, 30, 110, 50, font)
    assert rec.recognize(page).digits == ()
    number = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (4, 0, 6)],
                              height=60, margin=30)
    field = np.full((number.shape[0], number.shape[1] + 200, 3), 255, np.uint8)
    field[:, 200:] = number
    print_on(field, label, 20, 30 + 56, 40, font)
    assert _texts(rec.recognize(field)) == ["406"]


@needs_model
@pytest.mark.parametrize(("label", "font", "cap"), [("ITEM", "RobotoCondensed-Regular.ttf", 30),
                                                    ("UNIT", "DejaVuSans-Bold.ttf", 43),
                                                    ("Name", "Roboto-Regular.ttf", 29),
                                                    ("Name", "DejaVuSans.ttf", 30),
                                                    ("NO.", "OpenSans-Regular.ttf", 29),
                                                    ("Hint", "Lato-Semibold.ttf", 29),
                                                    ("item", "Lato-Semibold.ttf", 56),
                                                    ("Invoice", "RobotoCondensed-Regular.ttf", 52),
                                                    ("HINT", "LiberationSans-Italic.ttf", 43),
                                                    ("Invoice", "LiberationSans-Italic.ttf", 57),
                                                    ("till", "LiberationSans-Italic.ttf", 35),
                                                    ("Mill", "LinBiolinum_RI.otf", 36)])
def test_a_label_alone_whose_letters_are_all_print_is_not_cut_into_digits(rec, label, font, cap):
    """A label cut out alone: the model rejects each piece of its ink whole (the M of "ITEM",
    the U and N of "UNIT", the N of "Name") and the print detector holds each for print.
    Cut by the segmentation graph, their strokes read as 1s (1111, 11111, 11177); a page
    whose unsure ink is all print is not cut, as a form's printed words are not, even with an
    m 1.43 times as wide as tall (DejaVu Sans: 1 1 1 2 1 1 7 7). So is a
    word with one such letter beside another member (the N of "NO.", 1110), or with a bar
    the detector holds for handwriting (the i of "Hint", 141; of "item", 77; of "Invoice",
    101), upright or slanted (the italic I of "HINT", 111), or with two bars touching that
    the pair reader reads as a written 11 (the "il" of an italic "till", 111)."""
    page = np.full((160, 420, 3), 255, np.uint8)
    print_on(page, label, 30, 110, cap, font)
    assert rec.recognize(page).digits == ()
    # Without the rule (and the printed-digit rules that catch some of those 1s after it).
    off = replace(rec.config, graph_print_all_min=0, print_alike_rel=0, print_glyph_ones_min_sure=0)
    assert rec.recognize(page, off).digits != ()


@needs_model
@pytest.mark.parametrize(("label", "font", "cap"), [("LINE", "NimbusSans-Regular.otf", 48),
                                                    ("mill", "DejaVuSans-Bold.ttf", 52)])
def test_the_bars_of_a_label_link_its_letters(rec, label, font, cap):
    """A printed I, i or l is a solid bar, dropped as an outline; kept among the other
    writing, it links the L of "LINE" to the N (25 px apart without it: read 1), and makes the
    m of "mill" a word's letter (its strokes read 177)."""
    page = np.full((160, 420, 3), 255, np.uint8)
    print_on(page, label, 30, 110, cap, font)
    assert rec.recognize(page).digits == ()


@needs_model
def test_a_label_whose_letters_are_all_print_beside_a_handwritten_number_leaves_only_the_number(
        rec, mnist_test):
    number = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (4, 0, 6)],
                              height=60, margin=30)
    field = np.full((number.shape[0], number.shape[1] + 200, 3), 255, np.uint8)
    field[:, 200:] = number
    print_on(field, "ITEM", 20, 30 + 56, 40, "RobotoCondensed-Regular.ttf")
    assert _texts(rec.recognize(field)) == ["406"]
    assert _texts(rec.recognize(field, replace(rec.config, graph_print_all_min=0))) != ["406"]


def test_typed_letters_are_a_word_of_letters_held_for_print_with_no_doubt_and_no_hand():
    """Before any cut: four capitals of one label, the model unsure of three (rejected whole),
    the detector sure they are print; and how each condition undoes it."""
    boxes = np.array([(30, 60, 30, 40), (64, 60, 30, 40), (98, 60, 30, 40), (132, 60, 30, 40)])
    unsure = np.array([True, True, False, True])
    probs = np.array([1.0, 0.99, 0.95, 1.0])
    held = probs >= 0.9
    cfg = PipelineConfig()
    assert typed_letters(boxes, unsure, held, probs, cfg).all()
    hand = probs.copy()
    hand[2] = 0.05  # a digit the detector holds for handwriting: a handwritten number
    assert not typed_letters(boxes, unsure, hand >= 0.9, hand, cfg).any()
    doubt = held.copy()
    doubt[1] = False  # a piece of ink the model doubts and the detector does not hold for print
    assert not typed_letters(boxes, unsure, doubt, np.where(doubt, probs, 0.5), cfg).any()
    wide = boxes.copy()
    wide[0, 2] = 80  # two digits touching: the detector holds such pairs for print too
    assert not typed_letters(wide, unsure, held, probs, cfg).any()
    assert not typed_letters(boxes, unsure, held, probs, PipelineConfig(graph_print_all_min=0)).any()
    # One letter is enough beside another member ("NO."), but alone it may be touching
    # handwritten digits, which the detector holds for print too.
    assert typed_letters(boxes[:2], unsure[:2], held[:2], probs[:2], PipelineConfig(graph_print_all_min=1)).all()
    assert not typed_letters(boxes[:2], unsure[:2], held[:2], probs[:2], PipelineConfig(graph_print_all_min=3)).any()
    assert not typed_letters(boxes[:1], unsure[:1], held[:1], probs[:1], cfg).any()
    assert typed_letters(boxes[:1], unsure[:1], held[:1], probs[:1], PipelineConfig(graph_print_all_min_size=1)).all()
    apart = boxes.copy()
    apart[2:, 0] += 200  # two words of two letters each: each holds enough on its own
    assert typed_letters(apart, unsure, held, probs, cfg).all()
    assert not typed_letters(apart, unsure, held, probs, PipelineConfig(graph_print_all_min=3)).any()


def test_a_bar_in_a_label_is_neither_evidence_for_print_nor_for_handwriting():
    """The print detector cannot tell a printed l, I or i from a written 1 (a bar is a bar):
    "Hint" with its i held for handwriting, or doubted and not held for print, is still a
    label; a doubted member as wide as a letter is not."""
    boxes = np.array([(30, 60, 30, 40), (64, 60, 8, 40), (76, 70, 24, 30), (104, 64, 16, 36)])
    unsure = np.array([True, False, True, True])
    probs = np.array([1.0, 0.05, 1.0, 0.99])
    held = probs >= 0.9
    cfg = PipelineConfig()
    letters = typed_letters(boxes, unsure, held, probs, cfg)
    assert letters.all()  # the bar's word is found; segment keeps only the held ones whole
    doubted = unsure.copy()
    doubted[1] = True
    assert typed_letters(boxes, doubted, held, np.where(held, probs, 0.5), cfg).all()
    assert not typed_letters(boxes, unsure, held, probs, PipelineConfig(graph_print_bar_max_aspect=0.1)).any()
    wide = boxes.copy()
    wide[1, 2] = 20  # as wide as a letter: a digit the detector holds for handwriting
    assert not typed_letters(wide, unsure, held, probs, cfg).any()


@needs_model
def test_a_handwritten_number_written_a_space_after_a_printed_word_is_read(rec, mnist_test):
    number = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (3, 7, 4)],
                              height=56, margin=20)
    page = np.full((number.shape[0], number.shape[1] + 400, 3), 255, np.uint8)
    x, _, w, _ = print_on(page, "Total", 20, 70, 36, "LiberationSerif-Regular.ttf")
    # The 3's ink starts about 8 px after the l: as close as the word's letters are linked.
    start = x + w - 20
    page[:, start:start + number.shape[1]] = np.minimum(page[:, start:start + number.shape[1]], number)
    assert _texts(rec.recognize(page)) == ["374"]


@needs_model
def test_printed_page_number_is_read_only_on_request(rec):
    page = np.full((160, 420, 3), 255, np.uint8)
    print_on(page, "Page 1", 30, 110, 50, "LiberationSans-Regular.ttf")
    assert rec.recognize(page).digits == ()
    r = rec.recognize(page, replace(rec.config, read_printed=True))
    assert _texts(r) == ["1"]
    assert r.digits[0].printed and r.numbers[0].printed
    entry = recognition_to_dict("page.png", 0, r)
    assert entry["digits"][0]["printed"] is True and entry["numbers"][0]["printed"] is True
    json.dumps(entry)


@needs_model
def test_a_printed_page_number_in_black_beside_blue_handwriting_is_read_on_request(rec, mnist_test):
    """A colour page: "3745" handwritten in blue, "Page 1" printed in black. The 1 is a lone
    digit in another ink than the writing, but printed digits asked for are kept."""
    number = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (3, 7, 4, 5)],
                              height=56, margin=20)
    page = np.full((number.shape[0] + 120, number.shape[1] + 100, 3), 255, np.uint8)
    page[120:, 50:50 + number.shape[1]] = number
    print_on(page, "Page 1", 30, 80, 40, "LiberationSans-Regular.ttf")
    light = page[:, :, :1].astype(np.float32) / 255
    ink = np.where(np.arange(page.shape[0])[:, None, None] >= 120, (150, 60, 40), (30, 30, 30))
    colour = (light * np.array((205, 235, 245)) + (1 - light) * ink).astype(np.uint8)
    assert _texts(rec.recognize(colour)) == ["3745"]
    r = rec.recognize(colour, replace(rec.config, read_printed=True))
    assert [(n.text, n.printed) for n in r.numbers] == [("1", True), ("3745", False)]


@needs_model
def test_handwriting_has_no_printed_field_in_json(rec, mnist_test):
    page = page_with_number(mnist_test, [first_index_of(mnist_test, 3)])
    entry = recognition_to_dict("x.png", 0, rec.recognize(page))
    assert entry["digits"] and all("printed" not in d for d in entry["digits"] + entry["numbers"])


@needs_model
def test_frame_edges_and_check_boxes_are_never_digits(rec, mnist_test):
    digits = [4, 2]
    page = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in digits],
                            height=70, margin=60)
    h, w = page.shape[:2]
    framed = np.full((h + 40, w + 160, 3), 255, np.uint8)
    framed[20:20 + h, 20:20 + w] = page
    # The edge of a dark desk down the left side and a sheet's border cut by the top edge.
    framed[:, :8] = 30
    cv2.line(framed, (w + 60, 0), (w + 60, 60), (20, 20, 20), 3)
    # A check box, ticked, beside the number.
    cv2.rectangle(framed, (w + 80, 60), (w + 125, 105), (20, 20, 20), 2)
    cv2.line(framed, (w + 88, 82), (w + 98, 96), (40, 30, 30), 3)
    cv2.line(framed, (w + 98, 96), (w + 120, 62), (40, 30, 30), 3)
    r = rec.recognize(framed)
    assert _texts(r) == ["42"]


def test_a_digit_five_times_thinner_than_the_pages_digits_is_a_hairline():
    from digit_app.pipeline.printed import hairlines

    strokes = np.array([5.0, 6.0, 5.5, 5.0, 0.9, np.nan])
    ok = np.array([True, True, True, True, True, False])
    assert hairlines(strokes, ok).tolist() == [False] * 4 + [True, False]
    # The median needs hand_stroke_min_count digits read; a rejected one gives none.
    assert not hairlines(strokes, ok & (np.arange(6) >= 2)).any()
    assert not hairlines(strokes, ok, PipelineConfig(hand_stroke_min_rel=0)).any()


@needs_model
def test_a_handwritten_number_of_touching_pairs_the_detector_takes_for_print_is_still_cut(
        rec, mnist_test):
    """Generated legible touching scene 245 of seed 3: "7177" is two touching pairs, "71" and
    "77", that the model rejects whole and the print detector holds for print, linked as the
    letters of a word are. The pair reader reads each as two whole digits: they are cut and
    read, as before the rule for labels whose letters are all print."""
    from digit_app.data.scenes import ALL_KINDS, make_scene

    seeds = np.random.SeedSequence([3, ALL_KINDS.index("touching-legible")]).spawn(246)
    scene = make_scene("touching-legible", mnist_test.images, mnist_test.labels,
                       np.random.default_rng(seeds[245]))
    assert "7177" in _texts(rec.recognize(scene.image))
    no_pairs = replace(rec.config, graph_print_all_pair_max=1.01)
    assert "7177" not in _texts(rec.recognize(scene.image, no_pairs))


def test_a_short_printed_word_read_as_small_digits_is_dropped():
    from digit_app.pipeline.printed import small_printed_words

    # Two handwritten numbers of four digits, a printed "149" and a small handwritten "47".
    heights = np.array([40, 42, 38, 41, 39, 40, 43, 40, 20, 20, 19, 21, 22])
    numbers = [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9, 10), (11, 12)]
    conf = np.array([0.95] * 8 + [0.68, 0.65, 0.41, 0.93, 0.95])
    held = np.array([0.0] * 8 + [0.68, 0.02, 0.98, 0.0, 0.02])
    # "149": small, unsure, one letter held for print: a word. "47", sure and held for
    # handwriting, stays.
    assert small_printed_words(heights, held, conf, numbers).tolist() == [False] * 8 + [True] * 3 + [False] * 2
    # Held for print but read surely, or as tall as the page's digits: digits.
    assert not small_printed_words(heights, held, np.full(13, 0.95), numbers).any()
    assert not small_printed_words(np.full(13, 40), held, conf, numbers).any()
    assert not small_printed_words(heights, None, conf, numbers).any()  # no detector


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")
def test_a_printed_word_on_a_sheet_in_a_camera_frame_is_no_number(mnist_test):
    """Generated webcam frame 296 of seed 41: "8312" written on a sheet above a printed
    "Paid", whose letters read "92" (the detector sure of one of them only)."""
    from digit_app import Recognizer
    from digit_app.data.scenes import ALL_KINDS, make_scene

    seeds = np.random.SeedSequence([41, ALL_KINDS.index("webcam")]).spawn(297)
    scene = make_scene("webcam", mnist_test.images, mnist_test.labels, np.random.default_rng(seeds[296]))
    assert [n.text for n in Recognizer.load().recognize(scene.image).numbers] == ["8312"]
