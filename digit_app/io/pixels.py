"""A decoded Pillow frame, whatever its mode, as ``HxW uint8`` gray or ``HxWx3 uint8`` BGR.

Transparency is composited onto white, 16-bit samples are scaled to 8 bits, CMYK, palette,
YCbCr... are converted to colour, and EXIF orientation is applied.
"""
from __future__ import annotations

import numpy as np
from PIL import ExifTags, Image, ImageOps

WHITE = 255
UINT16_MAX = 65535
UINT16_TO_UINT8 = 257  # 65535 / 255
NO_ROTATION = 1  # EXIF orientation "upright"

GRAY_MODES = frozenset({"1", "L"})
GRAY_ALPHA_MODES = frozenset({"LA", "La"})
ALPHA_MODES = frozenset({"RGBA", "RGBa", "PA"}) | GRAY_ALPHA_MODES
HIGH_DEPTH_GRAY_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})
FLOAT_MODE = "F"


class UnsupportedMode(Exception):
    """Pillow cannot convert this mode to gray or RGB (the message is the mode)."""


def to_array(img: Image.Image) -> np.ndarray:
    """Upright ``HxW uint8`` for gray modes, ``HxWx3 uint8`` BGR for every other mode.

    ``img`` must already be loaded. The result is a fresh, writable, C-contiguous array.
    """
    img = _oriented(img)
    mode = img.mode
    if mode in HIGH_DEPTH_GRAY_MODES:
        return scale_16bit(np.asarray(img))
    if mode == FLOAT_MODE:
        return scale_float(np.asarray(img))
    if mode in ALPHA_MODES or "transparency" in img.info:
        if mode in GRAY_MODES or mode in GRAY_ALPHA_MODES:
            gray_alpha = np.asarray(_convert(img, "LA"))
            return over_white(gray_alpha[..., 0], gray_alpha[..., 1])
        rgba = np.asarray(_convert(img, "RGBA"))
        return over_white(rgba[..., 2::-1], rgba[..., 3:])
    if mode in GRAY_MODES:
        return np.array(_convert(img, "L"))
    rgb = np.asarray(_convert(img, "RGB"))
    return np.ascontiguousarray(rgb[..., ::-1])


def over_white(color: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Composite uint8 ``color`` with uint8 ``alpha`` (broadcastable) onto white, rounded."""
    c = color.astype(np.uint16)
    a = alpha.astype(np.uint16)
    out = (c * a + WHITE * (WHITE - a) + WHITE // 2) // WHITE  # at most 65152: fits uint16
    return out.astype(np.uint8)


def scale_16bit(samples: np.ndarray) -> np.ndarray:
    """16-bit (or 32-bit int, clipped) gray to uint8: 0 -> 0, 65535 -> 255, rounded."""
    wide = np.clip(samples, 0, UINT16_MAX).astype(np.uint32)
    out: np.ndarray = ((wide + UINT16_TO_UINT8 // 2) // UINT16_TO_UINT8).astype(np.uint8)
    return out


def scale_float(samples: np.ndarray) -> np.ndarray:
    """Float gray to uint8: data in [0, 1] is scaled by 255, anything else stretched to 0..255."""
    values = np.nan_to_num(samples.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    low, high = float(values.min()), float(values.max())
    if low >= 0.0 and high <= 1.0:
        scaled = values * WHITE
    elif high > low:
        scaled = (values - low) * (WHITE / (high - low))
    else:
        scaled = np.clip(values, 0, WHITE)
    return np.rint(scaled).astype(np.uint8)


def _oriented(img: Image.Image) -> Image.Image:
    """The frame turned upright per its EXIF orientation (unreadable EXIF is ignored)."""
    try:
        if img.getexif().get(ExifTags.Base.Orientation, NO_ROTATION) == NO_ROTATION:
            return img
        return ImageOps.exif_transpose(img)
    except Exception:  # broken EXIF must not make a readable picture unreadable
        return img


def _convert(img: Image.Image, mode: str) -> Image.Image:
    if img.mode == mode:
        return img
    try:
        return img.convert(mode)
    except ValueError as exc:
        raise UnsupportedMode(img.mode) from exc
