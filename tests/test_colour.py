"""Colour: whether a picture has it, the colour of each digit's ink, and lone digits written
in another colour than the page's writing."""
import cv2
import numpy as np

from digit_app.pipeline import PipelineConfig
from digit_app.pipeline.colour import in_colour, ink_chroma, odd_ink

BLUE, BLACK, RED, CREAM = (150, 60, 40), (30, 30, 30), (40, 40, 200), (205, 235, 245)


def _page(inks: list[tuple[int, int, int]], size: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """A cream page with one "8" per ink, side by side, and their boxes (n x 4)."""
    page = np.zeros((size + 40, 20 + len(inks) * (size + 20), 3), np.uint8)
    page[:] = CREAM
    boxes = []
    for k, ink in enumerate(inks):
        x = 20 + k * (size + 20)
        cv2.putText(page, "8", (x, size + 20), cv2.FONT_HERSHEY_SIMPLEX, size / 30, ink, 5, cv2.LINE_AA)
        grey = cv2.cvtColor(page[:, x:x + size], cv2.COLOR_BGR2GRAY)
        bx, by, bw, bh = cv2.boundingRect(cv2.findNonZero((grey < 200).astype(np.uint8)))
        boxes.append((x + bx, by, bw, bh))
    return page, np.array(boxes)


def test_a_picture_is_in_colour_when_its_channels_differ():
    """A grey picture in any layout (a canvas, a grey scan) is not in colour; cream paper
    with blue ink is, with or without alpha; a tint below the setting is not."""
    gray = np.full((120, 200), 255, np.uint8)
    cv2.putText(gray, "47", (20, 90), cv2.FONT_HERSHEY_SIMPLEX, 2.5, 0, 6)
    assert not in_colour(gray)
    assert not in_colour(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
    assert not in_colour(gray[:, :, None])
    page, _ = _page([BLUE, BLUE])
    assert in_colour(page)
    assert in_colour(cv2.cvtColor(page, cv2.COLOR_BGR2BGRA))
    tint = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    tint[:, :, 0] = np.where(tint[:, :, 0] > 0, tint[:, :, 0] - 1, 1)  # one grey level off
    assert in_colour(tint, PipelineConfig(colour_sample_step=1))
    assert not in_colour(tint, PipelineConfig(colour_sample_step=1, colour_min_difference=2))
    assert not in_colour(np.zeros((0, 0, 3), np.uint8))


def test_the_colour_of_a_digit_is_that_of_its_ink_not_of_the_paper():
    """Blue, black and red 8s on cream paper: a*/b* near those of the pens themselves, and
    the blue and the red far apart, though most of each box is paper."""
    page, boxes = _page([BLUE, BLACK, RED])
    chroma = ink_chroma(page, boxes)
    assert chroma.shape == (3, 2) and chroma.dtype == np.float32
    pens = cv2.cvtColor(np.array([[BLUE, BLACK, RED]], np.uint8), cv2.COLOR_BGR2LAB)[0, :, 1:]
    assert np.abs(chroma - pens).max() < 8
    assert np.linalg.norm(chroma[0] - chroma[2]) > 60
    assert ink_chroma(page, np.zeros((0, 4), np.int64)).shape == (0, 2)


def test_a_lone_digit_in_another_ink_than_the_pages_writing_is_odd():
    """Four 8s in blue and one in black (a printed glyph among handwriting) or red (a stamp):
    the lone odd one is marked, and so is one at either end of a number written otherwise in
    blue (a ring on the desk beside it); in the middle of a number it stays, in a number all
    in another ink, with too few others, with the others written in several inks, or with
    the rule off."""
    page, boxes = _page([BLUE, BLUE, BLUE, BLUE, BLACK])
    alone = [(0, 1, 2, 3), (4,)]
    assert odd_ink(page, boxes, alone).tolist() == [False] * 4 + [True]
    assert odd_ink(*_page([BLUE, BLUE, BLUE, BLUE, RED]), alone).tolist() == [False] * 4 + [True]
    assert odd_ink(page, boxes, [(0, 1, 2), (3, 4)]).tolist() == [False] * 4 + [True]
    assert odd_ink(page, boxes, [(4, 0), (1, 2, 3)]).tolist() == [False] * 4 + [True]
    assert not odd_ink(page, boxes, [(0, 4, 1), (2, 3)]).any()
    red, red_boxes = _page([BLUE, BLUE, BLUE, BLUE, RED, RED])
    assert not odd_ink(red, red_boxes, [(0, 1, 2, 3), (4, 5)]).any()
    assert not odd_ink(page, boxes[[0, 1, 4]], [(0, 1), (2,)]).any()
    assert not odd_ink(*_page([BLUE, RED, BLUE, RED, BLACK]), alone).any()
    assert not odd_ink(page, boxes, alone, PipelineConfig(ink_colour_min_distance=0)).any()


def test_the_recognizer_drops_a_lone_digit_in_another_ink_from_a_colour_picture_only():
    """Readings of four blue 8s and a black one (a printed glyph the print detector missed):
    in the colour picture the black 8 is not read; in the same picture made grey, it is."""
    from digit_app.pipeline.segment import Reading
    from digit_app.recognizer import Recognizer

    page, boxes = _page([BLUE, BLUE, BLUE, BLUE, BLACK])
    probs = np.full(11, 0.005, np.float32)
    probs[8] = 0.95
    reads = [Reading(tuple(int(v) for v in b), probs, np.zeros((32, 32), np.float32), None)
             for b in boxes]
    none, cfg = np.zeros((0, 4), np.int64), PipelineConfig()
    read = Recognizer._assemble(page, reads, none, cfg, np.zeros(5))
    assert [d.box for d in read.digits] == [tuple(b) for b in boxes[:4].tolist()]
    grey = cv2.cvtColor(cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    assert len(Recognizer._assemble(grey, reads, none, cfg, np.zeros(5)).digits) == 5
