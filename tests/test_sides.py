"""The background either side of a bar: a stroke on paper against the edge of a dark thing."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from digit_app.pipeline import PipelineConfig
from digit_app.pipeline.sides import edge_ones, side_contrast


def _paper(h: int = 100, w: int = 200) -> np.ndarray:
    return np.full((h, w), 230, np.uint8)


def test_a_stroke_on_paper_has_the_same_background_on_both_sides():
    page = _paper()
    page[20:80, 96:104] = 30
    assert side_contrast(page, [(96, 20, 8, 60)])[0] == pytest.approx(0.0)


def test_the_rim_of_a_dark_region_has_paper_on_one_side_only():
    page = _paper()
    page[:, 120:] = 90  # a desk right of the sheet
    page[20:80, 114:120] = 40  # the dark rim binarization finds along it
    bgr = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    # Paper 230 left, desk 90 right: 140 against 230 - 40 inside the box ...
    assert side_contrast(bgr, [(110, 20, 10, 60)])[0] == pytest.approx(140 / 190)
    # ... or against no contrast at all (taken as 1 grey level) in a box of rim alone.
    assert side_contrast(bgr, [(114, 20, 6, 60)])[0] == pytest.approx(140)


def test_a_box_without_room_for_its_strips_is_not_measured():
    page = _paper()
    assert np.isnan(side_contrast(page, [(1, 20, 8, 60)])[0])
    assert np.isnan(side_contrast(page, [(192, 20, 8, 60)])[0])


def test_only_a_one_standing_alone_is_dropped_at_an_edge():
    page = _paper(100, 400)
    page[:, 320:] = 90
    page[20:80, 314:320] = 40
    edge = (314, 20, 6, 60)
    alone = edge_ones(page, [(40, 20, 30, 60), (80, 20, 30, 60), edge], np.array([False, False, True]),
                      [(0, 1), (2,)])
    assert alone.tolist() == [False, False, True]
    # A 7 there, or a 1 in a number, is left to the other rules; 0 turns the rule off.
    assert not edge_ones(page, [edge], np.array([False]), [(0,)]).any()
    assert not edge_ones(page, [(280, 20, 30, 60), edge], np.array([False, True]), [(0, 1)]).any()
    assert not edge_ones(page, [edge], np.array([True]), [(0,)], PipelineConfig(edge_side_contrast=0)).any()

