"""Synthetic evaluation scenes (digit_app.data.scenes) and their scoring (scene_scoring)."""
from __future__ import annotations

import dataclasses
import hashlib

import cv2
import numpy as np
import pytest

from digit_app.data.scene_scoring import (
    SceneScore,
    SheetOutcome,
    iou,
    match_boxes,
    score_scene,
    score_sheet,
)
from digit_app.data.scenes import (
    KINDS,
    Scene,
    SceneConfig,
    TruthDigit,
    TruthNumber,
    make_scene,
    make_scenes,
)

SIZES = {"drawing": (300, 500), "scan": (1754, 1240), "webcam": (480, 640)}
SCENES_PER_KIND = 4
MIN_INK_CONTRAST = 40  # grey levels between a digit's darkest ink and the paper around it


@pytest.fixture(scope="module")
def mnist_test():
    from digit_app.data.mnist import MnistError, find_data_dir, load_split

    try:
        split = load_split(find_data_dir(), "test")
    except (MnistError, FileNotFoundError) as exc:
        pytest.skip(f"MNIST test split not available: {exc}")
    return split.images, split.labels


@pytest.fixture(scope="module")
def scenes(mnist_test):
    images, labels = mnist_test
    return {kind: make_scenes(kind, SCENES_PER_KIND, images, labels, seed=7) for kind in KINDS}


def _union(boxes):
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def _scan(base: SceneConfig, **changes) -> SceneConfig:
    """``base`` with ``changes`` to its scan settings."""
    return dataclasses.replace(base, scan=dataclasses.replace(base.scan, **changes))


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


# ------------------------------------------------------------------------------ generation


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_scene(mnist_test, kind):
    images, labels = mnist_test
    a = make_scene(kind, images, labels, np.random.default_rng(123))
    b = make_scene(kind, images, labels, np.random.default_rng(123))
    assert np.array_equal(a.image, b.image)
    assert (a.digits, a.numbers, a.distractors) == (b.digits, b.numbers, b.distractors)
    c = make_scene(kind, images, labels, np.random.default_rng(124))
    assert not np.array_equal(a.image, c.image)


#: sha256 (first 16 hex digits) of image bytes and truth of make_scenes(kind, 2, seed=2024).
#: A change here means the generator changed: every recorded scene figure (README, model
#: metadata) moves with it. Regenerate only on purpose (a deliberate change to the scenes, or
#: a new OpenCV, NumPy or set of installed fonts, which draw the pixels).
FINGERPRINTS = {
    "drawing": ("210b34a9684617e9", "5cc6fb217ff07809"),
    "scan": ("51f7297b41d31d85", "43140936aa435020"),
    "webcam": ("1f3ed12a420ed919", "837536fe00e2900b"),
    "touching": ("44fb666b523d3c1b", "1d73310271b65eee"),
}


def _fingerprint(scene: Scene) -> str:
    h = hashlib.sha256(np.ascontiguousarray(scene.image).tobytes())
    h.update(repr((scene.digits, scene.numbers, scene.distractors)).encode())
    return h.hexdigest()[:16]


@pytest.mark.parametrize("kind", list(FINGERPRINTS))  # touching-unipen: test_touching_scenes
def test_scenes_are_byte_identical_for_a_seed(mnist_test, kind):
    images, labels = mnist_test
    made = tuple(_fingerprint(s) for s in make_scenes(kind, 2, images, labels, seed=2024))
    assert made == FINGERPRINTS[kind]


def test_make_scenes_is_stable_in_n(mnist_test):
    images, labels = mnist_test
    one = make_scenes("drawing", 1, images, labels, seed=3)
    three = make_scenes("drawing", 3, images, labels, seed=3)
    assert np.array_equal(one[0].image, three[0].image)
    assert one[0].numbers == three[0].numbers
    assert not np.array_equal(three[0].image, three[1].image)


