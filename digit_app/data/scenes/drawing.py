"""The ``drawing`` kind: the drawing canvas, white, 1-3 numbers in one constant-width pen."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from digit_app.data.scenes.config import SceneConfig
from digit_app.data.scenes.ink import composite, to_uint8
from digit_app.data.scenes.layout import FreeLayout, place_numbers
from digit_app.data.scenes.marks import count
from digit_app.data.scenes.render import ChooseFn, NumberRenderer, Pen, Renderer
from digit_app.data.scenes.truth import Scene, assemble

BLACK = (0.0, 0.0, 0.0)
KIND = "drawing"


def make_drawing(
    rng: np.random.Generator, images: np.ndarray, labels: np.ndarray, cfg: SceneConfig
) -> Scene | None:
    """One drawing (``H x W x 3 uint8``) of MNIST digits redrawn from their skeletons, or None
    when its layout failed (the caller retries)."""
    return drawing_scene(rng, labels, lambda pen: Renderer(images, cfg, pen), cfg, KIND)


def drawing_pen(rng: np.random.Generator, cfg: SceneConfig) -> Pen:
    """The drawing's pen: one width for the whole canvas, kept within its share of a number's
    height."""
    d = cfg.drawing
    return Pen(count(rng, d.stroke_width), d.stroke_width[0], d.stroke_max_fraction)


def drawing_scene(
    rng: np.random.Generator,
    labels: np.ndarray,
    renderer_for: Callable[[Pen], NumberRenderer],
    cfg: SceneConfig,
    kind: str,
    choose: ChooseFn | None = None,
) -> Scene | None:
    """A drawing of the digits ``choose`` picks (default: any of ``labels``), drawn by the
    renderer ``renderer_for`` gives for the drawing's pen; None when its layout failed."""
    d = cfg.drawing
    W, H = d.size
    renderer = renderer_for(drawing_pen(rng, cfg))
    m = d.margin
    spec = FreeLayout(d.digits, d.digit_height, d.gap, d.separation)
    placed = place_numbers(rng, labels, renderer, (m, m, W - m, H - m), count(rng, d.numbers),
                           spec, cfg, choose)
    if not placed:
        return None
    page = np.full((H, W, 3), 255.0, np.float32)
    groups = [draft.inks(x, y, BLACK) for draft, x, y in placed]
    for ink in (i for g in groups for i in g):
        composite(page, ink)
    return assemble(kind, to_uint8(page), groups, [], None, cfg)
