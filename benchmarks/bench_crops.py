"""Single digits as image files come: MNIST test digits read one per image, as their 28 x 28
files hold them (light ink on black), cropped to their ink (the ink touching every edge), and
those crops enlarged (a tight crop of a photo). Prints the share read right and the share
answered with no digit per form.

Run: ``.venv/bin/python benchmarks/bench_crops.py [--digits N] [--seed S]``.
Held-out real digits in their files' form are in ``digit-app evaluate --real``
(``bhmsds-file``, ``kensanata16-file``).
"""
from __future__ import annotations

import argparse
from collections import Counter

import cv2
import numpy as np

from digit_app.data.scenes import load_test_digits
from digit_app.pipeline.normalize import ink_bbox
from digit_app.recognizer import Recognizer

BATCH = 64


def tight(digit: np.ndarray) -> np.ndarray:
    """A ``28 x 28`` MNIST digit (light on black) cropped to its ink, dark on white."""
    x, y, w, h = ink_bbox(digit)
    crop: np.ndarray = 255 - digit[y:y + h, x:x + w]
    return crop


def enlarged(digit: np.ndarray, factor: int) -> np.ndarray:
    crop = tight(digit)
    return cv2.resize(crop, (crop.shape[1] * factor, crop.shape[0] * factor), interpolation=cv2.INTER_CUBIC)


FORMS = {
    "file 28x28, light on dark": lambda d: d,
    "cropped to its ink (about 20 px tall)": tight,
    "the crop 80 px tall": lambda d: enlarged(d, 4),
    "the crop 160 px tall": lambda d: enlarged(d, 8),
    "the crop 300 px tall": lambda d: enlarged(d, 15),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--digits", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    images, labels = load_test_digits()
    pick = np.random.default_rng(args.seed).choice(len(images), args.digits, replace=False)
    rec = Recognizer.load()
    print(f"{args.digits} MNIST test digits (seed {args.seed}), model {rec.model_name}")
    for name, form in FORMS.items():
        right = none = 0
        misses: Counter = Counter()
        for start in range(0, len(pick), BATCH):
            idx = pick[start:start + BATCH]
            for i, r in zip(idx, rec.recognize_many([form(images[i]) for i in idx])):
                text = "".join(str(d.label) for d in r.digits)
                right += text == str(labels[i])
                none += not text
                if text != str(labels[i]):
                    misses[f"{labels[i]}->{text or '-'}"] += 1
        top = ", ".join(f"{k} x{v}" for k, v in misses.most_common(4))
        print(f"{name:>38}: read right {right / len(pick):.3f} | no digit {none / len(pick):.3f} | {top}")


if __name__ == "__main__":
    main()