@pytest.mark.parametrize("kind", KINDS)
def test_size_dtype_and_counts(scenes, kind):
    cfg = SceneConfig()
    numbers_range, digits_range = {
        "drawing": (cfg.drawing.numbers, cfg.drawing.digits),
        "scan": (cfg.scan.numbers, cfg.scan.digits),
        "webcam": (cfg.webcam.numbers, cfg.webcam.digits),
    }[kind]
    for scene in scenes[kind]:
        assert isinstance(scene, Scene) and scene.kind == kind
        assert scene.image.shape == (*SIZES[kind], 3)
        assert scene.image.dtype == np.uint8
        assert numbers_range[0] <= len(scene.numbers) <= numbers_range[1]
        for number in scene.numbers:
            assert 1 <= len(number.digits) <= digits_range[1]
        if kind != "drawing":
            assert scene.distractors, "scan and webcam scenes carry distractors"


@pytest.mark.parametrize("kind", KINDS)
def test_truth_boxes_inside_and_on_dark_ink(scenes, kind):
    for scene in scenes[kind]:
        grey = cv2.cvtColor(scene.image, cv2.COLOR_BGR2GRAY).astype(np.float32)
        H, W = grey.shape
        for d in scene.digits:
            x, y, w, h = d.box
            assert w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= W and y + h <= H
            m = max(w, h) // 2
            paper = np.median(grey[max(0, y - m) : y + h + m, max(0, x - m) : x + w + m])
            ink = np.percentile(grey[y : y + h, x : x + w], 2)
            assert paper - ink >= MIN_INK_CONTRAST, (kind, d)
        for x, y, w, h in scene.distractors:
            assert w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= W and y + h <= H


def test_drawing_boxes_are_tight(scenes):
    """On the clean canvas every edge row/column of a truth box holds visible ink."""
    level = 255 * (1 - SceneConfig().truth_level) + 1
    for scene in scenes["drawing"]:
        grey = scene.image[:, :, 0]
        assert np.array_equal(grey, scene.image[:, :, 2]), "black ink on white"
        for d in scene.digits:
            x, y, w, h = d.box
            crop = grey[y : y + h, x : x + w]
            for edge in (crop[0], crop[-1], crop[:, 0], crop[:, -1]):
                assert edge.min() <= level, d


@pytest.mark.parametrize("kind", KINDS)
def test_numbers_consistent_and_digits_apart(scenes, kind):
    for scene in scenes[kind]:
        seen = []
        for number in scene.numbers:
            digits = [scene.digits[i] for i in number.digits]
            assert all(isinstance(d, TruthDigit) for d in digits)
            assert number.text == "".join(str(d.label) for d in digits)
            xs = [d.box[0] for d in digits]
            assert xs == sorted(xs), "digits of a number left to right"
            assert number.box == _union([d.box for d in digits])
            seen.extend(number.digits)
        assert sorted(seen) == list(range(len(scene.digits))), "each digit in one number"
        boxes = [d.box for d in scene.digits]
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                assert not _overlap(boxes[i], boxes[j]), (kind, boxes[i], boxes[j])
        for a in range(len(scene.numbers)):
            for b in range(a + 1, len(scene.numbers)):
                assert not _overlap(scene.numbers[a].box, scene.numbers[b].box)


def test_drawing_numbers_separated(scenes):
    for scene in scenes["drawing"]:
        for a in scene.numbers:
            for b in scene.numbers:
                if a is b:
                    continue
                dx = max(b.box[0] - (a.box[0] + a.box[2]), a.box[0] - (b.box[0] + b.box[2]), 0)
                dy = max(b.box[1] - (a.box[1] + a.box[3]), a.box[1] - (b.box[1] + b.box[3]), 0)
                # 1.5 digit heights apart (boxes are tight, digits a little smaller than drawn)
                assert max(dx, dy) >= 1.2 * min(a.box[3], b.box[3])


