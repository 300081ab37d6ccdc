"""Realistic evaluation scenes built from MNIST **test** digits, with exact ground truth.

Three kinds of scene, one per source the application reads (see ``docs/design.md``):

- ``drawing``: the drawing canvas. White 500x300 canvas, 1-3 numbers of 1-4 digits at any
  size, every digit re-rendered as a constant-width, anti-aliased pen stroke (the MNIST digit
  is thinned to its skeleton, then redrawn with a round pen).
- ``scan``: an A4 page at 150 dpi, a form. Textured paper, 8-20 handwritten numbers (MNIST
  greys mapped to ink) in rows, printed labels beside them (in the installed fonts, bold or
  not, up to the handwriting's height, some holding printed numbers: "Box 12", "Page 1"),
  a printed header and footer, a printed table (grid, header cells, row numbers), check
  boxes (some ticked), a rubber stamp, ruled lines (between the rows, or under the digits at
  their baseline), an optional table border, smudges, ink blots and pieces of lines; the
  page is slightly rotated and goes through JPEG.
- ``webcam``: a 640x480 frame of a sheet seen in perspective over a cluttered desk, with a
  shadow, blur, sensor noise, a colour cast and low contrast.

Every image is ``H x W x 3 uint8`` (BGR). Every ink element (digit, word, line, blot) is
kept as its own alpha mask while the scene is composed; its truth box is that mask carried
through the same geometric transform as the image (rotation, homography) and thresholded,
so boxes are tight around the visible ink of that element only.

Only the MNIST test split may be used here: training never sees these digits, so the scenes
measure what the application does on unseen handwriting. ``load_test_digits`` loads it;
``make_scene`` refuses an array the size of the training split.

On demand, ``touching``: strings of touching and broken digits (``touching``), and
``touching-unipen``: the same strings written by held-out UNIPEN writers, each number by one
writer (``touching_unipen``; the only kind not made of MNIST digits).

Pure numpy + OpenCV: no Qt, no TensorFlow. Modules: ``config`` (every setting: shared, then
one nested config per kind), ``truth`` (Scene and its truth, taken from the inks), ``ink``
(alpha masks composited, their boxes), ``render`` (digits as ink, numbers drafted),
``marks`` (printed words, stamps, check boxes, blots, lines), ``paper``, ``layout`` (free
spots, numbers placed freely, reading order), one module per kind (``drawing``, ``scan``,
``webcam``, ``touching``, ``touching_unipen``) and ``generate`` (``make_scene``, ``make_scenes``).
"""
from __future__ import annotations

from digit_app.data.scenes.config import (
    ALL_KINDS,
    DEFAULT_SCENE_CONFIG,
    DEFAULT_TOUCHING,
    EXTRA_KINDS,
    KINDS,
    LEGIBLE_KINDS,
    RULED_LINE_MODES,
    TRAIN_SPLIT_SIZE,
    DrawingConfig,
    PaperConfig,
    ScanConfig,
    SceneConfig,
    TouchingConfig,
    WebcamConfig,
)
from digit_app.data.scenes.generate import load_test_digits, make_scene, make_scenes
from digit_app.data.scenes.touching import make_touching, touch_offset
from digit_app.data.scenes.truth import Box, Scene, TruthDigit, TruthNumber

__all__ = [
    "ALL_KINDS",
    "DEFAULT_SCENE_CONFIG",
    "DEFAULT_TOUCHING",
    "EXTRA_KINDS",
    "KINDS",
    "LEGIBLE_KINDS",
    "RULED_LINE_MODES",
    "TRAIN_SPLIT_SIZE",
    "Box",
    "DrawingConfig",
    "PaperConfig",
    "ScanConfig",
    "Scene",
    "SceneConfig",
    "TouchingConfig",
    "TruthDigit",
    "TruthNumber",
    "WebcamConfig",
    "load_test_digits",
    "make_scene",
    "make_scenes",
    "make_touching",
    "touch_offset",
]
