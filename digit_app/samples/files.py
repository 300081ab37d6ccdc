"""PNG encoding and decoding of samples, and reading sample files with clear errors.

Writes go through :mod:`digit_app.atomic` (temporary name, fsync, rename).
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from digit_app.samples.index import SampleError

INPUT_SIDE = 32


def input_to_png(model_input: np.ndarray) -> bytes:
    """``32 x 32`` (or ``32 x 32 x 1``) float in [0, 1] -> 8-bit grey PNG bytes."""
    x = np.asarray(model_input)
    if x.ndim == 3 and x.shape[2] == 1:
        x = x[:, :, 0]
    if x.shape != (INPUT_SIDE, INPUT_SIDE):
        raise ValueError(f"model input must be 32x32 (or 32x32x1), got shape {x.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"model input must be float in [0, 1], got dtype {x.dtype}")
    grey = np.clip(np.rint(np.nan_to_num(x) * 255.0), 0, 255).astype(np.uint8)
    return _encode(grey)


def crop_to_png(crop: np.ndarray) -> bytes:
    """A crop ``H x W`` or ``H x W x 3`` (BGR) uint8 (or bool) -> PNG bytes, pixels unchanged."""
    c = np.asarray(crop)
    if c.dtype == np.bool_:
        c = c.astype(np.uint8) * 255
    if c.dtype != np.uint8:
        raise ValueError(f"crop must be uint8, got dtype {c.dtype}")
    if c.ndim == 3 and c.shape[2] == 1:
        c = c[:, :, 0]
    if not (c.ndim == 2 or (c.ndim == 3 and c.shape[2] in (3, 4))):
        raise ValueError(f"crop must be HxW or HxWx3 (BGR), got shape {c.shape}")
    if c.shape[0] == 0 or c.shape[1] == 0:
        raise ValueError(f"crop is empty (shape {c.shape})")
    return _encode(np.ascontiguousarray(c))


def _encode(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", image)
    if not ok:  # pragma: no cover - OpenCV encodes any uint8 grey/BGR image
        raise ValueError(f"could not encode a {image.shape} image as PNG")
    return buf.tobytes()


def decode_png(data: bytes, name: str) -> np.ndarray:
    """PNG bytes -> uint8 array as stored (grey ``H x W`` or BGR ``H x W x 3``)."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SampleError(f"{name}: not a PNG file")
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise SampleError(f"{name}: damaged PNG file (cannot be decoded)")
    if image.dtype != np.uint8:
        raise SampleError(f"{name}: expected an 8-bit PNG, found {image.dtype}")
    return image


def decode_input(data: bytes, name: str) -> np.ndarray:
    """PNG bytes of a model input -> ``32 x 32 float32`` in [0, 1]."""
    image = decode_png(data, name)
    if image.shape != (INPUT_SIDE, INPUT_SIDE):
        raise SampleError(f"{name}: a model input must be a 32x32 grey PNG, found shape {image.shape}")
    return image.astype(np.float32) / 255.0


def read_file(path: Path) -> bytes:
    """The bytes of a sample file; SampleError naming it when it is missing or unreadable."""
    shown = str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SampleError(f"{shown}: file is missing") from None
    except IsADirectoryError:
        raise SampleError(f"{shown}: is a folder, not a file") from None
    except OSError as exc:
        raise SampleError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
