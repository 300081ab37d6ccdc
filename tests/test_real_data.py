"""Real handwriting sets: loaders, held-out splits, pen rendering and styles, on tiny files made
here in the shared sets' formats (the full sets are not needed)."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from digit_app.data import real
from digit_app.data.pen import DEFAULT_PEN, random_pen_digit, render_strokes
from digit_app.data.styles import TEMPLATES, style_digit
from digit_app.pipeline.normalize import normalize_digit

SITES = ("apb", "syn", "ced", "uqb")


def _one_stroke(label: int, sample: int = 0) -> list[np.ndarray]:
    """A crude digit-ish stroke in tablet units (y up), different per label and sample."""
    t = np.linspace(0, 1, 20)
    x = 100 * np.cos(2 * np.pi * t * (1 + label % 3)) + 100 + sample
    y = 400 * (1 - t) + 20 * label
    return [np.stack([x, y], 1).astype(np.int16), np.array([[150, 200], [180, 220]], np.int16)]


@pytest.fixture
def real_dir(tmp_path):
    """A folder holding tiny unipen/, bhmsds/ and kensanata16/ files in the shared formats."""
    rng = np.random.default_rng(0)
    labels, org, writer, sample_off, stroke_off, points = [], [], [], [0], [0], []
    for i in range(40):
        label, site = i % 10, SITES[i % 4]
        strokes = _one_stroke(label, i)
        labels.append(label)
        org.append(site)
        writer.append(f"w{i % 3}")
        for s in strokes:
            points.append(s)
            stroke_off.append(stroke_off[-1] + len(s))
        sample_off.append(sample_off[-1] + len(strokes))
    suspect = np.zeros(40, bool)
    suspect[5] = True
    (tmp_path / "unipen").mkdir()
    np.savez(tmp_path / "unipen" / "unipen-digits.npz", label=np.array(labels, np.uint8),
             org=np.array(org), writer=np.array(writer), sample_offsets=np.array(sample_off, np.int64),
             stroke_offsets=np.array(stroke_off, np.int64), points=np.concatenate(points),
             x_res=np.full(40, 50, np.float32), y_res=np.full(40, 50, np.float32), suspect=suspect)
    for name, side, order in (("bhmsds", 28, "ids"), ("kensanata16", 16, "source_index")):
        images = np.full((50, side, side), 230, np.uint8)
        for k in range(50):  # a dark bar, a different place per image
            c = 3 + k % (side - 8)
            images[k, 2 : side - 2, c : c + 3] = 40
        (tmp_path / name).mkdir()
        np.savez(tmp_path / name / real.SETS[name], images=images,
                 labels=np.repeat(np.arange(10), 5).astype(np.uint8),
                 **{order: rng.permutation(50).astype(np.uint16)})
    return tmp_path


def test_unipen_strokes_are_millimetres_y_down_and_sites_are_held_out(real_dir):
    s = real.load_unipen(real_dir)
    assert len(s.labels) == 39  # the suspect sample left out
    first = s.strokes[0][0]
    assert first.dtype == np.float32
    assert first[0, 1] < first[-1, 1]  # the stroke went down the tablet: y grows downward here
    assert np.allclose(first[:, 0], _one_stroke(0)[0][:, 0] / 50)
    assert set(s.site[s.held_out]) <= set(real.HELD_OUT_SITES)
    assert set(s.site[~s.held_out]) == {"apb", "syn"}
    assert s.part(True).held_out.all() and not s.part(False).held_out.any()


def test_image_sets_hold_out_the_last_fifth_of_each_class_in_file_order(real_dir):
    for load, name in ((real.load_bhmsds, "bhmsds"), (real.load_kensanata, "kensanata16")):
        s = load(real_dir)
        raw = real.load_photos(name, real_dir)
        assert s.images.shape == (50, 28, 28) and s.images.dtype == np.uint8
        order = np.load(real_dir / name / real.SETS[name])[real._FILE_ORDER[name]]
        for c in range(10):
            idx = np.flatnonzero(s.labels == c)
            held = idx[s.held_out[idx]]
            assert len(held) == 1  # 20% of 5
            assert order[held[0]] == order[idx].max()
        assert np.array_equal(raw.held_out, s.held_out)
        # bright ink on black, fitted like MNIST: the bar is inside the central 20x20
        assert s.images[0].max() > 200 and s.images[0][:4].max() == 0


def test_missing_set_says_where_it_looked(tmp_path):
    with pytest.raises(real.RealDataError, match=r"unipen-digits\.npz.*Looked in"):
        real.load_unipen(tmp_path)


def test_damaged_file_names_the_file(tmp_path):
    (tmp_path / "bhmsds").mkdir()
    bad = tmp_path / "bhmsds" / "bhmsds-digits.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(real.RealDataError, match=r"bhmsds-digits\.npz"):
        real.load_bhmsds(tmp_path)


def test_training_digits_never_include_held_out_samples(real_dir):
    rt = real.training_digits(real_dir)
    uni = real.load_unipen(real_dir)
    held_strokes = {uni.strokes[i][0].tobytes() for i in np.flatnonzero(uni.held_out)}
    train_strokes = {s[0].tobytes() for s in rt.train.strokes if s is not None}
    assert train_strokes and not (train_strokes & held_strokes)
    # kensanata16 is shown twice; every image set's training digit comes from its training part
    assert np.count_nonzero(rt.train.source == "kensanata16") % real.KENSANATA_REPEAT == 0
    assert set(rt.sha256) == set(real.SETS.values())
    assert len(rt.validation.labels) > 0


def test_mnist_layout_fits_ink_into_20_and_centres_it():
    ink = np.zeros((100, 40), np.uint8)
    ink[10:90, 15:25] = 255
    out = real.mnist_layout(ink)
    rows, cols = np.nonzero(out > 40)
    assert rows.max() - rows.min() + 1 == 20
    assert abs(rows.mean() - 13.5) < 1.5 and abs(cols.mean() - 13.5) < 1.5


def test_render_strokes_gives_the_height_and_pen_asked_for():
    strokes = [np.array([[0, 0], [0, 10]], np.float32)]
    img = render_strokes(strokes, 100, 3)
    rows, cols = np.nonzero(img > 127)
    assert 98 <= rows.max() - rows.min() <= 104
    assert 3 <= cols.max() - cols.min() + 1 <= 5  # OpenCV's anti-aliased pen: about w + 1
    dot = render_strokes([np.array([[5, 5]], np.float32)], 10, 6)
    assert dot.max() == 255  # a single point is a dot, not nothing


def test_random_pen_digit_survives_normalization_in_every_situation():
    rng = np.random.default_rng(3)
    strokes = [np.stack([np.zeros(10), np.linspace(0, 20, 10)], 1).astype(np.float32)]
    for name, _ in DEFAULT_PEN.situations:
        cfg = DEFAULT_PEN.__class__(situations=((name, 1.0),))
        for _ in range(5):
            ink = random_pen_digit(strokes, rng, cfg)
            assert ink.dtype == np.uint8 and set(np.unique(ink)) <= {0, 255}
            assert normalize_digit(ink).max() > 0.5, name


def test_every_style_template_draws_its_digit():
    rng = np.random.default_rng(0)
    for name, (label, _) in TEMPLATES.items():
        got, strokes = style_digit(name, rng)
        assert got == label
        assert all(s.ndim == 2 and s.shape[1] == 2 for s in strokes)
        pts = np.concatenate(strokes)
        assert pts.min() > -0.2 and pts.max() < 1.3


def test_a_phi_zero_is_a_small_ring_on_a_stroke_reaching_past_it_both_ways():
    """Slashed 0s written like a phi (a CEDAR writer's): not a 9, whose stem stops at its loop."""
    from dataclasses import replace

    from digit_app.data.styles import DEFAULT_STYLE

    cfg = replace(DEFAULT_STYLE, phi_share=1.0, point_jitter=0.0)
    rng = np.random.default_rng(3)
    for _ in range(50):
        label, (ring, slash) = style_digit("slashed_0", rng, cfg)
        assert label == 0
        ring_top, ring_bottom = ring[:, 1].min(), ring[:, 1].max()
        assert ring_bottom - ring_top <= cfg.phi_ring_height[1] + 1e-6
        assert slash[:, 1].min() <= ring_top - cfg.phi_min_above + 1e-6
        assert slash[:, 1].max() >= ring_bottom + 0.1


def test_a_hairline_on_a_big_canvas_reaches_the_model():
    """A 1-px mouse stroke on a 500-px digit used to average away to an empty model input."""
    img = np.zeros((500, 300), np.uint8)
    cv2.line(img, (150, 10), (150, 490), 255, 1)
    cv2.line(img, (60, 90), (150, 10), 255, 1)
    out = normalize_digit(img)
    rows, cols = np.nonzero(out > 0.5)
    assert rows.max() - rows.min() + 1 >= 18  # the whole height of the 1
    stem = cols[rows == rows.max()].min()
    assert cols.min() <= stem - 2  # and its flag, left of the stem


def test_evaluate_real_reports_every_source_with_its_figures(real_dir, capsys):
    from digit_app.cli import main

    assert main(["evaluate", "--real", "--real-data", str(real_dir), "--json"]) == 0
    out = __import__("json").loads(capsys.readouterr().out)
    sources = {s["source"]: s for s in out["sources"]}
    assert set(sources) == {"unipen-pen", "unipen-mouse", "bhmsds", "kensanata16",
                            "bhmsds-file", "kensanata16-file"}
    uni_held = int(real.load_unipen(real_dir).held_out.sum())
    assert sources["unipen-pen"]["samples"] == uni_held
    assert sources["bhmsds"]["samples"] == sources["bhmsds-file"]["samples"] == 10  # one per class held out
    for s in sources.values():
        assert 0 <= s["accuracy"] <= 1 and 0 <= s["no_digit_rate"] <= 1
        wrong_or_missed = sum(c["count"] for c in s["top_confusions"])
        assert wrong_or_missed <= s["samples"]
    assert out["all"]["samples"] == sum(s["samples"] for s in sources.values())
    # The label audits were made on the shared files, not on these: no audited figures.
    assert all(s["labels_audited"] is None for s in sources.values())


def test_an_audit_of_the_file_read_counts_disputed_labels_apart(real_dir, monkeypatch):
    from types import SimpleNamespace as NS

    from digit_app.data import label_audit
    from digit_app.real_eval import evaluate_real

    class ReadsThree:  # reads every image as a 3
        def recognize_many(self, images):
            return [NS(digits=[NS(label=3)], candidates=[]) for _ in images]

    held = real.load_photos("bhmsds", real_dir).part(held_out=True)
    three, first = int(np.flatnonzero(held.labels == 3)[0]), int(np.flatnonzero(held.labels == 0)[0])
    audit = label_audit.Audit(real.sha256(real.find_file("bhmsds", real_dir)), {
        three: label_audit.Disputed(3, "8", label_audit.OTHER),  # read "right", but it is an 8
        first: label_audit.Disputed(0, "6", label_audit.AMBIGUOUS)})
    monkeypatch.setitem(label_audit.AUDITS, "bhmsds", audit)
    reports = {r.source: r.to_dict() for r in evaluate_real(ReadsThree(), real_dir)}
    bh = reports["bhmsds"]
    assert bh["samples"] == 10 and bh["accuracy"] == 0.1
    assert bh["labels_audited"] == {"disputed_other": 1, "accuracy_confirmed": 0.0,
                                    "disputed_ambiguous": 1, "accuracy_unambiguous": 0.0}
    assert reports["bhmsds-file"]["labels_audited"] == bh["labels_audited"]
    assert reports["kensanata16"]["labels_audited"] is None

    # An audit whose labels do not match the file says so instead of counting wrong samples.
    wrong = label_audit.Audit(audit.file_sha256, {three: label_audit.Disputed(5, "8", label_audit.OTHER)})
    monkeypatch.setitem(label_audit.AUDITS, "bhmsds", wrong)
    with pytest.raises(real.RealDataError, match="labelled 5, the data file says 3"):
        evaluate_real(ReadsThree(), real_dir)


def test_every_audited_digit_is_read_otherwise_than_labelled():
    from digit_app.data.label_audit import AMBIGUOUS, AUDITS, OTHER

    for audit in AUDITS.values():
        assert len(audit.file_sha256) == 64 and audit.disputed
        for d in audit.disputed.values():
            assert d.kind in (OTHER, AMBIGUOUS) and d.reads != str(d.label)


def test_source_report_tells_no_digit_from_a_wrong_one():
    from types import SimpleNamespace as NS

    from digit_app.real_eval import SourceReport

    r = SourceReport("x")
    r.add(3, NS(digits=[NS(label=3)], candidates=[]))
    r.add(3, NS(digits=[NS(label=8)], candidates=[]))
    r.add(1, NS(digits=[], candidates=[NS(probabilities=[0.0] * 10 + [1.0])]))
    r.add(1, NS(digits=[], candidates=[]))
    d = r.to_dict()
    assert (d["accuracy"], d["no_digit_rate"], d["wrong_rate"]) == (0.25, 0.5, 0.25)
    assert d["rejected_as_not_digit"] == 1
    assert {(c["truth"], c["read"]) for c in d["top_confusions"]} == {("3", "8"), ("1", "-")}


@pytest.mark.slow
def test_training_with_real_data_records_what_it_used(real_dir, mnist_dir, tmp_path):
    from digit_app.model.metadata import read_info
    from digit_app.model.training import TrainConfig, train

    cfg = TrainConfig(epochs=2, limit=600, validation_size=100, real_dir=str(real_dir), members=1)
    result = train(tmp_path / "m.keras", mnist_dir, cfg, command="test", log=lambda _: None)
    used = read_info(result.model_path).training["real_data"]
    assert used["sha256"] == {real.SETS[n]: real.sha256(real.find_file(n, real_dir)) for n in real.SETS}
    assert set(used["train_digits"]) == {"unipen", "bhmsds", "kensanata16"}
    assert used["held_out"]["unipen_sites"] == list(real.HELD_OUT_SITES)
    assert len(result.history) == 2
