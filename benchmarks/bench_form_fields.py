"""False digits from a form field's printed label, cut out on its own: the label alone, and the
label with a real handwritten number after it.

A person who photographs or crops one field of a form ("Name", "TOTAL:", "Invoice No.") gives
the reader a page with one printed word and nothing else printed: no heading, no other label
that shows the page is typeset. Letters such as I, l, U, M, N, H then read as strings of 1s.

Each page holds one label: a word of ``WORDS`` (form words in English, German and French) as
written, in capitals or in small letters, in a font of the print detector's validation share
(faces it never saw), capitals 24-60 px tall. Half the pages hold the label alone; the other
half a number of 2-4 real held-out digits after it on its baseline, one to three capital
heights on: UNIPEN pen strokes (writers the models never trained on) drawn with a 3-8 px pen,
or BHMSDS photos (held-out part) enlarged three times, 1.0-1.5 capitals tall, as
``bench_print_detector.py`` makes them.

Reports per source the labels that gave any digit (every digit inside the label's box is
false), the false digits, and the numbers read exactly. ``--heading`` prints a heading above
the field in the label's font ("Order form"): a page that shows it is typeset.

Run: ``.venv/bin/python benchmarks/bench_form_fields.py [--pages N] [--seed S] [--heading]``.
"""
from __future__ import annotations

import argparse

import cv2
import numpy as np
from bench_print_detector import pen_number, photo_number  # this folder is on a script's path

from digit_app.data import real
from digit_app.data.printed import font_paths, print_text
from digit_app.model.print_data import split_fonts
from digit_app.recognizer import Recognizer
from digit_app.types import Box

WORDS = ("Name", "Date", "Total", "Sum", "Item", "Unit", "Line", "No.", "Qty", "Phone", "Code",
         "Zip", "Ref", "Page", "Box", "Amount", "Invoice", "Room", "Account", "Price", "Order",
         "Title", "Hint", "Tel.", "Nr.", "Datum", "Betrag", "Summe", "Menge", "Montant", "Numero",
         "Kunde", "Client", "Signature", "Minimum", "Initials", "Hours", "Units", "Till", "Mill")
CASES = ("as written", "capitals", "small")
PAGE = (220, 1100)  # height, width
BASELINE = 150
HEADING, HEADING_BASELINE = "Order form", 50
LABEL_X = 20
CAP_RANGE = (24, 60)  # px
GAP_CAPS = (1.0, 3.0)  # from the label's end to the number, in capital heights
NUMBER_CAPS = (1.0, 1.5)  # the digits' height, in capital heights


def _inside(box: Box, area: tuple[int, int, int, int]) -> bool:
    """Whether the centre of ``box`` lies in ``area`` (both ``x, y, w, h``)."""
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    return area[0] <= cx <= area[0] + area[2] and area[1] <= cy <= area[1] + area[3]


def make_page(rng: np.random.Generator, fonts: tuple[str, ...], inks: list[np.ndarray] | None,
              heading: bool = False) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A white BGR page with one label and, given ``inks`` (``H x W uint8``, ink > 0), a
    handwritten number after it, and the ``heading`` above; the page and the label's box."""
    word = str(rng.choice(WORDS))
    case = CASES[int(rng.integers(len(CASES)))]
    word = word.upper() if case == "capitals" else word.lower() if case == "small" else word
    cap = float(rng.integers(*CAP_RANGE))
    page = np.full((*PAGE, 3), 255, np.uint8)
    font = fonts[int(rng.integers(len(fonts)))]
    label = print_text(page, word, font, cap, LABEL_X, BASELINE)
    if heading:
        print_text(page, HEADING, font, min(cap, HEADING_BASELINE - 10), LABEL_X, HEADING_BASELINE)
    if inks:
        x = label[0] + label[2] + int(rng.uniform(*GAP_CAPS) * cap)
        height = int(rng.uniform(*NUMBER_CAPS) * cap)
        for ink in inks:
            ink = ink[np.ix_(ink.any(1), ink.any(0))]
            h, w = ink.shape
            ink = cv2.resize(ink, (max(1, w * height // h), height), interpolation=cv2.INTER_AREA)
            h, w = ink.shape
            if x + w >= PAGE[1]:
                break
            page[BASELINE - h:BASELINE, x:x + w][ink > 0] = 0
            x += w + int(rng.uniform(0.1, 0.3) * height)
    return page, label


def make_pages(n: int, seed: int, heading: bool = False
               ) -> dict[str, list[tuple[np.ndarray, tuple[int, int, int, int], str]]]:
    """``n`` pages per source: ``(BGR page, the label's box, the number's text or "")``."""
    rng = np.random.default_rng(seed)
    fonts = split_fonts(font_paths(), True)
    uni = real.load_unipen().part(held_out=True)
    photos = real.load_bhmsds().part(held_out=True)
    out: dict[str, list[tuple[np.ndarray, tuple[int, int, int, int], str]]] = {
        "label alone": [], "unipen": [], "bhmsds": []}
    for _ in range(n):
        out["label alone"].append((*make_page(rng, fonts, None, heading), ""))
        inks, text = pen_number(rng, uni)
        out["unipen"].append((*make_page(rng, fonts, inks, heading), text))
        inks, text = photo_number(rng, photos)
        out["bhmsds"].append((*make_page(rng, fonts, inks, heading), text))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200, help="pages per source")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--heading", action="store_true", help="a printed heading above the field")
    args = ap.parse_args()
    rec = Recognizer.load()
    for source, pages in make_pages(args.pages, args.seed, args.heading).items():
        labels_with = false = exact = 0
        for page, label, truth in pages:
            r = rec.recognize(page)
            from_label = [d for d in r.digits if _inside(d.box, label)]
            labels_with += bool(from_label)
            false += len(from_label)
            exact += bool(truth) and truth in [n.text for n in r.numbers]
        line = (f"{source:11s} {len(pages)} labels: {labels_with / len(pages):.3f} gave digits, "
                f"{false} false digits")
        if source != "label alone":
            line += f"; numbers exact {exact / len(pages):.3f}"
        print(line)


if __name__ == "__main__":
    main()
