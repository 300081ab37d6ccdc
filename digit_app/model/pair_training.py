"""``digit-app train --pair-model``: the pair reader (:mod:`.pair_reader`).

Three convolution blocks and a dense layer on ``32 x 64`` crops of two digits, with two
10-way heads (left digit, right digit) and a "two whole digits" sigmoid. Samples come from
:mod:`digit_app.data.pair_samples`: training digits of MNIST and of the real sets (never
their held-out writers), made anew for each epoch; validation pairs from the digit model's
validation digits. The best epoch on validation is kept. Writes ``pairs.keras``, its LiteRT
pair and ``pairs.json``.
"""
from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from digit_app import atomic
from digit_app.child_process import exit_with_parent
from digit_app.data import mnist, real
from digit_app.data.pair_samples import DEFAULT_PAIR_SAMPLE, NOT_A_PAIR, DigitPool, PairSampleConfig, make_pair_sample
from digit_app.model.helper_training import fit_keeping_best
from digit_app.model.lite_files import save_trained
from digit_app.model.metadata import metadata_path
from digit_app.model.pair_reader import INPUT_SHAPE, PairModelInfo
from digit_app.model.quiet import import_keras
from digit_app.pipeline.graph import PAIR_LEFT, PAIR_RIGHT, PAIR_TWO
from digit_app.pipeline.normalize import DEFAULT_NORMALIZE, NormalizeConfig, normalize_pair


@dataclass(frozen=True)
class PairTrainConfig:
    samples: int = 240_000  # per epoch
    # Each epoch's samples made anew, with seeds of their own. Made once and shown ten
    # times, the training loss fell well below the validation loss, and 14 epochs read
    # fewer pairs right than 10 (0.8385 against 0.8434).
    fresh_samples: bool = True
    validation_samples: int = 12_000
    epochs: int = 10
    batch_size: int = 128
    learning_rate: float = 2e-3  # peak of a cosine decay to zero over the run
    # Wider than the first reader's (32, 64, 96) and 96, which underfit: its training and
    # validation losses stayed equal. This one reached a val_loss of 0.72 instead of 1.14 in
    # 3 epochs of 60,000 samples.
    filters: tuple[int, int, int] = (32, 64, 128)
    dense: int = 256
    dropout: float = 0.2
    validation_size: int = 5000  # MNIST digits held out from the end of its training split
    seed: int = 0
    workers: int = 2  # processes that make the samples
    real_data: bool = True
    real_dir: str | None = None
    data: PairSampleConfig = field(default_factory=lambda: DEFAULT_PAIR_SAMPLE)
    normalize: NormalizeConfig = DEFAULT_NORMALIZE


