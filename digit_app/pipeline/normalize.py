"""MNIST-style normalization of one digit crop, shared by training and recognition.

Input: a crop ``H x W uint8`` where ink is non-zero (a binary mask, 0/255, or grey levels with
bright ink). Output: ``32 x 32 float32`` in [0, 1], bright ink on black, the ink fitted into a
20x20 box keeping its aspect ratio, centred by centre of mass in 28x28, padded to 32x32, and its
stroke width brought close to MNIST's.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MODEL_SIDE = 32


@dataclass(frozen=True)
class NormalizeConfig:
    box_side: int = 20  # the ink's longer side after fitting (MNIST: 20)
    frame_side: int = 28  # centring frame (MNIST: 28)
    out_side: int = MODEL_SIDE  # model input side (LeNet: 32)
    work_scale: int = 4  # stroke width is measured and adjusted at box_side * work_scale
    ink_threshold: int = 127  # grey level that counts as ink when binarizing the crop
    # Target stroke width in pixels of the 20x20 box; the median MNIST digit measures 2.2
    # (2 * area / perimeter of the upscaled binary digit, MNIST test set).
    target_stroke: float = 2.2
    # Widths within this factor of the target are left alone; beyond, pulled back to it.
    stroke_tolerance: float = 1.3
    normalize_stroke: bool = True
    # A crop shrunk to the work size keeps strokes at least this wide (work pixels): a 1-px
    # mouse line on a 500-px digit would otherwise average away to nothing.
    min_work_stroke: float = 2.0


DEFAULT_NORMALIZE = NormalizeConfig()


def ink_bbox(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """``(x, y, w, h)`` of the non-zero pixels, or None when there are none."""
    pts = cv2.findNonZero((mask > 0).astype(np.uint8))
    if pts is None:
        return None
    return tuple(int(v) for v in cv2.boundingRect(pts))  # type: ignore[return-value]


def stroke_width(binary: np.ndarray) -> float:
    """Mean stroke width of a 0/255 mask, estimated as 2 * area / perimeter."""
    area = float(np.count_nonzero(binary))
    if area == 0:
        return 0.0
    contours, _ = cv2.findContours(binary, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    perimeter = sum(cv2.arcLength(c, True) for c in contours)
    return 2.0 * area / max(perimeter, 1.0)


def _adjust_stroke(binary: np.ndarray, cfg: NormalizeConfig) -> np.ndarray:
    target = cfg.target_stroke * cfg.work_scale
    width = stroke_width(binary)
    if width <= 0 or (1 / cfg.stroke_tolerance) <= width / target <= cfg.stroke_tolerance:
        return binary
    # Erosion/dilation by a disc of radius r changes the width by about 2r.
    radius = int(round(abs(width - target) / 2))
    if radius < 1:
        return binary
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    if width > target:
        thinner = cv2.erode(binary, kernel)
        # Never erode a shape away entirely: keep the original when too little survives.
        if np.count_nonzero(thinner) < 0.15 * np.count_nonzero(binary):
            return binary
        return thinner
    return cv2.dilate(binary, kernel)


def _keep_thin_strokes(ink: np.ndarray, scale: float, cfg: NormalizeConfig) -> np.ndarray:
    """Widen strokes that shrinking by ``scale`` (< 1) would make thinner than
    ``cfg.min_work_stroke`` pixels, so that they survive the area averaging."""
    _, binary = cv2.threshold(ink, cfg.ink_threshold, 255, cv2.THRESH_BINARY)
    width = stroke_width(binary)
    need = cfg.min_work_stroke / scale  # crop pixels
    if width <= 0 or width >= need:
        return ink
    grow = int(np.ceil(need - width))  # a square of side 1 + grow widens a stroke by about grow
    return cv2.dilate(binary, np.ones((grow + 1, grow + 1), np.uint8))


def _work_binary(ink: np.ndarray, box_h: int, box_w: int, cfg: NormalizeConfig) -> np.ndarray:
    """``ink`` (``H x W uint8`` cropped to its ink) fitted, keeping its aspect, into
    ``work_scale`` times ``box_h x box_w`` (thin strokes kept when it shrinks), binarized
    (0/255) and its stroke width brought to the target: the work-size mask that
    :func:`normalize_digit` and :func:`normalize_pair` shrink into their boxes."""
    h, w = ink.shape
    work = min(box_h * cfg.work_scale / h, box_w * cfg.work_scale / w)
    if work < 1:
        ink = _keep_thin_strokes(ink, work, cfg)
    size = (max(1, int(round(w * work))), max(1, int(round(h * work))))
    big = cv2.resize(ink, size, interpolation=cv2.INTER_LINEAR if work > 1 else cv2.INTER_AREA)
    _, binary = cv2.threshold(big, cfg.ink_threshold, 255, cv2.THRESH_BINARY)
    if cfg.normalize_stroke:
        binary = _adjust_stroke(binary, cfg)
    return binary


def _fit(img: np.ndarray, side: int, interpolation: int) -> np.ndarray:
    h, w = img.shape
    scale = side / max(h, w)
    nw, nh = max(1, int(round(w * scale))), max(1, int(round(h * scale)))
    return cv2.resize(img, (nw, nh), interpolation=interpolation)


def _centre_in_frame(box: np.ndarray, frame_side: int) -> np.ndarray:
    """Place a float image in a square frame so that its centre of mass is the frame centre."""
    h, w = box.shape
    frame = np.zeros((frame_side, frame_side), np.float32)
    m = cv2.moments(box)
    if m["m00"] > 0:
        cx, cy = m["m10"] / m["m00"], m["m01"] / m["m00"]
    else:
        cx, cy = w / 2, h / 2
    x0 = int(round(frame_side / 2 - cx))
    y0 = int(round(frame_side / 2 - cy))
    x0 = min(max(x0, 0), frame_side - w)
    y0 = min(max(y0, 0), frame_side - h)
    frame[y0 : y0 + h, x0 : x0 + w] = box
    return frame


def normalize_digit(crop: np.ndarray, cfg: NormalizeConfig = DEFAULT_NORMALIZE) -> np.ndarray:
    """One crop (``H x W uint8``, ink non-zero) to the model input (``32 x 32 float32``, [0,1]).

    An empty crop gives an all-zero image.
    """
    if crop.ndim != 2:
        raise ValueError(f"normalize_digit expects a 2-D crop, got shape {crop.shape}")
    out = np.zeros((cfg.out_side, cfg.out_side), np.float32)
    if crop.dtype == np.uint8:  # OpenCV's threshold and box: the same result, faster
        _, above = cv2.threshold(crop, cfg.ink_threshold, 255, cv2.THRESH_BINARY)
        if not above.any():
            return out
        x, y, w, h = cv2.boundingRect(above)
    else:
        bbox = ink_bbox(crop > cfg.ink_threshold)
        if bbox is None:
            return out
        x, y, w, h = bbox
    ink = crop[y : y + h, x : x + w]
    if ink.dtype != np.uint8:
        ink = np.clip(ink, 0, 255).astype(np.uint8)
    binary = _work_binary(ink, cfg.box_side, cfg.box_side, cfg)
    box = _fit(binary, cfg.box_side, cv2.INTER_AREA).astype(np.float32) / 255.0
    frame = _centre_in_frame(box, cfg.frame_side)
    pad = (cfg.out_side - cfg.frame_side) // 2
    out[pad : pad + cfg.frame_side, pad : pad + cfg.frame_side] = frame
    return out


#: The pair reader's input: two digits side by side, ``PAIR_HEIGHT x PAIR_WIDTH``.
PAIR_HEIGHT, PAIR_WIDTH = MODEL_SIDE, 2 * MODEL_SIDE


def normalize_pair(crop: np.ndarray, cfg: NormalizeConfig = DEFAULT_NORMALIZE) -> np.ndarray:
    """One crop holding two digits (``H x W uint8``, ink non-zero) to the pair reader's input
    (``32 x 64 float32``, [0, 1]): as :func:`normalize_digit` with a frame twice as wide, the
    ink fitted into ``box_side`` rows and ``2 * box_side + frame margin`` columns, its stroke
    width brought to the same target, its box centred. An empty crop gives zeros."""
    if crop.ndim != 2:
        raise ValueError(f"normalize_pair expects a 2-D crop, got shape {crop.shape}")
    out = np.zeros((PAIR_HEIGHT, PAIR_WIDTH), np.float32)
    crop = np.clip(crop, 0, 255).astype(np.uint8)
    _, above = cv2.threshold(crop, cfg.ink_threshold, 255, cv2.THRESH_BINARY)
    if not above.any():
        return out
    x, y, w, h = cv2.boundingRect(above)
    ink = crop[y:y + h, x:x + w]
    box_h = cfg.box_side
    box_w = PAIR_WIDTH - (cfg.out_side - cfg.box_side)
    scale = min(box_h / h, box_w / w)
    binary = _work_binary(ink, box_h, box_w, cfg)
    small = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
    box = cv2.resize(binary, small, interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    y0 = (PAIR_HEIGHT - box.shape[0]) // 2
    x0 = (PAIR_WIDTH - box.shape[1]) // 2
    out[y0:y0 + box.shape[0], x0:x0 + box.shape[1]] = box
    return out


def normalize_pairs(crops: list[np.ndarray], cfg: NormalizeConfig = DEFAULT_NORMALIZE) -> np.ndarray:
    """Many crops to the pair reader's batch, ``N x 32 x 64 x 1 float32`` (:func:`normalize_pair`)."""
    out = np.zeros((len(crops), PAIR_HEIGHT, PAIR_WIDTH, 1), np.float32)
    for i, crop in enumerate(crops):
        out[i, :, :, 0] = normalize_pair(crop, cfg)
    return out


