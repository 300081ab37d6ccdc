"""The Qt-free helpers of digit_app.gui: geometry, reading, tracking, config fields, export."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass

import numpy as np
import pytest
from gui_helpers import digits_image

from digit_app.gui.devtools.demo_recognizer import DemoConfig, DemoRecognizer
from digit_app.session import geometry
from digit_app.session.config_fields import coerce, describe, field_docs
from digit_app.session.export import PageResult, csv_text, json_text
from digit_app.session.reading import (
    UNCERTAIN_MARK,
    class_probabilities,
    confidence_level,
    number_texts,
    overlay_items,
    uncertain_threshold,
)
from digit_app.session.tracking import DigitTracker, frame_signature, is_scene_cut, steady_recognition
from digit_app.types import Candidate, Digit, Number, Recognition

QT_FREE = ["digit_app.session.tracking", "digit_app.session.geometry", "digit_app.session.reading",
           "digit_app.session.config_fields", "digit_app.gui.devtools.demo_recognizer", "digit_app.session.documents",
           "digit_app.session.export"]


def test_qt_free_modules_do_not_import_qt():
    code = ("import sys, importlib\n"
            f"for m in {QT_FREE!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_geometry_helpers():
    assert geometry.iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert geometry.iou((0, 0, 10, 10), (20, 20, 5, 5)) == 0.0
    assert geometry.iou((0, 0, 10, 10), (5, 0, 10, 10)) == pytest.approx(50 / 150)
    assert geometry.clip_box((-5, -5, 20, 20), 10, 10) == (0, 0, 10, 10)
    assert geometry.clip_box((50, 50, 5, 5), 10, 10) is None
    assert geometry.normalize_rect(10, 20, 0, 5) == (0, 5, 10, 15)
    assert geometry.hit_test([(0, 0, 100, 100), (10, 10, 5, 5)], 12, 12) == 1
    assert geometry.hit_test([(0, 0, 10, 10)], 50, 50) is None
    assert geometry.best_overlap([(0, 0, 10, 10), (8, 0, 10, 10)], (9, 0, 20, 5)) == 1
    rec = Recognition(10, 10, (Digit(1, 0.9, (1, 2, 3, 4)),), (Number("1", 0.9, (1, 2, 3, 4), (0,)),),
                      (Candidate((1, 2, 3, 4), (0.0,) * 11, True, 0),))
    moved = geometry.offset_recognition(rec, 5, 6, 100, 80)
    assert (moved.width, moved.height) == (100, 80)
    assert moved.digits[0].box == moved.numbers[0].box == moved.candidates[0].box == (6, 8, 3, 4)


def _rec(*digits: Digit, numbers=(), candidates=()) -> Recognition:
    return Recognition(100, 100, tuple(digits), tuple(numbers), tuple(candidates))


def test_uncertain_digits_are_shown_as_question_marks():
    probs = [0.0] * 11
    probs[3] = 0.4
    probs[8] = 0.35
    probs[10] = 0.25
    rec = _rec(Digit(7, 0.95, (0, 0, 10, 10)), Digit(1, 0.5, (12, 0, 10, 10)),
               numbers=[Number("71", 0.47, (0, 0, 22, 10), (0, 1))],
               candidates=[Candidate((30, 0, 10, 10), tuple(probs), False)])
    assert number_texts(rec, 0.6) == ["7" + UNCERTAIN_MARK]
    items = overlay_items(rec, 0.6)
    assert [(i.kind, i.text) for i in items] == [("number", "7?"), ("digit", "7"), ("digit", "?"),
                                                  ("rejected", "?")]
    assert confidence_level(0.95, 0.6) == "high"
    assert confidence_level(0.7, 0.6) == "medium"
    assert confidence_level(0.5, 0.6) == "low"

    @dataclass(frozen=True)
    class Cfg:
        min_confidence: float = 0.8

    assert uncertain_threshold(Cfg()) == 0.8
    assert uncertain_threshold(None) == 0.4


def test_class_probabilities_fall_back_to_top_classes():
    rec = _rec(Digit(4, 0.8, (0, 0, 5, 5), ((4, 0.8), (9, 0.15))))
    probs = class_probabilities(rec, 0)
    assert len(probs) == 11 and probs[4] == 0.8 and probs[9] == 0.15


def test_tracker_keeps_labels_steady_and_boxes_alive():
    tracker = DigitTracker(history=5, max_missing=2)
    box = (10, 10, 20, 30)
    labels = [7, 7, 1, 7, 7]  # one flickering frame
    shown = []
    for label in labels:
        current, lingering = tracker.update([Digit(label, 0.9, box)])
        assert len(current) == 1 and not lingering
        shown.append(current[0].label)
    assert shown == [7, 7, 7, 7, 7]
    assert current[0].agreement == pytest.approx(0.8)
    track_id = current[0].track_id
    # A frame where the digit is missed: it lingers, with the same identity.
    current, lingering = tracker.update([])
    assert [t.track_id for t in lingering] == [track_id]
    # It comes back slightly moved: same track.
    current, _ = tracker.update([Digit(7, 0.9, (12, 11, 20, 30))])
    assert current[0].track_id == track_id
    # Gone for longer than max_missing: dropped.
    for _ in range(3):
        current, lingering = tracker.update([])
    assert not lingering


def test_tracker_separates_distinct_digits_and_rebuilds_numbers():
    tracker = DigitTracker()
    a, b = Digit(4, 0.9, (0, 0, 10, 20)), Digit(2, 0.9, (30, 0, 10, 20))
    for _ in range(3):
        current, lingering = tracker.update([a, b])
    assert len({t.track_id for t in current}) == 2
    rec = _rec(Digit(4, 0.9, a.box), Digit(9, 0.6, b.box), numbers=[Number("49", 0.5, (0, 0, 40, 20), (0, 1))])
    current, lingering = tracker.update(rec.digits)
    steady = steady_recognition(rec, current, lingering)
    assert steady.numbers[0].text == "42"  # 2 won the vote over the last frames
    assert [d.label for d in steady.digits] == [4, 2]


def test_config_fields_from_a_dataclass():
    @dataclass(frozen=True)
    class Cfg:
        #: The threshold.
        threshold: float = 0.5
        #: Tiny.
        tiny: float = 5e-6
        count: int = 12
        flag: bool = True
        mode: str = "auto"
        nested: tuple = ()

    specs = {s.name: s for s in describe(Cfg())}
    assert set(specs) == {"threshold", "tiny", "count", "flag", "mode"}
    assert specs["threshold"].help == "The threshold."
    assert specs["threshold"].label == "Threshold"
    assert specs["tiny"].step < 5e-6 and specs["tiny"].maximum > 5e-6
    assert specs["count"].kind is int and specs["count"].maximum >= 120
    assert coerce(specs["flag"], "false") is False
    assert coerce(specs["count"], "7") == 7
    assert "threshold" in field_docs(Cfg)


def test_config_fields_of_the_pipeline_config():
    pipeline = pytest.importorskip("digit_app.pipeline.config")
    specs = {s.name: s for s in describe(pipeline.PipelineConfig())}
    assert "min_confidence" in specs and "normalize" not in specs
    assert specs["polarity"].choices == ("auto", "dark", "light")
    assert specs["min_confidence"].help


def test_demo_recognizer_reads_blobs_as_numbers():
    rec = DemoRecognizer().recognize(digits_image("42  7", size=(240, 560)))
    assert [d.label for d in rec.digits] == [7, 7, 7]
    assert [n.text for n in rec.numbers] == ["77", "7"]
    assert all(c.model_input.shape == (32, 32) for c in rec.candidates)
    assert DemoRecognizer(DemoConfig(min_area=10**6)).recognize(digits_image()).digits == ()
    assert DemoRecognizer().recognize(np.full((50, 50), 255, np.uint8)).digits == ()


def test_export_matches_the_cli_formats():
    rec = DemoRecognizer().recognize(digits_image("42"))
    results = [PageResult("scan.png", 0, rec)]
    doc = json.loads(json_text(results, "lenet.keras", [{"path": "bad.png", "error": "not an image"}]))
    assert doc["model"] == "lenet.keras"
    assert doc["errors"] == [{"path": "bad.png", "error": "not an image"}]
    entry = doc["results"][0]
    assert set(entry) == {"path", "page", "width", "height", "digits", "numbers"}
    assert entry["numbers"][0]["text"] == "77" and len(entry["numbers"][0]["box"]) == 4
    assert set(entry["digits"][0]) == {"label", "confidence", "box", "top"}
    rows = list(csv.reader(io.StringIO(csv_text(results))))
    assert rows[0] == ["path", "page", "text", "confidence", "x", "y", "w", "h"]
    assert rows[1][:3] == ["scan.png", "1", "77"]  # page numbers as the app's table shows them
    assert entry["page"] == 1


def test_a_thin_one_that_moves_keeps_one_box():
    # A "1" 6 px wide moving 4 px a frame: little overlap, but the same digit.
    tracker = DigitTracker()
    for k in range(6):
        current, lingering = tracker.update([Digit(1, 0.9, (100 + 4 * k, 50, 6, 40)),
                                             Digit(6, 0.9, (130 + 4 * k, 50, 24, 40))])
        assert len({t.track_id for t in current}) == 2
        assert not lingering, f"frame {k}: a second box on a digit"
    assert {t.frames for t in current} == {5}  # the whole history, one track each


def test_a_lingering_track_under_a_new_box_is_not_shown_twice():
    tracker = DigitTracker(min_iou=0.3, max_centre_shift=0.0)  # matching by overlap only
    tracker.update([Digit(1, 0.9, (100, 50, 6, 40))])
    # The detection grew (the "1" got its foot): a new track, the old one is under it.
    current, lingering = tracker.update([Digit(1, 0.9, (98, 50, 20, 40))])
    assert len(current) == 1 and not lingering


def test_neighbouring_digits_keep_lingering():
    tracker = DigitTracker()
    a, b = Digit(4, 0.9, (0, 0, 20, 40)), Digit(2, 0.9, (19, 0, 20, 40))  # touching
    tracker.update([a, b])
    current, lingering = tracker.update([a])  # "2" missed for a frame
    assert len(current) == 1 and len(lingering) == 1


def test_digits_that_continue_no_track_are_a_new_scene():
    tracker = DigitTracker()
    for _ in range(3):
        tracker.update([Digit(4, 0.9, (0, 0, 20, 40)), Digit(2, 0.9, (30, 0, 20, 40))])
    current, lingering = tracker.update([Digit(7, 0.9, (200, 100, 20, 40))])
    assert len(current) == 1 and not lingering
    assert current[0].frames == 1


def test_scene_cut_from_frame_signatures():
    rng = np.random.default_rng(0)
    page = np.full((240, 320, 3), 230, np.uint8)
    page[100:140, 50:70] = 20
    noisy = np.clip(page + rng.normal(0, 6, page.shape), 0, 255).astype(np.uint8)
    moved = np.roll(page, 8, axis=1)
    other = np.full((240, 320, 3), 60, np.uint8)
    sig = frame_signature(page)
    assert sig.shape == (32, 32) and sig.dtype == np.float32
    assert not is_scene_cut(None, sig)
    assert not is_scene_cut(sig, frame_signature(noisy))
    assert not is_scene_cut(sig, frame_signature(moved))
    assert is_scene_cut(sig, frame_signature(other))


def test_a_label_goes_where_it_hides_nothing():
    taken = [(0, 40, 30, 12), (40, 40, 30, 12)]  # the digit tags of the next row
    below, right, above = (0, 38, 50, 12), (60, 35, 50, 12), (0, -14, 50, 12)
    assert geometry.place_label([below, right, above], taken) == 2  # right hides the 2nd tag too
    assert geometry.place_label([below, (200, 20, 50, 12)], taken) == 1
    assert geometry.place_label([below], []) == 0
    # Nowhere free: the least hidden.
    assert geometry.place_label([(0, 40, 70, 12), (0, 40, 10, 12)], taken) == 1
    with pytest.raises(ValueError):
        geometry.place_label([], taken)


def test_recent_file_labels_show_the_folder_short():
    from digit_app.session.documents import recent_label

    assert recent_label("/home/ann/scans/a.png", home="/home/ann") == "a.png — ~/scans"
    assert recent_label("/home/annie/a.png", home="/home/ann") == "a.png — /home/annie"
    label = recent_label("/data/" + "x" * 30 + "/middle/" + "y" * 30 + "/b.pdf", home="/home/ann")
    name, folder = label.split(" — ")
    assert name == "b.pdf" and len(folder) == 48 and "…" in folder
    assert folder.startswith("/data/xx") and folder.endswith("yy")
    assert recent_label("c.png", home="/home/ann") == "c.png"
