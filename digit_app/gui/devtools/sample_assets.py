"""Sample inputs for the screenshots and demos, made from MNIST test digits.

``python -m digit_app.gui.devtools.sample_assets [OUTDIR]`` (default ``assets/``) writes:

* ``drawing.png`` - handwritten numbers on a white canvas (Draw mode: load onto the canvas);
* ``document.png`` and ``document.tiff`` (two pages) - a form with handwritten amounts;
* ``camera.avi`` - MJPG video of the form's first page held in front of a camera (moving,
  uneven light, sensor noise);
* ``icon.png`` - the app icon.

Deterministic (fixed seed). The MNIST files are found like everywhere else in the project.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

SEED = 7
INK = 25  # grey level of the pen
PAPER = 250
DIGIT_HEIGHT = 64  # pixels, on the pages
DOCUMENT_SIZE = (1000, 1300)  # width, height
CAMERA_SIZE = (640, 480)
CAMERA_FPS = 15
CAMERA_SECONDS = 2
CAMERA_NOISE = 2.5  # sensor noise, grey levels (MJPG files grow fast with noise)
DRAWING_NUMBERS = ("2024", "38", "517")
PAGES = (
    (("Invoice no.", "4096"), ("Amount", "1250"), ("Quantity", "37"), ("Postcode", "75013")),
    (("Order", "8642"), ("Items", "19"), ("Total", "903"), ("Phone", "0612")),
)


def _digits_by_label(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> dict[int, list[np.ndarray]]:
    pool = {}
    for d in range(10):
        idx = np.flatnonzero(labels == d)[:200]
        pool[d] = [images[i] for i in rng.choice(idx, size=20, replace=False)]
    return pool


def _ink(digit28: np.ndarray, height: int, rng: np.random.Generator) -> np.ndarray:
    """An MNIST digit as a float ink mask (1 = ink) about ``height`` pixels high, slightly slanted."""
    ys, xs = np.nonzero(digit28 > 30)
    crop = digit28[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.float32) / 255.0
    scale = height / crop.shape[0] * rng.uniform(0.85, 1.1)
    big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    angle = rng.uniform(-6, 6)
    h, w = big.shape
    pad = int(0.2 * max(h, w))
    big = cv2.copyMakeBorder(big, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    m = cv2.getRotationMatrix2D((big.shape[1] / 2, big.shape[0] / 2), angle, 1.0)
    big = cv2.warpAffine(big, m, (big.shape[1], big.shape[0]))
    big = np.clip((big - 0.25) * 1.8, 0, 1)
    ys, xs = np.nonzero(big > 0.05)
    return big[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def write_number(page: np.ndarray, text: str, x: int, baseline: int, pool, rng, height: int = DIGIT_HEIGHT) -> int:
    """Write ``text`` with MNIST digits, bottoms on ``baseline``; returns the x after it."""
    for ch in text:
        mask = _ink(pool[int(ch)][int(rng.integers(len(pool[int(ch)])))], height, rng)
        h, w = mask.shape
        y = baseline - h + int(rng.integers(-3, 4))
        region = page[y:y + h, x:x + w].astype(np.float32)
        page[y:y + h, x:x + w] = (region * (1 - mask) + INK * mask).astype(np.uint8)
        x += w + int(rng.integers(4, 12))
    return x


def make_drawing(pool, rng) -> np.ndarray:
    page = np.full((500, 900), 255, np.uint8)
    for row, text in enumerate(DRAWING_NUMBERS):
        write_number(page, text, 60 + 120 * row, 150 + 140 * row, pool, rng, height=90)
    return page


def make_page(fields, pool, rng, number: int) -> np.ndarray:
    w, h = DOCUMENT_SIZE
    page = np.full((h, w), PAPER, np.uint8)
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(page, f"ORDER FORM  -  page {number}", (70, 120), font, 1.3, 40, 2, cv2.LINE_AA)
    cv2.line(page, (70, 150), (w - 70, 150), 90, 2)
    top = 260
    for i, (label, value) in enumerate(fields):
        y = top + i * 200
        cv2.putText(page, label, (70, y), font, 0.9, 60, 2, cv2.LINE_AA)
        cv2.rectangle(page, (380, y - 95), (w - 90, y + 35), 150, 2)
        write_number(page, value, 420, y + 5, pool, rng)
    cv2.putText(page, "Signature", (70, h - 120), font, 0.9, 60, 2, cv2.LINE_AA)
    cv2.line(page, (260, h - 120), (w - 90, h - 120), 150, 1)
    return page


def make_camera_frames(page: np.ndarray, rng) -> list[np.ndarray]:
    """The page held in front of a webcam: perspective that drifts, shading, noise, a desk."""
    fw, fh = CAMERA_SIZE
    _ph, pw = page.shape
    crop = page[160:900, 300:pw]  # the handwritten boxes, as a webcam would frame them
    ch, cw = crop.shape
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    frames = []
    n = CAMERA_FPS * CAMERA_SECONDS
    yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
    for k in range(n):
        t = 2 * np.pi * k / n
        dx, dy = 14 * np.sin(t), 10 * np.sin(2 * t)
        tilt = 14 * np.cos(t)
        dst = np.array([[40 + dx + tilt, 20 + dy], [fw - 40 + dx - tilt, 28 + dy],
                        [fw - 30 + dx, fh - 20 + dy], [30 + dx, fh - 26 + dy]], np.float32)
        m = cv2.getPerspectiveTransform(src, dst)
        warped = cv2.warpPerspective(crop, m, (fw, fh), borderValue=120)
        shade = 0.75 + 0.25 * (1 - ((xx - fw * 0.3) ** 2 + (yy - fh * 0.2) ** 2) / (fw ** 2 + fh ** 2))
        img = warped.astype(np.float32) * shade + rng.normal(0, CAMERA_NOISE, warped.shape)
        img = np.clip(img, 0, 255).astype(np.uint8)
        bgr = cv2.merge([np.clip(img * 0.92, 0, 255).astype(np.uint8), img,
                         np.clip(img * 1.03, 0, 255).astype(np.uint8)])
        frames.append(cv2.GaussianBlur(bgr, (3, 3), 0))
    return frames


def write_video(path: Path, frames: list[np.ndarray], fps: int) -> None:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    if not writer.isOpened():
        raise RuntimeError(f"cannot write {path}")
    for f in frames:
        writer.write(f)
    writer.release()


def write_tiff(path: Path, pages: list[np.ndarray]) -> None:
    from PIL import Image

    images = [Image.fromarray(p) for p in pages]
    images[0].save(path, save_all=True, append_images=images[1:], compression="tiff_deflate")


def write_icon(path: Path) -> None:
    from PySide6.QtGui import QGuiApplication

    from digit_app.gui.icons import app_pixmap

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    app_pixmap(256).save(str(path), "PNG")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", default="assets")
    parser.add_argument("--data", help="folder with the MNIST .gz files")
    args = parser.parse_args(argv)
    from digit_app.data.mnist import find_data_dir, load_split

    split = load_split(find_data_dir(args.data), "test")
    rng = np.random.default_rng(SEED)
    pool = _digits_by_label(split.images, split.labels, rng)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out / "drawing.png"), make_drawing(pool, rng))
    pages = [make_page(fields, pool, rng, i + 1) for i, fields in enumerate(PAGES)]
    cv2.imwrite(str(out / "document.png"), pages[0])
    write_tiff(out / "document.tiff", pages)
    write_video(out / "camera.avi", make_camera_frames(pages[0], rng), CAMERA_FPS)
    write_icon(out / "icon.png")
    for name in ("drawing.png", "document.png", "document.tiff", "camera.avi", "icon.png"):
        print(f"wrote {out / name} ({(out / name).stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
