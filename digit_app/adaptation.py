"""Adapting the model to the user's handwriting (``digit-app adapt``; no Qt).

The current model is fine-tuned on the user's corrected samples mixed with MNIST replay (fresh
training digits every epoch, augmented as in training, plus synthetic "not a digit" crops), so
it learns the new hand without forgetting the others. A stratified, seeded part of the user's
samples is held out; the result is kept only if it reads those held-out samples better and
loses at most ``max_mnist_drop`` on the MNIST test set. Then, and only then, it is written
(atomically) with its metadata; the base model is never touched.

Arrays: model inputs ``N x 32 x 32 x 1 float32`` in [0, 1], labels ``N int64`` (10 = not a digit).
"""
from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from digit_app import atomic
from digit_app.data import mnist
from digit_app.model.classifier import DEFAULT_MODEL, Classifier
from digit_app.model.evaluation import Evaluation
from digit_app.model.metadata import ModelError, ModelInfo, info_bytes, metadata_path
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
    #: Share of each class's samples held out to judge the result (stratified, seeded).
    holdout_fraction: float = 0.25
    min_samples: int = 20  # fewer in all and adaptation refuses to start
    min_held_out: int = 5
    #: Keep the result only if the held-out accuracy rises by more than this ...
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
        if not 0.0 < self.holdout_fraction < 1.0:
            raise ValueError(f"holdout_fraction must be in (0, 1), got {self.holdout_fraction}")
        if self.replay_ratio < 0 or self.learning_rate <= 0:
            raise ValueError("replay_ratio must be >= 0 and learning_rate > 0")


