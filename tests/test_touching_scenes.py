"""The ``touching`` scene kind and the score of digits with a touching neighbour."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from helpers import write_unipen

from digit_app.data.scene_scoring import SceneScore, score_scene
from digit_app.data.scenes import (
    ALL_KINDS,
    DEFAULT_SCENE_CONFIG,
    DEFAULT_TOUCHING,
    KINDS,
    make_scenes,
    touch_offset,
)
from digit_app.data.scenes.touching import _number
from digit_app.scene_eval import KindReport, format_report


@pytest.fixture(scope="module")
def touching(mnist_test):
    return make_scenes("touching", 12, mnist_test.images, mnist_test.labels, seed=5)


def test_the_other_kinds_keep_their_seeds():
    assert ALL_KINDS[: len(KINDS)] == KINDS and "touching" in ALL_KINDS
    assert "touching" not in KINDS  # not in the default evaluation


def test_touch_offset_puts_ink_side_by_side_touching():
    a = np.zeros((10, 6), bool)
    a[:, 4:6] = True  # a bar at the right of a
    b = np.zeros((10, 5), bool)
    b[:, 0:2] = True  # a bar at the left of b
    assert touch_offset(a, b, 0) == 6  # b's bar starts right after a's
    b2 = np.zeros((10, 5), bool)
    b2[6:, 0] = True
    assert touch_offset(a, b2, 0) == 6 and touch_offset(a, b2, 8) == 6
    assert touch_offset(a, np.zeros((3, 3), bool), 0) == a.shape[1]  # nothing to touch


def _check_strings(scenes, kind: str) -> int:
    """Assert every scene is a strip of ``kind`` holding numbers of 2-8 digits whose text is
    their digits'; the count of digits touching a neighbour."""
    lo, hi = DEFAULT_TOUCHING.digits
    touching_digits = 0
    for scene in scenes:
        assert scene.kind == kind and scene.image.dtype == np.uint8
        assert scene.image.shape == (DEFAULT_TOUCHING.size[1], DEFAULT_TOUCHING.size[0], 3)
        for number in scene.numbers:
            assert lo <= len(number.digits) <= hi
            assert number.text == "".join(str(scene.digits[i].label) for i in number.digits)
        touching_digits += sum(d.touching for d in scene.digits)
    return touching_digits


def test_strings_of_two_to_eight_digits_with_touching_neighbours(touching):
    touching_digits = _check_strings(touching, "touching")
    for scene in touching:
        h, w = scene.image.shape[:2]
        for d in scene.digits:
            x, y, bw, bh = d.box
            assert x >= 0 and x + bw <= w and y >= 0 and y + bh <= h
    total = sum(len(s.digits) for s in touching)
    assert 0.2 * total <= touching_digits <= 0.9 * total


def test_same_seed_same_touching_scene(mnist_test, touching):
    again = make_scenes("touching", 2, mnist_test.images, mnist_test.labels, seed=5)
    assert np.array_equal(again[0].image, touching[0].image)
    assert again[1].digits == touching[1].digits


def test_touching_digits_read_right_are_counted_and_reported(touching):
    scene = next(s for s in touching if any(d.touching for d in s.digits))
    boxes = [d.box for d in scene.digits]
    labels = [d.label for d in scene.digits]
    wrong = [(lab + 1) % 10 if d.touching else lab for lab, d in zip(labels, scene.digits)]
    numbers = [(n.text, n.box) for n in scene.numbers]
    perfect = score_scene(scene, boxes, labels, numbers)
    n_touching = sum(d.touching for d in scene.digits)
    assert perfect.touching_digits == perfect.touching_correct == n_touching
    missed = score_scene(scene, boxes, wrong, numbers)
    assert missed.touching_digits == n_touching and missed.touching_correct == 0
    assert missed.summary()["touching_digit_accuracy"] == 0.0
    line = format_report(KindReport("touching", 1, missed, 0.01))
    assert "touching neighbour read right 0.000" in line
    assert "touching" not in format_report(KindReport("drawing", 1, SceneScore(), 0.01))


def test_evaluate_names_an_unknown_kind_in_one_line(capsys):
    from digit_app.cli import main

    assert main(["evaluate", "--scenes", "1", "--kinds", "drawing,cheques"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cheques" in err[0] and "touching" in err[0]


def test_touching_unipen_numbers_are_one_held_out_writers_digits(held_out_unipen, mnist_test):
    scenes = make_scenes("touching-unipen", 8, mnist_test.images, mnist_test.labels, seed=2)
    assert _check_strings(scenes, "touching-unipen") > 0
    for number in (n for scene in scenes for n in scene.numbers):
        # never the trained-on writer's 9s, nor the 0s of the writer of too few; one writer each
        assert set(number.text) <= set("1234") or set(number.text) <= set("5678")
    again = make_scenes("touching-unipen", 2, mnist_test.images, mnist_test.labels, seed=2)
    assert np.array_equal(again[1].image, scenes[1].image)


def test_touching_unipen_reads_real_data_where_told_and_names_what_is_missing(tmp_path, capsys):
    from digit_app.cli import main

    args = ["evaluate", "--scenes", "1", "--kinds", "touching-unipen", "--json"]
    assert main([*args, "--real-data", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("digit-app: error: unipen-digits.npz") and str(tmp_path) in err[1]
    write_unipen(tmp_path, {"ced/a": [1, 2, 3, 4, 5, 6, 7, 8]})
    assert main([*args, "--real-data", str(tmp_path)]) == 0
    (report,) = json.loads(capsys.readouterr().out)["scenes"]
    assert report["kind"] == "touching-unipen" and report["truth_digits"] >= 2


def _two_digit_number(narrower: bool) -> list[int]:
    """The x offsets of a wide digit (30 px, ink at its two sides) and a narrow one (a 6 px
    bar) pushed to touch and overlapped by 0.3 of a width."""
    wide = np.zeros((40, 30), np.float32)
    wide[:, :4] = wide[:, 26:] = 1.0
    narrow = np.ones((40, 6), np.float32)
    cfg = replace(DEFAULT_TOUCHING, touching_share=(1.0, 1.0), touching_overlap=(0.3, 0.3),
                  broken_probability=0.0, overlap_of_narrower=narrower)
    _, xs, _ = _number(np.random.default_rng(0), np.array([0, 1]), 40.0,
                       lambda idx, h: (wide, narrow)[idx], 3.0, cfg, DEFAULT_SCENE_CONFIG)
    return xs


def test_legible_strings_overlap_by_a_share_of_the_narrower_digit():
    assert _two_digit_number(narrower=False) == [0, 30 - round(0.3 * 18)]  # of the mean width
    assert _two_digit_number(narrower=True) == [0, 30 - round(0.3 * 6)]  # the bar stays visible


@pytest.mark.parametrize("kind", ["touching-legible", "touching-unipen-legible"])
def test_the_legible_kinds_are_touching_strings_of_their_own(kind, held_out_unipen, mnist_test):
    scenes = make_scenes(kind, 4, mnist_test.images, mnist_test.labels, seed=2)
    assert _check_strings(scenes, kind) > 0
    base = make_scenes(kind.replace("-legible", ""), 4, mnist_test.images, mnist_test.labels, seed=2)
    assert not np.array_equal(scenes[0].image, base[0].image)
