"""Adapting the model to the user's handwriting (``digit-app adapt``; no Qt).

The current model is fine-tuned on the user's corrected samples mixed with MNIST replay (fresh
training digits every epoch, augmented as in training, plus synthetic "not a digit" crops), so
it learns the new hand without forgetting the others. The result is judged by stratified
k-fold cross-validation over the user's samples: the same fine-tuning is run ``folds`` times,
each time with one fold held out, so that every sample is read once by a model that never
trained on it; the model fine-tuned on all the samples is kept only if those cross-validated
readings beat the base model's on the same samples and it loses at most ``max_mnist_drop`` on
the MNIST test set. Judged on all the samples instead of a quarter of them, one sample moves
the figure by 1/N, not by 4/N. Then, and only then, it is written (atomically) with its
metadata; the base model is never touched.

Arrays: model inputs ``N x 32 x 32 x 1 float32`` in [0, 1], labels ``N int64`` (10 = not a digit).
"""
from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from digit_app import atomic
from digit_app.data import mnist
from digit_app.model.classifier import DEFAULT_MODEL, Classifier
from digit_app.model.ensemble import all_layers
from digit_app.model.evaluation import Evaluation
from digit_app.model.lite_files import lite_files, sha256_of
from digit_app.model.metadata import ModelError, ModelInfo, info_bytes, metadata_path
from digit_app.model.quiet import import_keras
from digit_app.model.training_data import EpochRecipe, make_epoch, normalize_clean
from digit_app.samples import SampleError, SampleStore
from digit_app.samples.index import iso_utc, now_utc
from digit_app.types import CLASS_NAMES, NUM_CLASSES

Progress = Callable[[int, int, str], None]
_CHUNK = 1000  # MNIST test digits normalized or predicted between two cancel checks


class AdaptCancelled(Exception):
    """``should_stop()`` became true: adaptation stopped and nothing was written."""


@dataclass(frozen=True)
class AdaptConfig:
    epochs: int = 4
    batch_size: int = 64
    learning_rate: float = 1e-3  # Adam, cosine decay to zero over the run
    label_smoothing: float = 0.05  # as in training
    #: Each user training sample is shown this many times per epoch, each time jittered anew.
    user_repeats: int = 4
    #: MNIST replay digits per user sample shown (after repeats); "not a digit" replay comes
    #: on top, at ``replay.negative_fraction`` of the replay digits.
    replay_ratio: float = 1.0
    replay: EpochRecipe = field(default_factory=EpochRecipe)
    #: Light jitter of the user's 32x32 inputs: shift (pixels), rotation, scale.
    shift_px: float = 1.5
    rotation_deg: float = 6.0
    scale_range: tuple[float, float] = (0.92, 1.08)
    #: Folds of the cross-validation that judges the result (stratified, seeded): the
    #: fine-tuning runs this many times more, each on all but one fold.
    folds: int = 4
    min_samples: int = 20  # fewer in all and adaptation refuses to start
    #: Keep the result only if the cross-validated accuracy rises by more than this ...
    min_user_gain: float = 0.0
    #: ... and the MNIST test accuracy falls by at most this (0.003 = 0.3 points).
    max_mnist_drop: float = 0.003
    #: Use only the first N MNIST test digits to judge (quick runs); None: all 10,000.
    mnist_test_limit: int | None = None
    #: Batch normalization statistics stay those of the base model (robust with few samples).
    freeze_batchnorm: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or self.user_repeats < 1:
            raise ValueError("epochs, batch_size and user_repeats must be at least 1")
        if self.folds < 2:
            raise ValueError(f"folds must be at least 2, got {self.folds}")
        if self.replay_ratio < 0 or self.learning_rate <= 0:
            raise ValueError("replay_ratio must be >= 0 and learning_rate > 0")


