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


def test_the_sample_assets_read_their_handwritten_numbers_and_nothing_else():
    """``assets/document.tiff`` (a form: printed labels and box rules beside handwritten
    amounts) and ``assets/drawing.png``, read by the shipped models as ``digit-app
    recognize`` reads them: exactly the numbers written on them (issue 14)."""
    from helpers import ROOT

    from digit_app.gui.devtools.sample_assets import DRAWING_NUMBERS, PAGES
    from digit_app.io.images import read_pages
    from digit_app.recognizer import Recognizer

    rec = Recognizer.load()
    pages = read_pages(ROOT / "assets" / "document.tiff")
    assert [[n.text for n in rec.recognize(p.image).numbers] for p in pages] == [
        [number for _label, number in page] for page in PAGES]
    drawing = read_pages(ROOT / "assets" / "drawing.png")[0].image
    assert [n.text for n in rec.recognize(drawing).numbers] == list(DRAWING_NUMBERS)
