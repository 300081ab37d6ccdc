"""Held-out UNIPEN digits (writers never trained on) drawn on a white canvas at several sizes
and line widths, one digit per image, as ``digit-app evaluate --real`` draws its
``unipen-pen`` (120 px tall, 8 px pen) and ``unipen-mouse`` (320 px, 2 px line) forms: a
hairline on a big canvas is as much a user's drawing as a pen on a small one. Prints, per
form, the share read right, the share answered with no digit, and the line's width as a share
of the digit's height. With ``--numbers N``, N numbers of 2-4 of those digits (of any
writers) side by side instead (gaps 0.15-0.5 of the height, the same numbers in every form),
and the share read exactly.

Run: ``.venv/bin/python benchmarks/bench_pen_widths.py [--forms 120x8,320x2,700x1] [--limit N]
[--numbers N] [--seed S]`` (needs the real data: ``--real-data DIR`` or ``$DIGIT_APP_REAL_DATA``).
"""
from __future__ import annotations

import argparse

import cv2
import numpy as np

from digit_app.data import real
from digit_app.data.pen import render_strokes
from digit_app.real_eval import BATCH, CANVAS_MARGIN, SourceReport, canvas_image, spread
from digit_app.recognizer import Recognizer

#: Digit height x line width (px): the evaluation's two forms, a thick marker, and hairlines
#: on canvases up to 1000 px tall (a 1 px mouse line on a 1000 x 800 canvas, issue 12).
FORMS = "120x8,320x2,240x16,120x1,320x1,700x1,700x2,1000x1,1000x2"
NUMBER_DIGITS = (2, 4)  # digits in a number, fewest and most
NUMBER_GAP_REL = (0.15, 0.5)  # space between two digits, of the height
NUMBER_SHIFT_REL = 0.05  # each digit up or down by at most this share of the height


def parse_forms(text: str) -> list[tuple[int, int]]:
    """``"120x8,320x2"`` -> ``[(120, 8), (320, 2)]`` (digit height, line width; px)."""
    forms = []
    for item in text.split(","):
        height, _, width = item.strip().partition("x")
        if not (height.isdigit() and width.isdigit() and int(height) > 0 and int(width) > 0):
            raise argparse.ArgumentTypeError(f"a form is HEIGHTxWIDTH in pixels, got {item!r}")
        forms.append((int(height), int(width)))
    return forms


def read_form(rec: Recognizer, strokes: list, labels: list[int], height: int, width: int
              ) -> tuple[float, float]:
    """Share read exactly and share answered with no digit, the digits drawn
    ``height`` px tall with a ``width`` px line."""
    report = SourceReport(f"{height}x{width}")  # scored as evaluate --real scores its forms
    for start in range(0, len(labels), BATCH):
        stop = min(start + BATCH, len(labels))
        images = [canvas_image(strokes[i], height, width) for i in range(start, stop)]
        for label, r in zip(labels[start:stop], rec.recognize_many(images)):
            report.add(label, r)
    return report.right / max(report.samples, 1), report.no_digit / max(report.samples, 1)


def number_image(strokes: list, height: int, width: int, layout: np.random.Generator) -> np.ndarray:
    """Digits (each a list of strokes) drawn ``height`` px tall with a ``width`` px line, side
    by side as one number, dark on a white canvas: ``H x W x 3 uint8``. ``layout`` draws the
    gaps and shifts (in shares of the height, so that every form gets the same number)."""
    inks = [render_strokes(s, height, width) for s in strokes]
    gaps = [int(layout.uniform(*NUMBER_GAP_REL) * height) for _ in inks[1:]] + [0]
    shifts = [int(layout.uniform(-NUMBER_SHIFT_REL, NUMBER_SHIFT_REL) * height) for _ in inks]
    tallest = max(ink.shape[0] for ink in inks)
    margin = int(CANVAS_MARGIN * height)
    page = np.zeros((tallest + 2 * margin, sum(i.shape[1] for i in inks) + sum(gaps) + 2 * margin), np.uint8)
    x = margin
    for ink, gap, shift in zip(inks, gaps, shifts):
        y = min(max(margin + (tallest - ink.shape[0]) // 2 + shift, 0), page.shape[0] - ink.shape[0])
        page[y:y + ink.shape[0], x:x + ink.shape[1]] |= ink
        x += ink.shape[1] + gap
    return cv2.cvtColor(255 - page, cv2.COLOR_GRAY2BGR)


def read_numbers(rec: Recognizer, numbers: list[list[int]], strokes: list, labels: list[int],
                 height: int, width: int, seed: int) -> float:
    """Share of ``numbers`` (each a list of digit indexes) read exactly as one number."""
    layout = np.random.default_rng(seed)
    right = 0
    for start in range(0, len(numbers), BATCH):  # a batch at a time: a 1000 px number is 16 MB
        batch = numbers[start:start + BATCH]
        images = [number_image([strokes[i] for i in n], height, width, layout) for n in batch]
        for n, r in zip(batch, rec.recognize_many(images)):
            right += [x.text for x in r.numbers] == ["".join(str(labels[i]) for i in n)]
    return right / max(len(numbers), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=parse_forms, default=parse_forms(FORMS),
                        help=f"HEIGHTxWIDTH,... in pixels (default {FORMS})")
    parser.add_argument("--limit", type=int, default=None,
                        help="at most N digits, spread over the held-out writers (default: all)")
    parser.add_argument("--numbers", type=int, default=0,
                        help="read N numbers of 2-4 of the digits instead of the digits alone")
    parser.add_argument("--seed", type=int, default=0, help="the numbers' digits and layout")
    parser.add_argument("--real-data", default=None)
    args = parser.parse_args()
    held = real.load_unipen(args.real_data).part(held_out=True)
    idx = spread(len(held.labels), args.limit)
    strokes = [held.strokes[i] for i in idx]
    labels = [int(held.labels[i]) for i in idx]
    rec = Recognizer.load()
    if args.numbers:
        pick = np.random.default_rng(args.seed)
        numbers = [pick.choice(len(labels), int(pick.integers(NUMBER_DIGITS[0], NUMBER_DIGITS[1] + 1)),
                               replace=False).tolist() for _ in range(args.numbers)]
        print(f"{args.numbers} numbers of held-out UNIPEN digits of sites {', '.join(real.HELD_OUT_SITES)}")
        print(f"{'height':>7} {'line':>5} {'line/height':>12} {'numbers exact':>14}")
        for height, width in args.forms:
            exact = read_numbers(rec, numbers, strokes, labels, height, width, args.seed)
            print(f"{height:>7} {width:>5} {width / height:>12.4f} {exact:>14.4f}", flush=True)
        return
    print(f"{len(labels)} held-out UNIPEN digits of sites {', '.join(real.HELD_OUT_SITES)}")
    print(f"{'height':>7} {'line':>5} {'line/height':>12} {'read right':>11} {'no digit':>9}")
    for height, width in args.forms:
        right, none = read_form(rec, strokes, labels, height, width)
        print(f"{height:>7} {width:>5} {width / height:>12.4f} {right:>11.4f} {none:>9.4f}", flush=True)


if __name__ == "__main__":
    main()
