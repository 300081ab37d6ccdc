"""Adapting the shipped model to a simulated writer: it learns the hand and keeps MNIST.

Never trains from scratch: every run fine-tunes models/lenet.keras (small MNIST test subsets
keep it quick; the benchmark measures on the full test set).
"""
import hashlib

import numpy as np
import pytest

from digit_app import userdata
from digit_app.adaptation import (
    AdaptCancelled,
    AdaptConfig,
    _decide,
    adapt,
    jitter_inputs,
    readiness,
    stratified_folds,
    user_accuracy,
)
from digit_app.model.classifier import DEFAULT_MODEL, Classifier
from digit_app.model.lite_files import lite_path, read_verified, sha256_of
from digit_app.model.metadata import ModelError, read_info
from digit_app.samples import SampleError, SampleStore
from digit_app.samples.simulated import fill_store, writer_arrays

PER_DIGIT = 30
MNIST_SUBSET = 2000  # test digits used to judge in tests (the benchmark uses all 10,000)


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def writer_store(tmp_path_factory):
    return fill_store(tmp_path_factory.mktemp("writer") / "samples", PER_DIGIT, seed=1)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    return fill_store(tmp_path_factory.mktemp("small") / "samples", 3, seed=2)


def test_folds_are_stratified_seeded_and_cover_every_sample_once():
    labels = np.repeat(np.arange(11), [8, 8, 8, 8, 8, 8, 8, 8, 8, 1, 4])
    folds = stratified_folds(labels, 4, seed=3)
    assert np.array_equal(np.sort(np.concatenate(folds)), np.arange(len(labels)))
    assert max(map(len, folds)) - min(map(len, folds)) <= 1
    for fold in folds:
        assert np.bincount(labels[fold], minlength=11)[:9].tolist() == [2] * 9
    again = stratified_folds(labels, 4, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(folds, again))
    assert not all(np.array_equal(a, b) for a, b in zip(folds, stratified_folds(labels, 4, seed=4)))


def test_readiness_says_how_many_more_samples_are_needed():
    assert readiness(20) == ""
    assert readiness(7) == "7 samples; adaptation needs at least 20 (correct 13 more digits, a few of each)"
    assert "1 more digit," in readiness(19)
    with pytest.raises(ValueError, match="folds"):
        AdaptConfig(folds=1)


def test_jitter_keeps_inputs_valid_and_close():
    x, _ = writer_arrays(1, seed=5)
    j = jitter_inputs(x, np.random.default_rng(0), AdaptConfig())
    assert j.shape == x.shape and j.dtype == np.float32 and j.min() >= 0 and j.max() <= 1
    assert not np.array_equal(j, x) and abs(float(j.sum() - x.sum())) < 0.25 * float(x.sum())


def test_decision_rule():
    cfg = AdaptConfig()
    assert _decide(0.7, 0.9, 0.9955, 0.9925, cfg)[0]  # exactly 0.3 points lost: kept
    kept, reason = _decide(0.7, 0.9, 0.9955, 0.9920, cfg)
    assert not kept and "0.35 points on MNIST" in reason
    kept, reason = _decide(0.9, 0.9, 0.99, 0.995, cfg)
    assert not kept and "better" in reason


def test_the_simulated_writer_is_hard_for_the_shipped_model():
    x, y = writer_arrays(10, seed=7)
    assert user_accuracy(Classifier.load(), x, y) < 0.85


