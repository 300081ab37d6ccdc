"""The model in models/ is what `digit-app train` made, and its metadata tells the truth."""
import numpy as np
import pytest

from digit_app.model.classifier import DEFAULT_MODEL, Classifier
from digit_app.model.evaluation import evaluate_classifier
from digit_app.model.metadata import read_info

MAX_FILE_BYTES = 2_000_000
# The product's target is 0.995 (issue 12). The model trained on real handwriting as well
# reads 0.9949: five MNIST test digits more wrong than the MNIST-only model, for 2-6 points more
# on held-out real writers. This guards against a worse regression.
MIN_ACCURACY = 0.994


@pytest.fixture(scope="module")
def shipped():
    assert DEFAULT_MODEL.is_file(), f"the shipped model {DEFAULT_MODEL} is missing"
    return Classifier.load()


def test_metadata_describes_the_model(shipped):
    info = read_info(DEFAULT_MODEL)
    assert info.parameters == shipped.model.count_params()
    # `digit-app train`, or `digit-app combine` of nets that `digit-app train` made
    trainings = info.training.get("members") or [info.training]
    assert info.training["command"].startswith(("digit-app train", "digit-app combine"))
    assert all(t.get("command", info.training["command"]).startswith("digit-app train")
               for t in trainings)
    assert set(info.training["data_sha256"]) == {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    }
    assert DEFAULT_MODEL.stat().st_size < MAX_FILE_BYTES


def test_evaluation_matches_metadata(shipped, mnist_dir):
    recorded = read_info(DEFAULT_MODEL).evaluation
    measured = evaluate_classifier(shipped, mnist_dir).summary()
    assert measured["samples"] == recorded["samples"] == 10_000
    assert measured["errors"] == recorded["errors"]
    assert measured["accuracy"] == pytest.approx(recorded["accuracy"], abs=1e-4)
    assert measured["accuracy_with_rejection"] == pytest.approx(recorded["accuracy_with_rejection"], abs=1e-4)
    assert measured["rejected_as_not_digit"] == recorded["rejected_as_not_digit"]
    assert measured["accuracy"] >= MIN_ACCURACY
    assert np.array_equal(measured["confusion"], recorded["confusion"])


@pytest.mark.parametrize("name", ["lenet", "printed", "pairs"])
def test_shipped_litert_file_is_made_from_the_shipped_model(name):
    """Reading uses models/<name>.tflite; made from another <name>.keras, it would be refused
    (or converted again at every start where TensorFlow is installed)."""
    from digit_app.model.lite_files import LiteFileError, read_verified, sha256_of

    model = DEFAULT_MODEL.with_name(f"{name}.keras")
    try:
        read_verified(model, sha256_of(model))
    except LiteFileError as exc:
        how = {"lenet": "export-lite", "printed": "train --print-model", "pairs": "train --pair-model"}
        pytest.fail(f"{exc}: models/{name}.tflite and .lite.json must come from models/{name}.keras "
                    f"(`digit-app {how[name]}` writes all three)")
