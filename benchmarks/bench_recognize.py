"""Recognition speed on this machine (medians), against the targets of the product spec.

Run: ``.venv/bin/python benchmarks/bench_recognize.py [--repeats N] [--cli-images N]``.

Cases: a 500x300 canvas with 4 digits, a 640x480 webcam frame, an A4 page at 150 dpi with
about 40 digits (all generated from MNIST test digits by ``digit_app.data.scenes``), the naive
approach (one ``model.predict`` per crop) on the canvas case, and ``digit-app recognize`` on
many small single-digit images (throughput after start-up: the difference of two runs).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import cv2
import numpy as np

from digit_app.data.scenes import load_test_digits, make_scenes
from digit_app.pipeline import find_candidates, normalize_batch
from digit_app.recognizer import Recognizer

TARGETS_MS = {"canvas 500x300, 4 digits": 10, "webcam 640x480": 15, "A4 150 dpi, ~40 digits": 150}
MIN_RATIO = 20
MIN_CLI_RATE = 200


def median_ms(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def pick_scene(kind: str, images, labels, want_digits: int, tries: int = 40):
    scenes = make_scenes(kind, tries, images, labels, seed=1)
    return min(scenes, key=lambda s: abs(len(s.digits) - want_digits))


def canvas_with_four_digits(images, labels) -> np.ndarray:
    scene = pick_scene("drawing", images, labels, 4)
    assert scene.image.shape[:2] == (300, 500), scene.image.shape
    return scene.image


def naive(recognizer: Recognizer, image: np.ndarray) -> None:
    """The tutorial way: the pipeline, then one ``model.predict`` per crop."""
    cands = find_candidates(image, recognizer.config)
    x = normalize_batch([c.mask for c in cands], recognizer.config.normalize)
    for i in range(len(x)):
        recognizer.classifier.model.predict(x[i : i + 1], verbose=0)


def cli_seconds(paths: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "digit_app", "recognize", "--format", "json", *paths],
                   check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--cli-images", type=int, default=1000,
                        help="small images for the CLI throughput case (0 skips it)")
    parser.add_argument("--model")
    args = parser.parse_args()
    images, labels = load_test_digits()
    rec = Recognizer.load(args.model)
    cases = {
        "canvas 500x300, 4 digits": canvas_with_four_digits(images, labels),
        "webcam 640x480": pick_scene("webcam", images, labels, 8).image,
        "A4 150 dpi, ~40 digits": pick_scene("scan", images, labels, 40).image,
    }
    print(f"model: {rec.classifier.path}")
    results = {}
    for name, image in cases.items():
        n = len(rec.recognize(image).candidates)
        results[name] = median_ms(partial(rec.recognize, image), args.repeats)
        print(f"{name:28s} {results[name]:7.2f} ms median (target {TARGETS_MS[name]} ms), "
              f"{n} crops, {image.shape[1]}x{image.shape[0]}")
    canvas = cases["canvas 500x300, 4 digits"]
    naive_ms = median_ms(lambda: naive(rec, canvas), max(5, args.repeats // 5))
    ratio = naive_ms / results["canvas 500x300, 4 digits"]
    print(f"{'naive, predict per crop':28s} {naive_ms:7.2f} ms median: batched is {ratio:.1f}x "
          f"faster (target {MIN_RATIO}x)")
    if args.cli_images > 1:
        cli_throughput(images, args.cli_images)


def cli_throughput(images: np.ndarray, count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(count):
            tile = cv2.resize(255 - images[i], (64, 64), interpolation=cv2.INTER_CUBIC)
            p = Path(tmp) / f"digit{i:05d}.png"
            cv2.imwrite(str(p), tile)
            paths.append(str(p))
        one = statistics.median(cli_seconds(paths[:1]) for _ in range(3))
        many = cli_seconds(paths)
        rate = (len(paths) - 1) / max(many - one, 1e-9)
        print(f"{'CLI, small images':28s} {rate:7.0f} images/s after start-up (target "
              f"{MIN_CLI_RATE}); start-up {one:.2f} s, {len(paths)} images in {many:.2f} s")


if __name__ == "__main__":
    main()