@dataclass
class AdaptOutcome:
    kept: bool
    reason: str
    user_before: float  # the base model's accuracy on the samples judged (all 11 classes)
    user_after: float  # the cross-validated accuracy: each sample read by a model not trained on it
    held_out: int  # samples judged (all of them, each once, by the fold that held it out)
    trained_on: int  # samples the kept model was fine-tuned on (all of them)
    mnist_before: float  # MNIST test accuracy (the ten digit classes, as `digit-app evaluate`)
    mnist_after: float
    seconds: float
    model_path: Path | None  # where the adapted model was written (None when not kept)
    base_model: Path
    mnist_test: int = 0  # MNIST test digits used
    folds: int = 0  # of the cross-validation

    def summary(self) -> str:
        """Two lines: the decision and the figures."""
        head = f"Kept: saved {self.model_path}." if self.kept else f"Not kept: {self.reason}."
        return (f"{head}\nYour samples, cross-validated: {100 * self.user_before:.1f}% -> "
                f"{100 * self.user_after:.1f}% ({self.held_out} samples, {self.folds} folds; kept "
                f"model trained on {self.trained_on}); MNIST test: {100 * self.mnist_before:.2f}% -> "
                f"{100 * self.mnist_after:.2f}% ({self.mnist_test} digits); {self.seconds:.0f} s.")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["model_path"] = str(self.model_path) if self.model_path else None
        d["base_model"] = str(self.base_model)
        for k in ("user_before", "user_after", "mnist_before", "mnist_after"):
            d[k] = round(d[k], 4)
        d["seconds"] = round(self.seconds, 1)
        return d


# ---- pieces (pure numpy) -------------------------------------------------------------------
def stratified_folds(labels: np.ndarray, folds: int, seed: int) -> list[np.ndarray]:
    """``folds`` sorted index arrays that partition ``labels``, each class spread evenly over
    them (seeded shuffle; a class's samples fill the folds round-robin, starting where the
    previous class stopped, so the folds' sizes differ by at most one)."""
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(labels), np.int64)
    start = 0
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        fold_of[idx] = (start + np.arange(len(idx))) % folds
        start = (start + len(idx)) % folds
    return [np.flatnonzero(fold_of == k) for k in range(folds)]


