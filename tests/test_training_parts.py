"""The parts of ``digit-app train`` around ``model.fit``: the PyDataset of fresh epochs, the
best-epoch callback, the helper models' best-epoch loop, and the progress bars (shown when
forced, never on a captured stream)."""
import subprocess
import sys

import numpy as np
import pytest
from helpers import ROOT, SHIPPED_MODEL

from digit_app.batch import FILES_FOR_A_FILE_BAR, _with_progress
from digit_app.batch.pages import TaskResult
from digit_app.model.callbacks import BestEpoch, EpochBar
from digit_app.model.epochs import AugmentedEpochs, batch_bounds
from digit_app.model.helper_training import fit_keeping_best
from digit_app.model.progress import progress_bar, shown


def test_batch_bounds_full_batches_then_the_rest():
    assert batch_bounds(300, 3, 128).tolist() == [0, 128, 256, 300]
    assert batch_bounds(256, 2, 128).tolist() == [0, 128, 256]


@pytest.mark.parametrize("samples", [255, 258])  # a later epoch a little shorter or longer
def test_batch_bounds_keep_the_batch_count_fit_started_with(samples):
    bounds = batch_bounds(samples, 2, 128)
    assert len(bounds) == 3 and bounds[0] == 0 and bounds[-1] == samples
    assert set(np.diff(bounds)) <= {127, 128, 129}


class FakeMaker:
    """EpochMaker's interface: epoch ``seed`` is ``n`` samples whose pixels all equal ``seed``."""

    def __init__(self, n):
        self.n, self.calls = n, []

    def prefetch(self, seed):
        self.calls.append(("prefetch", seed))

    def make(self, seed):
        self.calls.append(("make", seed))
        return np.full((self.n, 32, 32, 1), seed, np.float32), np.arange(self.n) % 11


def test_epochs_come_in_order_with_the_next_one_prefetched():
    maker = FakeMaker(300)
    first = (np.zeros((300, 32, 32, 1), np.float32), np.arange(300) % 11)
    data = AugmentedEpochs(lambda: first, maker, seed_base=1000, epochs=3, batch_size=128,
                           num_classes=11)
    assert maker.calls == [("prefetch", 1001)]  # the workers start while epoch 0 is made
    assert len(data) == 3 and len(data.data_seconds) == 1
    seen = []
    for _ in range(3):
        data.on_epoch_begin()
        batches = [data[i] for i in range(len(data))]
        assert [len(x) for x, _ in batches] == [128, 128, 44]
        x = np.concatenate([b[0] for b in batches])
        y = np.concatenate([b[1] for b in batches])
        np.testing.assert_array_equal(y.argmax(axis=1), np.arange(300) % 11)  # one-hot, in order
        assert y.shape == (300, 11) and y.sum() == 300
        seen.append(float(x.max()))
        data.on_epoch_end()
    assert seen == [0.0, 1001.0, 1002.0]
    assert maker.calls == [("prefetch", 1001), ("make", 1001), ("prefetch", 1002), ("make", 1002)]
    assert len(data.data_seconds) == 3


class FakeModel:
    """Predicts ``predictions[version]`` whatever it is given; its weights are its version."""

    def __init__(self, predictions):
        self.predictions, self.version = predictions, 0

    def predict(self, x, batch_size, verbose):
        return np.eye(11)[self.predictions[self.version]]

    def get_weights(self):
        return [np.array(self.version)]


def test_best_epoch_rows_lines_and_ties_to_the_later_epoch():
    data = AugmentedEpochs(lambda: (np.zeros((4, 32, 32, 1), np.float32), np.zeros(4, int)),
                           FakeMaker(4), 0, 1, 2, 11)
    data.data_seconds += [0.0, 0.0, 0.0]  # as if epochs 1 to 3 had been served
    lines = []
    best = BestEpoch(np.zeros((4, 32, 32, 1), np.float32), np.array([0, 1, 2, 3]), data, lines.append)
    model = FakeModel([[0, 9, 9, 9], [0, 1, 2, 9], [0, 1, 9, 3], [9, 9, 9, 9]])
    best.set_model(model)
    best.set_params({"epochs": 4})
    for epoch in range(4):
        model.version = epoch
        best.on_epoch_begin(epoch)
        best.on_epoch_end(epoch, {"loss": 0.5, "accuracy": 0.75})
    assert [row["val_accuracy"] for row in best.history] == [0.25, 0.75, 0.75, 0.0]
    assert [row["epoch"] for row in best.history] == [1, 2, 3, 4]
    assert set(best.history[0]) == {"epoch", "loss", "accuracy", "val_accuracy", "seconds",
                                    "data_seconds"}
    assert best.best_accuracy == 0.75 and int(best.best_weights[0]) == 2  # the tie: the later
    assert lines[0].startswith("epoch 1/4: loss 0.5000 acc 0.7500 val_acc 0.2500 (")
    assert [line.endswith("  * best") for line in lines] == [True, True, True, False]


