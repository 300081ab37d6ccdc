"""Training samples for the pair reader: two handwritten digits that touch or overlap, read
together (issue 13).

Column cuts cannot part two digits whose strokes cross (a 30% overlap of slanted digits):
every cut leaves part of one digit on the other. The pair reader reads the two digits'
ink whole instead, as one crop, and says which digit is on the left and which on the right
(Ciresan 2008 reads touching pairs the same way, with a 100-class net; two 10-class heads
need far fewer samples).

A sample is an ink crop (``H x W uint8``, 255 on 0) and ``(left, right)`` digits, or
``(-1, -1)`` for "not a pair":

- ``pair``: two digits of one writing situation side by side, touching or overlapping by up
  to ``overlap_range`` of their mean width (or a little apart), sometimes with a broken
  stroke, sometimes with a neighbour's sliver or scar where the pipeline would cut a third
  digit away;
- not a pair: one digit (``single``), three (``triple``), two digits with half of a third or
  half of their second (``wrong``: a cut at a wrong place), scribbles and handwritten-like
  letters (``scribble``), printed letters alone or touching as bold or blurred print does
  (``printed``: the "Co" of "Code" is no 8 and 6, a printed V no 11), and one digit with a
  dot, comma, colon or dash of the same pen touching it (``mark``: the "4:" of a label is no
  46).

Digits come from a :class:`DigitPool`: 28x28 images (MNIST, photographed sets) augmented as
for the digit model, and pen strokes (UNIPEN) drawn with a random pen.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from digit_app.data.augment import DEFAULT_AUGMENT, AugmentConfig, augment_digit
from digit_app.data.cut_samples import cut_path, ideal_cut, ink_crop, left_of
from digit_app.data.negatives import make_negative
from digit_app.data.pen import DEFAULT_PEN, PenConfig, render_strokes, transformed
from digit_app.data.printed import DEFAULT_PRINTED, PrintedConfig, printed_letter
from digit_app.data.scenes.touching import break_stroke, touch_offset

NOT_A_PAIR = -1


#: Printed letters for the ``printed`` kind: two or three touching, or one alone (a printed
#: V, N or B is as wide as two digits, and reads as 11 or 13 to a reader never shown one).
PAIR_PRINTED = replace(DEFAULT_PRINTED, cluster_probability=0.5)


@dataclass(frozen=True)
class PairSampleConfig:
    height: int = 64  # px the first digit is drawn at
    height_jitter: float = 0.12  # relative height of the others
    #: Where two neighbours sit, of their mean width: negative is a gap, 0 touching, positive
    #: an overlap beyond touching.
    overlap_range: tuple[float, float] = (0.0, 0.35)
    gap_share: float = 0.1  # pairs drawn a little apart (a gap up to ``gap_range``)
    gap_range: tuple[float, float] = (0.0, 0.15)
    vertical_jitter: float = 0.06  # of the height
    broken_probability: float = 0.12  # a digit loses a thin band across one stroke ...
    broken_band: tuple[float, float] = (0.5, 1.5)  # ... this many pen widths wide
    neighbour_probability: float = 0.4  # a third digit cut away beside the pair
    cut_jitter: float = 0.05  # of the neighbour's width: a right cut is not exactly ideal
    wrong_cut_range: tuple[float, float] = (0.3, 0.6)  # of a digit width
    slopes: tuple[float, ...] = (-0.3, -0.15, 0.0, 0.15, 0.3)
    pen_fraction: float = 0.8  # digits with strokes drawn with a pen, else their image
    pen_width: tuple[float, float] = (0.015, 0.25)  # of the height, log-uniform
    kinds: tuple[tuple[str, float], ...] = (
        ("pair", 0.58), ("single", 0.1), ("triple", 0.08), ("wrong", 0.08), ("scribble", 0.04),
        ("printed", 0.08), ("mark", 0.04))
    mark_size: tuple[float, float] = (0.6, 1.3)  # a dot's radius, of the pen width
    dash_length: tuple[float, float] = (0.2, 0.45)  # of the height
    #: Printed letters for ``printed``: one alone or two or three touching, the digit-like ones too.
    printed: PrintedConfig = PAIR_PRINTED
    augment: AugmentConfig = DEFAULT_AUGMENT
    pen: PenConfig = DEFAULT_PEN


DEFAULT_PAIR_SAMPLE = PairSampleConfig()


@dataclass
class DigitPool:
    """Digits to draw pairs from: ``images`` ``N x 28 x 28 uint8``, ``labels`` ``N``, and
    ``strokes`` (None, or one entry per digit: its pen strokes or None)."""

    images: np.ndarray
    labels: np.ndarray
    strokes: list | None = None


def draw_digit(pool: DigitPool, i: int, height: int, pen_width: float,
               rng: np.random.Generator, cfg: PairSampleConfig = DEFAULT_PAIR_SAMPLE) -> np.ndarray:
    """Digit ``i`` of ``pool`` as a bool mask ``height`` rows tall: its strokes drawn with a
    pen ``pen_width`` px wide, or its image augmented and scaled."""
    strokes = None if pool.strokes is None else pool.strokes[i]
    if strokes is not None and rng.random() < cfg.pen_fraction:
        drawn = render_strokes(transformed(strokes, rng, cfg.pen), height, pen_width) > 127
    else:
        drawn = augment_digit(pool.images[i], rng, cfg.augment) > 127
    ink = ink_crop(drawn)
    if ink is None:
        return np.zeros((height, max(1, height // 2)), bool)
    h, w = ink.shape
    width = max(1, int(round(w * height / h)))
    return cv2.resize(ink, (width, height), interpolation=cv2.INTER_AREA) > 96


def draw_row(pool: DigitPool, picks: list[int], rng: np.random.Generator,
             cfg: PairSampleConfig = DEFAULT_PAIR_SAMPLE) -> list[np.ndarray]:
    """Digits ``picks`` written in a row with one pen, neighbours touching, overlapping or a
    little apart: one bool mask per digit, all on one canvas."""
    pen_width = max(1.0, float(np.exp(rng.uniform(*np.log(cfg.pen_width)))) * cfg.height)
    masks = []
    for k, i in enumerate(picks):
        h = cfg.height if k == 0 else int(round(cfg.height * (1 + rng.uniform(-1, 1) * cfg.height_jitter)))
        m = draw_digit(pool, int(i), h, pen_width, rng, cfg)
        if rng.random() < cfg.broken_probability:
            m = break_stroke(m.astype(np.float32), pen_width, rng, cfg.broken_band) > 0.5
        masks.append(m)
    xs, ys = [0], [0]
    for k in range(1, len(masks)):
        a, b = masks[k - 1], masks[k]
        dy = a.shape[0] - b.shape[0] + int(round(rng.uniform(-1, 1) * cfg.vertical_jitter * cfg.height))
        mean_w = (a.shape[1] + b.shape[1]) / 2
        if rng.random() < cfg.gap_share:
            dx = a.shape[1] + int(round(rng.uniform(*cfg.gap_range) * mean_w))
        else:
            dx = touch_offset(a, b, dy) - int(round(rng.uniform(*cfg.overlap_range) * mean_w))
            dx = max(dx, int(round(a.shape[1] - cfg.overlap_range[1] * mean_w)), 1)
        xs.append(xs[-1] + dx)
        ys.append(ys[-1] + dy)
    x0, y0 = min(xs), min(ys)
    w = max(x + m.shape[1] for x, m in zip(xs, masks)) - x0
    h = max(y + m.shape[0] for y, m in zip(ys, masks)) - y0
    out = []
    for x, y, m in zip(xs, ys, masks):
        canvas = np.zeros((h, w), bool)
        canvas[y - y0:y - y0 + m.shape[0], x - x0:x - x0 + m.shape[1]] = m
        out.append(canvas)
    return out


def _cut(left: np.ndarray, right: np.ndarray, shift: float, rng: np.random.Generator,
         cfg: PairSampleConfig) -> np.ndarray:
    """``H x W`` bool: left of a cut between the masks ``left`` and ``right`` (the ideal
    straight cut moved ``shift`` px right, with a wobble)."""
    x0, slope = ideal_cut(left, right, cfg.slopes)
    path = cut_path(left.shape[0], x0 + shift, slope, rng.uniform(0, 2.0), rng)
    return left_of(path, left.shape[1])


def _width(mask: np.ndarray) -> int:
    cols = np.flatnonzero(mask.any(axis=0))
    return int(cols[-1] - cols[0] + 1) if cols.size else 1


def _pair(pool: DigitPool, rng: np.random.Generator, cfg: PairSampleConfig):
    a, b = rng.integers(len(pool.labels), size=2)
    label = (int(pool.labels[a]), int(pool.labels[b]))
    if rng.random() >= cfg.neighbour_probability:
        ma, mb = draw_row(pool, [a, b], rng, cfg)
        return ma | mb, label
    c = int(rng.integers(len(pool.labels)))
    jitter = rng.normal(0, cfg.cut_jitter)
    if rng.random() < 0.5:  # the neighbour on the left, cut away
        mc, ma, mb = draw_row(pool, [c, a, b], rng, cfg)
        keep = ~_cut(mc, ma, jitter * _width(mc), rng, cfg)
    else:
        ma, mb, mc = draw_row(pool, [a, b, c], rng, cfg)
        keep = _cut(mb, mc, jitter * _width(mc), rng, cfg)
    return (ma | mb | mc) & keep, label


def _single(pool: DigitPool, rng: np.random.Generator, cfg: PairSampleConfig):
    (m,) = draw_row(pool, [int(rng.integers(len(pool.labels)))], rng, cfg)
    return m, None


def _triple(pool: DigitPool, rng: np.random.Generator, cfg: PairSampleConfig):
    ma, mb, mc = draw_row(pool, list(rng.integers(len(pool.labels), size=3)), rng, cfg)
    return ma | mb | mc, None


def _wrong(pool: DigitPool, rng: np.random.Generator, cfg: PairSampleConfig):
    """Two digits and half of a third, or one digit and half of the next."""
    ma, mb, mc = draw_row(pool, list(rng.integers(len(pool.labels), size=3)), rng, cfg)
    if rng.random() < 0.5:  # the cut between b and c, moved into c
        shift = rng.uniform(*cfg.wrong_cut_range) * _width(mc)
    else:  # ... moved into b
        shift = -rng.uniform(*cfg.wrong_cut_range) * _width(mb)
    return (ma | mb | mc) & _cut(mb, mc, shift, rng, cfg), None


def _scribble(pool: DigitPool, rng: np.random.Generator, cfg: PairSampleConfig):
    return make_negative(rng, pool.images, pool.labels) > 0, None


def _printed(pool: DigitPool, rng: np.random.Generator, cfg: PairSampleConfig):
    return printed_letter(rng, cfg.printed) > 0, None


def _mark(pool: DigitPool, rng: np.random.Generator, cfg: PairSampleConfig):
    """One digit with a dot, comma or colon touching its right side, or a dash either side."""
    (m,) = draw_row(pool, [int(rng.integers(len(pool.labels)))], rng, cfg)
    h, w = m.shape
    pen = max(1.0, 2.0 * float(cv2.distanceTransform(m.astype(np.uint8), cv2.DIST_L2, 3).max()))
    r = max(1, int(round(pen * rng.uniform(*cfg.mark_size) / 2)))
    kind = rng.choice(["dot", "comma", "colon", "dash"])
    length = int(round(rng.uniform(*cfg.dash_length) * h))
    pad = length + 4 * r + 2
    canvas = np.zeros((h + 4 * r, w + 2 * pad), np.uint8)
    canvas[:h, pad:pad + w] = m
    thick = max(1, int(round(pen)))

    def touching_x(y: int, right: bool) -> int:
        """Where a mark centred on row ``y`` touches the digit's ink (its outer edge)."""
        band = canvas[max(0, y - r // 2):y + r // 2 + 1, pad:pad + w].any(axis=0)
        cols = np.flatnonzero(band) if band.any() else np.array([w // 2])
        return pad + int(cols[-1] + r // 2 if right else cols[0] - r // 2)

    if kind == "dash":
        y = int(round(h * rng.uniform(0.4, 0.6)))
        right = bool(rng.random() < 0.5)
        x = touching_x(y, right)
        end = x + length if right else x - length
        cv2.line(canvas, (x, y), (end, y + int(rng.integers(-r, r + 1))), 1, thick)
    else:
        rows = [h - r] if kind != "colon" else [int(round(h * rng.uniform(0.35, 0.55))), h - r]
        for y in rows:
            x = touching_x(y, True)
            cv2.circle(canvas, (x, y), r, 1, -1)
        if kind == "comma":
            cv2.line(canvas, (x, y), (x - r, y + 3 * r), 1, max(1, thick // 2 + 1))
    return canvas > 0, None


_KINDS = {"pair": _pair, "single": _single, "triple": _triple, "wrong": _wrong, "scribble": _scribble,
          "printed": _printed, "mark": _mark}


def make_pair_sample(pool: DigitPool, rng: np.random.Generator,
                     cfg: PairSampleConfig = DEFAULT_PAIR_SAMPLE) -> tuple[np.ndarray, tuple[int, int]]:
    """One sample: ``(ink crop H x W uint8, (left, right))``, ``(NOT_A_PAIR, NOT_A_PAIR)``
    for anything but two whole digits."""
    names = [n for n, _ in cfg.kinds]
    weights = np.array([p for _, p in cfg.kinds], np.float64)
    while True:
        kind = names[rng.choice(len(names), p=weights / weights.sum())]
        mask, label = _KINDS[kind](pool, rng, cfg)
        crop = ink_crop(mask)
        if crop is not None:
            return crop, label if label is not None else (NOT_A_PAIR, NOT_A_PAIR)
