"""``digit-app combine``: digit models trained apart (``digit-app train --seed N``) saved as one
ensemble, the mean of their probabilities (:mod:`.ensemble`), with its LiteRT pair and
metadata; what ``digit-app train --members N`` makes in one run, from nets already trained."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from digit_app.model.classifier import load_keras_model
from digit_app.model.ensemble import build_lenet_ensemble, members_of
from digit_app.model.lenet import build_lenet
from digit_app.model.lite_files import save_trained, sha256_of
from digit_app.model.metadata import ModelError, ModelInfo, read_info, write_info
from digit_app.model.training import evaluate_lite


def combine(paths: Sequence[Path | str], out: Path | str, data_dir: Path | str | None = None,
            command: str = "", progress: bool | None = None) -> ModelInfo:
    """Save the digit models ``paths`` (``.keras`` files with their metadata; an ensemble
    counts as its members) as one ensemble ``out``, evaluated on the MNIST test set; its
    metadata lists each member's training. ModelError naming the file for a model that is
    missing, damaged, made for another normalization or not a LeNet of the default shape."""
    files = [Path(p) for p in paths]
    if not files:
        raise ModelError("combine: no model files given")
    models = [load_keras_model(path) for path in files]  # ModelError for a missing or damaged one
    infos = [read_info(path) for path in files]
    nets, owners, trainings = [], [], []
    first, normalization = infos[0].training, infos[0].normalization
    for path, model, info in zip(files, models, infos):
        if info.normalization != normalization:
            raise ModelError(f"{path}: normalizes digits differently from {files[0].name}; "
                             "its members cannot share one input")
        found = members_of(model)
        nets += found
        owners += [path] * len(found)
        parts = info.training.get("members") or [
            {**info.training, "mnist_accuracy": info.evaluation.get("accuracy")}]
        trainings += [{"model": path.name, "sha256": sha256_of(path), **part} for part in parts]
    if len(nets) < 2:
        raise ModelError(f"{files[0]}: an ensemble needs two nets or more, got {len(nets)}")
    weights, expected = [], build_lenet().count_params()
    for path, net in zip(owners, nets):
        if net.count_params() != expected:
            raise ModelError(f"{path}: not a LeNet of the default shape ({net.count_params()} "
                             f"parameters, expected {expected})")
        weights += net.get_weights()
    out = Path(out)
    final, written = save_trained(lambda: build_lenet_ensemble(len(nets)), weights, out)
    combined = ModelInfo(
        normalization=dict(normalization), parameters=int(final.count_params()),
        training={"command": command, "epochs": first.get("epochs"),
                  "data_sha256": first.get("data_sha256", {}), "members": trainings})
    combined.evaluation = evaluate_lite(final, combined, out, written[0], data_dir, progress)
    write_info(out, combined)
    return combined

