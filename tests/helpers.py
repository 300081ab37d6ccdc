"""Shared test helpers: synthetic pages made of MNIST test digits."""
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
