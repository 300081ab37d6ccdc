"""The training data of one run as a ``keras.utils.PyDataset``: each epoch's freshly made
samples, in batches, in the order they were made (``fit(..., shuffle=False)``).

Epoch 0 is the digits clean (made here, before ``fit``: Keras reads its first batches to learn
the input shapes); epoch ``k >= 1`` comes from an :class:`EpochMaker` with seed
``seed_base + k``, and the worker processes make epoch ``k + 1`` while the model trains on
epoch ``k``. Batches: ``x`` ``B x 32 x 32 x 1 float32``, ``y`` ``B x num_classes`` one-hot.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from digit_app.model.quiet import import_keras
from digit_app.model.training_data import EpochMaker

keras = import_keras()
_PyDataset: Any = keras.utils.PyDataset  # a base class mypy can take (keras is untyped)

#: ``(x: M x 32 x 32 x 1 float32, y: M int64)``, one epoch's samples in training order.
Epoch = tuple[np.ndarray, np.ndarray]


def batch_bounds(samples: int, batches: int, batch_size: int) -> np.ndarray:
    """``batches + 1`` ints: where each batch starts, then ``samples``.

    Batches of ``batch_size``, the last one the rest, when that makes ``batches`` batches (every
    epoch but, at times, one a few samples longer or shorter than the first: the number of
    batches is fixed when ``fit`` starts); otherwise ``batches`` near-equal ones.
    """
    if -(-samples // batch_size) == batches:
        return np.minimum(np.arange(batches + 1) * batch_size, samples)
    return np.linspace(0, samples, batches + 1).round().astype(int)


class AugmentedEpochs(_PyDataset):
    """``epochs`` epochs of training samples: ``first()`` (made now), then ``maker``'s.

    ``data_seconds[k]``: the time spent making (epoch 0) or waiting for (later epochs) epoch
    ``k``'s samples; ``started``: ``time.perf_counter()`` when epoch 0 began to be made.
    Served in one thread, in order (Keras's own workers would not keep the order).
    """

    def __init__(self, first: Callable[[], Epoch], maker: EpochMaker, seed_base: int, epochs: int,
                 batch_size: int, num_classes: int):
        super().__init__(workers=1, use_multiprocessing=False)
        self._maker, self._seed_base, self._epochs = maker, seed_base, epochs
        self._batch_size, self._num_classes = batch_size, num_classes
        self.data_seconds: list[float] = []
        self.started = time.perf_counter()
        if epochs > 1:  # the workers make epoch 1 while epoch 0 is made here
            maker.prefetch(seed_base + 1)
        self._epoch = 0
        self._began = False
        x, y = first()
        self._batches = max(1, -(-len(y) // batch_size))
        self._serve(x, y)
        self.data_seconds.append(time.perf_counter() - self.started)

    def __len__(self) -> int:
        return self._batches

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        x, y, bounds = self._current  # one reference: an epoch is swapped whole
        return x[bounds[index] : bounds[index + 1]], y[bounds[index] : bounds[index + 1]]

    def on_epoch_begin(self) -> None:
        """Called by ``fit`` as each epoch starts: from the second on, swap in the next epoch."""
        if not self._began:  # epoch 0 is already here
            self._began = True
            return
        self._epoch += 1
        t0 = time.perf_counter()
        x, y = self._maker.make(self._seed_base + self._epoch)
        if self._epoch + 1 < self._epochs:  # the next epoch is made while this one trains
            self._maker.prefetch(self._seed_base + self._epoch + 1)
        self._serve(x, y)
        self.data_seconds.append(time.perf_counter() - t0)

    def _serve(self, x: np.ndarray, y: np.ndarray) -> None:
        onehot = keras.utils.to_categorical(y, self._num_classes)
        self._current = (x, onehot, batch_bounds(len(y), self._batches, self._batch_size))