def test_scan_ruled_line_modes(mnist_test):
    images, labels = mnist_test
    base = _scan(SceneConfig(), table_probability=0.0)
    for mode in ("between", "baseline", "none"):
        cfg = _scan(base, ruled_line_mode=mode)
        scene = make_scene("scan", images, labels, np.random.default_rng(1), cfg)
        lines = [b for b in scene.distractors if b[2] > 0.8 * scene.image.shape[1]]
        if mode == "none":
            assert lines == []
            continue
        assert len(lines) >= cfg.scan.ruled_min_lines
        crossed = [any(_overlap(line, d.box) for line in lines) for d in scene.digits]
        if mode == "between":
            assert not any(crossed), "lines between the rows never cross a digit"
        else:
            assert np.mean(crossed) > 0.5, "writing on lined paper: lines under the digits"
    with pytest.raises(ValueError, match="ruled_line_mode"):
        cfg = _scan(base, ruled_line_mode="diagonal")
        make_scene("scan", images, labels, np.random.default_rng(1), cfg)


def test_rejects_bad_input(mnist_test):
    images, labels = mnist_test
    with pytest.raises(ValueError, match="unknown scene kind"):
        make_scene("photo", images, labels, np.random.default_rng(0))
    with pytest.raises(ValueError, match="test split"):
        big = np.zeros((60000, 28, 28), np.uint8)
        make_scene("drawing", big, np.zeros(60000, np.uint8), np.random.default_rng(0))
    with pytest.raises(ValueError):
        make_scene("drawing", images[:5], labels[:4], np.random.default_rng(0))


# ------------------------------------------------------------------------------ scoring


def _hand_scene() -> Scene:
    digits = (
        TruthDigit(4, (10, 10, 20, 30)),
        TruthDigit(2, (35, 10, 20, 30)),
        TruthDigit(7, (100, 100, 20, 30)),
    )
    numbers = (
        TruthNumber("42", (10, 10, 45, 30), (0, 1)),
        TruthNumber("7", (100, 100, 20, 30), (2,)),
    )
    distractors = ((200, 50, 60, 20),)  # a printed word
    return Scene("drawing", np.zeros((200, 300, 3), np.uint8), digits, numbers, distractors)


def _perfect(scene):
    boxes = [d.box for d in scene.digits]
    labels = [d.label for d in scene.digits]
    numbers = [(n.text, n.box) for n in scene.numbers]
    return boxes, labels, numbers


def test_score_perfect_prediction():
    scene = _hand_scene()
    score = score_scene(scene, *_perfect(scene))
    summary = score.summary()
    for key in ("detection_recall", "detection_precision", "digit_accuracy", "exact_number_rate"):
        assert summary[key] == 1.0
    assert summary["non_digit_rate"] == 0.0
    # boxes a bit off still match (IoU or centre inside each other)
    boxes = [(x + 3, y - 2, w + 2, h + 4) for x, y, w, h in _perfect(scene)[0]]
    assert score_scene(scene, boxes, _perfect(scene)[1], _perfect(scene)[2]).matched_digits == 3


def test_score_missing_digit():
    scene = _hand_scene()
    boxes, labels, _ = _perfect(scene)
    numbers = [("4", (10, 10, 20, 30)), ("7", (100, 100, 20, 30))]
    score = score_scene(scene, boxes[0:1] + boxes[2:], labels[0:1] + labels[2:], numbers)
    assert (score.truth_digits, score.matched_digits, score.false_detections) == (3, 2, 0)
    assert score.exact_numbers == 1  # "42" read as "4"
    s = score.summary()
    assert s["detection_recall"] == pytest.approx(2 / 3)
    assert s["detection_precision"] == 1.0
    assert s["exact_number_rate"] == 0.5


def test_score_wrong_label():
    scene = _hand_scene()
    boxes, labels, numbers = _perfect(scene)
    labels[1] = 3
    numbers[0] = ("43", numbers[0][1])
    score = score_scene(scene, boxes, labels, numbers)
    assert (score.matched_digits, score.correct_labels) == (3, 2)
    assert score.summary()["digit_accuracy"] == pytest.approx(2 / 3)
    assert score.summary()["detection_recall"] == 1.0
    assert score.exact_numbers == 1


