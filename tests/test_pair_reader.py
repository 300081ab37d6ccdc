"""The pair reader (issue 13): its samples, its input, its edges in the segmentation graph,
its files, and the recognizer reading two overlapping digits with it."""
from __future__ import annotations

import logging
from dataclasses import replace

import cv2
import numpy as np
import pytest

from digit_app.data.pair_samples import (
    DEFAULT_PAIR_SAMPLE,
    NOT_A_PAIR,
    DigitPool,
    draw_row,
    make_pair_sample,
)
from digit_app.model.metadata import ModelError
from digit_app.model.pair_reader import PairReader
from digit_app.pipeline import PipelineConfig
from digit_app.pipeline.graph import PAIR_OUTPUTS, edges
from digit_app.pipeline.normalize import normalize_pair
from digit_app.pipeline.segment import Graph, path_readings, read_candidates
from digit_app.recognizer import Recognizer
from digit_app.types import NOT_A_DIGIT, NUM_CLASSES

CFG = PipelineConfig()


@pytest.fixture(scope="module")
def pool(mnist_test):
    return DigitPool(mnist_test.images[:300], mnist_test.labels[:300], None)


# --- samples -----------------------------------------------------------------------------------

def test_a_row_puts_touching_neighbours_side_by_side_on_one_canvas(pool):
    cfg = replace(DEFAULT_PAIR_SAMPLE, gap_share=0.0, broken_probability=0.0)
    rng = np.random.default_rng(1)
    for _ in range(10):
        a, b = draw_row(pool, [0, 1], rng, cfg)
        assert a.shape == b.shape and a.any() and b.any()
        cols_a, cols_b = np.flatnonzero(a.any(0)), np.flatnonzero(b.any(0))
        assert cols_a[0] < cols_b[0] and cols_a[-1] < cols_b[-1]  # b is right of a
        grown = np.zeros_like(a)
        ys, xs = np.nonzero(a)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                grown[np.clip(ys + dy, 0, a.shape[0] - 1), np.clip(xs + dx, 0, a.shape[1] - 1)] = True
        assert (grown & b).any()  # their ink meets (touching, or overlapping)


def test_samples_are_two_whole_digits_or_not_a_pair(pool):
    rng = np.random.default_rng(0)
    labels = []
    for _ in range(60):
        crop, (left, right) = make_pair_sample(pool, rng)
        assert crop.dtype == np.uint8 and crop.ndim == 2 and set(np.unique(crop)) <= {0, 255}
        assert crop[0].any() and crop[-1].any() and crop[:, 0].any() and crop[:, -1].any()  # tight
        assert (left == NOT_A_PAIR) == (right == NOT_A_PAIR)
        assert left == NOT_A_PAIR or (0 <= left <= 9 and 0 <= right <= 9)
        labels.append(left)
    assert 0.4 < np.mean(np.array(labels) != NOT_A_PAIR) < 0.8  # ``kinds``: 60% pairs
    only_pairs = replace(DEFAULT_PAIR_SAMPLE, kinds=(("pair", 1.0),))
    crop, (left, right) = make_pair_sample(pool, rng, only_pairs)
    assert left != NOT_A_PAIR and crop.shape[1] > 0.7 * crop.shape[0]  # two digits are wide


def test_a_digit_with_a_touching_mark_is_not_a_pair(pool):
    only_marks = replace(DEFAULT_PAIR_SAMPLE, kinds=(("mark", 1.0),))
    rng = np.random.default_rng(2)
    digit_only = replace(DEFAULT_PAIR_SAMPLE, kinds=(("single", 1.0),))
    touching = 0
    for _ in range(20):
        crop, label = make_pair_sample(pool, rng, only_marks)
        assert label == (NOT_A_PAIR, NOT_A_PAIR)
        single, _ = make_pair_sample(pool, np.random.default_rng(rng.integers(1 << 30)), digit_only)
        count, _ = cv2.connectedComponents(crop)
        touching += count - 1 == 1  # the mark's ink meets the digit's
        assert crop.shape[0] >= 0.9 * single.shape[0]  # a digit's height, not a dot's
    assert touching >= 15


