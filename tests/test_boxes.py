"""digit_app.boxes: half-open boxes, their overlap, union, clipping and one-to-one matching,
and the modules that used to have their own copies (scene scoring, geometry, samples, types)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digit_app import boxes
from digit_app.boxes import area, clip, intersection_area, iou, match, union_box

coord = st.integers(-50, 50)
side = st.integers(0, 40)
box = st.tuples(coord, coord, side, side)
nonempty = st.tuples(coord, coord, st.integers(1, 40), st.integers(1, 40))


# --------------------------------------------------------------------------- hand-made cases

def test_touching_boxes_share_nothing():
    # Columns 0-9 and 10-19; rows 0-9 and 10-19.
    assert intersection_area((0, 0, 10, 10), (10, 0, 10, 10)) == 0
    assert intersection_area((0, 0, 10, 10), (0, 10, 10, 10)) == 0
    assert intersection_area((0, 0, 10, 10), (10, 10, 5, 5)) == 0  # corner to corner
    assert iou((0, 0, 10, 10), (10, 0, 10, 10)) == 0.0
    # One pixel more and they share a column.
    assert intersection_area((0, 0, 10, 10), (9, 0, 10, 10)) == 10


def test_nested_boxes():
    outer, inner = (0, 0, 10, 10), (2, 3, 4, 5)
    assert intersection_area(outer, inner) == area(inner) == 20
    assert iou(outer, inner) == pytest.approx(20 / 100)
    assert union_box([outer, inner]) == outer


def test_disjoint_boxes():
    a, b = (0, 0, 10, 10), (30, 40, 5, 5)
    assert intersection_area(a, b) == 0
    assert iou(a, b) == 0.0
    assert union_box([a, b]) == (0, 0, 35, 45)


def test_partial_overlap():
    assert intersection_area((0, 0, 10, 10), (5, 5, 10, 10)) == 25
    assert iou((0, 0, 10, 10), (5, 0, 10, 10)) == pytest.approx(50 / 150)


def test_zero_size_boxes():
    empty = (3, 3, 0, 5)
    assert area(empty) == 0
    assert area((3, 3, -4, 5)) == 0  # negative sides cover nothing either
    assert intersection_area(empty, (0, 0, 10, 10)) == 0
    assert iou(empty, (0, 0, 10, 10)) == 0.0
    assert iou(empty, empty) == 0.0
    assert iou((0, 0, -5, -5), (-5, -5, 5, 5)) == 0.0


def test_intersection_of_float_rectangles():
    assert intersection_area((0.5, 0.0, 2.0, 2.0), (1.0, 0.0, 2.0, 2.0)) == pytest.approx(3.0)


def test_union_box():
    assert union_box([(10, 5, 4, 8), (20, 2, 5, 5)]) == (10, 2, 15, 11)
    assert union_box(iter([(1, 2, 3, 4)])) == (1, 2, 3, 4)  # any iterable
    with pytest.raises(ValueError, match="at least one"):
        union_box([])


def test_clip():
    assert clip((-5, -5, 20, 20), 10, 10) == (0, 0, 10, 10)
    assert clip((2, 3, 4, 5), 10, 10) == (2, 3, 4, 5)
    assert clip((8, 8, 5, 5), 10, 10) == (8, 8, 2, 2)
    assert clip((50, 50, 5, 5), 10, 10) == (10, 10, 0, 0)
    assert clip((-20, 2, 5, 5), 10, 10) == (0, 2, 0, 5)


def test_match_takes_the_best_iou_first():
    # The detection overlaps both truths: the better one (IoU 0.67 against 0.43) gets it,
    # though the other comes first in the list.
    truth = [(0, 0, 10, 10), (6, 0, 10, 10)]
    assert match(truth, [(4, 0, 10, 10)], 0.3) == [(1, 0)]
    # Greedy, not optimal: the best pair (IoU 0.82) is taken though it leaves the others
    # (0.43 and 0.54 with it, 0.11 together) unmatched.
    first = [(0, 0, 10, 10), (4, 0, 10, 10)]
    second = [(1, 0, 10, 10), (-4, 0, 10, 10)]
    assert iou(first[1], second[1]) < 0.3 <= min(iou(first[0], second[1]), iou(first[1], second[0]))
    assert match(first, second, 0.3) == [(0, 0)]


def test_match_is_one_to_one_and_sorted():
    same = (0, 0, 10, 10)
    assert match([same, same], [same, same, same], 0.5) == [(0, 0), (1, 1)]
    assert match([(50, 0, 10, 10), (0, 0, 10, 10)], [(0, 0, 10, 10), (50, 0, 10, 10)], 0.5) == [(0, 1), (1, 0)]
    assert match([], [same], 0.5) == []
    assert match([same], [], 0.5) == []


def test_match_threshold_is_inclusive():
    a, b = (0, 0, 10, 10), (5, 0, 10, 10)  # IoU 1/3
    assert match([a], [b], iou(a, b)) == [(0, 0)]
    assert match([a], [b], iou(a, b) + 1e-9) == []


def test_match_extra_rules():
    thin, shifted = (0, 0, 4, 20), (3, 0, 4, 20)  # IoU 1/7
    assert match([thin], [shifted], 0.3) == []
    assert match([thin], [shifted], 0.3, accept=lambda a, b: abs(a[0] - b[0]) <= 3) == [(0, 0)]
    # compatible must hold as well, even for equal boxes.
    assert match([thin], [thin], 0.3, compatible=lambda i, j: False) == []
    # Equal IoU: tie_break decides (smallest first), before the indexes do.
    one = [(10, 0, 10, 10)]
    two = [(5, 0, 10, 10), (15, 0, 10, 10)]
    assert match(one, two, 0.1) == [(0, 0)]
    assert match(one, two, 0.1, tie_break=lambda a, b: -b[0]) == [(0, 1)]


# --------------------------------------------------------------------------- properties

@given(box, box)
def test_iou_is_symmetric_and_in_unit_interval(a, b):
    assert iou(a, b) == iou(b, a)
    assert 0.0 <= iou(a, b) <= 1.0
    assert intersection_area(a, b) == intersection_area(b, a)
    assert 0 <= intersection_area(a, b) <= min(area(a), area(b))


@given(nonempty)
def test_iou_of_a_box_with_itself_is_one(a):
    assert iou(a, a) == 1.0


@given(st.lists(box, min_size=1, max_size=6))
def test_union_holds_every_box(bs):
    u = union_box(bs)
    for b in bs:
        assert u[0] <= b[0] and u[1] <= b[1]
        assert b[0] + b[2] <= u[0] + u[2] and b[1] + b[3] <= u[1] + u[3]
        if area(b):
            assert intersection_area(u, b) == area(b)


@given(box, st.integers(1, 60), st.integers(1, 60))
def test_clip_stays_in_the_image_and_keeps_the_shared_pixels(b, width, height):
    c = clip(b, width, height)
    assert c[2] >= 0 and c[3] >= 0
    assert c[0] >= 0 and c[1] >= 0 and c[0] + c[2] <= width and c[1] + c[3] <= height
    assert area(c) == intersection_area(b, (0, 0, width, height))


@given(st.lists(box, max_size=6), st.lists(box, max_size=6), st.floats(0.05, 1.0))
def test_match_pairs_are_unique_and_above_the_threshold(first, second, min_iou):
    pairs = match(first, second, min_iou)
    assert pairs == sorted(pairs)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert all(iou(first[i], second[j]) >= min_iou for i, j in pairs)
    # Greedy: no pair left out could have been added.
    free_first = set(range(len(first))) - {i for i, _ in pairs}
    free_second = set(range(len(second))) - {j for _, j in pairs}
    assert not any(iou(first[i], second[j]) >= min_iou for i in free_first for j in free_second)


# --------------------------------------------------------------------------- one copy

def test_former_copies_are_the_boxes_functions():
    from digit_app import types
    from digit_app.data import scene_scoring
    from digit_app.session import geometry

    assert types.union_box is boxes.union_box
    assert geometry.iou is scene_scoring.iou is boxes.iou
    assert geometry.intersection_area is scene_scoring.intersection is boxes.intersection_area
    assert scene_scoring.area is boxes.area


def test_clip_box_wrappers():
    from digit_app.samples.boxes import clip_box as sample_clip
    from digit_app.session.geometry import clip_box as gui_clip

    assert sample_clip((-2.4, 1.6, 5.2, 30.0), (10, 8)) == (0, 2, 3, 8)  # rounded, then clipped
    assert sample_clip((20, 20, 5, 5), (10, 10)) == (10, 10, 0, 0)
    assert gui_clip((8, 8, 5, 5), 10, 10) == (8, 8, 2, 2)
    assert gui_clip((8, 8, 5, 5), 10, 10, min_side=4) is None
    assert gui_clip((50, 50, 5, 5), 10, 10) is None


def test_scene_scoring_centre_rule_counts_a_centre_on_the_edge():
    from digit_app.data.scene_scoring import boxes_match, match_boxes

    truth, reported = (0, 0, 20, 20), (6, 0, 4, 20)  # IoU 0.2; truth's centre on reported's right edge
    assert iou(truth, reported) == pytest.approx(0.2)
    assert boxes_match(truth, reported)
    assert match_boxes([truth], [reported]) == [(0, 0)]
    assert match_boxes([truth], [(5, 0, 4, 20)]) == []  # a centre beyond the edge does not count