def test_score_false_detection_on_distractor():
    scene = _hand_scene()
    boxes, labels, numbers = _perfect(scene)
    boxes.append((215, 52, 12, 16))  # a letter of the printed word read as a digit
    labels.append(1)
    boxes.append((12, 12, 8, 10))  # a fragment of the "4"
    labels.append(1)
    score = score_scene(scene, boxes, labels, numbers)
    assert score.false_detections == 2
    assert score.false_on_distractors == 1
    assert score.false_on_digits == 1
    s = score.summary()
    assert s["detection_precision"] == pytest.approx(3 / 5)
    assert s["non_digit_rate"] == pytest.approx(1 / 5)
    assert s["detection_recall"] == 1.0


def test_score_merge_and_empty():
    scene = _hand_scene()
    perfect = score_scene(scene, *_perfect(scene))
    empty = score_scene(scene, [], [], [])
    merged = SceneScore.merge([perfect, empty])
    assert merged.truth_digits == 6 and merged.matched_digits == 3
    assert merged.summary()["detection_recall"] == 0.5
    assert merged.summary()["detection_precision"] == 1.0
    assert SceneScore().summary()["non_digit_rate"] == 0.0
    with pytest.raises(ValueError):
        score_scene(scene, [(0, 0, 1, 1)], [], [])


def test_matching_is_one_to_one_and_rejects_spanning_box():
    truth = [(0, 0, 10, 20), (15, 0, 10, 20)]
    assert iou(truth[0], truth[0]) == 1.0
    # one box around both digits matches neither (centre falls between them)
    assert match_boxes(truth, [(0, 0, 25, 20)], 0.5) == []
    # two reports of the same digit: only one matches
    assert len(match_boxes(truth, [(0, 0, 10, 20), (1, 1, 9, 19)])) == 1


def test_webcam_frames_know_where_their_sheet_is(scenes):
    for kind in KINDS:
        for scene in scenes[kind]:
            if kind != "webcam":
                assert scene.sheet is None
                continue
            assert len(scene.sheet) == 4
            quad = np.array(scene.sheet, np.float32)
            assert cv2.contourArea(quad) > 0.1 * 480 * 640
            for d in scene.digits:  # the digits are written on the sheet
                x, y, w, h = d.box
                assert cv2.pointPolygonTest(quad, (x + w / 2, y + h / 2), False) > 0


def test_score_sheet_outcomes():
    shape = (100, 120)
    corners = ((20.0, 10.0), (100.0, 15.0), (95.0, 90.0), (25.0, 85.0))
    truth = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(truth, np.array(corners, np.int32), 255)
    inner = cv2.erode(truth, np.ones((5, 5), np.uint8))  # a reader keeps clear of the border
    assert score_sheet(corners, inner, shape) is SheetOutcome.FOUND
    assert score_sheet(corners, None, shape) is SheetOutcome.MISSED
    leak = inner.copy()
    leak[:, :20] = 255  # a strip of desk joined to the sheet
    assert score_sheet(corners, leak, shape) is SheetOutcome.LEAKED
    part = np.zeros(shape, np.uint8)
    part[30:60, 40:80] = 255  # on the paper, but a small part of it
    assert score_sheet(corners, part, shape) is SheetOutcome.SHORT
    digit = (60, 40, 10, 14)  # x, y, w, h of a digit written on the sheet
    assert score_sheet(corners, inner, shape, [digit]) is SheetOutcome.FOUND
    carved = inner.copy()
    carved[45:60, 62:75] = 0  # most of the paper, but the digit carved out of it
    assert score_sheet(corners, carved, shape) is SheetOutcome.FOUND
    assert score_sheet(corners, carved, shape, [digit]) is SheetOutcome.SHORT
    whole = ((-5.0, -5.0), (125.0, -5.0), (125.0, 105.0), (-5.0, 105.0))
    assert score_sheet(whole, None, shape) is SheetOutcome.NONE  # no desk in view
    assert score_sheet(None, inner, shape) is SheetOutcome.NONE
    with pytest.raises(ValueError, match="shape"):
        score_sheet(corners, inner[:50], shape)


