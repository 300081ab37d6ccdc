"""Shared test helpers: synthetic pages made of MNIST test digits, a tiny UNIPEN file."""
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_MODEL = ROOT / "models" / "lenet.keras"


def first_index_of(mnist_test, digit: int) -> int:
    return int(np.flatnonzero(mnist_test.labels == digit)[0])


def page_with_number(mnist_test, indexes, height=80, gap=-8, margin=40) -> np.ndarray:
    """A white page with MNIST test digits written left to right, dark ink (BGR uint8)."""
    tiles = [cv2.resize(mnist_test.images[i], (height, height)) for i in indexes]
    width = margin * 2 + len(tiles) * height + (len(tiles) - 1) * gap
    page = np.zeros((height + 2 * margin, width), np.uint8)
    for k, t in enumerate(tiles):
        x = margin + k * (height + gap)
        page[margin : margin + height, x : x + height] = t
    return cv2.cvtColor(255 - page, cv2.COLOR_GRAY2BGR)


def write_unipen(folder, writers: dict[str, list[int]]) -> None:
    """A tiny ``unipen-digits.npz`` (the shared format) holding, per ``site/writer``, their
    digits as one zig-zag stroke each (tablet units, y up), a different shape per label."""
    labels, org, writer, sample_off, stroke_off, points = [], [], [], [0], [0], []
    for name, digits in writers.items():
        site, who = name.split("/")
        for k, label in enumerate(digits):
            t = np.linspace(0, 1, 24)
            stroke = np.stack([60 * np.sin(2 * np.pi * t * (1 + label % 4)) + 100 + k,
                               300 * (1 - t)], 1).astype(np.int16)
            labels.append(label)
            org.append(site)
            writer.append(who)
            points.append(stroke)
            stroke_off.append(stroke_off[-1] + len(stroke))
            sample_off.append(sample_off[-1] + 1)
    n = len(labels)
    (folder / "unipen").mkdir()
    np.savez(folder / "unipen" / "unipen-digits.npz", label=np.array(labels, np.uint8),
             org=np.array(org), writer=np.array(writer),
             sample_offsets=np.array(sample_off, np.int64),
             stroke_offsets=np.array(stroke_off, np.int64), points=np.concatenate(points),
             x_res=np.full(n, 50, np.float32), y_res=np.full(n, 50, np.float32),
             suspect=np.zeros(n, bool))
