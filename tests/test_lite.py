"""The LiteRT form of a model (digit_app/model/lite.py, lite_files.py): written beside the
.keras, checked against it, TensorFlow's answers; a damaged or mismatched file is converted
again where TensorFlow is installed and refused with one line where it is not."""
from __future__ import annotations

import json
import logging
import shutil
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from digit_app import cli
from digit_app.model import classifier, lite, lite_files
from digit_app.model.classifier import Classifier
from digit_app.model.lenet import build_lenet
from digit_app.model.lite_files import lite_info_path, lite_path
from digit_app.model.metadata import ModelError, ModelInfo, write_info

pytest.importorskip("ai_edge_litert")


def _save(path, seed: int):
    """An untrained LeNet (weights from ``seed``) saved at ``path`` with its metadata."""
    import keras

    keras.utils.set_random_seed(seed)
    model = build_lenet()
    model.save(path)
    write_info(path, ModelInfo())
    return model


@pytest.fixture()
def model_file(tmp_path, monkeypatch):
    """A model with its LiteRT pair beside it; a cache folder of its own."""
    monkeypatch.setenv("DIGIT_APP_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "m.keras"
    lite_files.export(_save(path, seed=1), path)
    return path


@pytest.fixture()
def other_model(tmp_path):
    """``(path, keras model)`` of a second model with other weights, its pair not written."""
    path = tmp_path / "other" / "m.keras"
    path.parent.mkdir()
    return path, _save(path, seed=2)


def _batch(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 32, 32, 1), dtype=np.float32)


def _no_conversion(monkeypatch):
    def refuse(model):
        raise AssertionError("converted again")

    monkeypatch.setattr(lite, "convert", refuse)


def test_pair_records_the_source_checksum(model_file):
    info = json.loads(lite_info_path(model_file).read_text())
    assert info["source"] == "m.keras"
    assert info["source_sha256"] == lite_files.sha256_of(model_file)
    assert info["sha256"] == lite_files.sha256_of(lite_path(model_file))
    assert info["bytes"] == lite_path(model_file).stat().st_size > 10_000
    assert info["converter"].startswith("tensorflow ") and "export-lite" in info["command"]


def test_loaded_model_runs_on_litert_with_tensorflows_answers(model_file, monkeypatch):
    _no_conversion(monkeypatch)  # the pair beside the model is read as it is
    clf = Classifier.load(model_file)
    assert clf.uses_lite and clf._model is None  # the .keras is not loaded to read
    for n in (1, 7, 3, 7):  # batch sizes change: the tensors are planned again
        x = _batch(n, seed=n)
        np.testing.assert_allclose(clf.predict(x), clf.model(x, training=False).numpy(), atol=1e-5)


def _swap_in(model_file, other_model):
    """``model_file`` now holds the other model; its old LiteRT pair is left beside it."""
    shutil.copy(other_model[0], model_file)
    return other_model[1]


def test_mismatched_pair_is_converted_again_into_the_cache(model_file, other_model, caplog):
    keras_model = _swap_in(model_file, other_model)
    with caplog.at_level(logging.WARNING):
        clf = Classifier.load(model_file)
    assert clf.uses_lite
    warning = caplog.records[-1].getMessage()
    assert "made from another model file" in warning and str(lite_path(model_file)) in warning
    assert "export-lite --model" in warning
    x = _batch(6)
    np.testing.assert_allclose(clf.predict(x), keras_model(x, training=False).numpy(), atol=1e-5)
    cached = lite_files.cache_stand_in(lite_files.sha256_of(model_file))
    assert lite_path(cached).is_file() and lite_info_path(cached).is_file()


def test_conversion_in_the_cache_is_read_back(model_file, other_model, monkeypatch):
    _swap_in(model_file, other_model)
    Classifier.load(model_file)
    _no_conversion(monkeypatch)
    assert Classifier.load(model_file).uses_lite


@pytest.mark.parametrize("damage", ["flatbuffer", "truncated", "metadata"])
def test_damaged_pair_is_converted_again(model_file, caplog, damage):
    flat = lite_path(model_file)
    if damage == "flatbuffer":
        data = bytearray(flat.read_bytes())
        data[len(data) // 2] ^= 0xFF
        flat.write_bytes(bytes(data))
    elif damage == "truncated":
        flat.write_bytes(flat.read_bytes()[:1000])
    else:
        lite_info_path(model_file).write_text("{not json")
    with caplog.at_level(logging.WARNING):
        clf = Classifier.load(model_file)
    assert clf.uses_lite and "damaged" in caplog.records[-1].getMessage()
    x = _batch(4)
    np.testing.assert_allclose(clf.predict(x), clf.model(x, training=False).numpy(), atol=1e-5)


@pytest.mark.parametrize("case", ["mismatched", "missing", "damaged"])
def test_unusable_pair_without_tensorflow_is_one_clear_line(model_file, other_model, monkeypatch,
                                                            capsys, tmp_path, case):
    monkeypatch.setattr(lite_files, "tensorflow_available", lambda: False)
    if case == "mismatched":
        _swap_in(model_file, other_model)
    elif case == "missing":
        lite_path(model_file).unlink()
    else:
        lite_path(model_file).write_bytes(b"not a flatbuffer")
    with pytest.raises(ModelError) as err:
        Classifier.load(model_file)
    message = str(err.value)
    assert str(lite_path(model_file)) in message and "export-lite --model" in message
    assert {"mismatched": "made from another model file", "missing": "no LiteRT model",
            "damaged": "damaged"}[case] in message

    image = tmp_path / "blank.png"
    import cv2

    cv2.imwrite(str(image), np.full((60, 60), 255, np.uint8))
    assert cli.main(["recognize", "--model", str(model_file), str(image)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digit-app: error: ") and "m.tflite" in lines[0]


def test_tensorflow_answers_where_litert_cannot_run(model_file, monkeypatch):
    monkeypatch.setattr(lite, "available", lambda: False)
    clf = Classifier.load(model_file)
    assert not clf.uses_lite
    x = _batch(5)
    np.testing.assert_allclose(clf.predict(x), clf.model(x, training=False).numpy(), atol=1e-5)


def test_backend_can_be_chosen(model_file, monkeypatch):
    assert not Classifier.load(model_file, backend="tensorflow").uses_lite
    monkeypatch.setenv(classifier.BACKEND_ENV, "tensorflow")
    assert not Classifier.load(model_file).uses_lite
    assert Classifier.load(model_file, backend="litert").uses_lite
    monkeypatch.setenv(classifier.BACKEND_ENV, "gpu")
    with pytest.raises(ModelError, match="DIGIT_APP_BACKEND=gpu"):
        Classifier.load(model_file)


def test_export_lite_command_writes_the_pair(other_model, capsys, monkeypatch):
    path, keras_model = other_model
    assert cli.main(["export-lite", "--model", str(path)]) == 0
    assert f"wrote {lite_path(path)}" in capsys.readouterr().out
    _no_conversion(monkeypatch)
    clf = Classifier.load(path)
    x = _batch(3)
    np.testing.assert_allclose(clf.predict(x), keras_model(x, training=False).numpy(), atol=1e-5)


def test_threads_share_one_runner(model_file):
    clf = Classifier.load(model_file)
    batches = [_batch(n, seed=n) for n in (1, 2, 3, 5, 8, 13) * 4]
    alone = [clf.predict(x) for x in batches]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(clf.predict, batches))
    for a, b in zip(alone, together):
        np.testing.assert_array_equal(a, b)
