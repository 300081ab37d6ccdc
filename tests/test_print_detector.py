"""The print detector: its samples, its training and files, the rule that applies it, and the
recognizer reading with it."""
import logging
from dataclasses import replace

import cv2
import numpy as np
import pytest
from helpers import first_index_of, page_with_number
from test_printed_text import print_on

from digit_app.data.printed import font_paths
from digit_app.model.metadata import ModelError
from digit_app.model.print_data import (
    FONT_VALIDATION_EVERY,
    PrintDataConfig,
    make_print_samples,
    split_fonts,
)
from digit_app.model.print_detector import DEFAULT_PRINT_MODEL, PrintDetector
from digit_app.pipeline import PipelineConfig
from digit_app.pipeline.printed import HANDWRITING, PRINTED_DIGIT, PRINTED_LETTER, printed_glyphs
from digit_app.recognizer import Recognizer

CFG = PipelineConfig()


# --- the rule, on boxes --------------------------------------------------------------------

def test_print_on_a_line_with_other_writing_is_a_printed_digit():
    boxes = np.array([(10, 10, 30, 40), (300, 12, 25, 38), (60, 200, 30, 40)])
    kinds = np.zeros(3, np.int8)
    out = printed_glyphs(kinds, boxes, np.array([0.99, 0.2, 0.99]), CFG)
    # The first has a neighbour on its line; the third is alone on its line.
    assert out.tolist() == [PRINTED_DIGIT, HANDWRITING, HANDWRITING]


def test_below_the_threshold_or_not_looked_at_stays_handwriting():
    boxes = np.array([(10, 10, 30, 40), (50, 10, 30, 40)])
    kinds = np.zeros(2, np.int8)
    probs = np.array([CFG.print_glyph_threshold - 0.01, np.nan])
    assert printed_glyphs(kinds, boxes, probs, CFG).tolist() == [HANDWRITING, HANDWRITING]


def test_only_the_readings_are_judged_and_letters_stay_letters():
    # Two readings, then a box of other writing (a word) that has no probability.
    boxes = np.array([(10, 10, 30, 40), (50, 10, 30, 40), (100, 10, 60, 40)])
    kinds = np.array([PRINTED_LETTER, HANDWRITING, HANDWRITING], np.int8)
    out = printed_glyphs(kinds, boxes, np.array([0.99, 0.99]), CFG)
    assert out.tolist() == [PRINTED_LETTER, PRINTED_DIGIT, HANDWRITING]


def test_reach_limits_how_far_the_neighbour_may_be():
    boxes = np.array([(10, 10, 30, 40), (400, 10, 30, 40)])
    probs = np.array([0.99, np.nan])
    near = replace(CFG, print_glyph_reach=2.0)
    assert printed_glyphs(np.zeros(2, np.int8), boxes, probs, near)[0] == HANDWRITING
    assert printed_glyphs(np.zeros(2, np.int8), boxes, probs, CFG)[0] == PRINTED_DIGIT


# --- samples ---------------------------------------------------------------------------------

def test_fonts_split_into_disjoint_training_and_validation_faces():
    fonts = font_paths()
    train, val = split_fonts(fonts, False), split_fonts(fonts, True)
    assert not set(train) & set(val)
    if len(fonts) >= FONT_VALIDATION_EVERY:
        assert train and val and len(train) + len(val) == len(fonts)
    assert split_fonts(fonts[:2], True) == fonts[:2]  # too few to split: all of them


def test_samples_are_normalized_crops_labelled_by_source(mnist_test):
    rng = np.random.default_rng(0)
    s = make_print_samples(mnist_test.images[:50], None, font_paths(), rng, scale=0.002,
                           cfg=PrintDataConfig())
    assert s.x.shape == (len(s), 32, 32, 1) and s.x.dtype == np.float32
    assert s.x.min() >= 0 and s.x.max() <= 1
    assert set(np.unique(s.source)) == {"printed-digit", "printed-letter", "mnist", "styles"}
    printed = np.char.startswith(s.source, "printed")
    assert (s.y[printed] == 1).all() and (s.y[~printed] == 0).all()
    # Every crop holds ink.
    assert (s.x.reshape(len(s), -1).max(axis=1) > 0.5).all()


# --- training and files ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_detector(tmp_path_factory):
    from digit_app.model.print_training import PrintTrainConfig, train_print_model

    out = tmp_path_factory.mktemp("print") / "printed.keras"
    cfg = PrintTrainConfig(epochs=1, scale=0.008, real_data=False)
    info = train_print_model(out, cfg=cfg, command="test", log=lambda _: None)
    return out, info