@dataclass
class AdaptOutcome:
    kept: bool
    reason: str
    user_before: float  # accuracy on the held-out user samples (all 11 classes)
    user_after: float
    held_out: int
    trained_on: int
    mnist_before: float  # MNIST test accuracy (the ten digit classes, as `digit-app evaluate`)
    mnist_after: float
    seconds: float
    model_path: Path | None  # where the adapted model was written (None when not kept)
    base_model: Path
    mnist_test: int = 0  # MNIST test digits used

    def summary(self) -> str:
        """Two lines: the decision and the figures."""
        head = f"Kept: saved {self.model_path}." if self.kept else f"Not kept: {self.reason}."
        return (f"{head}\nYour held-out samples: {100 * self.user_before:.1f}% -> "
                f"{100 * self.user_after:.1f}% ({self.held_out} samples, trained on "
                f"{self.trained_on}); MNIST test: {100 * self.mnist_before:.2f}% -> "
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
def split_held_out(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified split: ``(train indexes, held-out indexes)``, each sorted.

    Per class, ``round(fraction * n)`` samples (at least 1) are held out when the class has 2
    or more; a class's last sample always trains.
    """
    rng = np.random.default_rng(seed)
    held = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        if len(idx) < 2:
            continue
        k = min(max(1, int(round(fraction * len(idx)))), len(idx) - 1)
        held.append(rng.choice(idx, size=k, replace=False))
    held_idx = np.sort(np.concatenate(held)) if held else np.zeros(0, np.int64)
    train_idx = np.setdiff1d(np.arange(len(labels)), held_idx)
    return train_idx, held_idx


def jitter_inputs(x: np.ndarray, rng: np.random.Generator, cfg: AdaptConfig) -> np.ndarray:
    """Small random shift, rotation and scale of each ``32 x 32`` model input (a copy)."""
    out = np.empty_like(x)
    side = x.shape[1]
    centre = (side / 2.0, side / 2.0)
    for i in range(len(x)):
        m = cv2.getRotationMatrix2D(centre, rng.uniform(-cfg.rotation_deg, cfg.rotation_deg),
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


def _training_model(base, cfg: AdaptConfig, steps: int):
    """A compiled copy of the Keras model ``base`` (left untouched) ready to fine-tune."""
    import keras

    model = keras.models.clone_model(base)
    model.set_weights(base.get_weights())
    if cfg.freeze_batchnorm:
        for layer in model.layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.trainable = False  # Keras 3: also runs it in inference mode
    schedule = keras.optimizers.schedules.CosineDecay(cfg.learning_rate, decay_steps=max(steps, 1))
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=cfg.label_smoothing),
    )
    return model


def _save(model, out: Path, info: ModelInfo) -> None:
    """Write ``out`` and its JSON atomically: temporary names, then renames (model first)."""
    import keras

    for layer in model.layers:
        layer.trainable = True
    clean = keras.models.clone_model(model)  # uncompiled: no optimizer state in the file
    clean.set_weights(model.get_weights())
    out_json = metadata_path(out)
    tmp, tmp_json = atomic.temp_path(out), atomic.temp_path(out_json)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            # Keras' own saving code trips a NumPy 2 deprecation notice; nothing to act on here.
            warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
            clean.save(tmp)
        atomic.write_temp(out_json, info_bytes(info))
        atomic.commit_all([(tmp, out), (tmp_json, out_json)])
    except OSError as exc:  # a full or read-only folder: the model in use stays as it was
        raise ModelError(atomic.write_error(out, exc, "the adapted model")) from None
    finally:
        tmp.unlink(missing_ok=True)
        tmp_json.unlink(missing_ok=True)


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
    if len(y_all) < cfg.min_samples:
        raise SampleError(f"{store.root}: {len(y_all)} samples; adaptation needs at least "
                          f"{cfg.min_samples} (correct more digits, a few of each)")
    train_idx, held_idx = split_held_out(y_all, cfg.holdout_fraction, cfg.seed)
    if len(held_idx) < cfg.min_held_out:
        raise SampleError(f"{store.root}: only {len(held_idx)} samples can be held out to judge "
                          f"the result; adaptation needs {cfg.min_held_out} (at least 2 samples of "
                          f"a class count; correct more digits)")
    x_train, y_train = x_all[train_idx], y_all[train_idx]
    x_held, y_held = x_all[held_idx], y_all[held_idx]

    shown = len(train_idx) * cfg.user_repeats
    n_replay = int(round(cfg.replay_ratio * shown))
    per_epoch = shown + n_replay + int(round(cfg.replay.negative_fraction * n_replay))
    batches = int(np.ceil(per_epoch / cfg.batch_size))
    # Phases: load model, load MNIST, evaluate before, (epochs x batches), evaluate after, save.
    steps = _Steps(5 + cfg.epochs * batches, progress, should_stop)
    data = mnist.find_data_dir(data_dir)
    steps.check()
    import keras  # only now: the checks above answer at once

    before = Classifier.load(base)
    norm = before.info.normalize_config()
    steps.step(f"loaded {base.name}")
    train_split = mnist.load_split(data, "train")
    test_split = mnist.load_split(data, "test")
    x_test = _chunked(lambda part: normalize_clean(part, norm),
                      test_split.images[: cfg.mnist_test_limit], steps)
    y_test = test_split.labels[: cfg.mnist_test_limit].astype(np.int64)
    steps.step("MNIST ready")
    user_before = user_accuracy(before, x_held, y_held)
    mnist_before = Evaluation.from_probabilities(
        y_test, _chunked(before.predict, x_test, steps), x_test).accuracy
    steps.step(f"before: held-out {100 * user_before:.1f}%, MNIST {100 * mnist_before:.2f}%")

    keras.utils.set_random_seed(cfg.seed)
    model = _training_model(before.model, cfg, cfg.epochs * batches)
    rng = np.random.default_rng(cfg.seed)
    for epoch in range(cfg.epochs):
        label = f"epoch {epoch + 1}/{cfg.epochs}"
        xs = [jitter_inputs(x_train, rng, cfg) for _ in range(cfg.user_repeats)]
        ys = [y_train] * cfg.user_repeats
        if n_replay:
            pick = rng.choice(len(train_split.labels), size=min(n_replay, len(train_split.labels)),
                              replace=False)
            images, labels = train_split.images[pick], train_split.labels[pick]
            rx, ry = make_epoch(images, labels, normalize_clean(images, norm),
                                int(rng.integers(1 << 31)), norm, cfg.replay)
            xs.append(rx)
            ys.append(ry)
        x, y = np.concatenate(xs), np.concatenate(ys)
        order = rng.permutation(len(y))
        _fit_epoch(model, x[order], keras.utils.to_categorical(y[order], NUM_CLASSES),
                   cfg.batch_size, steps, label)

    after = Classifier(model, before.info, None)
    user_after = user_accuracy(after, x_held, y_held)
    mnist_eval = Evaluation.from_probabilities(y_test, _chunked(after.predict, x_test, steps), x_test)
    mnist_after = mnist_eval.accuracy
    steps.step(f"after: held-out {100 * user_after:.1f}%, MNIST {100 * mnist_after:.2f}%")

    kept, reason = _decide(user_before, user_after, mnist_before, mnist_after, cfg)
    outcome = AdaptOutcome(kept, reason, user_before, user_after, int(len(held_idx)),
                           int(len(train_idx)), mnist_before, mnist_after, 0.0,
                           out if kept else None, base, int(len(y_test)))
    if kept:
        steps.check()  # a cancel arriving now still writes nothing
        outcome.seconds = time.perf_counter() - started
        info = _adapted_info(before.info, model, outcome, cfg, store, y_all, mnist_eval, command)
        _save(model, out, info)
    outcome.seconds = time.perf_counter() - started
    steps.step("saved" if kept else "not kept")
    return outcome


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
    import keras

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
        return False, (f"it does not read your held-out samples better "
                       f"({100 * user_before:.1f}% -> {100 * user_after:.1f}%)")
    if drop > cfg.max_mnist_drop + eps:
        return False, (f"it loses {100 * drop:.2f} points on MNIST (at most "
                       f"{100 * cfg.max_mnist_drop:.2f} allowed)")
    return True, (f"held-out samples +{100 * gain:.1f} points, MNIST "
                  f"{'-' if drop > 0 else '+'}{abs(100 * drop):.2f} points")


def _adapted_info(base_info: ModelInfo, model, outcome: AdaptOutcome, cfg: AdaptConfig,
                  store: SampleStore, labels: np.ndarray, mnist_eval: Evaluation, command: str) -> ModelInfo:
    counts = {name: int(n) for name, n in zip(CLASS_NAMES, np.bincount(labels, minlength=NUM_CLASSES))}
    evaluation = mnist_eval.summary()
    evaluation["command"] = "digit-app adapt"
    evaluation["user_held_out"] = {"samples": outcome.held_out, "accuracy": round(outcome.user_after, 4),
                                   "accuracy_before": round(outcome.user_before, 4)}
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