def normalize_batch(crops: list[np.ndarray], cfg: NormalizeConfig = DEFAULT_NORMALIZE) -> np.ndarray:
    """Many crops to the model's input batch, each as :func:`normalize_digit` makes it.

    Parameters
    ----------
    crops : list of numpy.ndarray
        ``H x W uint8`` each (sizes may differ), ink non-zero: a candidate's ``mask``
        (0/255), or grey levels with bright ink.
    cfg : NormalizeConfig, optional
        Sizes and stroke width (default: MNIST's, ``DEFAULT_NORMALIZE``).

    Returns
    -------
    numpy.ndarray
        ``N x 32 x 32 x 1 float32`` in [0, 1] (``cfg.out_side`` for 32), bright ink on black;
        an empty crop gives an all-zero image, no crops an empty batch.

    Raises
    ------
    ValueError
        For a crop that is not 2-D.

    Examples
    --------
    >>> import numpy as np
    >>> bar = np.zeros((60, 8), np.uint8)
    >>> bar[:, 2:6] = 255  # a "1" as a mask: 4 pixels wide, 60 tall
    >>> batch = normalize_batch([bar, np.zeros((10, 10), np.uint8)])
    >>> batch.shape, batch.dtype
    ((2, 32, 32, 1), dtype('float32'))
    >>> float(batch[0].max()), float(batch[1].max())
    (1.0, 0.0)
    >>> normalize_batch([]).shape
    (0, 32, 32, 1)
    """
    out = np.zeros((len(crops), cfg.out_side, cfg.out_side, 1), np.float32)
    for i, crop in enumerate(crops):
        out[i, :, :, 0] = normalize_digit(crop, cfg)
    return out
