"""The ``touching-unipen`` scene kind: the ``touching`` strings written by real people.

Each number is written by one UNIPEN writer of a held-out site (``digit_app.data.real``:
never trained on): that writer's own digits, drawn from their pen strokes with a round pen,
then laid out exactly as the ``touching`` kind lays out MNIST digits (neighbours touching or
overlapping, some digits broken, pen on a canvas or ink on paper, cheque backgrounds). Real
writers' digits measure segmentation on real handwriting, where the MNIST strings measure it
on digits the model's training set resembles.

Needs ``unipen/unipen-digits.npz`` of the shared real data (``SceneConfig.real_dir``, else
``$DIGIT_APP_REAL_DATA`` or ``../shared/data``; see ``digit_app.data.real``).
"""
from __future__ import annotations

import numpy as np

from digit_app.data.pen import render_strokes
from digit_app.data.scenes.config import SceneConfig, TouchingConfig
from digit_app.data.scenes.render import RenderFn
from digit_app.data.scenes.touching import touching_scene
from digit_app.data.scenes.truth import Scene
from digit_app.data.scenes.unipen_writers import held_out_writers, one_writer

KIND = "touching-unipen"


def make_touching_unipen(rng: np.random.Generator, images: np.ndarray, labels: np.ndarray,
                         scfg: SceneConfig, cfg: TouchingConfig | None = None) -> Scene | None:
    """One ``touching-unipen`` scene (``H x W x 3 uint8``); ``images``/``labels`` (MNIST) are
    not used: the digits are held-out UNIPEN writers' (from ``scfg.real_dir``). None when the
    numbers do not fit."""
    digits, writers = held_out_writers(scfg.real_dir)

    def render_for(pen_mode: bool, pen: float, height: float) -> RenderFn:
        # Both on a canvas and on paper the ink is the writer's pen line; only its width
        # and the page change.
        def render(idx: int, h: float) -> np.ndarray:
            ink = render_strokes(digits.strokes[idx], h, pen)
            return ink.astype(np.float32) / 255.0

        return render

    return touching_scene(rng, digits.labels, one_writer(writers), render_for, scfg, cfg, KIND)
