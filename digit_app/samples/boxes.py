"""A digit boxed by hand on a page, to the model input the pipeline would have made of it."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from digit_app.boxes import clip
from digit_app.samples.index import SampleError
from digit_app.types import Box

if TYPE_CHECKING:
    from digit_app.pipeline.config import PipelineConfig
    from digit_app.pipeline.normalize import NormalizeConfig


def clip_box(box: Box, shape: tuple[int, ...]) -> Box:
    """``(x, y, w, h)`` rounded to whole pixels and clipped to an image of ``shape``
    (``H, W, ...``); w or h may become 0 (see :func:`digit_app.boxes.clip`)."""
    x, y, w, h = (int(round(v)) for v in box)
    return clip((x, y, w, h), shape[1], shape[0])


def crop_box(image: np.ndarray, box: Box) -> np.ndarray:
    """The pixels of ``image`` inside ``box`` (clipped to the image), a copy."""
    x, y, w, h = clip_box(box, image.shape)
    return np.copy(image[y : y + h, x : x + w], order="C")


def model_input_for_box(
    image: np.ndarray,
    box: Box,
    cfg: NormalizeConfig | None = None,
    pipeline: PipelineConfig | None = None,
) -> np.ndarray:
    """The model input for a box drawn by hand around a digit the pipeline missed.

    ``image``: the whole page or frame (``H x W`` or ``H x W x 3`` BGR uint8), so the ink is
    told from the paper exactly as the pipeline does it (:func:`binarize` on the image);
    ``box``: ``(x, y, w, h)`` in its pixels. Returns ``32 x 32 float32`` in [0, 1] from
    :func:`normalize_digit` with ``cfg`` (default: the pipeline's normalization). Raises
    SampleError when the box lies outside the image or holds no ink, ValueError for an array
    that is not an image.
    """
    # Imported here: the pipeline is not needed to open the app or to read a sample store.
    from digit_app.pipeline.binarize import binarize, check_image
    from digit_app.pipeline.config import DEFAULT_CONFIG
    from digit_app.pipeline.normalize import normalize_digit

    pipeline = pipeline or DEFAULT_CONFIG
    cfg = cfg or pipeline.normalize
    image = check_image(image)
    x, y, w, h = clip_box(box, image.shape)
    if w == 0 or h == 0:
        raise SampleError(f"box {tuple(box)} lies outside the {image.shape[1]}x{image.shape[0]} image")
    mask = binarize(image, pipeline)[y : y + h, x : x + w]
    if not mask.any():
        raise SampleError(f"box {tuple(box)} holds no ink")
    return normalize_digit(mask, cfg)
