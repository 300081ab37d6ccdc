"""Sheets for auditing the labels of a real set's held-out digits (``digit_app.data.label_audit``).

Writes PNG sheets of 100 held-out digits that share a label, each numbered with its index in the
set's held-out part; the app's readings are not shown, so the audit judges the writing alone. A
person goes through them and notes, for ``label_audit.AUDITS``, each digit that alone reads as
another digit or none (``other``), or as its label or another by writing convention
(``ambiguous``); ``digit-app evaluate --real`` then reports both figures beside the raw one.
UNIPEN digits are drawn from their strokes with a pen like ``unipen-pen``'s.

Run: ``.venv/bin/python benchmarks/audit_sheets.py --set bhmsds --out /tmp/audit``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from digit_app.data import real
from digit_app.data.pen import render_strokes

TILE = 84  # px a digit's square is scaled to on a sheet
INDEX_BAND = 14  # px above each digit for its index
PER_ROW = 10
PER_SHEET = 100
PEN_HEIGHT, PEN_WIDTH = 70, 3  # px: a UNIPEN digit drawn for a sheet


def digits_of(name: str, real_dir: str | None) -> tuple[list[np.ndarray], np.ndarray]:
    """The held-out digits of set ``name``, dark on white (``h x w uint8`` each), and labels."""
    if name == "unipen":
        uni = real.load_unipen(real_dir).part(held_out=True)
        return [255 - render_strokes(s, PEN_HEIGHT, PEN_WIDTH) for s in uni.strokes], uni.labels
    photos = real.load_photos(name, real_dir).part(held_out=True)
    return list(photos.images), photos.labels


def tile(digit: np.ndarray, index: int) -> np.ndarray:
    """``digit`` (dark on white) fitted into a white square under its index: BGR uint8."""
    h, w = digit.shape
    scale = TILE / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    fitted = cv2.resize(digit, size, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    square = np.full((TILE, TILE), 255, np.uint8)
    y, x = (TILE - size[1]) // 2, (TILE - size[0]) // 2
    square[y:y + size[1], x:x + size[0]] = fitted
    out = cv2.copyMakeBorder(cv2.cvtColor(square, cv2.COLOR_GRAY2BGR), INDEX_BAND, 1, 1, 1,
                             cv2.BORDER_CONSTANT, value=(255, 255, 255))
    cv2.putText(out, str(index), (2, INDEX_BAND - 3), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 200), 1)
    return out


def sheets(digits: list[np.ndarray], labels: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """``(file name, BGR sheet)`` per 100 digits of one label, in held-out order."""
    out = []
    for label in np.unique(labels):
        idx = np.flatnonzero(labels == label)
        for start in range(0, len(idx), PER_SHEET):
            tiles = [tile(digits[i], int(i)) for i in idx[start:start + PER_SHEET]]
            while len(tiles) % PER_ROW:
                tiles.append(np.full_like(tiles[0], 235))
            rows = [np.hstack(tiles[r:r + PER_ROW]) for r in range(0, len(tiles), PER_ROW)]
            out.append((f"label{label}_{start // PER_SHEET}.png", np.vstack(rows)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", required=True, choices=sorted(real.SETS))
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--real-data", default=None, help="folder holding the shared sets")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    written = sheets(*digits_of(args.set, args.real_data))
    for name, sheet in written:
        cv2.imwrite(str(args.out / name), sheet)
    print(f"{len(written)} sheets in {args.out}")


if __name__ == "__main__":
    main()
