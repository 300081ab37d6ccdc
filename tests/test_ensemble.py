"""Several nets read as one: the mean of their probabilities, in one file and one call."""
import numpy as np
import pytest

from digit_app.cli import main
from digit_app.model.classifier import Classifier, load_keras_model
from digit_app.model.combine import combine
from digit_app.model.ensemble import all_layers, build_ensemble, member_name, members_of
from digit_app.model.lenet import build_lenet
from digit_app.model.lite import available as lite_available
from digit_app.model.metadata import ModelError, read_info, write_info
from digit_app.model.training import TrainConfig, train
from digit_app.types import NUM_CLASSES


def _crops(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 32, 32, 1), dtype=np.float32)


def test_an_ensemble_reads_the_mean_of_its_members():
    nets = [build_lenet(name=member_name(k)) for k in range(3)]
    ensemble = build_ensemble(nets)
    x = _crops(4)
    expected = np.mean([np.asarray(net(x, training=False)) for net in nets], axis=0)
    np.testing.assert_allclose(np.asarray(ensemble(x, training=False)), expected, atol=1e-6)
    assert ensemble.output_shape == (None, NUM_CLASSES)
    assert ensemble.count_params() == 3 * build_lenet().count_params()
    assert members_of(ensemble) == nets
    single = build_lenet()
    assert members_of(single) == [single]
    kinds = [type(layer).__name__ for layer in all_layers(ensemble)]
    assert kinds.count("BatchNormalization") == 3 * 3 and "Functional" not in kinds


def test_an_ensemble_needs_two_members():
    with pytest.raises(ValueError, match="two members"):
        build_ensemble([build_lenet()])


@pytest.fixture(scope="module")
def pair_trained(tmp_path_factory, mnist_dir):
    """``train --members 2`` on a sliver of MNIST: ``(result, log lines)``."""
    out = tmp_path_factory.mktemp("ensemble") / "pair.keras"
    cfg = TrainConfig(epochs=1, limit=1000, validation_size=200, real_data=False, members=2, seed=4)
    lines: list[str] = []
    return train(out, mnist_dir, cfg, command="test", log=lines.append, progress=False), lines


@pytest.mark.slow
def test_training_several_members_saves_their_mean(pair_trained):
    result, lines = pair_trained
    assert "member 1 of 2 (seed 4)" in lines and "member 2 of 2 (seed 5)" in lines
    info = read_info(result.model_path)
    assert info.parameters == 2 * build_lenet().count_params()
    members = info.training["members"]
    assert [m["seed"] for m in members] == [4, 5]
    assert all(len(m["history"]) == 1 and 0 < m["best_val_accuracy"] <= 1 for m in members)
    assert info.evaluation["samples"] == 10_000
    clf = Classifier.load(result.model_path)
    assert clf.uses_lite == lite_available()
    x = _crops(5)
    nets = members_of(clf.model)
    assert [net.name for net in nets] == ["member0", "member1"]
    expected = np.mean([np.asarray(net(x, training=False)) for net in nets], axis=0)
    np.testing.assert_allclose(clf.predict(x), expected, atol=1e-5)


@pytest.mark.slow
def test_combining_flattens_ensembles_and_records_each_member(pair_trained, tmp_path, mnist_dir):
    pair = pair_trained[0].model_path
    single = tmp_path / "single.keras"
    nets = members_of(load_keras_model(pair))
    lone = build_lenet()
    lone.set_weights(nets[0].get_weights())
    lone.save(single)
    info = read_info(pair)
    info.training = {"command": "digit-app train --seed 9", "epochs": 1}
    write_info(single, info)
    out = tmp_path / "three.keras"
    info = combine([pair, single], out, mnist_dir, command="digit-app combine test")
    members = info.training["members"]
    assert [m["model"] for m in members] == ["pair.keras"] * 2 + ["single.keras"]
    assert [m.get("seed") for m in members] == [4, 5, None]
    assert members[2]["command"] == "digit-app train --seed 9"
    assert info.training["command"] == "digit-app combine test"
    clf = Classifier.load(out)
    x = _crops(3, seed=1)
    three = [np.asarray(net(x, training=False)) for net in [*nets, nets[0]]]
    np.testing.assert_allclose(clf.predict(x), np.mean(three, axis=0), atol=1e-5)
    assert read_info(out).evaluation["samples"] == 10_000


@pytest.mark.slow
def test_combine_refuses_what_cannot_share_one_input(pair_trained, tmp_path, mnist_dir):
    pair = pair_trained[0].model_path
    other = tmp_path / "other.keras"
    load_keras_model(pair).save(other)
    info = read_info(pair)
    info.normalization = {**info.normalization, "box_side": 16}
    write_info(other, info)
    with pytest.raises(ModelError, match=r"other\.keras: normalizes digits differently"):
        combine([pair, other], tmp_path / "out.keras", mnist_dir)
    lone = tmp_path / "lone.keras"
    build_lenet().save(lone)
    write_info(lone, read_info(pair))
    with pytest.raises(ModelError, match="two nets or more"):
        combine([lone], tmp_path / "out.keras", mnist_dir)
    assert not (tmp_path / "out.keras").exists()


def test_combine_command_names_a_missing_model(tmp_path, capsys):
    missing = tmp_path / "nowhere.keras"
    assert main(["combine", str(missing), str(missing), "--out", str(tmp_path / "o.keras")]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{missing}: model file not found" in err[0]