def build_pair_net(cfg: PairTrainConfig = PairTrainConfig()) -> Any:
    """``N x 32 x 64 x 1`` crops -> ``N x 21``: softmax of the left digit, softmax of the
    right digit, sigmoid of "two whole digits"."""
    keras = import_keras()
    layers = keras.layers
    x = inputs = keras.Input(shape=INPUT_SHAPE, name="pair")
    for k, filters in enumerate(cfg.filters):
        x = layers.Conv2D(filters, 5 if k == 0 else 3, padding="same", use_bias=False, name=f"c{k + 1}")(x)
        x = layers.BatchNormalization(name=f"c{k + 1}_bn")(x)
        x = layers.ReLU()(x)
        x = layers.MaxPooling2D(name=f"p{k + 1}")(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(cfg.dropout)(x)
    x = layers.Dense(cfg.dense, activation="relu", name="f")(x)
    left = layers.Dense(10, activation="softmax", name="left")(x)
    right = layers.Dense(10, activation="softmax", name="right")(x)
    pair = layers.Dense(1, activation="sigmoid", name="two")(x)
    outputs = layers.Concatenate(name="outputs")([left, right, pair])
    return keras.Model(inputs, outputs, name="pair_reader")


def pair_loss(y_true, y_pred):
    """``y_true`` ``N x 3`` (left, right, is a pair): cross-entropy of "is a pair" plus, for
    pairs only, that of each digit."""
    keras = import_keras()
    ops = keras.ops
    eps = 1e-7
    is_pair = y_true[:, 2]
    p = ops.clip(y_pred[:, PAIR_TWO], eps, 1 - eps)
    loss = -(is_pair * ops.log(p) + (1 - is_pair) * ops.log(1 - p))
    for col, part in ((0, PAIR_LEFT), (1, PAIR_RIGHT)):
        hot = ops.one_hot(ops.cast(ops.maximum(y_true[:, col], 0), "int32"), 10)
        ce = -ops.sum(hot * ops.log(ops.clip(y_pred[:, part], eps, 1.0)), axis=1)
        loss = loss + is_pair * ce
    return ops.mean(loss)


def targets(labels: np.ndarray) -> np.ndarray:
    """``N x 2`` (left, right; ``NOT_A_PAIR`` for others) -> ``N x 3 float32`` targets."""
    labels = np.asarray(labels, np.float32).reshape(-1, 2)
    return np.concatenate([labels, (labels[:, :1] != NOT_A_PAIR).astype(np.float32)], axis=1)


def figures(out: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """On samples with known ``labels`` (``N x 2``): the share of pairs read right (both
    digits, and called a pair), of pairs called a pair, and of the others called a pair."""
    labels = np.asarray(labels).reshape(-1, 2)
    is_pair = labels[:, 0] != NOT_A_PAIR
    called = out[:, PAIR_TWO] >= 0.5
    right = ((out[:, PAIR_LEFT].argmax(1) == labels[:, 0]) & (out[:, PAIR_RIGHT].argmax(1) == labels[:, 1])
             & called)
    return {"pairs_read_right": round(float(right[is_pair].mean()), 4) if is_pair.any() else 0.0,
            "pairs_called_pairs": round(float(called[is_pair].mean()), 4) if is_pair.any() else 0.0,
            "others_called_pairs": round(float(called[~is_pair].mean()), 4) if (~is_pair).any() else 0.0}


# Worker-process side: the digits are sent once, then each job makes one chunk of samples.
_POOL: dict = {}


def _init(pool: DigitPool, data: PairSampleConfig, norm: NormalizeConfig) -> None:
    exit_with_parent()
    _POOL.update(pool=pool, data=data, norm=norm)


def _chunk(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.empty((n, *INPUT_SHAPE), np.float32)
    y = np.empty((n, 2), np.int64)
    for k in range(n):
        crop, label = make_pair_sample(_POOL["pool"], rng, _POOL["data"])
        x[k, :, :, 0] = normalize_pair(crop, _POOL["norm"])
        y[k] = label
    return x, y


def make_pair_set(pool: DigitPool, n: int, seed: int, cfg: PairTrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """``n`` normalized samples of ``pool``'s digits, made in ``cfg.workers`` processes:
    ``(N x 32 x 64 x 1 float32, N x 2 int64)``."""
    workers = max(1, cfg.workers)
    chunks = [len(part) for part in np.array_split(np.arange(n), workers * 4) if len(part)]
    if workers == 1:
        _init(pool, cfg.data, cfg.normalize)
        parts = [_chunk(c, seed * 1000 + k) for k, c in enumerate(chunks)]
    else:
        # "spawn": forking a process that has TensorFlow's threads running can deadlock.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init,
                                 initargs=(pool, cfg.data, cfg.normalize)) as ex:
            parts = list(ex.map(_chunk, chunks, [seed * 1000 + k for k in range(len(chunks))]))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def digit_pools(data_dir: Path | str | None, cfg: PairTrainConfig) -> tuple[DigitPool, DigitPool, dict]:
    """Training and validation digits: MNIST's training split (its last ``validation_size``
    for validation) and, with ``real_data``, the real sets' training and validation parts."""
    split = mnist.load_split(mnist.find_data_dir(data_dir), "train")
    n_val = min(cfg.validation_size, len(split.labels) // 5)
    end = len(split.labels) - n_val
    tr_strokes: list = [None] * end
    va_strokes: list = [None] * n_val
    tr = DigitPool(split.images[:end], split.labels[:end], tr_strokes)
    va = DigitPool(split.images[end:], split.labels[end:], va_strokes)
    about: dict[str, Any] = {"mnist_digits": end, "real_digits": 0}
    if cfg.real_data:
        rt = real.training_digits(cfg.real_dir, cfg.seed)
        tr = DigitPool(np.concatenate([tr.images, rt.train.images]), np.concatenate([tr.labels, rt.train.labels]),
                       [*tr_strokes, *rt.train.strokes])
        va = DigitPool(np.concatenate([va.images, rt.validation.images]),
                       np.concatenate([va.labels, rt.validation.labels]), [*va_strokes, *rt.validation.strokes])
        about["real_digits"] = int(len(rt.train.labels))
        about["real_sha256"] = rt.sha256
    return tr, va, about


def train_pair_model(
    out: Path | str,
    data_dir: Path | str | None = None,
    cfg: PairTrainConfig = PairTrainConfig(),
    command: str = "",
    log: Callable[[str], None] = print,
) -> PairModelInfo:
    """Make the samples, train, keep the best epoch, and write the reader's files."""
    keras = import_keras()
    keras.utils.set_random_seed(cfg.seed)
    started = time.perf_counter()
    out = Path(out)
    tr_pool, va_pool, about = digit_pools(data_dir, cfg)
    x, y = make_pair_set(tr_pool, cfg.samples, cfg.seed, cfg)
    vx, vy = make_pair_set(va_pool, cfg.validation_samples, cfg.seed + 1, cfg)
    log(f"pair reader: {len(x)} training{' per epoch' if cfg.fresh_samples else ''}, {len(vx)} "
        f"validation samples ({time.perf_counter() - started:.0f} s to make)")
    model = build_pair_net(cfg)
    steps = cfg.epochs * int(np.ceil(len(x) / cfg.batch_size))
    model.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(cfg.learning_rate, steps)),
                  loss=pair_loss)
    made = len(x)
    first = [(x, targets(y))]  # let go of once shown, when each epoch gets its own
    del x, y

    def epoch_samples(epoch: int) -> tuple[np.ndarray, np.ndarray]:
        if not cfg.fresh_samples:
            return first[0]
        if epoch == 0:
            return first.pop()
        # The validation set is made with seed + 1: the epochs' seeds stay clear of it.
        ex, ey = make_pair_set(tr_pool, cfg.samples, cfg.seed + 1000 * epoch, cfg)
        return ex, targets(ey)

    best = fit_keeping_best(model, epoch_samples, (vx, targets(vy)), cfg.epochs, cfg.batch_size, log,
                            lambda m: figures(m.predict(vx, batch_size=512, verbose=0), vy))
    final, written = save_trained(lambda: build_pair_net(cfg), best.weights, out)
    info = PairModelInfo(
        normalization=asdict(cfg.normalize),
        parameters=int(final.count_params()),
        training={"command": command, "samples": made, "fresh_samples": cfg.fresh_samples,
                  "epochs": cfg.epochs, "best_epoch": best.epoch,
                  "seconds": round(time.perf_counter() - started, 1), **about, "history": best.history},
        validation={"samples": len(vx), **figures(final(vx, training=False).numpy(), vy)},
    )
    atomic.atomic_write(metadata_path(out), info.to_json().encode())
    log(f"saved {out}, {written[0].name} and {metadata_path(out).name}; pairs read right "
        f"{info.validation['pairs_read_right']:.4f}")
    return info
