"""The size of the digits around each ink piece (pipeline/scale.py), on synthetic boxes."""
from __future__ import annotations

import numpy as np

from digit_app.pipeline.config import PipelineConfig
from digit_app.pipeline.scale import (
    connected,
    grouped_weighted_median,
    local_heights,
    window_pairs,
)


def test_window_pairs_with_one_reach_per_interval():
    x0 = np.array([0, 12, 30, 100])
    x1 = np.array([10, 20, 40, 110])
    i, j = window_pairs(x0, x1, np.array([2, 20, 1, 0]))
    # 0-1: gap 2 <= reach of 0 (2); 1-2: gap 10 <= 20; 0-2: gap 20 > 2; 2-3: gap 60 > 1
    assert sorted(zip(i.tolist(), j.tolist())) == [(0, 1), (1, 2)]
    i, j = window_pairs(x0, x1, 100)
    assert len(i) == 6  # every pair once


def test_connected_labels_chains_and_singletons():
    lab = connected(6, np.array([0, 1, 4]), np.array([1, 2, 5]))
    assert lab[0] == lab[1] == lab[2]
    assert lab[4] == lab[5]
    assert len({int(lab[0]), int(lab[3]), int(lab[4])}) == 3
    assert connected(3, np.zeros(0, np.int64), np.zeros(0, np.int64)).tolist() == [0, 1, 2]


def test_grouped_weighted_median():
    values = np.array([10, 20, 30, 5, 7])
    weights = np.array([1.0, 1.0, 5.0, 0.0, 0.0])  # group 1 has no weight: plain median
    groups = np.array([0, 0, 0, 1, 1])
    assert grouped_weighted_median(values, weights, groups).tolist() == [30.0, 5.0]


def _row(x: int, h: int, n: int, gap: int, y: int = 0) -> list[list[int]]:
    w = h * 2 // 3
    return [[x + k * (w + gap), y, w, h] for k in range(n)]


def test_small_number_far_from_big_digits_has_its_own_height():
    big = _row(0, 150, 2, 30, y=0)
    small = _row(500, 40, 3, 8, y=300)
    boxes = np.array(big + small)
    areas = np.array([4000, 4000, 300, 300, 300])
    local, hood = local_heights(boxes, areas, 150.0, (600, 800))
    assert local.tolist() == [150.0, 150.0, 40.0, 40.0, 40.0]
    assert hood[0] == hood[1] == -1  # the image's own size
    assert hood[2] == hood[3] == hood[4] != -1


def test_sizes_close_to_the_images_and_lone_dots_take_the_images():
    cfg = PipelineConfig()
    boxes = np.array(_row(0, 60, 3, 10) + _row(400, 40, 2, 8, y=200) + [[700, 400, 5, 5]])
    areas = np.array([900] * 3 + [500] * 2 + [20])
    local, hood = local_heights(boxes, areas, 60.0, (600, 800), cfg=cfg)
    # 40 px is less than scale_own_ratio times smaller; a 5 px dot is below scale_min_rel
    assert (local == 60.0).all() and (hood == -1).all()


def test_a_word_before_a_number_is_its_own_neighbourhood():
    """Letters half the digits' height, written just before them, do not pull the number's
    size down (heights differ by more than scale_link_max_ratio): the word is a
    neighbourhood smaller than the image's digits, like a word standing alone."""
    word = _row(0, 20, 5, 2, y=120)
    number = [[5 * 16 + 12 + k * 40, 96, 30, 48] for k in range(3)]
    alone = _row(500, 20, 5, 2, y=300)
    boxes = np.array(word + number + _row(0, 90, 2, 20, y=400) + alone)
    areas = np.array([80] * 5 + [400] * 3 + [2000] * 2 + [80] * 5)
    local, hood = local_heights(boxes, areas, 90.0, (600, 800))
    assert (local[5:10] == 90).all() and (hood[5:10] == -1).all()
    for letters in (slice(0, 5), slice(10, 15)):
        assert (local[letters] == 20).all() and len(set(hood[letters].tolist())) == 1
    assert hood[0] != -1 and hood[10] != -1 and hood[0] != hood[10]


def test_fragments_of_a_broken_digit_take_the_images_height():
    """Pieces of unequal sizes close together (a digit broken by a faint stroke) are not
    a smaller number of their own."""
    boxes = np.array([[75, 194, 14, 16], [82, 207, 21, 25], [88, 234, 14, 8]]
                     + _row(130, 53, 4, 12, y=190))
    areas = np.array([113, 219, 74] + [600] * 4)
    local, hood = local_heights(boxes, areas, 53.0, (300, 500))
    assert (local == 53).all() and (hood == -1).all()


def test_a_stray_mark_touching_a_digit_takes_the_images_height():
    """A short bar at the edge of a big 9 is not a small "1" of its own: judged by the
    image's size it stays a small piece, for the merge to join to the 9."""
    boxes = np.array([[246, 430, 88, 70], [359, 421, 61, 77], [415, 449, 6, 22]])
    areas = np.array([2400, 2100, 110])
    local, hood = local_heights(boxes, areas, 67.0, (1754, 1240))
    assert (local == 67).all() and (hood == -1).all()
