"""The ``drawing-unipen`` scene kind: the drawing canvas written by held-out UNIPEN writers,
with a pen that never fills a loop its writer drew."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np

from digit_app.data.pen import render_strokes
from digit_app.data.scenes import DEFAULT_SCENE_CONFIG, make_scenes
from digit_app.data.scenes.drawing_unipen import StrokeRenderer, loops
from digit_app.data.scenes.render import Pen


def test_drawing_unipen_numbers_are_one_held_out_writers_digits_on_the_canvas(held_out_unipen, mnist_test):
    scenes = make_scenes("drawing-unipen", 6, mnist_test.images, mnist_test.labels, seed=2)
    W, H = DEFAULT_SCENE_CONFIG.drawing.size
    for scene in scenes:
        assert scene.kind == "drawing-unipen" and scene.image.shape == (H, W, 3)
        assert scene.numbers and not scene.distractors
        for number in scene.numbers:
            assert number.text == "".join(str(scene.digits[i].label) for i in number.digits)
            # never the trained-on writer's 9s, nor the 0s of the writer of too few; one writer each
            assert set(number.text) <= set("1234") or set(number.text) <= set("5678")
    again = make_scenes("drawing-unipen", 2, mnist_test.images, mnist_test.labels, seed=2)
    assert np.array_equal(again[1].image, scenes[1].image)


def test_the_pen_is_narrowed_until_the_writers_loops_stay_open():
    t = np.linspace(0, 2 * np.pi, 60)
    ring = np.stack([50 * np.cos(t), 50 * np.sin(t)], 1)  # a 0 drawn as one closed stroke
    fat = render_strokes([ring], 30, 30)
    assert loops(fat, 60)[0] == 0  # a 30 px pen on a 60 px 0 fills it
    render = StrokeRenderer(SimpleNamespace(strokes=[[ring]]), Pen(30, 2, 1.0)).for_height(60)
    ink = (render(0, 60) * 255).astype(np.uint8)
    count, area = loops(ink, 60)
    thin_area = loops(render_strokes([ring], 58, 2), 60)[1]
    assert count == 1 and area >= 0.4 * thin_area
    assert abs(int((ink > 127).any(axis=1).sum()) - 60) <= 2  # still as tall as asked
    # a digit without loops keeps the pen's width
    bar = [np.array([[0.0, 0.0], [0.0, 100.0]])]
    wide = StrokeRenderer(SimpleNamespace(strokes=[bar]), Pen(12, 2, 1.0)).for_height(60)(0, 60)
    assert (wide > 0.5).sum(axis=1).max() >= 11


def test_evaluate_reads_drawing_unipen_scenes(held_out_unipen, capsys):
    from digit_app.cli import main

    assert main(["evaluate", "--scenes", "2", "--kinds", "drawing-unipen", "--json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)["scenes"]
    assert report["kind"] == "drawing-unipen" and report["truth_digits"] >= 2
    assert report["target_exact_number_rate"] == 0.97
