"""Training samples for segmentation by recognition (LeCun et al. 1998, section V).

The segmentation graph cuts touching digits apart and joins broken pieces, then lets the
model judge every piece-group. The model must therefore say "not a digit" for what a wrong
cut gives (half a digit; two digits squeezed into one crop; a digit with a large part of its
neighbour) and must read a correctly cut digit although it carries a cut scar (its stroke
cut along the path, a stub of the neighbour left on it).

Pairs are two augmented MNIST digits (``augment_digit``) set side by side at the same height,
touching or overlapping by 0-30% of a digit width. A cut is a path ``x(y)`` (one column per
row, straight or slanted with a wobble, as the pipeline's cuts are). A piece is labelled by
ink accounting: the digit it holds nearly all of, with little of the other, or "not a digit".

Crops are ``H x W uint8`` ink masks (255 on 0), like ``augment_digit`` and ``make_negative``;
``digit_app.model.cut_data.make_cut_samples`` turns them into model input.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from digit_app.data.augment import DEFAULT_AUGMENT, AugmentConfig, augment_digit
from digit_app.types import NOT_A_DIGIT


@dataclass(frozen=True)
class CutSampleConfig:
    height: int = 56  # px both digits of a pair are scaled to (before the jitter below)
    height_jitter: float = 0.12  # relative height difference between the two digits
    overlap_range: tuple[float, float] = (0.0, 0.3)  # of the mean digit width
    vertical_jitter: float = 0.08  # of the height
    slopes: tuple[float, ...] = (-0.35, -0.2, -0.1, 0.0, 0.1, 0.2, 0.35)  # dx/dy of a cut
    wobble_px: float = 2.0  # amplitude of a cut path's smooth sideways wander
    right_cut_jitter: float = 0.04  # of the mean width: a correct cut is not exactly ideal
    wrong_cut_range: tuple[float, float] = (0.22, 0.6)  # offset of a wrong cut, of the width
    half_range: tuple[float, float] = (0.3, 0.7)  # where a single digit is cut, of its width
    half_skip_labels: tuple[int, ...] = (1, 7)  # a sliver of these still reads as the digit
    # Ink accounting of a piece: the digit it mostly holds is its label when the piece has at
    # least ``digit_coverage`` of that digit's ink and at most ``digit_intrusion`` of its own
    # ink comes from the other digit; it is "not a digit" below ``partial_coverage`` or above
    # ``partial_intrusion``. Pieces in between are ambiguous and not used.
    digit_coverage: float = 0.9
    digit_intrusion: float = 0.12
    partial_coverage: float = 0.7
    partial_intrusion: float = 0.25
    kinds: tuple[tuple[str, float], ...] = (
        ("scar", 0.4),  # a correctly cut digit: label = the digit
        ("wrong", 0.3),  # a piece of a pair cut at a wrong place: not a digit
        ("pair", 0.15),  # both digits in one crop: not a digit
        ("half", 0.15),  # a single digit cut in two: not a digit
    )
    max_tries: int = 12  # attempts at a kind before falling back to "pair"
    augment: AugmentConfig = DEFAULT_AUGMENT


DEFAULT_CUT_SAMPLE = CutSampleConfig()


def _digit_ink(image28: np.ndarray, height: int, rng: np.random.Generator,
               cfg: CutSampleConfig) -> np.ndarray:
    """An augmented digit cropped to its ink and scaled to ``height`` rows (bool mask)."""
    ink = augment_digit(image28, rng, cfg.augment)
    pts = cv2.findNonZero(ink)
    if pts is None:
        return np.zeros((height, max(1, height // 2)), bool)
    x, y, w, h = cv2.boundingRect(pts)
    ink = ink[y : y + h, x : x + w]
    width = max(1, int(round(w * height / h)))
    return cv2.resize(ink, (width, height), interpolation=cv2.INTER_LINEAR) > 127


def pair_masks(a: np.ndarray, b: np.ndarray, rng: np.random.Generator,
               cfg: CutSampleConfig = DEFAULT_CUT_SAMPLE) -> tuple[np.ndarray, np.ndarray]:
    """Two digit masks (bool) set side by side, overlapping by ``cfg.overlap_range`` of their
    mean width: ``(ink of a, ink of b)`` as two bool masks of one ``H x W`` canvas."""
    mean_w = (a.shape[1] + b.shape[1]) / 2
    overlap = int(round(rng.uniform(*cfg.overlap_range) * mean_w))
    shift = int(round(rng.uniform(-cfg.vertical_jitter, cfg.vertical_jitter) * cfg.height))
    bx = max(0, a.shape[1] - overlap)
    ay, by = max(0, -shift), max(0, shift)
    h = max(ay + a.shape[0], by + b.shape[0])
    w = max(a.shape[1], bx + b.shape[1])
    ma = np.zeros((h, w), bool)
    mb = np.zeros((h, w), bool)
    ma[ay : ay + a.shape[0], : a.shape[1]] = a
    mb[by : by + b.shape[0], bx : bx + b.shape[1]] = b
    return ma, mb


def ideal_cut(ma: np.ndarray, mb: np.ndarray, slopes: tuple[float, ...]) -> tuple[float, float]:
    """``(x0, slope)`` of the straight path ``x(y) = x0 + slope * (y - H/2)`` that leaves the
    least ink of ``ma`` right of it plus ink of ``mb`` left of it."""
    h, w = ma.shape
    # a_right[y, x]: ink of a at columns >= x in row y; b_left[y, x]: ink of b at columns < x.
    a_right = np.concatenate([np.cumsum(ma[:, ::-1], axis=1)[:, ::-1], np.zeros((h, 1))], axis=1)
    b_left = np.concatenate([np.zeros((h, 1)), np.cumsum(mb, axis=1)], axis=1)
    x0s = np.arange(w + 1, dtype=np.float64)
    s = np.asarray(slopes, np.float64)
    ys = np.arange(h) - h / 2
    xs = np.clip(np.rint(x0s[:, None, None] + s[None, :, None] * ys), 0, w).astype(int)
    rows = np.broadcast_to(np.arange(h), xs.shape)
    err = (a_right[rows, xs] + b_left[rows, xs]).sum(axis=2)
    i, j = np.unravel_index(int(np.argmin(err)), err.shape)
    return float(x0s[i]), float(s[j])


def cut_path(h: int, x0: float, slope: float, wobble: float, rng: np.random.Generator) -> np.ndarray:
    """Column of a cut path in every row (``h`` float64): a slanted line with a smooth wander."""
    ys = np.arange(h) - h / 2
    phase, period = rng.uniform(0, 2 * np.pi), rng.uniform(0.6, 2.0) * h
    return x0 + slope * ys + wobble * np.sin(2 * np.pi * ys / period + phase)


def left_of(path: np.ndarray, w: int) -> np.ndarray:
    """``H x W`` bool: the pixels strictly left of the path."""
    return np.arange(w)[None, :] < path[:, None]


def piece_label(piece: np.ndarray, ma: np.ndarray, mb: np.ndarray,
                cfg: CutSampleConfig, la: int, lb: int) -> int | None:
    """The label a piece deserves by ink accounting (see ``CutSampleConfig``), or None."""
    in_a = int(np.count_nonzero(piece & ma))
    in_b = int(np.count_nonzero(piece & mb & ~ma))
    total = in_a + in_b
    if total == 0:
        return None
    own, other, label, whole = (in_a, in_b, la, ma) if in_a >= in_b else (in_b, in_a, lb, mb)
    coverage = own / max(1, int(np.count_nonzero(whole)))
    intrusion = other / total
    if coverage >= cfg.digit_coverage and intrusion <= cfg.digit_intrusion:
        return label
    if coverage < cfg.partial_coverage or intrusion >= cfg.partial_intrusion:
        # A sliver of a 1 or a 7 with little else on it still reads as that digit.
        if intrusion < cfg.digit_intrusion and label in cfg.half_skip_labels:
            return None
        return NOT_A_DIGIT
    return None


def ink_crop(mask: np.ndarray) -> np.ndarray | None:
    """``mask`` (``H x W``, ink non-zero or True) cropped to its ink as 0/255 uint8; None
    when it has none."""
    pts = cv2.findNonZero(mask.astype(np.uint8))
    if pts is None:
        return None
    x, y, w, h = cv2.boundingRect(pts)
    return np.where(mask[y : y + h, x : x + w], 255, 0).astype(np.uint8)


def _pair_piece(rng, images, labels, cfg: CutSampleConfig, wrong: bool):
    i, j = rng.integers(len(images), size=2)
    ha = cfg.height
    hb = int(round(cfg.height * (1 + rng.uniform(-cfg.height_jitter, cfg.height_jitter))))
    ma, mb = pair_masks(_digit_ink(images[i], ha, rng, cfg), _digit_ink(images[j], hb, rng, cfg),
                        rng, cfg)
    h, w = ma.shape
    mean_w = w / 2
    x0, slope = ideal_cut(ma, mb, cfg.slopes)
    if wrong:
        x0 += rng.choice([-1, 1]) * rng.uniform(*cfg.wrong_cut_range) * mean_w
        slope = float(rng.choice(cfg.slopes))
    else:
        x0 += rng.normal(0, cfg.right_cut_jitter * mean_w)
    path = cut_path(h, x0, slope, rng.uniform(0, cfg.wobble_px), rng)
    left = left_of(path, w)
    ink = ma | mb
    piece = ink & (left if rng.random() < 0.5 else ~left)
    label = piece_label(piece, ma, mb, cfg, int(labels[i]), int(labels[j]))
    if label is None or (label == NOT_A_DIGIT) != wrong:
        return None
    crop = ink_crop(piece)
    return None if crop is None else (crop, label)


def _scar(rng, images, labels, cfg):
    return _pair_piece(rng, images, labels, cfg, wrong=False)


def _wrong(rng, images, labels, cfg):
    return _pair_piece(rng, images, labels, cfg, wrong=True)


def _pair(rng, images, labels, cfg):
    i, j = rng.integers(len(images), size=2)
    hb = int(round(cfg.height * (1 + rng.uniform(-cfg.height_jitter, cfg.height_jitter))))
    ma, mb = pair_masks(_digit_ink(images[i], cfg.height, rng, cfg),
                        _digit_ink(images[j], hb, rng, cfg), rng, cfg)
    crop = ink_crop(ma | mb)
    return None if crop is None else (crop, NOT_A_DIGIT)


def _half(rng, images, labels, cfg):
    allowed = np.flatnonzero(~np.isin(labels, cfg.half_skip_labels))
    if len(allowed) == 0:
        return None
    m = _digit_ink(images[rng.choice(allowed)], cfg.height, rng, cfg)
    h, w = m.shape
    x0 = rng.uniform(*cfg.half_range) * w
    path = cut_path(h, x0, float(rng.choice(cfg.slopes)), rng.uniform(0, cfg.wobble_px), rng)
    left = left_of(path, w)
    crop = ink_crop(m & (left if rng.random() < 0.5 else ~left))
    return None if crop is None else (crop, NOT_A_DIGIT)


_KINDS = {"scar": _scar, "wrong": _wrong, "pair": _pair, "half": _half}


def make_cut_sample(
    rng: np.random.Generator,
    images: np.ndarray,
    labels: np.ndarray,
    cfg: CutSampleConfig = DEFAULT_CUT_SAMPLE,
) -> tuple[np.ndarray, int]:
    """One segmentation sample: ``(ink crop H x W uint8, label)``; label 0-9 for a correctly
    cut digit with its scar, ``NOT_A_DIGIT`` for a wrong piece. ``images``/``labels`` are
    MNIST (``N x 28 x 28 uint8``, ``N``)."""
    names = [n for n, _ in cfg.kinds]
    weights = np.array([p for _, p in cfg.kinds], np.float64)
    kind = names[rng.choice(len(names), p=weights / weights.sum())]
    for _ in range(cfg.max_tries):
        sample = _KINDS[kind](rng, images, labels, cfg)
        if sample is not None:
            return sample
    while True:  # a pair of two digits is always "not a digit"; only an empty draw fails
        sample = _pair(rng, images, labels, cfg)
        if sample is not None:
            return sample
