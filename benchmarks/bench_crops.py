"""Single digits as image files come: MNIST test digits read one per image, as their 28 x 28
files hold them (light ink on black), cropped to their ink (the ink touching every edge), and
those crops enlarged (a tight crop of a photo, dark on light, or light on dark as a
blackboard's), also with a margin; then, where the real data is found, held-out
UNIPEN digits (writers never trained on) drawn with a pen and cropped to their ink, or drawn
with a fat pen and cropped with a margin. Prints
the share read right and the share answered with no digit per form.

Run: ``.venv/bin/python benchmarks/bench_crops.py [--digits N] [--seed S] [--ink-level L]``.
Held-out real digits in their files' form are in ``digit-app evaluate --real``
(``bhmsds-file``, ``kensanata16-file``).
"""
from __future__ import annotations

import argparse
from collections import Counter

import cv2
import numpy as np

from digit_app.data import real
from digit_app.data.pen import render_strokes
from digit_app.data.scenes import load_test_digits
from digit_app.pipeline.normalize import ink_bbox
from digit_app.recognizer import Recognizer

BATCH = 64


def tight(digit: np.ndarray, level: int = 0) -> np.ndarray:
    """A digit's light ink on black (``H x W uint8``: an MNIST digit, drawn strokes) cropped
    to its ink (its pixels above grey ``level``), dark on white."""
    x, y, w, h = ink_bbox(digit > level)
    crop: np.ndarray = 255 - digit[y:y + h, x:x + w]
    return crop


def enlarged(digit: np.ndarray, factor: int, level: int = 0) -> np.ndarray:
    crop = tight(digit, level)
    return cv2.resize(crop, (crop.shape[1] * factor, crop.shape[0] * factor), interpolation=cv2.INTER_CUBIC)


def margined(crop: np.ndarray, share: float) -> np.ndarray:
    """A dark-on-white crop with a white margin of ``share`` of its height all round, as a
    person crops with a little room."""
    m = int(round(share * crop.shape[0]))
    framed: np.ndarray = cv2.copyMakeBorder(crop, m, m, m, m, cv2.BORDER_CONSTANT, value=255)
    return framed


def drawn_tight(strokes, height: int, pen: int, level: int = 0) -> np.ndarray:
    """Pen ``strokes`` drawn ``height`` px tall with a ``pen`` px pen, dark on white, cropped
    to their ink (above grey ``level``)."""
    return tight(render_strokes(strokes, height, pen), level)


FORMS = {
    "file 28x28, light on dark": lambda d, level: d,
    "cropped to its ink (about 20 px tall)": tight,
    "the crop 80 px tall": lambda d, level: enlarged(d, 4, level),
    "the crop 160 px tall": lambda d, level: enlarged(d, 8, level),
    "the crop 300 px tall": lambda d, level: enlarged(d, 15, level),
    "the crop 300 px tall, light on dark": lambda d, level: 255 - enlarged(d, 15, level),
    "the crop 1,200 px tall": lambda d, level: enlarged(d, 60, level),
    "the crop 300 px tall, 10% margin": lambda d, level: margined(enlarged(d, 15, level), 0.1),
    "the same, light on dark": lambda d, level: 255 - margined(enlarged(d, 15, level), 0.1),
    "the crop 1,200 px tall, 5% margin": lambda d, level: margined(enlarged(d, 60, level), 0.05),
}


#: Held-out UNIPEN digits cropped to their ink: digit height and pen width (px).
DRAWN = {"UNIPEN, 80 px tall, 3 px pen": (80, 3), "UNIPEN, 160 px tall, 6 px pen": (160, 6),
         "UNIPEN, 300 px tall, 12 px pen": (300, 12), "UNIPEN, 400 px tall, 4 px pen": (400, 4),
         "UNIPEN, 800 px tall, 8 px pen": (800, 8)}
#: ... and drawn with a fat pen, cropped with a margin (height, pen, margin share, light on
#: dark).
DRAWN_MARGIN = {"UNIPEN, 300 px tall, 40 px pen, 10% margin": (300, 40, 0.1, False),
                "the same, light on dark": (300, 40, 0.1, True)}


def report(rec: Recognizer, name: str, images, labels) -> None:
    """Read ``images`` (one digit each, ``labels`` theirs) and print the form's line."""
    right = none = 0
    misses: Counter = Counter()
    for start in range(0, len(labels), BATCH):
        idx = range(start, min(start + BATCH, len(labels)))
        for i, r in zip(idx, rec.recognize_many([images[i] for i in idx])):
            text = "".join(str(d.label) for d in r.digits)
            right += text == str(labels[i])
            none += not text
            if text != str(labels[i]):
                misses[f"{labels[i]}->{text or '-'}"] += 1
    top = ", ".join(f"{k} x{v}" for k, v in misses.most_common(4))
    print(f"{name:>38}: read right {right / len(labels):.3f} | no digit {none / len(labels):.3f} | {top}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--digits", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ink-level", type=int, default=0,
                        help="crop at the pixels above this grey level (default 0: the last faint "
                             "pixel; 127: the visible ink's edge, as a person crops)")
    args = parser.parse_args()
    images, labels = load_test_digits()
    pick = np.random.default_rng(args.seed).choice(len(images), args.digits, replace=False)
    rec = Recognizer.load()
    print(f"{args.digits} MNIST test digits (seed {args.seed}), model {rec.model_name}")
    for name, form in FORMS.items():
        report(rec, name, [form(images[i], args.ink_level) for i in pick], labels[pick])
    if not real.all_found():
        print("UNIPEN not found (DIGIT_APP_REAL_DATA): no drawn crops")
        return
    uni = real.load_unipen().part(held_out=True)
    chosen = np.linspace(0, len(uni.labels) - 1, min(args.digits, len(uni.labels))).round().astype(int)
    print(f"{len(chosen)} held-out UNIPEN digits")
    for name, (height, pen) in DRAWN.items():
        report(rec, name, [drawn_tight(uni.strokes[i], height, pen, args.ink_level) for i in chosen],
               uni.labels[chosen])
    for name, (height, pen, share, light) in DRAWN_MARGIN.items():
        crops = [margined(drawn_tight(uni.strokes[i], height, pen, args.ink_level), share) for i in chosen]
        report(rec, name, [255 - c if light else c for c in crops], uni.labels[chosen])


if __name__ == "__main__":
    main()
