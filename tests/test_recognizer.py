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


def _reading(x, label, hood=1):
    from digit_app.pipeline.segment import Reading
    probs = np.full(11, 0.005, np.float32)
    probs[label] = 0.95
    return Reading((x, 0, 10, 10), probs, np.zeros((32, 32), np.float32), hood)


def test_a_small_number_just_after_a_small_label_is_kept():
    """"Goods 29874" in one neighbourhood: the label's rejected d drops its letters read as
    digits (G o o s), not the run of digits the print detector holds for handwriting; a run
    of 1s alone is no such evidence (the l and I of a word)."""
    from digit_app.pipeline import PipelineConfig
    from digit_app.recognizer import _readings
    reads = [_reading(0, 6), _reading(20, 0), _reading(40, 10), _reading(60, 5), _reading(90, 2),
             _reading(110, 9)]
    ok = np.array([True, True, False, True, True, True])
    detector = np.array([0.99, 0.98, 0.9, 0.97, 0.001, 0.0])
    assert _readings(reads, ok, detector, PipelineConfig()) == [4, 5]
    assert _readings(reads, ok) == []
    ones = [_reading(0, 10), _reading(20, 1), _reading(40, 1)]
    assert _readings(ones, np.array([False, True, True]), np.array([0.9, 0.01, 0.01]),
                     PipelineConfig()) == []


def test_a_digit_the_model_doubts_is_read_in_its_numbers_context():
    """The middle one of three handwritten digits, which the model calls "not a digit" at
    0.6, is read as its best digit (a 4), with the model's own confidence; the same
    candidate standing alone, or beside 1s only, is not."""
    from dataclasses import replace

    from digit_app.pipeline import PipelineConfig
    from digit_app.recognizer import Recognizer
    doubt = _reading(35, 10, None)
    doubt.probs[:] = 0.01
    doubt.probs[10], doubt.probs[4] = 0.6, 0.31
    reads = [_reading(0, 3, None), doubt, _reading(70, 5, None)]
    reads = [replace(r, box=(r.box[0], 0, 30, 40)) for r in reads]
    cfg = PipelineConfig()
    image = np.full((60, 200), 255, np.uint8)
    r = Recognizer._assemble(image, reads, np.zeros((0, 4), np.int64), cfg, np.zeros(3))
    assert [n.text for n in r.numbers] == ["345"]
    assert r.digits[1].confidence == pytest.approx(0.31)
    alone = Recognizer._assemble(image, [reads[1]], np.zeros((0, 4), np.int64), cfg, np.zeros(1))
    assert alone.digits == ()
    ones = [replace(reads[0], probs=_reading(0, 1).probs), reads[1], replace(reads[2], probs=_reading(0, 1).probs)]
    assert [n.text for n in Recognizer._assemble(image, ones, np.zeros((0, 4), np.int64), cfg,
                                                 np.zeros(3)).numbers] == ["1", "1"]
    never = replace(cfg, context_reject_max=0.0)
    assert [n.text for n in Recognizer._assemble(image, reads, np.zeros((0, 4), np.int64), never,
                                                 np.zeros(3)).numbers] == ["3", "5"]


def test_a_lone_digit_far_taller_than_the_others_is_dropped_from_a_colour_frame_only():
    """Four digits 45 px tall and a lone 0 150 px tall (a ring on the desk, read whole where the
    sheet was not found): in a colour frame the 0 is not read; on a grey canvas, where a big
    digit may stand beside small ones, it is."""
    from dataclasses import replace

    from digit_app.pipeline import PipelineConfig
    from digit_app.recognizer import Recognizer
    reads = [replace(_reading(300 + 40 * k, d, None), box=(300 + 40 * k, 20, 28, 45))
             for k, d in enumerate((7, 2, 4, 1))]
    reads.append(replace(_reading(0, 0, None), box=(0, 0, 150, 150)))
    cfg = PipelineConfig()
    canvas = np.full((200, 500, 3), 255, np.uint8)
    frame = canvas.copy()
    frame[:] = (205, 235, 245)  # cream paper under warm light
    none = np.zeros((0, 4), np.int64)
    assert [n.text for n in Recognizer._assemble(frame, reads, none, cfg, np.zeros(5)).numbers] == ["7241"]
    assert [n.text for n in Recognizer._assemble(canvas, reads, none, cfg, np.zeros(5)).numbers] == ["0", "7241"]
    off = replace(cfg, lone_giant_height_rel=0.0)
    assert [n.text for n in Recognizer._assemble(frame, reads, none, off, np.zeros(5)).numbers] == ["0", "7241"]