def jitter_inputs(x: np.ndarray, rng: np.random.Generator, cfg: AdaptConfig) -> np.ndarray:
    """Small random shift, rotation and scale of each ``32 x 32`` model input (a copy)."""
    out = np.empty_like(x)
    side = x.shape[1]
    centre = (side / 2.0, side / 2.0)
    for i in range(len(x)):
        m: np.ndarray = cv2.getRotationMatrix2D(centre, rng.uniform(-cfg.rotation_deg, cfg.rotation_deg),
                                                rng.uniform(*cfg.scale_range))
        m[:, 2] += rng.uniform(-cfg.shift_px, cfg.shift_px, 2)
        out[i, :, :, 0] = cv2.warpAffine(x[i, :, :, 0], m, (side, side), flags=cv2.INTER_LINEAR,
                                         borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return out


def user_accuracy(classifier: Classifier, x: np.ndarray, y: np.ndarray) -> float:
    """Share of samples whose most probable class (of all 11) is their label."""
    if len(y) == 0:
        return 0.0
    return Evaluation.from_probabilities(y, classifier.predict(x), x).accuracy_with_rejection


def evaluate_samples(classifier: Classifier, samples: SampleStore | Path | str | None = None) -> dict:
    """The model on the user's samples: accuracy over the 11 classes, per class, confusion."""
    store = samples if isinstance(samples, SampleStore) else SampleStore(samples)
    x, y = store.arrays()
    if len(y) == 0:
        found = store.index_path.exists()
        raise SampleError(f"{store.root if found else store.index_path}: no samples to evaluate"
                          + ("" if found else " (file not found)"))
    ev = Evaluation.from_probabilities(y, classifier.predict(x), x)
    return {
        "dataset": "user samples",
        "samples_dir": str(store.root),
        "samples": int(len(y)),
        "accuracy": round(ev.accuracy_with_rejection, 4),
        "errors": int(np.sum(ev.predicted != y)),
        "per_class": ev.per_class(),
        "confusion": ev.confusion().tolist(),
    }


# ---- the run -------------------------------------------------------------------------------
class _Steps:
    """Progress in steps (phases and training batches) and the cancel check."""

    def __init__(self, total: int, progress: Progress | None, should_stop: Callable[[], bool] | None):
        self.total, self.done = total, 0
        self._progress, self._should_stop = progress, should_stop

    def check(self) -> None:
        if self._should_stop is not None and self._should_stop():
            raise AdaptCancelled("adaptation cancelled")

    def step(self, message: str, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        if self._progress is not None:
            self._progress(self.done, self.total, message)
        self.check()


def _training_model(base, cfg: AdaptConfig):
    """A compiled copy of the Keras model ``base`` (left untouched) ready to fine-tune, and its
    learning-rate schedule (cosine decay to zero over ``schedule.steps``, set per run).

    One copy serves every run of an adaptation (:func:`_reset`): compiling the training step
    costs 7-11 s on a 2-core CPU, an epoch of a few hundred samples about 1.3 s."""
    keras: Any = import_keras()

    class CosineToZero(keras.optimizers.schedules.LearningRateSchedule):
        """``CosineDecay(rate, steps)``, with ``steps`` a variable that each run sets."""

        def __init__(self, rate: float):
            self.rate = rate
            self.steps = keras.Variable(1.0, dtype="float32", trainable=False, name="decay_steps")

        def __call__(self, step):
            ops = keras.ops
            done = ops.minimum(ops.cast(step, "float32") / self.steps, 1.0)
            return self.rate * 0.5 * (1.0 + ops.cos(np.pi * done))

        def get_config(self):
            return {"rate": self.rate}

    model = keras.models.clone_model(base)
    model.set_weights(base.get_weights())
    if cfg.freeze_batchnorm:
        for layer in all_layers(model):  # an ensemble's members' too
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.trainable = False  # Keras 3: also runs it in inference mode
    schedule = CosineToZero(cfg.learning_rate)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=cfg.label_smoothing),
    )
    return model, schedule


def _reset(model, schedule, weights: list, steps: int) -> None:
    """The training copy back to the base model's ``weights``, a fresh optimizer (step 0, no
    moments) and a schedule over ``steps`` batches: as if just made by :func:`_training_model`."""
    model.set_weights(weights)
    for variable in model.optimizer.variables:
        variable.assign(np.zeros(variable.shape, variable.dtype))
    schedule.steps.assign(float(max(steps, 1)))


def _save(model, template, out: Path, info: ModelInfo) -> None:
    """Write ``model``'s weights in a copy of the uncompiled ``template`` (the base model: no
    optimizer state in the file) as ``out``, its JSON and its LiteRT pair (``.tflite``,
    ``.lite.json``), atomically: temporary names, then renames (model first)."""
    keras = import_keras()

    clean = keras.models.clone_model(template)
    clean.set_weights(model.get_weights())
    tmp = atomic.temp_path(out)
    pairs = [(tmp, out)]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            # Keras' own saving code trips a NumPy 2 deprecation notice; nothing to act on here.
            warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
            clean.save(tmp)
        files = [(metadata_path(out), info_bytes(info)),
                 *lite_files(clean, out, sha256_of(tmp))]
        pairs += [(atomic.temp_path(path), path) for path, _ in files]
        for path, data in files:
            atomic.write_temp(path, data)
        atomic.commit_all(pairs)
    except OSError as exc:  # a full or read-only folder: the model in use stays as it was
        raise ModelError(atomic.write_error(out, exc, "the adapted model")) from None
    finally:
        for tmp_path, _ in pairs:
            tmp_path.unlink(missing_ok=True)


