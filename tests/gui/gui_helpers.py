"""Images and files the GUI tests generate."""
from __future__ import annotations

import cv2
import numpy as np


def digits_image(text: str = "42", size: tuple[int, int] = (240, 400), scale: float = 4.0,
                 thickness: int = 14, origin: tuple[int, int] = (40, 180)) -> np.ndarray:
    """Dark, thick digits on white paper (BGR), one blob per digit."""
    h, w = size
    img = np.full((h, w, 3), 255, np.uint8)
    cv2.putText(img, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thickness)
    return img


def write_video(path, text: str = "42", frames: int = 20, fps: int = 20,
                size: tuple[int, int] = (240, 320)) -> str:
    """An MJPG .avi of digits drifting slowly across paper, with a little noise."""
    h, w = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened(), f"cannot write {path}"
    rng = np.random.default_rng(0)
    for k in range(frames):
        img = digits_image(text, size=size, scale=3.0, thickness=10, origin=(30 + k % 5, 150))
        noise = rng.normal(0, 3, img.shape)
        writer.write(np.clip(img + noise, 0, 255).astype(np.uint8))
    writer.release()
    return str(path)


def write_tiff(path, pages: list[np.ndarray]) -> str:
    from PIL import Image

    images = [Image.fromarray(cv2.cvtColor(p, cv2.COLOR_BGR2RGB)) for p in pages]
    images[0].save(str(path), save_all=True, append_images=images[1:])
    return str(path)
