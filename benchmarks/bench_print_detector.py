"""What the print detector costs real handwriting: real numbers beside printed labels.

Each page holds one printed word ("Total:", "Phone", "Invoice No.", ... in a font of the
detector's validation share, capitals 30-60 px) and, on its line after a gap, a number of 2-4
real held-out digits: UNIPEN pen strokes (writers the models never trained on) drawn with a
3-8 px pen, or BHMSDS photos (held-out part) enlarged three times. The pages are read with and
without the print detector, with the same pipeline otherwise, and the script reports per source
the numbers read exactly and the digits marked printed (by any rule: the detector's, or the
word and line rules it adds to). A lower "exact" with the detector is handwriting it took for
print.

Run: ``.venv/bin/python benchmarks/bench_print_detector.py [--pages N] [--seed S]
[--thresholds 0.97,0.99]``.
"""
from __future__ import annotations

import argparse
from dataclasses import replace

import cv2
import numpy as np

from digit_app.data import real
from digit_app.data.pen import render_strokes
from digit_app.data.printed import font_paths, print_text
from digit_app.model.print_data import split_fonts
from digit_app.pipeline import PipelineConfig
from digit_app.recognizer import Recognizer

LABELS = ("Total:", "Amount", "Phone", "Code", "Qty", "Date", "Invoice No.", "Room")
PAGE = (200, 1000)  # height, width
BASELINE = 130
LABEL_X = 20
NUMBER_X = 420  # where the number starts: far beyond a word space from any label
MAX_DIGIT_HEIGHT = 80


LAYOUTS = ("beside", "below")
#: With the ``below`` layout: the label's baseline, above the number's line (a form's
#: caption), on a page this much taller.
CAPTION_BASELINE = 90
CAPTION_EXTRA_HEIGHT = 80


def make_page(inks: list[np.ndarray], rng: np.random.Generator, fonts: tuple[str, ...],
              layout: str = "beside") -> np.ndarray:
    """A label, then the digit inks (``H x W uint8``, ink > 0) side by side on its baseline
    (``beside``), or on a line of their own below it (``below``)."""
    height = PAGE[0] + (CAPTION_EXTRA_HEIGHT if layout == "below" else 0)
    page = np.full((height, PAGE[1], 3), 255, np.uint8)
    print_text(page, str(rng.choice(LABELS)), fonts[int(rng.integers(len(fonts)))],
               float(rng.integers(30, 60)), LABEL_X,
               BASELINE if layout == "beside" else CAPTION_BASELINE)
    x = NUMBER_X if layout == "beside" else LABEL_X
    for ink in inks:
        ink = ink[np.ix_(ink.any(1), ink.any(0))]
        h, w = ink.shape
        if h > MAX_DIGIT_HEIGHT:
            ink = cv2.resize(ink, (max(1, w * MAX_DIGIT_HEIGHT // h), MAX_DIGIT_HEIGHT))
            h, w = ink.shape
        base = BASELINE if layout == "beside" else height - 20
        page[base - h:base, x:x + w][ink > 0] = 0
        x += w + int(rng.integers(6, 16))
    return page


#: Held-out digits of a number written after a label: 2-4 of them.
NUMBER_DIGITS = (2, 5)


def pen_number(rng: np.random.Generator, uni: real.StrokeSet) -> tuple[list[np.ndarray], str]:
    """A number of held-out UNIPEN digits drawn 64 px tall with a 3-8 px pen: their inks
    (``H x W uint8``, 255 on 0) and its text."""
    idx = rng.choice(len(uni.labels), int(rng.integers(*NUMBER_DIGITS)), replace=False)
    inks = [render_strokes(uni.strokes[i], 64, int(rng.integers(3, 9))) for i in idx]
    return inks, "".join(str(int(uni.labels[i])) for i in idx)


def photo_number(rng: np.random.Generator, photos: real.ImageSet) -> tuple[list[np.ndarray], str]:
    """A number of held-out BHMSDS photos enlarged three times and thresholded: their inks
    (``H x W uint8``, 255 on 0) and its text."""
    idx = rng.choice(len(photos.labels), int(rng.integers(*NUMBER_DIGITS)), replace=False)
    inks = [np.where(cv2.resize(photos.images[i], None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC) > 100,
                     255, 0).astype(np.uint8) for i in idx]
    return inks, "".join(str(int(photos.labels[i])) for i in idx)


def make_pages(n: int, seed: int, layout: str = "beside") -> dict[str, list[tuple[np.ndarray, str]]]:
    """``n`` pages per source: ``(BGR page, the number's text)``."""
    rng = np.random.default_rng(seed)
    fonts = split_fonts(font_paths(), True)
    uni = real.load_unipen().part(held_out=True)
    photos = real.load_bhmsds().part(held_out=True)
    out: dict[str, list[tuple[np.ndarray, str]]] = {"unipen": [], "bhmsds": []}
    for _ in range(n):
        inks, text = pen_number(rng, uni)
        out["unipen"].append((make_page(inks, rng, fonts, layout), text))
        inks, text = photo_number(rng, photos)
        out["bhmsds"].append((make_page(inks, rng, fonts, layout), text))
    return out


def measure(rec: Recognizer, pages: list[tuple[np.ndarray, str]]) -> tuple[float, int, int]:
    """(share of numbers read exactly, digits marked printed, digits written)."""
    exact = printed = written = 0
    with_printed = replace(rec.config, read_printed=True)
    for page, truth in pages:
        exact += truth in [n.text for n in rec.recognize(page).numbers]
        printed += sum(d.printed for d in rec.recognize(page, with_printed).digits)
        written += len(truth)
    return exact / max(len(pages), 1), printed, written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=150, help="pages per source")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--thresholds", default=str(PipelineConfig().print_glyph_threshold),
                    help="print_glyph_threshold values to try (default: the pipeline's)")
    ap.add_argument("--layout", choices=LAYOUTS, default="beside",
                    help="the number on the label's line, or on a line of its own below it")
    args = ap.parse_args()
    pages = make_pages(args.pages, args.seed, args.layout)
    runs = [("without the detector", Recognizer.load(print_model=None))]
    runs += [(f"detector at {t}", Recognizer.load(config=PipelineConfig(print_glyph_threshold=float(t))))
             for t in args.thresholds.split(",")]
    for name, rec in runs:
        for source, items in pages.items():
            exact, printed, written = measure(rec, items)
            print(f"{name:22s} {source:7s} numbers exact {exact:.3f} of {len(items)}; "
                  f"digits marked printed {printed} of {written}")


if __name__ == "__main__":
    main()
