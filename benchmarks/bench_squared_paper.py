"""Numbers written on squared paper: held-out UNIPEN digits (writers never trained on), two to
four of them from random writers, drawn 60 px tall with a 3 px pen in dark blue ink, on a
crop of squared paper as a person cuts a number out of a scanned page (the grid running off
every edge, the crop about three digits tall) and on the same crop blank. Prints the share
of numbers read exactly for each grid: squares of 40 px (two thirds of the digits' height,
as 5 mm squares under 7 mm digits) and of 25 px, with grey lines (a photocopy) and light
blue ones (a school exercise book).

Run: ``.venv/bin/python benchmarks/bench_squared_paper.py [--numbers N] [--seed S]`` (needs
the real data: ``DIGIT_APP_REAL_DATA``).
"""
from __future__ import annotations

import argparse

import numpy as np

from digit_app.data import real
from digit_app.data.pen import render_strokes
from digit_app.recognizer import Recognizer

#: Digit height, pen width, space between digits and margin round the number (px).
HEIGHT, PEN, GAP, MARGIN = 60, 3, 20, 50
#: BGR: the paper, the ink, and the grid's lines as (name, colour).
PAPER, INK = (250, 250, 250), (120, 40, 20)
LINES = {"grey": (150, 150, 150), "light blue": (230, 200, 160)}
CELLS = (40, 25)
BATCH = 64


def number_image(digits: list[np.ndarray], cell: int | None, colour: tuple[int, int, int],
                 rng: np.random.Generator) -> np.ndarray:
    """``digits`` (light ink on black, ``H x W uint8``, as :func:`render_strokes` draws them)
    side by side in ``INK`` on a crop of paper, ruled in squares of ``cell`` px of ``colour``
    at a random offset (None: blank); ``H x W x 3`` BGR."""
    rows = max(d.shape[0] for d in digits) + 2 * MARGIN
    cols = sum(d.shape[1] for d in digits) + GAP * (len(digits) - 1) + 2 * MARGIN
    page = np.empty((rows, cols, 3), np.float32)
    page[:] = PAPER
    if cell is not None:
        page[:, int(rng.integers(0, cell))::cell] = colour
        page[int(rng.integers(0, cell))::cell, :] = colour
    x = MARGIN
    for d in digits:
        ink = (d.astype(np.float32) / 255)[:, :, None]
        roi = page[MARGIN:MARGIN + d.shape[0], x:x + d.shape[1]]
        roi[:] = roi * (1 - ink) + np.array(INK, np.float32) * ink
        x += d.shape[1] + GAP
    return page.round().astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rec = Recognizer.load()
    uni = real.load_unipen().part(held_out=True)
    rng = np.random.default_rng(args.seed)
    numbers = [rng.choice(len(uni.labels), int(rng.integers(2, 5)), replace=False)
               for _ in range(args.numbers)]
    truths = ["".join(str(uni.labels[i]) for i in ids) for ids in numbers]
    drawn = [[render_strokes(uni.strokes[i], HEIGHT, PEN) for i in ids] for ids in numbers]
    print(f"{args.numbers} numbers of 2-4 held-out UNIPEN digits (seed {args.seed}), "
          f"model {rec.model_name}")
    forms: list[tuple[str, int | None, tuple[int, int, int]]] = [("blank paper", None, PAPER)]
    forms += [(f"{cell} px squares, {name} lines", cell, colour)
              for cell in CELLS for name, colour in LINES.items()]
    for name, cell, colour in forms:
        grid_rng = np.random.default_rng(args.seed)  # the same offsets for every form
        images = [number_image(d, cell, colour, grid_rng) for d in drawn]
        texts = []
        for start in range(0, len(images), BATCH):
            texts += [" ".join(n.text for n in r.numbers)
                      for r in rec.recognize_many(images[start:start + BATCH])]
        right = np.mean([t == truth for t, truth in zip(texts, truths)])
        print(f"{name:>30}: numbers read exactly {right:.3f}")


if __name__ == "__main__":
    main()
