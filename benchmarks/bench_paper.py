"""Numbers written on ruled, squared and dotted paper: held-out UNIPEN digits (writers never
trained on), two to four of them from random writers, drawn 60 px tall with a 3 px pen in
dark blue ink, on a crop of the paper as a person cuts a number out of a scanned page (its
lines or dots running off every edge, the crop about three digits tall), and on the same
crop blank. Prints the share of numbers read exactly on each paper: ruled every 70 px (the
digits between two lines, crossing one) and every 45 px (crossing two), squares of 40 px
(two thirds of the digits' height, as 5 mm squares under 7 mm digits) and of 25 px with
grey lines (a photocopy) and light blue ones (a school exercise book), and dots 25 and 40 px
apart.

With ``--photos``, the digits are held-out BHMSDS photographs instead (their ink scaled to
the same height; straight strokes of a broad pen), and ``--single`` writes one digit per crop,
as a digit photographed alone on a notebook page: a 1's upright is then a straight run as long
as the crop's lines. Squares in dark blue-grey (a dim photo) join the papers.

Run: ``.venv/bin/python benchmarks/bench_paper.py [--numbers N] [--seed S] [--photos]
[--single]`` (needs the real data: ``DIGIT_APP_REAL_DATA``).
"""
from __future__ import annotations

import argparse

import cv2
import numpy as np

from digit_app.data import real
from digit_app.data.pen import render_strokes
from digit_app.pipeline.normalize import ink_bbox
from digit_app.recognizer import Recognizer

#: Digit height, pen width, space between digits and margin round the number (px).
HEIGHT, PEN, GAP, MARGIN = 60, 3, 20, 50
#: BGR: the paper and the ink; the colours of the paper's lines and dots.
PAPER, INK = (250, 250, 250), (120, 40, 20)
GREY, LIGHT_BLUE, DOT_GREY = (150, 150, 150), (230, 200, 160), (120, 120, 120)
DARK_BLUE_GREY = (170, 140, 120)
PHOTO_INK_LEVEL = 64  # a photograph's ink (0-255, ink bright) is cropped at this level
#: name: (pattern, its period in px, its colour); pattern None is blank paper.
PAPERS: dict[str, tuple[str | None, int, tuple[int, int, int]]] = {
    "blank": (None, 0, PAPER),
    "ruled every 70 px": ("ruled", 70, GREY),
    "ruled every 45 px": ("ruled", 45, GREY),
    "40 px squares, grey": ("squares", 40, GREY),
    "40 px squares, light blue": ("squares", 40, LIGHT_BLUE),
    "25 px squares, grey": ("squares", 25, GREY),
    "25 px squares, light blue": ("squares", 25, LIGHT_BLUE),
    "40 px squares, dark": ("squares", 40, DARK_BLUE_GREY),
    "25 px squares, dark": ("squares", 25, DARK_BLUE_GREY),
    "dots 25 px apart": ("dots", 25, DOT_GREY),
    "dots 40 px apart": ("dots", 40, DOT_GREY),
}
BATCH = 64


def paper(rows: int, cols: int, pattern: str | None, period: int, colour: tuple[int, int, int],
          rng: np.random.Generator) -> np.ndarray:
    """A crop of paper (``rows x cols x 3`` float32 BGR) ruled, squared or dotted every
    ``period`` px in ``colour`` at a random offset (``pattern`` None: blank)."""
    page = np.empty((rows, cols, 3), np.float32)
    page[:] = PAPER
    dx, dy = (int(rng.integers(0, period)) for _ in range(2)) if pattern else (0, 0)
    if pattern in ("ruled", "squares"):
        page[dy::period, :] = colour
    if pattern == "squares":
        page[:, dx::period] = colour
    if pattern == "dots":
        for y in range(dy, rows, period):
            for x in range(dx, cols, period):
                cv2.circle(page, (x, y), 1, colour, -1)
    return page


def number_image(digits: list[np.ndarray], page: tuple[str | None, int, tuple[int, int, int]],
                 rng: np.random.Generator) -> np.ndarray:
    """``digits`` (light ink on black, ``H x W uint8``, as :func:`render_strokes` draws them)
    side by side in ``INK`` on a crop of ``page`` (pattern, period, colour); ``H x W x 3``
    BGR uint8."""
    rows = max(d.shape[0] for d in digits) + 2 * MARGIN
    cols = sum(d.shape[1] for d in digits) + GAP * (len(digits) - 1) + 2 * MARGIN
    image = paper(rows, cols, *page, rng)
    x = MARGIN
    for d in digits:
        ink = (d.astype(np.float32) / 255)[:, :, None]
        roi = image[MARGIN:MARGIN + d.shape[0], x:x + d.shape[1]]
        roi[:] = roi * (1 - ink) + np.array(INK, np.float32) * ink
        x += d.shape[1] + GAP
    return image.round().astype(np.uint8)


def photo_ink(photo: np.ndarray) -> np.ndarray:
    """A photographed digit (dark on light, ``h x w uint8``) as light ink on black
    (:func:`real.paper_to_ink`), cropped to its ink and scaled to ``HEIGHT`` px tall."""
    ink = real.paper_to_ink(photo[None])[0]
    bbox = ink_bbox(ink > PHOTO_INK_LEVEL)
    assert bbox is not None, "a held-out photograph with no ink"
    x, y, w, h = bbox
    size = (max(1, round(w * HEIGHT / h)), HEIGHT)
    out: np.ndarray = cv2.resize(ink[y:y + h, x:x + w], size, interpolation=cv2.INTER_CUBIC)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--photos", action="store_true", help="held-out BHMSDS photographs")
    parser.add_argument("--single", action="store_true", help="one digit per crop")
    args = parser.parse_args()
    rec = Recognizer.load()
    rng = np.random.default_rng(args.seed)
    count = (1, 2) if args.single else (2, 5)
    if args.photos:
        photos = real.load_photos("bhmsds").part(held_out=True)
        labels = photos.labels
        def draw(i: int) -> np.ndarray:
            return photo_ink(photos.images[i])
        what = "held-out BHMSDS photographs"
    else:
        uni = real.load_unipen().part(held_out=True)
        labels = uni.labels
        def draw(i: int) -> np.ndarray:
            return render_strokes(uni.strokes[i], HEIGHT, PEN)
        what = "held-out UNIPEN digits"
    numbers = [rng.choice(len(labels), int(rng.integers(*count)), replace=False)
               for _ in range(args.numbers)]
    truths = ["".join(str(labels[i]) for i in ids) for ids in numbers]
    drawn = [[draw(int(i)) for i in ids] for ids in numbers]
    print(f"{args.numbers} numbers of {count[0]}-{count[1] - 1} {what} (seed {args.seed}), "
          f"model {rec.model_name}")
    for name, page in PAPERS.items():
        page_rng = np.random.default_rng(args.seed)  # the same offsets on every paper
        images = [number_image(d, page, page_rng) for d in drawn]
        texts = []
        for start in range(0, len(images), BATCH):
            texts += [" ".join(n.text for n in r.numbers)
                      for r in rec.recognize_many(images[start:start + BATCH])]
        right = np.mean([t == truth for t, truth in zip(texts, truths)])
        print(f"{name:>26}: numbers read exactly {right:.3f}")


if __name__ == "__main__":
    main()
