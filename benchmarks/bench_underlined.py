"""Digits underlined by hand: held-out UNIPEN digits (writers never trained on) drawn on a
canvas alone and with a hand-drawn underline under them (a wavering stroke from a fifth of
the digit's width before it to a fifth after, a tenth of its height below), with a mouse (a
2 px line, 320 px tall) and a pen (8 px, 120 px tall), as ``digit-app evaluate --real`` draws
them; then numbers of three such digits (from random writers) drawn and underlined the same
way. Prints the share read right each way.

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
#: Numbers: their digits, and the space between two (of the digit height).
NUMBER_DIGITS, NUMBER_GAP = 3, 0.25


def underline(strokes: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """A hand-drawn underline for a digit's ``strokes`` (``K x 2`` float32 points)."""
    pts = np.concatenate(strokes)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    width, height = hi - lo
    xs = np.linspace(lo[0] - REACH * width, hi[0] + REACH * width, POINTS)
    ys = hi[1] + BELOW * height + rng.normal(0, WAVER * height, POINTS).cumsum()
    return np.stack([xs, ys], axis=1).astype(np.float32)


def number_strokes(strokes: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Digits' ``strokes`` (each digit's in its own units) side by side as one number's: each
    scaled to height 1 and set a quarter of that after the one before."""
    out: list[np.ndarray] = []
    x = 0.0
    for digit in strokes:
        lo, hi = (np.concatenate(digit).min(axis=0), np.concatenate(digit).max(axis=0))
        scale = 1.0 / max(float(hi[1] - lo[1]), 1e-6)
        out += [((s - lo) * scale + (x, 0.0)).astype(np.float32) for s in digit]
        x += float(hi[0] - lo[0]) * scale + NUMBER_GAP
    return out


def report(rec: Recognizer, name: str, items: list[tuple[list[np.ndarray], str]],
           rng: np.random.Generator) -> None:
    """Read ``items`` (strokes, truth) drawn each way; print the share read exactly."""
    lines = [underline(strokes, rng) for strokes, _ in items]
    for source, (height, pen) in PEN_STYLES.items():
        for form, extra in (("alone", False), ("underlined", True)):
            images = [canvas_image(strokes + ([line] if extra else []), height, pen)
                      for (strokes, _), line in zip(items, lines)]
            texts = ["".join(str(d.label) for d in r.digits) for r in rec.recognize_many(images)]
            right = np.mean([t == truth for t, (_, truth) in zip(texts, items)])
            print(f"{name:>16} {source:>13} {form:>10}: read right {right:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rec = Recognizer.load()
    uni = real.load_unipen().part(held_out=True)
    chosen = np.arange(0, len(uni.labels), args.every)
    rng = np.random.default_rng(args.seed)
    print(f"{len(chosen)} held-out UNIPEN digits, model {rec.model_name}")
    report(rec, "digits", [(list(uni.strokes[i]), str(uni.labels[i])) for i in chosen], rng)
    numbers = [rng.choice(len(uni.labels), NUMBER_DIGITS, replace=False)
               for _ in range(len(chosen) // NUMBER_DIGITS)]
    report(rec, f"{NUMBER_DIGITS}-digit numbers",
           [(number_strokes([uni.strokes[i] for i in ids]), "".join(str(uni.labels[i]) for i in ids))
            for ids in numbers], rng)

if __name__ == "__main__":
    main()
