"""Stray pieces merged into a candidate (pipeline.strays): found, offered and read."""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from helpers import SHIPPED_MODEL

from digit_app.pipeline import PipelineConfig, find_candidates
from digit_app.pipeline.strays import strays

CFG = PipelineConfig()
DIGIT = [100, 50, 60, 100]  # x, y, w, h: the tallest piece


@pytest.mark.parametrize("piece, expected", [
    ([90, 10, 80, 25], True),    # a word over it
    ([120, 165, 30, 20], True),  # a mark under it
    ([90, 20, 80, 25], False),   # nearer than 0.12 of its height: a stroke broken apart
    ([165, 60, 20, 20], False),  # beside it, sharing rows: a 5's hat drawn level with its body
    ([120, 140, 20, 30], False),  # reaching into its rows
    ([90, 0, 80, 60], False),    # as tall as a digit's half or more: a broken digit's part
])
def test_a_short_piece_wholly_above_or_below_the_tallest_is_a_stray(piece, expected):
    assert strays(np.array([DIGIT, piece]), CFG).tolist() == [False, expected]
    assert not strays(np.array([piece]), CFG).any()  # a piece alone is no stray
    off = PipelineConfig(stray_max_height_rel=0)
    assert not strays(np.array([DIGIT, piece]), off).any()


def test_a_digit_in_fragments_has_no_strays():
    top, middle, dot = [30, 19, 19, 21], [20, 45, 24, 18], [20, 86, 10, 7]  # a dotted 3
    assert not strays(np.array([top, middle, dot]), CFG).any()


def _zero_under(word: str | None) -> np.ndarray:
    """A 0 drawn 110 px tall, with a printed ``word`` 10 px over it (a form's label)."""
    image = np.full((260, 320), 255, np.uint8)
    cv2.ellipse(image, (145, 165), (32, 52), 0, 0, 360, 0, 9, cv2.LINE_AA)
    if word is not None:
        cv2.putText(image, word, (120, 90), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2, cv2.LINE_AA)
    return image


def test_the_dot_of_a_printed_i_is_no_stray():
    """Without its dot, a boxed i on an empty form ("Z i p") read 1, 94% sure."""
    image = np.full((120, 120), 255, np.uint8)
    cv2.line(image, (60, 52), (60, 80), 0, 8, cv2.LINE_AA)  # the stem
    cv2.circle(image, (60, 36), 5, 0, -1, cv2.LINE_AA)  # its dot, 8 px over it
    (cand,) = find_candidates(image, CFG)
    assert cand.box == (55, 31, 11, 54) and cand.without_strays is None
    no_dots = PipelineConfig(stray_stem_max_aspect=0)
    assert find_candidates(image, no_dots)[0].without_strays is not None


def test_a_label_printed_over_a_digit_is_offered_to_the_model_without_it():
    (cand,) = find_candidates(_zero_under("Item"), CFG)
    assert cand.without_strays is not None
    x, y, w, h = cand.without_strays.box
    assert y > 100 and y + h < 230 and x >= 105 and x + w <= 185
    assert find_candidates(_zero_under(None), CFG)[0].without_strays is None


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")
def test_a_digit_under_a_printed_label_merged_into_it_reads_as_itself():
    from digit_app import Recognizer

    rec = Recognizer.load()
    image = _zero_under("Item")
    assert [d.label for d in rec.recognize(image).digits] == [0]
    off = PipelineConfig(stray_max_height_rel=0)  # read with the label: a 6
    assert [d.label for d in rec.recognize(image, off).digits] != [0]
    # A 5 whose hat floats above its body stays one 5.
    five = np.full((260, 320), 255, np.uint8)
    cv2.line(five, (125, 85), (185, 85), 0, 9, cv2.LINE_AA)
    cv2.line(five, (125, 112), (120, 155), 0, 9, cv2.LINE_AA)
    cv2.ellipse(five, (145, 185), (35, 33), 0, -150, 140, 0, 9, cv2.LINE_AA)
    assert [d.label for d in rec.recognize(five).digits] == [5]
