"""The ``drawing-unipen`` scene kind: the ``drawing`` canvas written by real people.

Each number is written by one UNIPEN writer of a held-out site (never trained on): that
writer's own digits, drawn from their pen strokes with the canvas's constant-width pen and
laid out as the ``drawing`` kind lays out MNIST digits. Where ``drawing`` redraws MNIST
digits from their skeletons (digits like the model's training set), this measures the
drawing canvas on real handwriting. The pen never fills a loop its writer drew (a fat pen
on small, tight writing turns an 8 or a 0 into a blob nobody can read, and a person drawing
would write larger): for such a digit it is made thinner until the loops stay open.

Needs ``unipen/unipen-digits.npz`` of the shared real data (``SceneConfig.real_dir``, else
``$DIGIT_APP_REAL_DATA`` or ``../shared/data``; see ``digit_app.data.real``).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from digit_app.data import real
from digit_app.data.pen import render_strokes
from digit_app.data.scenes.config import SceneConfig
from digit_app.data.scenes.drawing import drawing_scene
from digit_app.data.scenes.render import Pen, RenderFn
from digit_app.data.scenes.truth import Scene
from digit_app.data.scenes.unipen_writers import held_out_writers, one_writer

KIND = "drawing-unipen"
#: A loop counts when its hole is at least this fraction of the digit's height across (as a
#: square) ...
LOOP_MIN_REL = 0.06
#: ... and the pen is narrowed by this factor until the digit keeps the loops the thinnest
#: pen shows, with at least this share of their area open.
PEN_NARROWING = 0.75
LOOP_AREA_KEPT = 0.4


@dataclass(frozen=True)
class StrokeRenderer:
    """Renders digit ``idx`` of ``digits`` from its pen strokes with a round ``pen``, its ink
    (line width included) as tall as asked."""

    digits: real.StrokeSet
    pen: Pen

    def for_height(self, height: float) -> RenderFn:
        """The render function for a number ``height`` px tall: the pen's width for it,
        narrowed for a digit whose loops it would fill."""
        width = self.pen.width_for(height)
        thinnest = self.pen.min_width

        def render(idx: int, h: float) -> np.ndarray:
            strokes = self.digits.strokes[idx]

            def drawn(pen: int) -> np.ndarray:  # the ink, line included, h px tall
                return render_strokes(strokes, max(h - pen, 1.0), pen)

            ink = drawn(width)
            if width > thinnest:
                count, area = loops(drawn(thinnest), h)
                w = width
                while w > thinnest and not _open(loops(ink, h), count, area):
                    w = max(thinnest, int(w * PEN_NARROWING))
                    ink = drawn(w)
            return ink.astype(np.float32) / 255.0

        return render


def _open(found: tuple[int, float], count: int, area: float) -> bool:
    """Whether the loops ``found`` (:func:`loops`) keep the ``count`` loops of the thinnest
    pen and enough of their ``area``."""
    return found[0] >= count and found[1] >= LOOP_AREA_KEPT * area


def loops(ink: np.ndarray, height: float) -> tuple[int, float]:
    """The number and total area (px) of the holes of ``ink`` (``h x w uint8``, ink > 127)
    at least ``LOOP_MIN_REL * height`` across (by area, as a square): the loops a reader
    sees.

    >>> ring = np.zeros((40, 40), np.uint8)
    >>> _ = cv2.circle(ring, (20, 20), 14, 255, 3)
    >>> loops(ring, 40)[0], loops(cv2.circle(ring, (20, 20), 14, 255, 25), 40)
    (1, (0, 0.0))
    """
    binary = (ink > 127).astype(np.uint8)
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0, 0.0
    least = (LOOP_MIN_REL * height) ** 2
    areas = [cv2.contourArea(c) for c, (_, _, _, parent) in zip(contours, hierarchy[0]) if parent >= 0]
    big = [a for a in areas if a >= least]
    return len(big), float(sum(big))


def make_drawing_unipen(rng: np.random.Generator, images: np.ndarray, labels: np.ndarray,
                        cfg: SceneConfig) -> Scene | None:
    """One ``drawing-unipen`` scene (``H x W x 3 uint8``); ``images``/``labels`` (MNIST) are
    not used: the digits are held-out UNIPEN writers' (from ``cfg.real_dir``). None when its
    layout failed."""
    digits, writers = held_out_writers(cfg.real_dir)
    return drawing_scene(rng, digits.labels, lambda pen: StrokeRenderer(digits, pen), cfg, KIND,
                         one_writer(writers))
