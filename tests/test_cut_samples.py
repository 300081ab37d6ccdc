"""Segmentation training samples: pairs, cuts, ink accounting and the batch function."""
from __future__ import annotations

import cv2
import numpy as np

from digit_app.data.cut_samples import (
    DEFAULT_CUT_SAMPLE,
    ideal_cut,
    left_of,
    pair_masks,
    piece_label,
)
from digit_app.model.cut_data import make_cut_samples
from digit_app.pipeline.normalize import DEFAULT_NORMALIZE
from digit_app.types import NOT_A_DIGIT


def _mnist_like(n: int) -> tuple[np.ndarray, np.ndarray]:
    images = np.zeros((n, 28, 28), np.uint8)
    labels = np.arange(n) % 10
    for k in range(n):
        cv2.putText(images[k], str(labels[k]), (5, 23), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 255, 3)
    return images, labels


def _ring(h: int = 40, w: int = 26) -> np.ndarray:
    m = np.zeros((h, w), np.uint8)
    cv2.ellipse(m, (w // 2, h // 2), (w // 2 - 3, h // 2 - 3), 0, 0, 360, 255, 4)
    return m > 0


def test_pair_overlaps_by_at_most_a_third_of_a_width():
    rng = np.random.default_rng(0)
    a, b = _ring(), _ring()
    for _ in range(20):
        ma, mb = pair_masks(a, b, rng)
        assert ma.shape == mb.shape and ma.sum() == a.sum() and mb.sum() == b.sum()
        cols_a, cols_b = np.flatnonzero(ma.any(0)), np.flatnonzero(mb.any(0))
        overlap = cols_a.max() - cols_b.min() + 1
        assert overlap <= DEFAULT_CUT_SAMPLE.overlap_range[1] * a.shape[1] + 1


def test_ideal_cut_separates_two_touching_rings_and_labels_the_pieces():
    a, b = _ring(), _ring()
    ma = np.zeros((40, 48), bool)
    mb = np.zeros((40, 48), bool)
    ma[:, :26] = a
    mb[:, 22:] = b  # 4 columns of overlap: the rings touch
    x0, slope = ideal_cut(ma, mb, DEFAULT_CUT_SAMPLE.slopes)
    assert 20 <= x0 <= 28 and slope == 0.0
    left = left_of(np.full(40, x0), 48)
    ink = ma | mb
    assert piece_label(ink & left, ma, mb, DEFAULT_CUT_SAMPLE, 0, 0) == 0
    assert piece_label(ink & ~left, ma, mb, DEFAULT_CUT_SAMPLE, 0, 0) == 0
    half = left_of(np.full(40, 13.0), 48)
    assert piece_label(ink & half, ma, mb, DEFAULT_CUT_SAMPLE, 0, 0) == NOT_A_DIGIT
    assert piece_label(ink, ma, mb, DEFAULT_CUT_SAMPLE, 0, 0) == NOT_A_DIGIT  # both rings


def test_samples_are_model_inputs_with_digits_and_rejects_and_repeat_with_the_seed():
    images, labels = _mnist_like(40)
    x, y = make_cut_samples(120, images, labels, np.random.default_rng(5), DEFAULT_NORMALIZE)
    assert x.shape == (120, 32, 32, 1) and x.dtype == np.float32 and y.dtype == np.int64
    assert x.min() >= 0.0 and x.max() <= 1.0 and (x.reshape(120, -1).max(axis=1) > 0.5).all()
    digits = y[y != NOT_A_DIGIT]
    assert 0.25 < len(digits) / len(y) < 0.6  # "scar" weight 0.4, minus the rare misses
    assert set(digits.tolist()) <= set(range(10)) and len(set(digits.tolist())) >= 5
    x2, y2 = make_cut_samples(120, images, labels, np.random.default_rng(5), DEFAULT_NORMALIZE)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