def _check_out(out: Path) -> None:
    if out.suffix != ".keras":
        raise ModelError(f"{out}: the adapted model must be a .keras file")
    if out.resolve() == DEFAULT_MODEL.resolve():
        raise ModelError(f"{out}: the shipped model is never overwritten; choose another --out")


def adapt(
    samples: SampleStore | Path | str | None = None,
    base_model: Path | str | None = None,
    out: Path | str | None = None,
    data_dir: Path | str | None = None,
    cfg: AdaptConfig = AdaptConfig(),
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    command: str = "",
) -> AdaptOutcome:
    """Fine-tune ``base_model`` (default: the shipped model) on the user's samples.

    Writes ``out`` (default :func:`digit_app.userdata.adapted_model_path`) and the JSON beside
    it only when the result is kept. ``progress(step, total, message)`` is called as it goes;
    ``should_stop()`` is polled between training batches. Raises SampleError (too few or
    unreadable samples), ModelError (bad model, bad ``out``), MnistError / FileNotFoundError
    (MNIST missing), AdaptCancelled.
    """
    started = time.perf_counter()
    if out is None:
        from digit_app.userdata import adapted_model_path

        out = adapted_model_path()
    out = Path(out)
    _check_out(out)
    base = Path(base_model) if base_model is not None else DEFAULT_MODEL
    store = samples if isinstance(samples, SampleStore) else SampleStore(samples)

    x_all, y_all = store.arrays()
    reason = readiness(len(y_all), cfg)
    if reason:
        raise SampleError(f"{store.root}: {reason}")
    folds = stratified_folds(y_all, cfg.folds, cfg.seed)
    everything = np.arange(len(y_all))
    # Runs: one per fold (all samples but the fold), then the kept candidate (all samples).
    runs = [np.setdiff1d(everything, fold) for fold in folds] + [everything]
    batches = [_batches(len(r), cfg) for r in runs]
    # Phases: load model, load MNIST, evaluate before, (runs x epochs x batches), evaluate after, save.
    steps = _Steps(5 + cfg.epochs * sum(batches), progress, should_stop)
    data = mnist.find_data_dir(data_dir)
    steps.check()
    before = Classifier.load(base)  # only now: the checks above answer at once
    norm = before.info.normalize_config()
    steps.step(f"loaded {base.name}")
    train_split = mnist.load_split(data, "train")
    test_split = mnist.load_split(data, "test")
    x_test = _chunked(lambda part: normalize_clean(part, norm),
                      test_split.images[: cfg.mnist_test_limit], steps)
    y_test = test_split.labels[: cfg.mnist_test_limit].astype(np.int64)
    steps.step("MNIST ready")
    user_before = user_accuracy(before, x_all, y_all)
    mnist_before = Evaluation.from_probabilities(
        y_test, _chunked(before.predict, x_test, steps), x_test).accuracy
    steps.step(f"before: your samples {100 * user_before:.1f}%, MNIST {100 * mnist_before:.2f}%")

    trainer, schedule = _training_model(before.model, cfg)
    weights = before.model.get_weights()
    replay = _replay_epochs(train_split, norm, len(y_all), cfg, np.random.default_rng(cfg.seed), steps)
    # Cross-validation: every sample read by the model of the run that held it out.
    probabilities = np.zeros((len(y_all), NUM_CLASSES), np.float32)
    for k, fold in enumerate(folds):
        _reset(trainer, schedule, weights, cfg.epochs * batches[k])
        _fine_tune(trainer, x_all[runs[k]], y_all[runs[k]], replay, len(y_all), cfg, cfg.seed + 1 + k,
                   steps, f"check {k + 1}/{cfg.folds}")
        probabilities[fold] = Classifier(trainer, before.info, None).predict(x_all[fold])
    user_after = float(Evaluation.from_probabilities(y_all, probabilities, x_all).accuracy_with_rejection)
    _reset(trainer, schedule, weights, cfg.epochs * batches[-1])
    model = _fine_tune(trainer, x_all, y_all, replay, len(y_all), cfg, cfg.seed, steps, "final")
    after = Classifier(model, before.info, None)
    mnist_eval = Evaluation.from_probabilities(y_test, _chunked(after.predict, x_test, steps), x_test)
    mnist_after = mnist_eval.accuracy
    steps.step(f"after: your samples {100 * user_after:.1f}% (cross-validated), "
               f"MNIST {100 * mnist_after:.2f}%")

    kept, reason = _decide(user_before, user_after, mnist_before, mnist_after, cfg)
    outcome = AdaptOutcome(kept, reason, user_before, user_after, int(len(y_all)),
                           int(len(y_all)), mnist_before, mnist_after, 0.0,
                           out if kept else None, base, int(len(y_test)), cfg.folds)
    if kept:
        steps.check()  # a cancel arriving now still writes nothing
        outcome.seconds = time.perf_counter() - started
        info = _adapted_info(before.info, model, outcome, cfg, store, y_all, mnist_eval, command)
        _save(model, before.model, out, info)
    outcome.seconds = time.perf_counter() - started
    steps.step("saved" if kept else "not kept")
    return outcome


