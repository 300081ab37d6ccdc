"""Keras callbacks of ``digit-app train``: the best epoch on validation, and a progress bar."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from digit_app.model.epochs import AugmentedEpochs
from digit_app.model.progress import progress_bar
from digit_app.model.quiet import import_keras

keras = import_keras()
_Callback: Any = keras.callbacks.Callback  # a base class mypy can take (keras is untyped)

VALIDATION_BATCH = 1024  # validation digits per model call


class BestEpoch(_Callback):
    """After each epoch: accuracy on ``x_val`` (``N x 32 x 32 x 1 float32``) against ``y_val``
    (``N int``, argmax of the model's output), a row of :attr:`history`, a line to ``log``; the
    weights of the best epoch so far are kept in memory (:attr:`best_weights`).

    On a tie the later epoch wins: it was trained at a lower learning rate.
    """

    def __init__(self, x_val: np.ndarray, y_val: np.ndarray, data: AugmentedEpochs,
                 log: Callable[[str], None]):
        super().__init__()
        self._x_val, self._y_val, self._data, self._log = x_val, y_val, data, log
        self.history: list[dict] = []
        self.best_accuracy = -1.0
        self.best_weights: list[np.ndarray] | None = None
        self._t0 = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        # Epoch 0's time counts from the making of its samples, before fit started.
        self._t0 = self._data.started if epoch == 0 else time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        probs = self.model.predict(self._x_val, batch_size=VALIDATION_BATCH, verbose=0)
        val_acc = float(np.mean(np.argmax(probs, axis=1) == self._y_val))
        data_seconds = self._data.data_seconds[epoch]
        row = {
            "epoch": epoch + 1,
            "loss": round(float(logs["loss"]), 4),
            "accuracy": round(float(logs["accuracy"]), 4),
            "val_accuracy": round(val_acc, 4),
            "seconds": round(time.perf_counter() - self._t0, 1),
            "data_seconds": round(data_seconds, 1),
        }
        self.history.append(row)
        better = val_acc >= self.best_accuracy
        if better:
            self.best_accuracy = val_acc
            self.best_weights = self.model.get_weights()
        self._log(
            f"epoch {epoch + 1}/{self.params['epochs']}: loss {row['loss']:.4f} "
            f"acc {row['accuracy']:.4f} val_acc {val_acc:.4f} ({row['seconds']:.0f} s, "
            f"data {data_seconds:.0f} s){'  * best' if better else ''}"
        )


class EpochBar(_Callback):
    """A tqdm bar over each epoch's batches on standard error, with the running loss; closed
    (and cleared) as the epoch ends, before the epoch's line is logged. Added only when shown:
    a per-batch callback makes Keras wait for each batch's figures."""

    def __init__(self, progress: bool | None = True):
        super().__init__()
        self._progress = progress
        self._bar = None

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._bar = progress_bar(total=self.params["steps"], progress=self._progress, leave=False,
                                 unit="batch", desc=f"epoch {epoch + 1}/{self.params['epochs']}")

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self._bar is not None:
            self._bar.update(1)
            if logs and "loss" in logs:
                self._bar.set_postfix(loss=f"{float(logs['loss']):.4f}", refresh=False)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._close()

    def on_train_end(self, logs: dict | None = None) -> None:
        self._close()

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