def test_sheet_outcomes_add_up_over_scenes():
    scene = _hand_scene()
    outcomes = (SheetOutcome.FOUND, SheetOutcome.MISSED, SheetOutcome.LEAKED, SheetOutcome.SHORT,
                SheetOutcome.NONE)
    total = SceneScore.merge(score_scene(scene, *_perfect(scene), sheet=o) for o in outcomes)
    assert (total.sheets, total.sheets_found, total.sheets_missed, total.sheets_leaked) == (4, 1, 1, 1)
    s = total.summary()
    assert (s["sheet_found_rate"], s["sheet_missed_rate"], s["sheet_leak_rate"]) == (0.25, 0.25, 0.25)
    assert SceneScore().summary()["sheet_found_rate"] == 1.0  # nothing to find
    from digit_app.scene_eval import KindReport, format_report

    report = KindReport("webcam", 5, total, 0.01)
    assert report.to_dict()["sheets"] == 4 and report.to_dict()["sheet_leak_rate"] == 0.25
    assert "sheet found 0.250, missed 0.250, running onto the desk 0.250 of 4" in format_report(report)
    assert "sheet" not in format_report(KindReport("drawing", 1, SceneScore(), 0.01))


@pytest.mark.parametrize("kind", KINDS)
def test_truth_scores_perfectly_on_generated_scene(scenes, kind):
    scene = scenes[kind][0]
    score = score_scene(scene, *_perfect(scene))
    assert score.summary()["exact_number_rate"] == 1.0
    assert score.summary()["detection_precision"] == 1.0


def test_scan_forms_have_printed_labels_tables_boxes_and_stamps(mnist_test):
    images, labels = mnist_test
    cfg = _scan(
        SceneConfig(), header_probability=1.0, footer_probability=1.0,
        grid_probability=1.0, stamp_probability=1.0, checkboxes=(3, 3),
        word_probability=1.0, font_label_probability=1.0)
    plain = _scan(
        cfg, header_probability=0.0, footer_probability=0.0, grid_probability=0.0,
        stamp_probability=0.0, checkboxes=(0, 0), word_probability=0.0)
    rich = make_scene("scan", images, labels, np.random.default_rng(7), cfg)
    bare = make_scene("scan", images, labels, np.random.default_rng(7), plain)
    assert len(rich.distractors) >= len(bare.distractors) + 8
    for d in rich.digits:  # printed things never cover the handwriting
        assert not any(_overlap(d.box, b) for b in rich.distractors
                       if b[2] < 0.5 * rich.image.shape[1] and b[3] < 0.5 * rich.image.shape[0])
    # Labels as tall as the handwriting: some printed thing is at least 0.8 digit heights.
    tallest = max(d.box[3] for d in rich.digits)
    assert any(0.5 * tallest <= b[3] <= 1.5 * tallest and b[2] > b[3] for b in rich.distractors)


def test_scan_settings_leave_drawings_and_webcam_frames_alone(mnist_test):
    images, labels = mnist_test
    cfg = _scan(SceneConfig(), grid_probability=1.0, stamp_probability=1.0, labels=("Other",))
    for kind in ("drawing", "webcam"):
        a = make_scene(kind, images, labels, np.random.default_rng(2))
        b = make_scene(kind, images, labels, np.random.default_rng(2), cfg)
        np.testing.assert_array_equal(a.image, b.image)
        assert a.distractors == b.distractors


def test_scene_evaluation_reads_the_digits_it_is_given(mnist_test, monkeypatch):
    """``evaluate_scenes(digits=...)``: MNIST loaded once by a caller that reads several seeds
    (``benchmarks/bench_scene_seeds.py``) gives the figures of loading it each time, and is
    not loaded again."""
    from digit_app import scene_eval
    from digit_app.recognizer import Recognizer

    rec = Recognizer.load()
    loaded = scene_eval.evaluate_scenes(rec, 2, ["drawing"], seed=5)[0]

    def no_loading(*_args):
        raise AssertionError("MNIST loaded again")

    monkeypatch.setattr(scene_eval, "load_test_digits", no_loading)
    given = scene_eval.evaluate_scenes(rec, 2, ["drawing"], seed=5, digits=mnist_test)[0]
    assert given.score.truth_digits == loaded.score.truth_digits > 0
    assert given.score.summary() == loaded.score.summary()