def readiness(samples: int, cfg: AdaptConfig = AdaptConfig()) -> str:
    """Why adaptation cannot start with ``samples`` corrected samples ('' when it can)."""
    if samples >= cfg.min_samples:
        return ""
    return (f"{samples} sample{'s' * (samples != 1)}; adaptation needs at least {cfg.min_samples} "
            f"(correct {cfg.min_samples - samples} more digit{'s' * (cfg.min_samples - samples != 1)}, "
            f"a few of each)")


def _batches(n_user: int, cfg: AdaptConfig) -> int:
    """Training batches per epoch for ``n_user`` user samples (repeats, replay, negatives)."""
    shown = n_user * cfg.user_repeats
    n_replay = int(round(cfg.replay_ratio * shown))
    return int(np.ceil((shown + n_replay + int(round(cfg.replay.negative_fraction * n_replay)))
                       / cfg.batch_size))


def _replay_epochs(train_split, norm, n_user: int, cfg: AdaptConfig, rng: np.random.Generator,
                   steps: _Steps) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per epoch, fresh MNIST replay (augmented as in training, plus "not a digit" crops) for
    ``n_user`` user samples; the runs of one adaptation share it (each takes its share)."""
    n_replay = int(round(cfg.replay_ratio * n_user * cfg.user_repeats))
    epochs = []
    for _ in range(cfg.epochs):
        if not n_replay:
            epochs.append((np.zeros((0, 32, 32, 1), np.float32), np.zeros(0, np.int64)))
            continue
        pick = rng.choice(len(train_split.labels), size=min(n_replay, len(train_split.labels)),
                          replace=False)
        images, labels = train_split.images[pick], train_split.labels[pick]
        epochs.append(make_epoch(images, labels, normalize_clean(images, norm),
                                 int(rng.integers(1 << 31)), norm, cfg.replay))
        steps.check()
    return epochs


def _fine_tune(model, x_train: np.ndarray, y_train: np.ndarray, replay: list, n_all: int,
               cfg: AdaptConfig, seed: int, steps: _Steps, label: str):
    """Fine-tune ``model`` (made by :func:`_training_model`, just :func:`_reset`) on the user's
    ``x_train``/``y_train`` (jittered, ``user_repeats`` times per epoch) mixed with the replay
    made for ``n_all`` user samples (a run on fewer takes a random share of the same size ratio)."""
    keras = import_keras()

    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    for epoch, (rx, ry) in enumerate(replay):
        share = rng.permutation(len(ry))[: int(round(len(ry) * len(y_train) / max(n_all, 1)))]
        xs = [jitter_inputs(x_train, rng, cfg) for _ in range(cfg.user_repeats)] + [rx[share]]
        ys = [y_train] * cfg.user_repeats + [ry[share]]
        x, y = np.concatenate(xs), np.concatenate(ys)
        order = rng.permutation(len(y))
        _fit_epoch(model, x[order], keras.utils.to_categorical(y[order], NUM_CLASSES),
                   cfg.batch_size, steps, f"{label}: epoch {epoch + 1}/{cfg.epochs}")
    return model


def _chunked(fn: Callable[[np.ndarray], np.ndarray], items: np.ndarray, steps: _Steps) -> np.ndarray:
    """``fn`` over ``items`` in slices, checking for a cancel between slices (a long phase
    must not hold the cancel button for seconds)."""
    parts = []
    for i in range(0, max(len(items), 1), _CHUNK):
        steps.check()
        parts.append(fn(items[i : i + _CHUNK]))
    return np.concatenate(parts)


def _fit_epoch(model, x: np.ndarray, y: np.ndarray, batch_size: int, steps: _Steps, label: str) -> None:
    """One pass over ``(x, y)``, reporting every batch; AdaptCancelled when asked to stop."""
    keras: Any = import_keras()

    class _Report(keras.callbacks.Callback):
        cancelled = False

        def on_train_batch_end(self, batch, logs=None):
            try:
                steps.step(label)
            except AdaptCancelled:
                self.cancelled = True
                self.model.stop_training = True

    report = _Report()
    model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0, callbacks=[report])
    if report.cancelled:
        raise AdaptCancelled("adaptation cancelled")


def _decide(user_before: float, user_after: float, mnist_before: float, mnist_after: float,
            cfg: AdaptConfig) -> tuple[bool, str]:
    eps = 1e-9
    gain, drop = user_after - user_before, mnist_before - mnist_after
    if gain <= cfg.min_user_gain + eps:
        return False, (f"it does not read your samples better "
                       f"({100 * user_before:.1f}% -> {100 * user_after:.1f}%, cross-validated)")
    if drop > cfg.max_mnist_drop + eps:
        return False, (f"it loses {100 * drop:.2f} points on MNIST (at most "
                       f"{100 * cfg.max_mnist_drop:.2f} allowed)")
    return True, (f"your samples +{100 * gain:.1f} points (cross-validated), MNIST "
                  f"{'-' if drop > 0 else '+'}{abs(100 * drop):.2f} points")


def _adapted_info(base_info: ModelInfo, model, outcome: AdaptOutcome, cfg: AdaptConfig,
                  store: SampleStore, labels: np.ndarray, mnist_eval: Evaluation, command: str) -> ModelInfo:
    counts = {name: int(n) for name, n in zip(CLASS_NAMES, np.bincount(labels, minlength=NUM_CLASSES))}
    evaluation = mnist_eval.summary()
    evaluation["command"] = "digit-app adapt"
    evaluation["user_held_out"] = {"samples": outcome.held_out, "accuracy": round(outcome.user_after, 4),
                                   "accuracy_before": round(outcome.user_before, 4),
                                   "method": f"{outcome.folds}-fold cross-validation"}
    return ModelInfo(
        input_shape=base_info.input_shape,
        classes=base_info.classes,
        normalization=dict(base_info.normalization),  # the base model's: inputs must not change
        parameters=int(model.count_params()),
        training={
            "kind": "adaptation",
            "command": command,
            "base_model": str(outcome.base_model),
            "base_training_command": base_info.training.get("command", ""),
            "created": iso_utc(now_utc()),
            "samples_dir": str(store.root),
            "samples": int(len(labels)),
            "sample_counts": counts,
            "trained_on": outcome.trained_on,
            "held_out": outcome.held_out,
            "folds": outcome.folds,
            "user_before": round(outcome.user_before, 4),
            "user_after": round(outcome.user_after, 4),
            "mnist_before": round(outcome.mnist_before, 4),
            "mnist_after": round(outcome.mnist_after, 4),
            "mnist_test_digits": outcome.mnist_test,
            "seconds": round(outcome.seconds, 1),
            "config": asdict(cfg),
        },
        evaluation=evaluation,
    )
