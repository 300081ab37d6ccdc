"""The public API: Recognizer.load().recognize(image) -> Recognition."""
import numpy as np
import pytest
from helpers import SHIPPED_MODEL, first_index_of, page_with_number
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from digit_app import Recognizer
from digit_app.data.scenes import make_scene
from digit_app.types import Recognition

pytestmark = pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")


@pytest.fixture(scope="module")
def rec():
    return Recognizer.load()


def test_reads_a_number(rec, mnist_test):
    digits = [3, 0, 8]
    image = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in digits])
    r = rec.recognize(image)
    assert isinstance(r, Recognition) and (r.width, r.height) == (image.shape[1], image.shape[0])
    assert [d.label for d in r.digits] == digits
    (number,) = r.numbers
    assert number.text == "308" and number.digits == (0, 1, 2)
    assert 0 < number.confidence <= min(d.confidence for d in r.digits)
    xs = [d.box[0] for d in r.digits]
    assert xs == sorted(xs)
    for d in r.digits:
        assert d.top[0][0] == d.label and len(d.top) == 3
    accepted = [c for c in r.candidates if c.accepted]
    assert len(accepted) == 3 and all(c.model_input.shape == (32, 32) for c in accepted)


def test_grayscale_and_light_on_dark(rec, mnist_test):
    image = page_with_number(mnist_test, [first_index_of(mnist_test, 4), first_index_of(mnist_test, 2)])
    gray = image[:, :, 0]
    assert [n.text for n in rec.recognize(gray).numbers] == ["42"]
    assert [n.text for n in rec.recognize(255 - gray).numbers] == ["42"]


def test_blank_image_reads_nothing(rec):
    r = rec.recognize(np.full((200, 300, 3), 255, np.uint8))
    assert r.digits == () and r.numbers == ()


def test_recognize_many_equals_recognize(rec, mnist_test):
    scene = make_scene("drawing", mnist_test.images, mnist_test.labels, np.random.default_rng(3))
    blank = np.full((50, 50), 255, np.uint8)
    one = rec.recognize(scene.image)
    many = rec.recognize_many([blank, scene.image])
    assert many[0].digits == () and many[1].digits == one.digits and many[1].numbers == one.numbers


def test_bad_arrays_raise_value_error(rec):
    with pytest.raises(ValueError):
        rec.recognize(np.zeros((10, 10), np.float64))
    with pytest.raises(ValueError):
        rec.recognize(np.zeros((10, 10, 2), np.uint8))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    image=hnp.arrays(
        dtype=st.sampled_from([np.uint8, np.uint16, np.float32, np.int32, np.bool_]),
        shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=64),
    )
)
def test_any_array_gives_a_result_or_value_error(rec, image):
    try:
        r = rec.recognize(image)
    except ValueError:
        return
    assert isinstance(r, Recognition)
    for d in r.digits:
        assert 0 <= d.label <= 9 and 0 <= d.confidence <= 1


def test_small_writing_holding_a_letter_is_a_word_not_a_number():
    """Candidates sharing a neighbourhood smaller than the image's digits are all dropped
    when the model does not accept one of them as a digit (the T of "Total" takes its o and
    l along); a small number, all digits, stays, and so do candidates of the image's own
    size."""
    from digit_app.pipeline import CandidateCrop
    from digit_app.recognizer import _readings
    def cand(x, hood):
        return CandidateCrop((x, 0, 10, 10), np.zeros((10, 10), np.uint8), 10.0, hood)

    cands = [cand(0, 1), cand(20, 1), cand(40, 1), cand(100, 2), cand(120, 2), cand(200, None),
             cand(300, None)]
    ok = np.array([False, True, True, True, True, True, False])
    assert _readings(cands, ok) == [3, 4, 5, 6]
