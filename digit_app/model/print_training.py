"""``digit-app train --print-model``: the print detector (:mod:`.print_detector`).

Three small convolution blocks and a dense layer (about 89k parameters) on the digit model's
normalized crops, trained on handwriting against printed glyphs (:mod:`.print_data`); the best
epoch on validation (unseen fonts, validation writers) is kept. Writes ``printed.keras``, its
LiteRT pair and ``printed.json`` with the validation figures.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from digit_app import atomic
from digit_app.model.helper_training import fit_keeping_best
from digit_app.model.lite_files import save_trained
from digit_app.model.metadata import metadata_path
from digit_app.model.print_data import PrintDataConfig, PrintSamples, load_print_sets
from digit_app.model.print_detector import PrintModelInfo
from digit_app.model.quiet import import_keras
from digit_app.pipeline.normalize import DEFAULT_NORMALIZE, MODEL_SIDE, NormalizeConfig

#: Print probabilities at which the validation figures are reported; the pipeline's
#: ``print_glyph_threshold`` is one of them.
REPORT_THRESHOLDS = (0.5, 0.9, 0.97)


@dataclass(frozen=True)
class PrintTrainConfig:
    epochs: int = 12
    batch_size: int = 128
    learning_rate: float = 2e-3  # peak of a cosine decay to zero over the run
    width: int = 32  # filters of the first block; the others have twice as many
    dense: int = 32
    dropout: float = 0.3
    seed: int = 0
    scale: float = 1.0  # of PrintDataConfig's counts (tests: a small fraction)
    real_data: bool = True
    real_dir: str | None = None
    data: PrintDataConfig = field(default_factory=PrintDataConfig)
    normalize: NormalizeConfig = DEFAULT_NORMALIZE


def build_print_net(cfg: PrintTrainConfig = PrintTrainConfig()) -> Any:
    """``N x 32 x 32 x 1`` crops -> ``N x 1`` sigmoid: the probability of print."""
    keras = import_keras()
    layers = keras.layers
    x = inputs = keras.Input(shape=(MODEL_SIDE, MODEL_SIDE, 1), name="crop")
    for k, filters in enumerate((cfg.width, 2 * cfg.width, 2 * cfg.width)):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"c{k + 1}")(x)
        x = layers.MaxPooling2D(name=f"p{k + 1}")(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(cfg.dropout)(x)
    x = layers.Dense(cfg.dense, activation="relu", name="f")(x)
    outputs = layers.Dense(1, activation="sigmoid", name="printed")(x)
    return keras.Model(inputs, outputs, name="print_detector")


def validation_figures(p: np.ndarray, samples: PrintSamples) -> dict[str, Any]:
    """Per source and threshold, the share of samples on the wrong side: handwriting taken
    for print, print left as handwriting. ``p``: N float print probabilities."""
    out: dict[str, Any] = {}
    for t in REPORT_THRESHOLDS:
        wrong = (p >= t) != (samples.y >= 0.5)
        out[str(t)] = {str(s): round(float(wrong[samples.source == s].mean()), 4)
                       for s in np.unique(samples.source)}
    return out


def train_print_model(
    out: Path | str,
    data_dir: Path | str | None = None,
    cfg: PrintTrainConfig = PrintTrainConfig(),
    command: str = "",
    log: Callable[[str], None] = print,
) -> PrintModelInfo:
    """Make the samples, train, keep the best epoch, and write the detector's files."""
    keras = import_keras()
    keras.utils.set_random_seed(cfg.seed)
    started = time.perf_counter()
    out = Path(out)
    train, val, about = load_print_sets(data_dir, cfg.real_dir, cfg.real_data, cfg.seed, cfg.scale,
                                        cfg.data, cfg.normalize)
    log(f"print detector: {len(train)} training, {len(val)} validation samples "
        f"({about['fonts']} fonts, {about['validation_fonts']} kept for validation)")
    model = build_print_net(cfg)
    steps = cfg.epochs * int(np.ceil(len(train) / cfg.batch_size))
    model.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(cfg.learning_rate, steps)),
        loss="binary_crossentropy", metrics=["accuracy"])
    best = fit_keeping_best(model, (train.x, train.y), (val.x, val.y), cfg.epochs, cfg.batch_size, log)
    final, written = save_trained(lambda: build_print_net(cfg), best.weights, out)
    p = final(val.x, training=False).numpy().reshape(-1)
    info = PrintModelInfo(
        normalization=asdict(cfg.normalize),
        parameters=int(final.count_params()),
        training={"command": command, "epochs": cfg.epochs, "best_epoch": best.epoch,
                  "seconds": round(time.perf_counter() - started, 1), **about, "history": best.history},
        validation={"accuracy": round(float(((p >= 0.5) == (val.y >= 0.5)).mean()), 4),
                    "wrong_share_by_threshold": validation_figures(p, val)},
    )
    atomic.atomic_write(metadata_path(out), info.to_json().encode())
    log(f"saved {out}, {written[0].name} and {metadata_path(out).name}; validation accuracy "
        f"{info.validation['accuracy']:.4f}")
    return info