def test_pool_digits_with_strokes_are_drawn_with_a_pen():
    stroke = [np.array([[0.0, 0.0], [0.0, 10.0]], np.float32)]  # a "1"
    pool = DigitPool(np.zeros((1, 28, 28), np.uint8), np.array([1]), [stroke])
    cfg = replace(DEFAULT_PAIR_SAMPLE, pen_fraction=1.0, kinds=(("pair", 1.0),), neighbour_probability=0.0,
                  broken_probability=0.0)
    crop, label = make_pair_sample(pool, np.random.default_rng(0), cfg)
    assert label == (1, 1) and crop.any()  # from the strokes: the blank image has no ink


# --- normalization -----------------------------------------------------------------------------

def test_a_pair_is_fitted_into_a_frame_twice_as_wide_as_a_digit():
    crop = np.zeros((100, 150), np.uint8)
    crop[:, 10:20] = 255  # two bars, 10 px strokes
    crop[:, 120:130] = 255
    x = normalize_pair(crop)
    assert x.shape == (32, 64) and x.dtype == np.float32 and x.max() == 1.0
    cols = np.flatnonzero(x.max(0) > 0.5)
    rows = np.flatnonzero(x.max(1) > 0.5)
    assert rows[-1] - rows[0] + 1 == 20  # the height fitted to the digit model's box ...
    assert (cols[0], cols[-1]) == (20, 43)  # ... the width kept in proportion, centred
    wide = normalize_pair(np.full((10, 300), 255, np.uint8))
    cols = np.flatnonzero(wide.max(0) > 0.5)
    assert cols[0] <= 10 and cols[-1] >= 53  # a long stroke fitted to the frame's width
    assert not normalize_pair(np.zeros((10, 10), np.uint8)).any()
    with pytest.raises(ValueError, match="2-D"):
        normalize_pair(np.zeros((4, 4, 3), np.uint8))


# --- the graph ---------------------------------------------------------------------------------

def _slices(n: int, width: int, height: int = 40) -> np.ndarray:
    """``n`` pieces ``width`` px wide side by side, ``height`` tall: a piece map."""
    return np.repeat(np.arange(n, dtype=np.int32), width)[None, :].repeat(height, axis=0)


def test_runs_of_one_candidate_as_wide_as_two_digits_are_offered_as_pairs():
    pieces = _slices(4, 12)  # 48 px wide under a 40 px height: pairs are 24 to 72 px wide
    found = edges(pieces, 4, np.zeros(4, np.int64), (0, 0), 40.0, 3.0, CFG)
    pairs = {(e.start, e.end) for e in found if e.pair}
    assert pairs == {(0, 2), (0, 3), (0, 4), (1, 3), (1, 4), (2, 4)}
    assert all(e.mask.shape == (40, 12 * (e.end - e.start)) for e in found if e.pair)
    two = edges(pieces, 4, np.array([0, 0, 1, 1]), (0, 0), 40.0, 3.0, CFG)
    assert {(e.start, e.end) for e in two if e.pair} == {(0, 2), (2, 4)}  # never across candidates
    off = edges(pieces, 4, np.zeros(4, np.int64), (0, 0), 40.0, 3.0, replace(CFG, graph_pairs=False))
    assert not any(e.pair for e in off)


def _pair_out(left: int, right: int, p: float, head: float = 0.91) -> np.ndarray:
    out = np.full(PAIR_OUTPUTS, (1 - head) / 9, np.float32)
    out[left], out[10 + right], out[20] = head, head, p
    return out