def test_training_writes_the_detector_its_litert_pair_and_metadata(tiny_detector):
    out, info = tiny_detector
    for name in ("printed.keras", "printed.tflite", "printed.lite.json", "printed.json"):
        assert (out.parent / name).is_file()
    assert info.training["command"] == "test" and info.parameters > 0
    assert 0 <= info.validation["accuracy"] <= 1
    det = PrintDetector.load(out)
    p = det.predict(np.zeros((3, 32, 32, 1), np.float32))
    assert p.shape == (3,) and p.dtype == np.float32 and ((p >= 0) & (p <= 1)).all()
    assert det.predict(np.zeros((0, 32, 32, 1), np.float32)).shape == (0,)


def test_a_missing_or_damaged_detector_is_one_error_naming_the_file(tiny_detector, tmp_path):
    out, _ = tiny_detector
    with pytest.raises(ModelError, match="not found"):
        PrintDetector.load(tmp_path / "printed.keras")
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a zip")
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(ModelError, match=r"bad\.json: not the metadata of a print detector"):
        PrintDetector.load(bad)
    (tmp_path / "bad.json").write_bytes((out.parent / "printed.json").read_bytes())
    with pytest.raises(ModelError, match=r"bad\.keras"):
        PrintDetector.load(bad, backend="tensorflow")


def test_the_recognizer_reads_on_without_a_detector_it_cannot_load(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        rec = Recognizer.load(print_model=tmp_path / "printed.keras")
    assert rec.print_detector is None
    assert "reading without the print detector" in caplog.text and "printed.keras" in caplog.text


# --- the recognizer with a detector ----------------------------------------------------------

class Always:
    """A stand-in detector that calls everything print with probability ``p``."""

    def __init__(self, p):
        self.p = p
        self.path = None
        self.calls = 0

    def expects(self, normalization):
        return True

    def predict(self, batch):
        self.calls += 1
        return np.full(len(batch), self.p, np.float32)


def _two_digits() -> np.ndarray:
    page = np.full((120, 200), 255, np.uint8)
    cv2.line(page, (40, 20), (40, 100), 0, 6)  # a 1
    cv2.polylines(page, [np.array([(110, 20), (160, 20), (125, 100)])], False, 0, 6)  # a 7
    return page


def test_digits_the_detector_calls_print_are_read_only_on_request():
    base = Recognizer.load(print_model=None)
    assert base.print_detector is None
    printed = Recognizer(base.classifier, print_detector=Always(1.0))
    assert [n.text for n in base.recognize(_two_digits()).numbers] == ["17"]
    assert printed.recognize(_two_digits()).digits == ()
    r = printed.recognize(_two_digits(), replace(printed.config, read_printed=True))
    assert [n.text for n in r.numbers] == ["17"] and all(d.printed for d in r.digits)
    handwriting = Recognizer(base.classifier, print_detector=Always(0.0))
    assert [n.text for n in handwriting.recognize(_two_digits()).numbers] == ["17"]


def test_one_detector_call_for_all_images_and_a_lone_digit_is_never_print():
    det = Always(1.0)
    rec = Recognizer(Recognizer.load(print_model=None).classifier, print_detector=det)
    lone = np.full((120, 80), 255, np.uint8)
    cv2.line(lone, (40, 20), (40, 100), 0, 6)
    readings = rec.recognize_many([lone, _two_digits(), np.full((40, 40), 255, np.uint8)])
    assert det.calls == 1
    assert [d.label for d in readings[0].digits] == [1]
    assert readings[1].digits == () and readings[2].digits == ()


def test_a_detector_for_other_crops_is_left_out():
    class Other(Always):
        def expects(self, normalization):
            return False

    rec = Recognizer(Recognizer.load(print_model=None).classifier, print_detector=Other(1.0))
    assert rec.print_detector is None


@pytest.mark.skipif(not DEFAULT_PRINT_MODEL.exists(), reason="no shipped print detector")
def test_the_shipped_detector_drops_a_printed_year_far_from_its_label(mnist_test):
    rec = Recognizer.load()
    assert rec.print_detector is not None
    number = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (3, 8)],
                              height=80, margin=40)
    page = np.full((number.shape[0] + 120, 900, 3), 255, np.uint8)
    page[120:, 500:500 + number.shape[1]] = number
    print_on(page, "Date", 20, 80, 40, "LiberationSerif-Regular.ttf")
    print_on(page, "2024", 600, 80, 40, "LiberationSerif-Regular.ttf")
    r = rec.recognize(page)
    assert [n.text for n in r.numbers] == ["38"]
    r = rec.recognize(page, replace(rec.config, read_printed=True))
    assert sorted(n.text for n in r.numbers) == ["2024", "38"]
