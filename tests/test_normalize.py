import cv2
import numpy as np
import pytest

from digit_app.pipeline.normalize import (
    DEFAULT_NORMALIZE,
    NormalizeConfig,
    normalize_batch,
    normalize_digit,
    stroke_width,
)


def ring(side: int, thickness: int) -> np.ndarray:
    img = np.zeros((side, side), np.uint8)
    cv2.circle(img, (side // 2, side // 2), side // 3, 255, thickness)
    return img


def test_output_shape_dtype_range():
    out = normalize_digit(ring(100, 8))
    assert out.shape == (32, 32) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_empty_crop_is_zero():
    assert not normalize_digit(np.zeros((10, 10), np.uint8)).any()


def test_ink_fits_20x20_box_centred():
    bar = np.zeros((200, 50), np.uint8)
    bar[10:190, 20:30] = 255  # a tall stroke: height becomes 20
    out = normalize_digit(bar)
    ys, _xs = np.nonzero(out > 0.1)
    assert 19 <= ys.max() - ys.min() + 1 <= 21
    m = cv2.moments(out)
    assert abs(m["m10"] / m["m00"] - 16) < 1.0 and abs(m["m01"] / m["m00"] - 16) < 1.0


@pytest.mark.parametrize("thickness", [2, 6, 14, 30])
def test_stroke_width_made_comparable(thickness):
    # The same ring drawn thin or thick ends up with a similar stroke width after normalization.
    out = normalize_digit(ring(300, thickness))
    side = 32 * DEFAULT_NORMALIZE.work_scale  # back to the scale the width was set at
    binary = np.where(cv2.resize(out, (side, side)) > 0.5, 255, 0).astype(np.uint8)
    width = stroke_width(binary) / DEFAULT_NORMALIZE.work_scale
    assert DEFAULT_NORMALIZE.target_stroke / 1.6 < width < DEFAULT_NORMALIZE.target_stroke * 1.6


def test_stroke_normalization_can_be_disabled():
    thin = normalize_digit(ring(300, 2), NormalizeConfig(normalize_stroke=False))
    assert (thin > 0.5).sum() < (normalize_digit(ring(300, 2)) > 0.5).sum()


def test_mnist_digit_keeps_its_shape(mnist_test):
    img = mnist_test.images[0]
    out = normalize_digit(img)
    ref = np.pad(img.astype(np.float32) / 255, 2)
    assert np.corrcoef(out.ravel(), ref.ravel())[0, 1] > 0.8


def test_batch_layout():
    batch = normalize_batch([ring(50, 4), np.zeros((5, 5), np.uint8)])
    assert batch.shape == (2, 32, 32, 1) and batch.dtype == np.float32


def test_rejects_3d():
    with pytest.raises(ValueError, match="2-D"):
        normalize_digit(np.zeros((5, 5, 3), np.uint8))
