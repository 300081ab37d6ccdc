"""Underlines and a 1's foot (pipeline.underline), and lines under a number touching it
(pipeline.components.remove_lines)."""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from helpers import SHIPPED_MODEL

from digit_app.pipeline import PipelineConfig, find_candidates
from digit_app.pipeline.underline import underlines

CFG = PipelineConfig()
DIGIT = [100, 50, 60, 100]  # x, y, w, h


@pytest.mark.parametrize("dash, expected", [
    ([80, 160, 100, 10], True),   # under it, past both sides
    ([80, 40, 100, 10], False),   # over it: a 5's bar or a 7's
    ([110, 160, 100, 10], False),  # past one side only
    ([80, 95, 100, 10], False),   # through its middle, not under it
    ([80, 160, 30, 10], False),   # not flat enough for a dash
])
def test_a_dash_under_the_rest_reaching_past_both_its_sides_is_an_underline(dash, expected):
    assert underlines(np.array([DIGIT, dash]), CFG).tolist() == [False, expected]
    assert not underlines(np.array([dash]), CFG).any()  # a dash alone underlines nothing


def _canvas(strokes: list[tuple[tuple[int, int], tuple[int, int]]], pen: int) -> np.ndarray:
    image = np.full((300, 300), 255, np.uint8)
    for a, b in strokes:
        cv2.line(image, a, b, 0, pen, cv2.LINE_AA)
    return image


SEVEN = [((100, 60), (200, 60)), ((200, 60), (130, 220))]
ONE = [((115, 95), (150, 60)), ((150, 60), (150, 220))]
UNDERLINE = [((70, 245), (230, 249))]
FOOT = [((110, 238), (190, 238))]


def test_an_underlined_digit_offers_the_model_its_reading_without_the_line():
    cands = find_candidates(_canvas(SEVEN + UNDERLINE, 8), CFG)
    assert len(cands) == 1 and cands[0].without_underline is not None
    x, y, w, h = cands[0].without_underline.box
    assert y + h < 245 and x >= 95 and x + w <= 205
    assert find_candidates(_canvas(SEVEN, 8), CFG)[0].without_underline is None


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")
@pytest.mark.parametrize("pen", [8, 2])
def test_an_underlined_7_reads_7_and_a_1_with_its_foot_reads_1(pen):
    from digit_app import Recognizer

    rec = Recognizer.load()
    images = [_canvas(SEVEN + UNDERLINE, pen), _canvas(ONE + FOOT, pen)]
    assert [[d.label for d in r.digits] for r in rec.recognize_many(images)] == [[7], [1]]
    off = PipelineConfig(dash_min_aspect=1000)  # no dash: the underline joins the 7
    assert [d.label for d in rec.recognize(images[0], off).digits] == [1]


def _number(underline: bool, pen: int = 8, at: int = 224) -> np.ndarray:
    """"714" drawn 160 px tall, with a line at row ``at`` (under it: touching the foot of
    every digit)."""
    def shift(strokes, dx):
        return [((a[0] + dx, a[1]), (b[0] + dx, b[1])) for a, b in strokes]

    four = [((120, 60), (95, 160)), ((95, 160), (190, 160)), ((170, 90), (170, 220))]
    strokes = shift(SEVEN, -60) + shift(ONE, 50) + shift(four, 150)
    image = np.full((300, 460), 255, np.uint8)
    for a, b in strokes + ([((30, at), (370, at + 2))] if underline else []):
        cv2.line(image, a, b, 0, pen, cv2.LINE_AA)
    return image


NO_TOUCHING_UNDERLINES = PipelineConfig(underline_min_length_rel=100, underline_alone_min_length_rel=100)


def test_a_line_under_a_number_touching_its_digits_is_erased():
    boxes = [c.box for c in find_candidates(_number(True), CFG)]
    assert len(boxes) == 3 and all(y + h <= 224 for _, y, _, h in boxes)
    assert len(find_candidates(_number(True), NO_TOUCHING_UNDERLINES)) == 1  # one piece with its line
    assert len(find_candidates(_number(True, at=200), CFG)) == 1  # struck through, not underlined
    # A 2 whose foot runs long (2.1 times its height without it) keeps its foot.
    image = np.full((300, 460), 255, np.uint8)
    two = [((100, 90), (150, 60)), ((150, 60), (195, 95)), ((195, 95), (105, 215)), ((105, 215), (420, 215))]
    for a, b in two:
        cv2.line(image, a, b, 0, 8, cv2.LINE_AA)
    (cand,) = find_candidates(image, CFG)
    assert cand.box[0] + cand.box[2] > 420


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")
def test_an_underlined_number_touching_its_line_reads_as_without_it():
    from digit_app import Recognizer

    rec = Recognizer.load()
    assert [d.label for d in rec.recognize(_number(False)).digits] == [7, 1, 4]
    assert [d.label for d in rec.recognize(_number(True)).digits] == [7, 1, 4]
    assert [d.label for d in rec.recognize(_number(True), NO_TOUCHING_UNDERLINES).digits] != [7, 1, 4]