def _graph(pair_p: float) -> Graph:
    """Two pieces of one candidate, each rejected alone, their run offered as a pair "47"."""
    pieces = _slices(2, 15)
    found = edges(pieces, 2, np.zeros(2, np.int64), (100, 50), 40.0, 3.0, CFG)
    probs = np.zeros((len(found), NUM_CLASSES), np.float32)
    pair_out = np.zeros((len(found), PAIR_OUTPUTS), np.float32)
    for k, e in enumerate(found):
        if e.pair:
            pair_out[k] = _pair_out(4, 7, pair_p)
        elif e.end - e.start == 1:
            probs[k, NOT_A_DIGIT], probs[k, 1] = 0.7, 0.3
        else:
            probs[k, 0] = 0.1  # the whole run as one digit: unlikely
            probs[k, NOT_A_DIGIT] = 0.9
    return Graph([0], 2, found, probs, np.zeros((len(found), 32, 32, 1), np.float32), pair_out)


def test_a_sure_pair_gives_two_digits_with_the_run_box_split_at_its_middle():
    reads, cost = path_readings(_graph(0.95), None, CFG)
    assert [int(np.argmax(r.probs)) for r in reads] == [4, 7]
    assert [r.box for r in reads] == [(100, 50, 15, 40), (115, 50, 15, 40)]
    assert all(r.piece and not r.uncut and r.model_input.shape == (32, 32) for r in reads)
    assert np.isclose(reads[0].probs[NOT_A_DIGIT], 0.05) and np.isclose(reads[0].probs.sum(), 0.05 + 0.95 * 1.0)
    assert cost > 0


def test_an_unsure_pair_leaves_the_path_to_the_digits_read_one_by_one():
    reads, _ = path_readings(_graph(0.05), None, CFG)
    assert [int(np.argmax(r.probs)) for r in reads] != [4, 7]
    costly = replace(CFG, graph_pair_cost=10.0)
    assert [int(np.argmax(r.probs)) for r in path_readings(_graph(0.95), None, costly)[0]] != [4, 7]


def test_read_candidates_calls_the_pair_reader_once_for_all_pair_edges(overlapping_zeros):
    calls = []

    def predict(batch):
        out = np.zeros((len(batch), NUM_CLASSES), np.float32)
        out[:, NOT_A_DIGIT] = 1.0  # nothing is one digit
        return out

    def predict_pairs(batch):
        calls.append(batch.shape)
        return np.tile(_pair_out(2, 5, 0.99), (len(batch), 1))

    reads = read_candidates([overlapping_zeros], predict, CFG, predict_pairs)
    assert len(calls) == 1 and calls[0][1:] == (32, 64, 1) and calls[0][0] >= 1
    assert [int(np.argmax(r.probs)) for r in reads[0]] == [2, 5]
    calls.clear()
    alone = read_candidates([overlapping_zeros], predict, CFG)  # no pair reader: no pair edges
    assert not calls and all(int(np.argmax(r.probs)) == NOT_A_DIGIT for r in alone[0])


@pytest.fixture
def overlapping_zeros():
    """The candidates of two overlapping zeros: one wide candidate."""
    import cv2

    from digit_app.pipeline import find_candidates

    img = np.full((200, 400), 255, np.uint8)
    cv2.ellipse(img, (150, 100), (32, 55), 0, 0, 360, 0, 7)
    cv2.ellipse(img, (195, 100), (32, 55), 0, 0, 360, 0, 7)  # overlapping the first by a quarter
    cands = find_candidates(img, CFG)
    assert len(cands) == 1
    return cands


# --- files and the recognizer ------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_reader(tmp_path_factory, mnist_dir):
    from digit_app.model import pair_training
    from digit_app.model.pair_training import PairTrainConfig, train_pair_model

    out = tmp_path_factory.mktemp("pairs") / "pairs.keras"
    cfg = PairTrainConfig(samples=96, validation_samples=24, epochs=2, workers=1, real_data=False)
    made, make = [], pair_training.make_pair_set

    def recorded(pool, n, seed, c):
        made.append(seed)
        return make(pool, n, seed, c)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pair_training, "make_pair_set", recorded)
        info = train_pair_model(out, mnist_dir, cfg, command="test", log=lambda _: None)
    # Training samples for epoch 1, validation samples, then new samples for epoch 2.
    assert made == [0, 1, 1000]
    return out, info


