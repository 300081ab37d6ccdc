"""``digit-app evaluate --report DIR``: a confusion-matrix picture and a gallery of mistakes.

Pictures are drawn with OpenCV (no plotting library needed) and written as PNG.
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from digit_app.model.evaluation import Evaluation
from digit_app.types import CLASS_NAMES

CELL = 44  # confusion matrix cell side, pixels
MARGIN = 60
TILE_SCALE = 3  # 32x32 model inputs drawn at 96x96
GALLERY_COLUMNS = 8
CAPTION = 18
FONT = cv2.FONT_HERSHEY_SIMPLEX


def confusion_image(confusion: np.ndarray) -> np.ndarray:
    """``H x W x 3 uint8`` BGR picture of a ``10 x 11`` (true x predicted) confusion matrix."""
    rows, cols = confusion.shape
    img = np.full((MARGIN + rows * CELL + 10, MARGIN + cols * CELL + 10, 3), 255, np.uint8)
    off_diag = confusion.copy().astype(float)
    np.fill_diagonal(off_diag[:, :rows], 0)
    scale = max(off_diag.max(), 1.0)
    for r in range(rows):
        for c in range(cols):
            v = int(confusion[r, c])
            x, y = MARGIN + c * CELL, MARGIN + r * CELL
            if r == c:
                colour = (120, 200, 120)
            else:
                shade = int(255 - 200 * min(v / scale, 1.0)) if v else 255
                colour = (shade, shade, 255)
            cv2.rectangle(img, (x, y), (x + CELL, y + CELL), colour, -1)
            cv2.rectangle(img, (x, y), (x + CELL, y + CELL), (200, 200, 200), 1)
            text = str(v)
            (tw, th), _ = cv2.getTextSize(text, FONT, 0.38, 1)
            cv2.putText(img, text, (x + (CELL - tw) // 2, y + (CELL + th) // 2), FONT, 0.38, (0, 0, 0), 1, cv2.LINE_AA)
    for c in range(cols):
        label = CLASS_NAMES[c] if c < 10 else "not"
        cv2.putText(img, label, (MARGIN + c * CELL + 12, MARGIN - 10), FONT, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
    for r in range(rows):
        cv2.putText(img, str(r), (MARGIN - 22, MARGIN + r * CELL + 28), FONT, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
    cv2.putText(img, "true (rows) x predicted (columns)", (MARGIN, 22), FONT, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    return img


def mistakes_gallery(result: Evaluation, n: int = 64) -> np.ndarray:
    """Worst mistakes as tiles of the model input, captioned "true->predicted p"."""
    idx = result.worst_mistakes(n)
    side = 32 * TILE_SCALE
    rows = max(1, int(np.ceil(len(idx) / GALLERY_COLUMNS)))
    img = np.full((rows * (side + CAPTION), GALLERY_COLUMNS * side, 3), 255, np.uint8)
    for k, i in enumerate(idx):
        r, c = divmod(k, GALLERY_COLUMNS)
        tile: np.ndarray = (255 - result.inputs[i, :, :, 0] * 255).astype(np.uint8)
        tile = cv2.resize(tile, (side, side), interpolation=cv2.INTER_NEAREST)
        y, x = r * (side + CAPTION), c * side
        img[y : y + side, x : x + side] = tile[:, :, None]
        pred = int(result.predicted[i])
        caption = f"{result.labels[i]}->{CLASS_NAMES[pred] if pred < 10 else 'X'} {result.probabilities[i, pred]:.2f}"
        cv2.putText(img, caption, (x + 4, y + side + 13), FONT, 0.42, (0, 0, 200), 1, cv2.LINE_AA)
    return img


def write_report(result: Evaluation, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "confusion.png", out_dir / "worst_mistakes.png"]
    cv2.imwrite(str(paths[0]), confusion_image(result.confusion()[:10]))
    cv2.imwrite(str(paths[1]), mistakes_gallery(result))
    return paths
