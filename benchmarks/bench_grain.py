"""Grainy photographs of single digits: held-out BHMSDS photos (writers never trained on) as a
phone in dim light takes them, with sensor noise, in dark ink or in pencil (grey ink on
off-white paper), then saved as JPEG. Each digit is read as its own image, as
``digit-app evaluate --real`` reads ``bhmsds`` (enlarged 4 times on its own paper) and
``bhmsds-file`` (28 x 28), with the noise added to the whole image. Prints, per form and noise
level, the share read right and the share answered with no digit.

Run: ``.venv/bin/python benchmarks/bench_grain.py [--every K] [--noise 0,6,10,14,18,24]``
(needs the real data: ``--real-data DIR`` or ``$DIGIT_APP_REAL_DATA``).
"""
from __future__ import annotations

import argparse

import cv2
import numpy as np

from digit_app.data import real
from digit_app.real_eval import BATCH, PHOTO_SCALE, SourceReport, photo_image
from digit_app.recognizer import Recognizer

NOISE = "0,6,10,14,18,24"  # sensor noise, standard deviation in grey levels
#: Pencil: the paper brought to this grey level, and the darkest ink to this one.
PENCIL_PAPER, PENCIL_INK = 230, 140
JPEG_QUALITY = 60  # a phone's photo, saved


def pencil(grey: np.ndarray) -> np.ndarray:
    """Dark ink on light paper (``H x W uint8``) as pencil: the same strokes, grey on
    off-white."""
    light = grey.astype(np.float32) / 255.0
    return (PENCIL_PAPER - (1.0 - light) * (PENCIL_PAPER - PENCIL_INK)).astype(np.uint8)


def grainy(grey: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """``grey`` (``H x W uint8``) with Gaussian sensor noise of ``sigma`` grey levels, saved
    as a JPEG and read back."""
    noisy = np.clip(grey + rng.normal(0.0, sigma, grey.shape), 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise RuntimeError("OpenCV could not encode a JPEG")
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def read(rec: Recognizer, images: list[np.ndarray], labels: list[int]) -> tuple[float, float]:
    """Share read exactly as their label, and share answered with no digit (scored as
    ``evaluate --real`` scores its sources)."""
    report = SourceReport("grain")
    for start in range(0, len(images), BATCH):
        for label, r in zip(labels[start:start + BATCH], rec.recognize_many(images[start:start + BATCH])):
            report.add(label, r)
    return report.right / max(report.samples, 1), report.no_digit / max(report.samples, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=3, help="every K-th held-out digit (default 3)")
    parser.add_argument("--noise", default=NOISE, help=f"noise levels, grey levels (default {NOISE})")
    parser.add_argument("--seed", type=int, default=0, help="the noise")
    parser.add_argument("--real-data", default=None)
    args = parser.parse_args()
    photos = real.load_photos("bhmsds", args.real_data).part(held_out=True)
    pick = np.arange(0, len(photos.labels), max(1, args.every))
    labels = [int(photos.labels[i]) for i in pick]
    files = [photos.images[i] for i in pick]  # dark on light, 28 x 28
    enlarged = [cv2.cvtColor(photo_image(f, PHOTO_SCALE["bhmsds"]), cv2.COLOR_BGR2GRAY) for f in files]
    rec = Recognizer.load()
    print(f"{len(labels)} held-out BHMSDS digits, JPEG quality {JPEG_QUALITY}")
    print(f"{'form':>22} {'noise':>6} {'read right':>11} {'no digit':>9}")
    for form, base in (("photo, ink", enlarged), ("photo, pencil", [pencil(g) for g in enlarged]),
                       ("28 x 28 file, ink", files), ("28 x 28 file, pencil", [pencil(g) for g in files])):
        for sigma in (float(s) for s in args.noise.split(",") if s.strip()):
            rng = np.random.default_rng(args.seed)
            right, none = read(rec, [grainy(g, sigma, rng) for g in base], labels)
            print(f"{form:>22} {sigma:>6.0f} {right:>11.4f} {none:>9.4f}", flush=True)


if __name__ == "__main__":
    main()
