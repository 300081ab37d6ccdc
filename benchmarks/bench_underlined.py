"""Digits underlined by hand: held-out UNIPEN digits (writers never trained on) drawn on a
canvas alone and with a hand-drawn underline under them (a wavering stroke from a fifth of
the digit's width before it to a fifth after, a tenth of its height below), with a mouse (a
2 px line, 320 px tall) and a pen (8 px, 120 px tall), as ``digit-app evaluate --real`` draws
them. Prints the share read right each way.

Run: ``.venv/bin/python benchmarks/bench_underlined.py [--every K] [--seed S]`` (needs the
real data: ``DIGIT_APP_REAL_DATA``). ``--every 10`` reads every tenth held-out digit.
"""
from __future__ import annotations

import argparse

import numpy as np

from digit_app.data import real
from digit_app.real_eval import PEN_STYLES, canvas_image
from digit_app.recognizer import Recognizer

#: The underline: how far it reaches past the digit on each side (of its width), how far
#: under it (of its height), its points, and how much it wavers (of the height, per point).
REACH, BELOW, POINTS, WAVER = 0.2, 0.12, 20, 0.0045


def underline(strokes: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """A hand-drawn underline for a digit's ``strokes`` (``K x 2`` float32 points)."""
    pts = np.concatenate(strokes)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    width, height = hi - lo
    xs = np.linspace(lo[0] - REACH * width, hi[0] + REACH * width, POINTS)
    ys = hi[1] + BELOW * height + rng.normal(0, WAVER * height, POINTS).cumsum()
    return np.stack([xs, ys], axis=1).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rec = Recognizer.load()
    uni = real.load_unipen().part(held_out=True)
    chosen = np.arange(0, len(uni.labels), args.every)
    rng = np.random.default_rng(args.seed)
    lines = [underline(uni.strokes[i], rng) for i in chosen]
    print(f"{len(chosen)} held-out UNIPEN digits, model {rec.model_name}")
    for source, (height, pen) in PEN_STYLES.items():
        for name, extra in (("alone", False), ("underlined", True)):
            images = [canvas_image(list(uni.strokes[i]) + ([line] if extra else []), height, pen)
                      for i, line in zip(chosen, lines)]
            texts = ["".join(str(d.label) for d in r.digits) for r in rec.recognize_many(images)]
            right = np.mean([t == str(uni.labels[i]) for t, i in zip(texts, chosen)])
            print(f"{source:>13} {name:>10}: read right {right:.3f}")


if __name__ == "__main__":
    main()
