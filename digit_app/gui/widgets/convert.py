"""QImage <-> numpy conversions (BGR ``HxWx3 uint8`` or grey ``HxW uint8``), always copying."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QImage, QPainter


def bgr_to_qimage(array: np.ndarray) -> QImage:
    """A numpy image (grey, BGR or BGRA, uint8) as a QImage that owns its pixels."""
    a = np.ascontiguousarray(array)
    if a.dtype != np.uint8:
        raise ValueError(f"expected uint8 pixels, got {a.dtype}")
    if a.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif a.ndim == 3 and a.shape[2] == 3:
        fmt = QImage.Format.Format_BGR888
    elif a.ndim == 3 and a.shape[2] == 4:
        fmt = QImage.Format.Format_ARGB32  # BGRA bytes in memory on little-endian machines
    else:
        raise ValueError(f"expected HxW, HxWx3 or HxWx4 pixels, got shape {a.shape}")
    h, w = a.shape[:2]
    return QImage(a.data, w, h, a.strides[0], fmt).copy()


def qimage_to_bgr(image: QImage) -> np.ndarray:
    """A QImage as a ``HxWx3 uint8`` BGR array (alpha composited on white)."""
    if image.isNull():
        return np.zeros((0, 0, 3), np.uint8)
    if image.hasAlphaChannel():
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.fill(0xFFFFFFFF)
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        image = flat
    img = image.convertToFormat(QImage.Format.Format_BGR888)
    w, h, stride = img.width(), img.height(), img.bytesPerLine()
    buf = np.frombuffer(img.constBits(), np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, : w * 3].reshape(h, w, 3).copy()


def float_to_qimage(array: np.ndarray) -> QImage:
    """A float image in [0, 1] (e.g. the 32x32 model input) as a grey QImage."""
    a = np.clip(np.asarray(array, np.float32), 0.0, 1.0)
    if a.ndim == 3:
        a = a[..., 0]
    return bgr_to_qimage((a * 255 + 0.5).astype(np.uint8))


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG in memory (written to disk atomically by the caller)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # a str format works; the stubs list bytes only
        raise ValueError("the picture cannot be encoded as PNG")
    return bytes(buffer.data())  # type: ignore[call-overload]  # QByteArray is a buffer; the stubs do not say so
