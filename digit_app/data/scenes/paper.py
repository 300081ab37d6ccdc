"""Light paper: a slightly yellowed colour, low-frequency texture and fine grain."""
from __future__ import annotations

import cv2
import numpy as np

from digit_app.data.scenes.config import PaperConfig


def paper(
    rng: np.random.Generator, w: int, h: int, level: tuple[float, float], cfg: PaperConfig
) -> np.ndarray:
    """A ``h x w x 3 float32`` BGR page whose brightness is drawn from ``level``."""
    base = rng.uniform(*level)
    yellow = rng.uniform(0, cfg.tint)
    color = np.array([base - yellow, base - cfg.tint_green * yellow, base], np.float32)
    scale = cfg.texture_scale
    low = rng.standard_normal((h // scale + 2, w // scale + 2), dtype=np.float32)
    low = cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC) * cfg.texture
    fine = rng.standard_normal(((h + 1) // 2, (w + 1) // 2), dtype=np.float32) * cfg.grain
    tex = low + cv2.resize(fine, (w, h), interpolation=cv2.INTER_LINEAR)
    page = np.empty((h, w, 3), np.float32)
    for i, c in enumerate(color):
        np.add(tex, float(c), out=page[:, :, i])
    return page
