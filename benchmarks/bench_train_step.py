"""Training speed of LeNet variants on this machine: seconds per epoch of the real data size.

    python benchmarks/bench_train_step.py [--repeats 3]

Each variant is fitted on random inputs (the speed does not depend on the values) for one
timed epoch of ``SAMPLES`` after a warm-up; the median of the repeats is reported. Run it on an
otherwise idle machine: training is CPU bound.
"""
from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

import numpy as np

from digit_app.data.scenes import TRAIN_SPLIT_SIZE
from digit_app.model.training import TrainConfig
from digit_app.types import NUM_CLASSES

_TRAIN = TrainConfig()
_DIGITS = TRAIN_SPLIT_SIZE - _TRAIN.validation_size
#: Samples in one training epoch: the training digits plus the "not a digit" crops (63,250).
SAMPLES = _DIGITS + round(_TRAIN.recipe.negative_fraction * _DIGITS)
TIMED = 16_384  # samples actually fitted per measurement (scaled up to SAMPLES)
VARIANTS = {
    "shipped (conv 32/48)": {},
    "conv 32/64": {"conv2_filters": 64},
    "conv 24/48": {"conv1_filters": 24},
}


def seconds_per_epoch(overrides: dict, repeats: int, batch_size: int = 128) -> tuple[float, int]:
    import keras

    from digit_app.model.lenet import LeNetConfig, build_lenet

    model = build_lenet(replace(LeNetConfig(), **overrides))
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    rng = np.random.default_rng(0)
    x = rng.random((TIMED, 32, 32, 1), dtype=np.float32)
    y = keras.utils.to_categorical(rng.integers(0, NUM_CLASSES, TIMED), NUM_CLASSES)
    model.fit(x[:2048], y[:2048], batch_size=batch_size, epochs=1, verbose=0)  # warm-up, tracing
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
        times.append((time.perf_counter() - t0) * SAMPLES / TIMED)
    return statistics.median(times), model.count_params()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    base = None
    for name, overrides in VARIANTS.items():
        secs, params = seconds_per_epoch(overrides, args.repeats)
        base = base or secs
        print(f"{name:>22}: {secs:6.1f} s per epoch ({params:,} parameters, "
              f"{secs / base:.2f}x the shipped one)")


if __name__ == "__main__":
    main()