@pytest.mark.slow
def test_a_few_dozen_samples_per_digit_teach_the_writer(writer_store, mnist_dir):
    shipped_hash = _sha(DEFAULT_MODEL)
    steps = []
    # Two folds keep the test short (the default is 4): three fine-tunings instead of five.
    outcome = adapt(writer_store, data_dir=mnist_dir, cfg=AdaptConfig(mnist_test_limit=MNIST_SUBSET, folds=2),
                    progress=lambda i, n, m: steps.append((i, n, m)))
    assert outcome.kept, outcome.summary()
    assert outcome.user_before < 0.85
    assert outcome.user_after >= outcome.user_before + 0.15  # a clear lift on held-out samples
    assert outcome.mnist_after >= outcome.mnist_before - 0.003  # at most 0.3 points lost
    # Every sample judged once, cross-validated; the kept model trained on all of them.
    assert outcome.held_out == outcome.trained_on == 10 * PER_DIGIT and outcome.mnist_test == MNIST_SUBSET
    assert outcome.folds == 2 and any("check 2/2" in m for _, _, m in steps)
    assert "Kept" in outcome.summary() and f"{100 * outcome.user_after:.1f}%" in outcome.summary()

    path = userdata.adapted_model_path()
    assert outcome.model_path == path and path.is_file() and path.with_suffix(".json").is_file()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp")]
    # Its LiteRT pair, made from the very file written: reading it needs no conversion.
    assert read_verified(path, sha256_of(path)) == lite_path(path).read_bytes()
    info = read_info(path)
    assert info.normalization == read_info(DEFAULT_MODEL).normalization
    assert info.training["base_model"] == str(DEFAULT_MODEL) and info.training["samples"] == 300
    assert info.training["user_after"] == round(outcome.user_after, 4)
    assert info.evaluation["accuracy"] == round(outcome.mnist_after, 4)
    assert _sha(DEFAULT_MODEL) == shipped_hash  # the shipped model is never touched

    assert [s[0] for s in steps] == sorted(s[0] for s in steps) and steps[-1][0] == steps[-1][1]
    # New samples of the same hand, never seen: the adapted model reads them much better.
    fx, fy = writer_arrays(10, seed=99)
    adapted = Classifier.load(path)
    assert user_accuracy(adapted, fx, fy) >= user_accuracy(Classifier.load(), fx, fy) + 0.15


@pytest.mark.slow
def test_cancel_stops_and_writes_nothing(small_store, mnist_dir, tmp_path):
    calls = []
    out = tmp_path / "models" / "adapted.keras"

    def should_stop():
        return any("epoch" in m for _, _, m in calls)  # the first training batch is done

    with pytest.raises(AdaptCancelled):
        adapt(small_store, out=out, data_dir=mnist_dir, cfg=AdaptConfig(mnist_test_limit=200),
              progress=lambda *a: calls.append(a), should_stop=should_stop)
    assert any("epoch 1/" in m for _, _, m in calls) and not any("epoch 2/" in m for _, _, m in calls)
    assert not any("final" in m for _, _, m in calls)
    assert not out.parent.exists() and not userdata.adapted_model_path().exists()


@pytest.mark.slow
def test_a_result_that_is_not_better_is_not_kept(small_store, mnist_dir, tmp_path):
    out = tmp_path / "adapted.keras"
    cfg = AdaptConfig(epochs=1, mnist_test_limit=200, min_user_gain=1.0)  # no gain can pass
    outcome = adapt(small_store, out=out, data_dir=mnist_dir, cfg=cfg)
    assert not outcome.kept and outcome.model_path is None and "better" in outcome.reason
    assert "Not kept" in outcome.summary()
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_too_few_samples_says_how_many_are_needed(tmp_path):
    store = SampleStore(tmp_path / "few")
    x, y = writer_arrays(1, seed=3)
    for xi, yi in zip(x, y):
        store.add(xi, (xi[:, :, 0] * 255).astype(np.uint8), int(yi), "draw")
    with pytest.raises(SampleError, match="10 samples; adaptation needs at least 20"):
        adapt(store)
    assert not userdata.adapted_model_path().exists()


def test_bad_output_and_model_paths(small_store, tmp_path):
    with pytest.raises(ModelError, match=r"must be a \.keras file"):
        adapt(small_store, out=tmp_path / "adapted.h5")
    with pytest.raises(ModelError, match="never overwritten"):
        adapt(small_store, out=DEFAULT_MODEL)
    with pytest.raises(ModelError, match=r"gone\.keras"):
        adapt(small_store, base_model=tmp_path / "gone.keras", out=tmp_path / "a.keras")