def test_a_small_blot_beside_handwritten_digits_is_not_a_digit(rec, mnist_test):
    """A blot (two touching discs, 13 x 23 px) read as 8 beside five digits 57 px tall is
    dropped; a 4 of about the same size written with a pen stays."""
    import cv2

    from digit_app.pipeline import PipelineConfig

    page = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (2, 0, 5, 3, 7)], gap=4)
    page = np.concatenate([page, np.full((page.shape[0], 200, 3), 255, np.uint8)], axis=1)
    x = page.shape[1] - 100
    blot = page.copy()
    for y in (85, 95):
        cv2.circle(blot, (x, y), 6, (0, 0, 0), -1)
    assert [n.text for n in rec.recognize(blot).numbers] == ["20537"]
    assert [n.text for n in rec.recognize(blot, PipelineConfig(lone_mark_height_rel=0)).numbers] == ["20537", "8"]
    small = page.copy()
    four = cv2.resize(mnist_test.images[first_index_of(mnist_test, 4)], (34, 34))
    small[68:102, x - 17:x + 17] = cv2.cvtColor(255 - four, cv2.COLOR_GRAY2BGR)
    assert [n.text for n in rec.recognize(small).numbers] == ["20537", "4"]


def test_the_rim_of_a_dark_disc_at_the_frames_edge_is_not_a_one(rec, mnist_test):
    """A dark disc cut by the right edge of a frame beside "20537": binarized, its rim is a
    bar read as 1 without edge_side_contrast."""
    import cv2

    from digit_app.pipeline import PipelineConfig

    page = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (2, 0, 5, 3, 7)], gap=4)
    page = np.concatenate([page, np.full((page.shape[0], 200, 3), 255, np.uint8)], axis=1)
    h, w = page.shape[:2]
    cv2.circle(page, (w + 20, h // 2), 60, (110, 110, 110), -1)
    assert [n.text for n in rec.recognize(page).numbers] == ["20537"]
    assert [n.text for n in rec.recognize(page, PipelineConfig(edge_side_contrast=0)).numbers] == ["20537", "1"]


def test_a_doubtful_digit_cut_by_the_frames_edge_is_not_read(rec, mnist_test):
    """A digit touching the top edge of a larger image is read only when the model is at
    least edge_min_confidence sure of it (0.999 here: more than it is of any MNIST digit);
    it is still a candidate, shown as unsure. A tight crop of one digit is read whatever that
    setting."""
    from digit_app.pipeline import PipelineConfig

    page = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (4, 7)], gap=4)
    page = np.concatenate([page, np.full((page.shape[0], 400, 3), 255, np.uint8)], axis=1)
    framed = page[62:]  # the digits' tops cut off by the frame's top edge ...
    framed = np.concatenate([framed, np.full((200, framed.shape[1], 3), 255, np.uint8)])  # ... a tall frame
    strict = PipelineConfig(edge_min_confidence=0.999)
    assert [n.text for n in rec.recognize(framed, PipelineConfig(edge_min_confidence=0)).numbers] == ["47"]
    cut = rec.recognize(framed, strict)
    assert cut.numbers == () and len(cut.candidates) == 2
    tight = page[40:120, 40:120]  # the 4 alone, touching the crop's edges
    assert [d.label for d in rec.recognize(tight, strict).digits] == [4]


