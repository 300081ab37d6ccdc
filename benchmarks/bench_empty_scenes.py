"""False digits where nobody wrote any: generated scenes with their handwritten digits painted
out (``cv2.inpaint`` over each digit's box and a margin), so that what is left is the form's
print, the sheet, the desk, shadows, blots and stamps. Every digit reported is false.

Run: ``.venv/bin/python benchmarks/bench_empty_scenes.py [--scenes N] [--seed S] [--kinds K,...]
[--scale F]``. Prints per kind the digits reported, the share of scenes with any, and what was
read most. ``--scale 0.5`` reads the scenes at half their size (a webcam's 320 x 240 frames).
(The scene generator needs digits to lay a scene out, hence painting them out afterwards.)
"""
from __future__ import annotations

import argparse
from collections import Counter

import cv2
import numpy as np

from digit_app.data.scenes import load_test_digits, make_scenes
from digit_app.recognizer import Recognizer

#: Margin painted out around each digit's box, as a fraction of its height (its ink's halo
#: of blur and JPEG ringing).
MARGIN_REL = 0.15
INPAINT_RADIUS = 5


def painted_out(image: np.ndarray, boxes) -> np.ndarray:
    """``image`` (``H x W x 3 uint8``) with every box ``(x, y, w, h)`` painted out."""
    mask = np.zeros(image.shape[:2], np.uint8)
    for x, y, w, h in boxes:
        m = max(2, int(MARGIN_REL * h))
        mask[max(y - m, 0):y + h + m, max(x - m, 0):x + w + m] = 255
    return cv2.inpaint(image, mask, INPAINT_RADIUS, cv2.INPAINT_TELEA)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--kinds", default="drawing,scan,webcam")
    parser.add_argument("--scale", type=float, default=1.0, help="resize the scenes by this")
    args = parser.parse_args()
    images, labels = load_test_digits()
    rec = Recognizer.load()
    for kind in args.kinds.split(","):
        false, with_any = 0, 0
        read: Counter = Counter()
        for scene in make_scenes(kind, args.scenes, images, labels, seed=args.seed):
            empty = painted_out(scene.image, [d.box for d in scene.digits])
            if args.scale != 1:
                empty = cv2.resize(empty, None, fx=args.scale, fy=args.scale, interpolation=cv2.INTER_AREA)
            r = rec.recognize(empty)
            false += len(r.digits)
            with_any += bool(r.digits)
            read.update(str(d.label) for d in r.digits)
        top = ", ".join(f"{k} x{v}" for k, v in read.most_common(5))
        size = f" at {args.scale:g} x their size" if args.scale != 1 else ""
        print(f"{kind:>8}: {args.scenes} scenes painted empty{size} | {false} digits reported "
              f"({false / args.scenes:.2f} a scene) | scenes with any {with_any / args.scenes:.2f}"
              + (f" | read: {top}" if top else ""))


if __name__ == "__main__":
    main()
