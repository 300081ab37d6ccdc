"""The LiteRT path of the classifier (digit_app/model/lite.py): same answers as TensorFlow,
converted once and cached, TensorFlow again whenever LiteRT cannot be used."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from digit_app.model import lite
from digit_app.model.classifier import Classifier
from digit_app.model.lenet import build_lenet
from digit_app.model.metadata import ModelInfo, write_info

pytest.importorskip("ai_edge_litert")


@pytest.fixture()
def model_file(tmp_path, monkeypatch):
    """An untrained LeNet saved with its metadata; a cache folder of its own."""
    monkeypatch.setenv("DIGIT_APP_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "m.keras"
    build_lenet().save(path)
    write_info(path, ModelInfo())
    return path


def _batch(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 32, 32, 1), dtype=np.float32)


def test_loaded_model_runs_on_litert_with_tensorflows_answers(model_file):
    clf = Classifier.load(model_file)
    assert clf.uses_lite
    assert lite.cache_path(model_file).is_file()
    for n in (1, 7, 3, 7):  # batch sizes change: the tensors are planned again
        x = _batch(n, seed=n)
        np.testing.assert_allclose(clf.predict(x), clf.model(x, training=False).numpy(), atol=1e-5)


def test_second_load_reads_the_cache(model_file, monkeypatch):
    Classifier.load(model_file)

    def refuse(model):
        raise AssertionError("converted again")

    monkeypatch.setattr(lite, "convert", refuse)
    assert Classifier.load(model_file).uses_lite


def test_damaged_cache_file_is_made_again(model_file):
    cached = lite.cache_path(model_file)
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not a flatbuffer")
    clf = Classifier.load(model_file)
    assert clf.uses_lite
    assert cached.stat().st_size > 10_000
    x = _batch(4)
    np.testing.assert_allclose(clf.predict(x), clf.model(x, training=False).numpy(), atol=1e-5)


def test_tensorflow_answers_when_litert_cannot_run_the_model(model_file, monkeypatch):
    def fail(model):
        raise RuntimeError("converter refused")

    monkeypatch.setattr(lite, "convert", fail)
    clf = Classifier.load(model_file)
    assert not clf.uses_lite
    x = _batch(5)
    np.testing.assert_allclose(clf.predict(x), clf.model(x, training=False).numpy(), atol=1e-5)


def test_threads_share_one_runner(model_file):
    clf = Classifier.load(model_file)
    batches = [_batch(n, seed=n) for n in (1, 2, 3, 5, 8, 13) * 4]
    alone = [clf.predict(x) for x in batches]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(clf.predict, batches))
    for a, b in zip(alone, together):
        np.testing.assert_array_equal(a, b)