def test_a_hairline_beside_handwritten_digits_is_not_a_one(rec, mnist_test):
    import cv2

    from digit_app.pipeline import PipelineConfig

    page = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (2, 0, 5, 3)], gap=4)
    page = np.concatenate([page, np.full((page.shape[0], 200, 3), 255, np.uint8)], axis=1)
    x = page.shape[1] - 100
    cv2.line(page, (x, 52), (x + 2, 112), (0, 0, 0), 1)  # as tall as the digits, 1 px wide
    assert [n.text for n in rec.recognize(page).numbers] == ["2053"]
    assert [n.text for n in rec.recognize(page, PipelineConfig(hand_stroke_min_rel=0)).numbers] == ["2053", "1"]
    # Beside fewer digits than hand_stroke_min_count there is no page's pen to compare with.
    few = page.copy()
    few[:, 40:200] = 255
    assert [n.text for n in rec.recognize(few).numbers] == ["53", "1"]


def test_a_digit_the_model_reads_at_a_third_is_read_but_still_a_letters_evidence():
    """A handwritten 0 the model reads at 0.35 beside a sure 1 is read ("10": the floor is
    ``min_confidence``, 0.3); beside the same 1 in a would-be printed word the detector is
    unsure of, it counts as a rejected letter all the same (below ``print_doubt_below``): "Io"
    is a word, and nothing is read. Without that floor the pair would be read as digits."""
    from dataclasses import replace

    from digit_app.pipeline import PipelineConfig
    from digit_app.recognizer import Recognizer
    unsure = _reading(14, 0, None)
    unsure.probs[:] = 0.065
    unsure.probs[0] = 0.35
    reads = [replace(r, box=(r.box[0] + 20, 20, 10, 10)) for r in (_reading(0, 1, None), unsure)]
    image = np.full((50, 80), 255, np.uint8)
    none = np.zeros((0, 4), np.int64)
    cfg = PipelineConfig()
    hand = Recognizer._assemble(image, reads, none, cfg, np.zeros(2))
    assert [n.text for n in hand.numbers] == ["10"]
    assert hand.digits[1].confidence == pytest.approx(0.35)
    doubtful = np.full(2, 0.5)  # neither print nor handwriting to the detector
    assert Recognizer._assemble(image, reads, none, cfg, doubtful).digits == ()
    no_floor = replace(cfg, print_doubt_below=0.0)
    assert [n.text for n in Recognizer._assemble(image, reads, none, no_floor, doubtful).numbers] == ["10"]
    strict = replace(cfg, min_confidence=0.4)
    assert [d.label for d in Recognizer._assemble(image, reads, none, strict, np.zeros(2)).digits] == [1]


def test_small_writing_with_a_reading_below_the_letters_floor_is_a_word():
    """Writing smaller than the image's digits (one neighbourhood), its members set apart:
    one of them the model reads at 0.35, a digit by ``min_confidence`` (0.3) but below
    ``print_doubt_below`` (0.4), so the neighbourhood is a word and none of it is read, as
    when the floor was 0.4. Without the letters' floor all three are read."""
    from dataclasses import replace

    from digit_app.pipeline import PipelineConfig
    from digit_app.recognizer import Recognizer
    unsure = _reading(60, 0)
    unsure.probs[:] = 0.065
    unsure.probs[0] = 0.35
    reads = [replace(r, box=(r.box[0] + 20, 20, 10, 10)) for r in (_reading(0, 3), _reading(30, 5), unsure)]
    image = np.full((50, 120), 255, np.uint8)
    none = np.zeros((0, 4), np.int64)
    cfg = PipelineConfig()
    assert Recognizer._assemble(image, reads, none, cfg).digits == ()
    no_floor = replace(cfg, print_doubt_below=0.0)
    assert [d.label for d in Recognizer._assemble(image, reads, none, no_floor).digits] == [3, 5, 0]


def test_a_digit_drawn_with_a_one_pixel_line_on_a_big_canvas_is_read(rec):
    """A 1 px mouse line on a 1000 x 800 canvas, the digit 730 px tall (issue 12's case): its
    ink fills under 1% of its box, and it was dropped before the model saw it."""
    import cv2

    canvas = np.full((1000, 800, 3), 255, np.uint8)
    cv2.polylines(canvas, [np.array([[200, 150], [600, 150], [330, 880]], np.int32)], False,
                  (0, 0, 0), 1, cv2.LINE_AA)
    assert [n.text for n in rec.recognize(canvas).numbers] == ["7"]
