"""Printed glyphs for training: fonts found, crops shaped like the pipeline's, labels."""
from __future__ import annotations

import shutil
from dataclasses import replace

import cv2
import numpy as np
import pytest

from digit_app.data.printed import DEFAULT_PRINTED, font_paths, printed_digit, printed_letter
from digit_app.model.printed_data import make_printed_digits, make_printed_negatives, printed_labels
from digit_app.pipeline.normalize import normalize_digit
from digit_app.types import NOT_A_DIGIT


def test_installed_fonts_give_many_faces():
    # scripts/install-system-deps.sh installs a few dozen families (make test runs it).
    fonts = font_paths()
    assert len(fonts) >= 50
    names = " ".join(fonts).lower()
    for style in ("bold", "italic", "serif", "mono", "narrow"):
        assert style in names


def test_font_paths_skips_symbols_and_broken_files(tmp_path):
    real = font_paths()[0]
    shutil.copy(real, tmp_path / "Plain.ttf")
    shutil.copy(real, tmp_path / "StandardSymbolsPS.ttf")
    (tmp_path / "Broken.ttf").write_bytes(b"not a font")
    (tmp_path / "notes.txt").write_text("x")
    found = font_paths((str(tmp_path),))
    assert [p.rsplit("/", 1)[-1] for p in found] == ["Plain.ttf"]


@pytest.mark.parametrize("fonts", [None, ()], ids=["installed", "pillow-builtin"])
def test_letters_are_ink_crops_never_bars(fonts):
    rng = np.random.default_rng(1)
    for _ in range(60):
        crop = printed_letter(rng, fonts=fonts)
        assert crop.dtype == np.uint8 and crop.ndim == 2
        assert set(np.unique(crop)) <= {0, 255}
        h, w = crop.shape
        assert h >= 3 and w >= 1
        assert h < DEFAULT_PRINTED.bar_min_elongation * w  # never a "1"-like bar
        # Trimmed to the ink: every side touches it.
        assert crop[0].any() and crop[-1].any() and crop[:, 0].any() and crop[:, -1].any()


def test_printed_digit_values_cover_all_digits():
    rng = np.random.default_rng(2)
    values = {printed_digit(rng)[1] for _ in range(150)}
    assert values == set(range(10))


def test_batches_are_normalized_like_the_pipeline_and_reproducible():
    x = make_printed_negatives(12, np.random.default_rng(3))
    assert x.shape == (12, 32, 32, 1) and x.dtype == np.float32
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert (x.reshape(12, -1).max(axis=1) > 0.5).all()  # every sample holds ink
    np.testing.assert_array_equal(x, make_printed_negatives(12, np.random.default_rng(3)))
    # The same crop through normalize_digit gives the same model input.
    rng = np.random.default_rng(4)
    crop = printed_letter(rng)
    np.testing.assert_array_equal(make_printed_negatives(1, np.random.default_rng(4))[0, :, :, 0],
                                  normalize_digit(crop))


def test_printed_digits_and_their_labels():
    x, digits, as_digit = make_printed_digits(20, np.random.default_rng(5))
    assert x.shape == (20, 32, 32, 1) and digits.dtype == np.int64
    assert ((digits >= 0) & (digits <= 9)).all() and as_digit.all()
    np.testing.assert_array_equal(printed_labels(digits, as_digit), digits)
    _, digits, as_digit = make_printed_digits(5, np.random.default_rng(5), as_digits=False)
    assert not as_digit.any()
    assert (printed_labels(digits, as_digit) == NOT_A_DIGIT).all()


def _upright_sans() -> tuple[str, ...]:
    plain = [f for f in font_paths() if f.endswith(("DejaVuSans.ttf", "LiberationSans-Regular.ttf"))]
    if not plain:
        pytest.skip("no plain sans-serif font installed")
    return (plain[0],)


def _tilt_deg(crop: np.ndarray) -> float:
    """How far the ink's long axis leans from upright (degrees, signed, by its second moments)."""
    m = cv2.moments(crop, binaryImage=True)
    return float(np.degrees(0.5 * np.arctan2(2 * m["mu11"], m["mu02"] - m["mu20"])))


def test_print_set_at_an_angle_is_drawn_on_request():
    """Stamps and labels stuck on askew: with ``rotate_probability`` the glyphs turn up to
    ``rotate_deg`` either way; by default they lean by the scanner's skew only."""
    fonts = _upright_sans()
    upright = replace(DEFAULT_PRINTED, digits="1", cluster_probability=0.0)
    turned = replace(upright, rotate_probability=1.0, rotate_deg=15.0)
    rng = np.random.default_rng(5)
    # The font's 1 leans a little of itself (its flag): the spread of the lean tells.
    plain = [_tilt_deg(printed_digit(rng, upright, fonts)[0]) for _ in range(30)]
    tilted = [_tilt_deg(printed_digit(rng, turned, fonts)[0]) for _ in range(30)]
    assert np.std(plain) < 3 < 6 < np.std(tilted)
    assert np.ptp(tilted) <= 2 * 15 + np.ptp(plain)


def test_digits_may_carry_the_full_stop_of_a_date():
    fonts = _upright_sans()
    bare = replace(DEFAULT_PRINTED, digits="1")
    dated = replace(bare, digit_suffix_probability=1.0)
    rng = np.random.default_rng(6)
    width = [printed_digit(rng, bare, fonts)[0].shape[1] / printed_digit(rng, dated, fonts)[0].shape[1]
             for _ in range(20)]
    assert np.median(width) < 0.8
    _, value = printed_digit(rng, dated, fonts)
    assert value == 1
