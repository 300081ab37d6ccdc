"""The ``drawing`` kind: the drawing canvas, white, 1-3 numbers in one constant-width pen."""
from __future__ import annotations

import numpy as np

from digit_app.data.scenes.config import SceneConfig
from digit_app.data.scenes.ink import composite, to_uint8
from digit_app.data.scenes.layout import FreeLayout, place_numbers
from digit_app.data.scenes.marks import count
from digit_app.data.scenes.render import Pen, Renderer
from digit_app.data.scenes.truth import Scene, assemble

BLACK = (0.0, 0.0, 0.0)


def make_drawing(
    rng: np.random.Generator, images: np.ndarray, labels: np.ndarray, cfg: SceneConfig
) -> Scene | None:
    """One drawing (``H x W x 3 uint8``), or None when its layout failed (the caller retries)."""
    d = cfg.drawing
    W, H = d.size
    pen = Pen(count(rng, d.stroke_width), d.stroke_width[0], d.stroke_max_fraction)
    renderer = Renderer(images, cfg, pen)
    m = d.margin
    spec = FreeLayout(d.digits, d.digit_height, d.gap, d.separation)
    placed = place_numbers(rng, labels, renderer, (m, m, W - m, H - m), count(rng, d.numbers),
                           spec, cfg)
    if not placed:
        return None
    page = np.full((H, W, 3), 255.0, np.float32)
    groups = [draft.inks(x, y, BLACK) for draft, x, y in placed]
    for ink in (i for g in groups for i in g):
        composite(page, ink)
    return assemble("drawing", to_uint8(page), groups, [], None, cfg)
