"""Held-out UNIPEN digits (writers never trained on) drawn on a white canvas at several sizes
and line widths, one digit per image, as ``digit-app evaluate --real`` draws its
``unipen-pen`` (120 px tall, 8 px pen) and ``unipen-mouse`` (320 px, 2 px line) forms: a
hairline on a big canvas is as much a user's drawing as a pen on a small one. Prints, per
form, the share read right, the share answered with no digit, and the line's width as a share
of the digit's height.

Run: ``.venv/bin/python benchmarks/bench_pen_widths.py [--forms 120x8,320x2,700x1] [--limit N]``
(needs the real data: ``--real-data DIR`` or ``$DIGIT_APP_REAL_DATA``).
"""
from __future__ import annotations

import argparse

from digit_app.data import real
from digit_app.real_eval import BATCH, canvas_image, spread
from digit_app.recognizer import Recognizer

#: Digit height x line width (px): the evaluation's two forms, a thick marker, and hairlines
#: on canvases up to 1000 px tall (a 1 px mouse line on a 1000 x 800 canvas, issue 12).
FORMS = "120x8,320x2,240x16,120x1,320x1,700x1,700x2,1000x1,1000x2"


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
    right = none = 0
    for start in range(0, len(labels), BATCH):
        stop = min(start + BATCH, len(labels))
        images = [canvas_image(strokes[i], height, width) for i in range(start, stop)]
        for label, r in zip(labels[start:stop], rec.recognize_many(images)):
            text = "".join(str(d.label) for d in r.digits)
            right += text == str(label)
            none += text == ""
    return right / max(len(labels), 1), none / max(len(labels), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=parse_forms, default=parse_forms(FORMS),
                        help=f"HEIGHTxWIDTH,... in pixels (default {FORMS})")
    parser.add_argument("--limit", type=int, default=None,
                        help="at most N digits, spread over the held-out writers (default: all)")
    parser.add_argument("--real-data", default=None)
    args = parser.parse_args()
    held = real.load_unipen(args.real_data).part(held_out=True)
    idx = spread(len(held.labels), args.limit)
    strokes = [held.strokes[i] for i in idx]
    labels = [int(held.labels[i]) for i in idx]
    rec = Recognizer.load()
    print(f"{len(labels)} held-out UNIPEN digits of sites {', '.join(real.HELD_OUT_SITES)}")
    print(f"{'height':>7} {'line':>5} {'line/height':>12} {'read right':>11} {'no digit':>9}")
    for height, width in args.forms:
        right, none = read_form(rec, strokes, labels, height, width)
        print(f"{height:>7} {width:>5} {width / height:>12.4f} {right:>11.4f} {none:>9.4f}", flush=True)


if __name__ == "__main__":
    main()