def test_training_writes_the_reader_its_litert_pair_and_metadata(tiny_reader):
    out, info = tiny_reader
    for name in ("pairs.keras", "pairs.tflite", "pairs.lite.json", "pairs.json"):
        assert (out.parent / name).is_file()
    assert info.training["command"] == "test" and info.training["samples"] == 96 and info.parameters > 0
    assert info.training["fresh_samples"] and len(info.training["history"]) == 2
    assert set(info.validation) >= {"pairs_read_right", "pairs_called_pairs", "others_called_pairs"}
    reader = PairReader.load(out)
    out21 = reader.predict(np.zeros((3, 32, 64, 1), np.float32))
    assert out21.shape == (3, PAIR_OUTPUTS) and out21.dtype == np.float32
    assert np.allclose(out21[:, :10].sum(1), 1, atol=1e-4) and np.allclose(out21[:, 10:20].sum(1), 1, atol=1e-4)
    assert reader.predict(np.zeros((0, 32, 64, 1), np.float32)).shape == (0, PAIR_OUTPUTS)


def test_a_missing_or_damaged_reader_is_one_error_naming_the_file(tiny_reader, tmp_path):
    out, _ = tiny_reader
    with pytest.raises(ModelError, match="not found"):
        PairReader.load(tmp_path / "pairs.keras")
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a zip")
    (tmp_path / "bad.json").write_text('{"kind": "print detector"}')
    with pytest.raises(ModelError, match=r"bad\.json: not the metadata of a pair reader"):
        PairReader.load(bad)
    (tmp_path / "bad.json").write_bytes((out.parent / "pairs.json").read_bytes())
    with pytest.raises(ModelError, match=r"bad\.keras"):
        PairReader.load(bad, backend="tensorflow")


def test_the_recognizer_reads_on_without_a_reader_it_cannot_load(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        rec = Recognizer.load(pair_model=tmp_path / "pairs.keras")
    assert rec.pair_reader is None
    assert "reading without the pair reader" in caplog.text and "pairs.keras" in caplog.text


def _overlapped(images: np.ndarray, a: int, b: int, overlap: float) -> np.ndarray:
    """MNIST test digits ``a`` and ``b`` 4x enlarged, dark on white, ``b``'s ink overlapping
    ``a``'s columns by ``overlap`` of ``a``'s width."""
    import cv2

    big = [cv2.resize(images[i], (112, 112), interpolation=cv2.INTER_LINEAR) for i in (a, b)]
    ca, cb = (np.flatnonzero(d.max(0) > 100) for d in big)
    shift = ca[-1] + 1 - int(overlap * (ca[-1] - ca[0] + 1)) - cb[0]
    ink = np.zeros((200, 400), np.uint8)
    ink[40:152, 60:172] = big[0]
    ink[40:152, 60 + shift:172 + shift] = np.maximum(ink[40:152, 60 + shift:172 + shift], big[1])
    return 255 - ink


def test_the_shipped_reader_reads_overlapping_digits_that_cuts_cannot_part(mnist_test):
    # 30 pairs of MNIST test digits (0 and 1, 2 and 3, ...) overlapping by 25% of a width.
    # Measured with the shipped reader: 25 read right, 16 with cuts alone.
    rec = Recognizer.load()
    assert rec.pair_reader is not None
    cuts = replace(rec.config, graph_pairs=False)
    with_pairs = cuts_only = 0
    for a in range(0, 60, 2):
        img = _overlapped(mnist_test.images, a, a + 1, 0.25)
        truth = [f"{mnist_test.labels[a]}{mnist_test.labels[a + 1]}"]
        reading = rec.recognize(img)
        if [n.text for n in reading.numbers] == truth:
            with_pairs += 1
            assert len(reading.digits) == 2 and reading.digits[0].box[0] < reading.digits[1].box[0]
        cuts_only += [n.text for n in rec.recognize(img, cuts).numbers] == truth
    assert with_pairs >= 24 and cuts_only <= 18