def test_bar_only_when_forced_or_on_a_terminal(capsys):
    for _ in progress_bar(range(3), progress=None, desc="auto"):  # captured: not a terminal
        pass
    for _ in progress_bar(range(3), progress=False, desc="never"):
        pass
    assert capsys.readouterr().err == ""
    assert not shown(None) and shown(True) and not shown(False)
    for _ in progress_bar(range(3), progress=True, desc="forced", unit="thing"):
        pass
    err = capsys.readouterr().err
    assert "forced" in err and "3/3" in err and "thing" in err


def test_epoch_bar_over_a_real_fit(capsys):
    from digit_app.model.quiet import import_keras

    keras = import_keras()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    x, y = np.zeros((40, 3), np.float32), np.eye(2)[np.arange(40) % 2]
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=[EpochBar(progress=True)])
    err = capsys.readouterr().err
    assert "epoch 1/2" in err and "epoch 2/2" in err and "0/5 " in err and "batch/s" in err


def _parts(files, pages_per_file=2):
    for k in range(files):
        yield TaskResult(k, "m", [{"path": f"f{k}.png", "page": p} for p in range(pages_per_file)])


def test_recognize_bar_counts_files_past_the_threshold(capsys):
    many = FILES_FOR_A_FILE_BAR + 1
    assert len(list(_with_progress(_parts(many), many, True))) == many
    err = capsys.readouterr().err
    assert f"{many}/{many}" in err and "file" in err and f"pages={2 * many}" in err
    assert len(list(_with_progress(_parts(3), 3, True))) == 3
    err = capsys.readouterr().err
    assert "6page" in err.replace(" ", "")  # a few files: pages, no total
    list(_with_progress(_parts(many), many, None))
    assert capsys.readouterr().err == ""


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")
def test_recognize_many_files_in_a_subprocess(tmp_path):
    """Without a terminal, stderr carries no bar; --progress forces the files bar."""
    drawing = (ROOT / "assets" / "drawing.png").read_bytes()
    paths = []
    for k in range(FILES_FOR_A_FILE_BAR + 1):
        path = tmp_path / f"d{k:02d}.png"
        path.write_bytes(drawing)
        paths.append(str(path))
    cmd = [sys.executable, "-m", "digit_app", "recognize"]
    quiet = subprocess.run([*cmd, *paths], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert len(quiet.stdout.splitlines()) == len(paths)
    forced = subprocess.run([*cmd, "--progress", *paths], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert forced.returncode == 0 and forced.stdout == quiet.stdout
    assert f"{len(paths)}/{len(paths)}" in forced.stderr and "file" in forced.stderr


class FakeHelperModel:
    """Keras's fit/evaluate/get_weights for :func:`fit_keeping_best`: epoch ``k``'s weights
    are ``[k]`` and its validation loss ``losses[k]``."""

    def __init__(self, losses):
        self.losses, self.version = losses, -1

    def fit(self, x, y, **_):
        self.version += 1
        return type("History", (), {"history": {"loss": [1.0 + self.version]}})()

    def evaluate(self, x, y, **_):
        return {"loss": self.losses[self.version], "accuracy": 0.5}

    def get_weights(self):
        return [np.array(self.version)]


def test_a_helper_model_keeps_its_epoch_of_lowest_validation_loss():
    lines = []
    model = FakeHelperModel([0.9, 0.4, 0.6])
    data = (np.zeros((2, 1)), np.zeros(2))
    kept = fit_keeping_best(model, data, data, 3, 2, lines.append, lambda m: {"right": 0.25 * m.version})
    assert kept.epoch == 2 and kept.loss == 0.4 and int(kept.weights[0]) == 1
    assert kept.history[2] == {"epoch": 3, "loss": 3.0, "val_loss": 0.6, "val_accuracy": 0.5, "right": 0.5}
    assert lines[1] == "epoch 2/3: val_loss 0.4000, val accuracy 0.5000, right 0.2500"


def test_a_helper_model_can_see_new_samples_every_epoch():
    model = FakeHelperModel([0.9, 0.4, 0.6])
    seen = []

    def fit(x, y, **_):
        seen.append(int(x[0, 0]))
        return FakeHelperModel.fit(model, x, y)

    model.fit = fit
    val = (np.zeros((2, 1)), np.zeros(2))
    kept = fit_keeping_best(model, lambda epoch: (np.full((2, 1), 10 + epoch), np.zeros(2)), val, 3, 2,
                            lambda _line: None)
    assert seen == [10, 11, 12] and kept.epoch == 2
