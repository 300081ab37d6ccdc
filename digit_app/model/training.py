"""``digit-app train``: LeNet on MNIST, real handwriting (UNIPEN pen strokes, BHMSDS photos,
Swiss digits; never their held-out writers/sites), style templates and synthetic negatives;
best checkpoint on a validation set of MNIST and real writers."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from digit_app.data import mnist, real
from digit_app.model.callbacks import BestEpoch, EpochBar
from digit_app.model.ensemble import build_lenet_ensemble
from digit_app.model.epochs import AugmentedEpochs
from digit_app.model.evaluation import evaluate_classifier
from digit_app.model.lenet import LeNetConfig, build_lenet
from digit_app.model.lite import LiteRunner, available
from digit_app.model.lite_files import save_trained
from digit_app.model.metadata import ModelInfo, write_info
from digit_app.model.progress import shown
from digit_app.model.quiet import import_keras
from digit_app.model.training_data import (
    EpochMaker,
    EpochRecipe,
    make_epoch,
    make_negatives,
    normalize_clean,
    normalize_pen_digits,
    opencv_threads,
)
from digit_app.pipeline.normalize import DEFAULT_NORMALIZE, NormalizeConfig
from digit_app.types import NOT_A_DIGIT


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 20  # 14 before: best validation accuracy 0.9838 at 14, 0.9852 at 20
    batch_size: int = 128
    learning_rate: float = 3e-3  # peak of a cosine decay to zero over the run
    label_smoothing: float = 0.05
    validation_size: int = 5000  # held out from the end of the training split
    limit: int | None = None  # use only the first N training digits (tests, quick runs)
    seed: int = 0
    data_workers: int = 2  # processes that make the augmented epochs (this machine: 2 cores)
    members: int = 2  # nets trained with seeds seed, seed + 1, ...; more than one: their mean
    recipe: EpochRecipe = field(default_factory=lambda: EpochRecipe(
        style_fraction=0.03, printed_fraction=0.04, printed_digit_fraction=0.02, cut_fraction=0.05))
    real_data: bool = True  # train on the shared real sets too (their training parts)
    real_dir: str | None = None  # folder holding unipen/, bhmsds/, kensanata16/ (else searched)
    lenet: LeNetConfig = field(default_factory=LeNetConfig)
    normalize: NormalizeConfig = DEFAULT_NORMALIZE


@dataclass
class TrainResult:
    model_path: Path
    info: ModelInfo
    history: list[dict]


@dataclass
class _Net:
    """One trained net: its best weights and how it got them."""

    weights: list
    history: list[dict]
    best_accuracy: float
    seconds: float
    real_info: dict
    n_mnist: int
    n_val: int


def train(
    out: Path | str,
    data_dir: Path | str | None = None,
    cfg: TrainConfig = TrainConfig(),
    command: str = "",
    log: Callable[[str], None] = print,
    progress: bool | None = None,
) -> TrainResult:
    """Train ``cfg.members`` nets (seeds ``cfg.seed``, ``cfg.seed + 1``, ...), each keeping its
    best epoch on validation; save them as one model (their mean when more than one: see
    :mod:`.ensemble`) with its LiteRT pair, evaluated on the MNIST test set.

    ``progress``: bars on standard error over each epoch's batches and the evaluation (True,
    False, or None: when standard error is a terminal)."""
    if cfg.members < 1:
        raise ValueError(f"members must be at least 1, got {cfg.members}")
    out = Path(out)
    started = time.perf_counter()
    data_dir = mnist.find_data_dir(data_dir)
    nets = []
    for k in range(cfg.members):
        if cfg.members > 1:
            log(f"member {k + 1} of {cfg.members} (seed {cfg.seed + k})")
        with opencv_threads(1):  # this process makes data too (the first epoch, validation)
            nets.append(_train_net(replace(cfg, seed=cfg.seed + k), data_dir, log, progress))
    if cfg.members == 1:
        build = lambda: build_lenet(cfg.lenet)
    else:
        build = lambda: build_lenet_ensemble(cfg.members, cfg.lenet)
    weights = [w for net in nets for w in net.weights]
    # models/lenet.tflite and lenet.lite.json beside it: for reading
    final, lite_written = save_trained(build, weights, out)
    seconds = time.perf_counter() - started
    first = nets[0]
    training = {
        "command": command,
        "epochs": cfg.epochs,
        "mnist_share": cfg.recipe.mnist_share,
        "train_digits": first.n_mnist,
        "validation_digits": first.n_val,
        "real_data": first.real_info,
    }
    run = {"seconds": round(seconds, 1), "data_sha256": mnist.checksum(data_dir)}
    if cfg.members == 1:
        training.update(best_val_accuracy=round(first.best_accuracy, 4), **run,
                        history=first.history)
    else:
        members = [{"seed": cfg.seed + k, "best_val_accuracy": round(net.best_accuracy, 4),
                    "seconds": round(net.seconds, 1),
                    "real_validation_digits": net.real_info.get("validation_digits", 0),
                    "history": net.history} for k, net in enumerate(nets)]
        training.update(members=members, **run)
    info = ModelInfo(normalization=asdict(cfg.normalize), parameters=int(final.count_params()),
                     training=training)
    info.evaluation = evaluate_lite(final, info, out, lite_written[0], data_dir, progress)
    write_info(out, info)
    log(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB) and {lite_written[0].name} in "
        f"{seconds / 60:.1f} min; MNIST test accuracy {info.evaluation['accuracy']:.4f}")
    return TrainResult(out, info, first.history)


def evaluate_lite(model, info: ModelInfo, path: Path, flatbuffer_path: Path,
                  data_dir: Path | str | None, progress: bool | None) -> dict:
    """``digit-app evaluate``'s MNIST figures of the Keras ``model`` saved as ``path``, read as
    the app reads it: the LiteRT file just written (TensorFlow where LiteRT does not run)."""
    from digit_app.model.classifier import Classifier

    classifier = Classifier(model, info, path, _runner(flatbuffer_path))
    evaluation = evaluate_classifier(classifier, data_dir, progress=progress).summary()
    evaluation["command"] = "digit-app evaluate"
    return evaluation


def _train_net(cfg: TrainConfig, data_dir: Path, log: Callable[[str], None],
               progress: bool | None) -> _Net:
    """One LeNet trained with ``cfg.seed``: its best epoch on validation."""
    keras = import_keras()
    keras.utils.set_random_seed(cfg.seed)
    started = time.perf_counter()
    train_split = mnist.load_split(data_dir, "train")
    images, labels = train_split.images, train_split.labels
    if cfg.limit:
        images, labels = images[: cfg.limit], labels[: cfg.limit]
    n_val = min(cfg.validation_size, len(images) // 5)
    tr_img, tr_lab = images[: len(images) - n_val], labels[: len(images) - n_val]
    va_img, va_lab = images[len(images) - n_val :], labels[len(images) - n_val :]
    log(f"data: {data_dir} ({len(tr_img)} training, {n_val} validation digits)")
    n_mnist = len(tr_img)
    strokes: list | None = None
    real_info: dict = {}
    rng = np.random.default_rng(cfg.seed + 10_000)
    x_val_real = np.zeros((0, 32, 32, 1), np.float32)
    y_val_real = np.zeros(0, np.int64)
    if cfg.real_data:
        rt = real.training_digits(cfg.real_dir, cfg.seed)
        tr_real, va_real = rt.train, rt.validation
        if cfg.limit:  # quick runs: a proportionate slice of the real digits
            keep = max(10, cfg.limit // 4)
            tr_real = _slice(tr_real, rng, keep)
            va_real = _slice(va_real, rng, max(10, keep // 5))
        tr_img = np.concatenate([tr_img, tr_real.images])
        tr_lab = np.concatenate([tr_lab, tr_real.labels])
        strokes = [None] * n_mnist + list(tr_real.strokes)
        x_val_real = normalize_pen_digits(va_real.images, va_real.strokes, rng, cfg.normalize, cfg.recipe.pen)
        y_val_real = va_real.labels.astype(np.int64)
        sources, counts = np.unique(tr_real.source, return_counts=True)
        real_info = {
            "sha256": rt.sha256,
            "train_digits": {str(k): int(v) for k, v in zip(sources, counts)},
            "validation_digits": int(len(y_val_real)),
            "held_out": {"unipen_sites": list(real.HELD_OUT_SITES),
                         "bhmsds_kensanata16": f"last {real.HELD_OUT_FRACTION:.0%} of each class in file order"},
        }
        log(f"real data: {real_info['train_digits']} training, {len(y_val_real)} validation digits")

    clean = normalize_clean(tr_img, cfg.normalize)
    n_val_neg = int(round(cfg.recipe.negative_fraction * n_val))
    x_val = np.concatenate(
        [normalize_clean(va_img, cfg.normalize), x_val_real,
         make_negatives(n_val_neg, va_img, va_lab, rng, cfg.normalize)]
    )
    y_val = np.concatenate([va_lab.astype(np.int64), y_val_real, np.full(n_val_neg, NOT_A_DIGIT)])

    model = build_lenet(cfg.lenet)
    r = cfg.recipe
    per_digit = (1 + r.negative_fraction + r.style_fraction + r.printed_fraction
                 + r.printed_digit_fraction + r.cut_fraction)
    per_epoch = len(tr_img) - n_mnist * (1 - min(1.0, r.mnist_share))  # digits in an epoch
    steps = cfg.epochs * int(np.ceil(per_epoch * per_digit / cfg.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(cfg.learning_rate, decay_steps=steps)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=cfg.label_smoothing),
        metrics=["accuracy"],
    )
    # One fit over the whole run: each epoch's samples made fresh (epoch 0 the digits clean,
    # here; the others by the worker processes while the model trains on the one before), the
    # best epoch on validation kept in memory.
    clean_recipe = replace(cfg.recipe, augment_fraction=0.0)
    is_mnist = np.arange(len(tr_img)) < n_mnist
    with EpochMaker(tr_img, tr_lab, clean, cfg.normalize, cfg.recipe, cfg.data_workers, strokes,
                    is_mnist) as maker:
        data = AugmentedEpochs(
            lambda: make_epoch(tr_img, tr_lab, clean, cfg.seed * 1000, cfg.normalize, clean_recipe,
                               strokes=strokes, mnist=is_mnist),
            maker, cfg.seed * 1000, cfg.epochs, cfg.batch_size, cfg.lenet.num_classes)
        best = BestEpoch(x_val, y_val, data, log)
        bar = [EpochBar(progress)] if shown(progress) else []  # first: closed before best logs
        model.fit(data, epochs=cfg.epochs, verbose=0, shuffle=False, callbacks=[*bar, best])
    if best.best_weights is None:
        raise RuntimeError("training ended before its first epoch")
    return _Net(best.best_weights, best.history, best.best_accuracy,
                time.perf_counter() - started, real_info, int(n_mnist), int(n_val))


def _slice(digits: real.RealDigits, rng: np.random.Generator, n: int) -> real.RealDigits:
    """A random ``n`` of ``digits`` (all when fewer), in their order."""
    return digits.take(np.sort(rng.choice(len(digits.labels), size=min(n, len(digits.labels)),
                                          replace=False)))


def _runner(flatbuffer_path: Path) -> LiteRunner | None:
    """The LiteRT runner of a freshly written flatbuffer; None where LiteRT does not run."""
    if not available():
        return None
    try:
        return LiteRunner(flatbuffer_path.read_bytes())
    except ImportError:
        return None
