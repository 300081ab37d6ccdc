import contextlib
import io
import json

import numpy as np
import pytest

from digit_app.model.classifier import Classifier, load_keras_model
from digit_app.model.lenet import build_lenet
from digit_app.model.lite import available as lite_available
from digit_app.model.lite_files import lite_path, read_verified, sha256_of
from digit_app.model.metadata import ModelError, ModelInfo, metadata_path, read_info, write_info
from digit_app.model.training import TrainConfig, train
from digit_app.types import NUM_CLASSES

MAX_PARAMETERS = 250_000


def test_lenet_shape_and_size():
    model = build_lenet()
    assert model.input_shape == (None, 32, 32, 1)
    assert model.output_shape == (None, NUM_CLASSES)
    assert model.count_params() < MAX_PARAMETERS
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds.count("Conv2D") == 2 and kinds.count("MaxPooling2D") == 2
    assert kinds.count("Dense") == 3  # two hidden layers and the output
    assert not any("Lambda" in k for k in kinds)


@pytest.fixture(scope="module")
def tiny_training(tmp_path_factory, mnist_dir):
    """A tiny run with its progress bars forced on: ``(result, log lines, standard error)``."""
    out = tmp_path_factory.mktemp("tiny") / "tiny.keras"
    cfg = TrainConfig(epochs=3, limit=3000, validation_size=600, real_data=False, members=1)
    lines: list[str] = []
    with contextlib.redirect_stderr(io.StringIO()) as err:
        result = train(out, mnist_dir, cfg, command="test", log=lines.append, progress=True)
    return result, lines, err.getvalue()


@pytest.fixture(scope="module")
def tiny_model(tiny_training):
    return tiny_training[0]


@pytest.mark.slow
def test_tiny_training_learns_and_round_trips(tiny_model):
    assert tiny_model.model_path.is_file() and metadata_path(tiny_model.model_path).is_file()
    info = read_info(tiny_model.model_path)
    assert info.evaluation["samples"] == 10_000
    assert info.evaluation["accuracy"] > 0.6  # chance is 0.1
    assert info.parameters == build_lenet().count_params()
    history = info.training["history"]
    assert [row["epoch"] for row in history] == [1, 2, 3]
    assert all(set(row) == {"epoch", "loss", "accuracy", "val_accuracy", "seconds", "data_seconds"}
               for row in history)
    assert info.training["best_val_accuracy"] == max(row["val_accuracy"] for row in history)
    path = tiny_model.model_path
    assert read_verified(path, sha256_of(path)) == lite_path(path).read_bytes()
    clf = Classifier.load(path)
    assert clf.uses_lite == lite_available()
    x = np.random.default_rng(0).random((5, 32, 32, 1), dtype=np.float32)
    direct = clf.predict(x)
    keras_predict = clf.model.predict(x, verbose=0)
    np.testing.assert_allclose(direct, keras_predict, atol=1e-5)
    np.testing.assert_allclose(direct.sum(axis=1), 1.0, atol=1e-5)
    assert clf.predict(np.zeros((0, 32, 32, 1), np.float32)).shape == (0, NUM_CLASSES)


def test_missing_model_file(tmp_path):
    with pytest.raises(ModelError, match="not found") as err:
        Classifier.load(tmp_path / "nope.keras")
    assert "nope.keras" in str(err.value)


def test_damaged_model_file(tmp_path):
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"PK\x03\x04 this is not a keras archive")
    write_info(bad, ModelInfo())
    with pytest.raises(ModelError, match="damaged") as err:
        Classifier.load(bad)
    assert "bad.keras" in str(err.value)


@pytest.mark.slow
def test_truncated_model_file(tmp_path, tiny_model):
    data = tiny_model.model_path.read_bytes()
    cut = tmp_path / "cut.keras"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError):
        load_keras_model(cut)


def test_missing_or_bad_metadata(tmp_path):
    with pytest.raises(ModelError, match="metadata not found"):
        read_info(tmp_path / "m.keras")
    (tmp_path / "m.json").write_text("{not json")
    with pytest.raises(ModelError, match="not valid JSON"):
        read_info(tmp_path / "m.keras")
    (tmp_path / "m.json").write_text(json.dumps({"classes": ["0", "1"]}))
    with pytest.raises(ModelError, match="classes"):
        read_info(tmp_path / "m.keras")


@pytest.mark.slow
def test_tiny_training_logs_each_epoch_and_shows_bars_when_forced(tiny_training):
    result, lines, err = tiny_training
    epochs = [line for line in lines if line.startswith("epoch ")]
    assert [line.split(":")[0] for line in epochs] == ["epoch 1/3", "epoch 2/3", "epoch 3/3"]
    assert "* best" in epochs[0]  # the first epoch is the best so far
    assert any(line.startswith("saved ") and "MNIST test accuracy" in line for line in lines)
    assert "epoch 1/3" in err and "batch" in err and "evaluate" in err  # the bars
    best = max(range(3), key=lambda k: (result.history[k]["val_accuracy"], k))
    # The model kept is the best epoch's (the later one on a tie): the line that says so.
    assert epochs[best].endswith("  * best")
