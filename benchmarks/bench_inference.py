"""Inference throughput of the shipped model: ``Classifier.predict`` (LiteRT when it runs
here), the compiled TensorFlow function it falls back to, and ``model.predict``.

Run: ``.venv/bin/python benchmarks/bench_inference.py [--model PATH] [--repeats N]``.
Prints the median time per call for batches of 1, 10 (a webcam frame), 16 and 1024.
"""
from __future__ import annotations

import argparse
import statistics
import time
from functools import partial

import numpy as np

from digit_app.model.classifier import Classifier
from digit_app.model.classifier import compiled as tf_function

BATCHES = (1, 10, 16, 1024)


def median_seconds(fn, repeats: int) -> float:
    fn()  # warm-up (tracing, allocation)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    clf = Classifier.load(args.model)
    rng = np.random.default_rng(0)
    print(f"model: {clf.path} (Classifier.predict on {'LiteRT' if clf.uses_lite else 'TensorFlow'})")
    print(f"{'batch':>6} {'predict() ms':>13} {'tf.function ms':>15} {'model.predict ms':>17} "
          f"{'vs tf.function':>15} {'img/s':>8}")
    tf_call = tf_function(clf.model)
    for n in BATCHES:
        x = rng.random((n, 32, 32, 1), dtype=np.float32)
        reps = args.repeats if n < 1024 else max(5, args.repeats // 3)
        fast = median_seconds(partial(clf.predict, x), reps)
        compiled = median_seconds(lambda x=x: tf_call(x).numpy(), reps)
        keras_predict = median_seconds(partial(clf.model.predict, x, batch_size=n, verbose=0), reps)
        print(f"{n:6d} {fast * 1e3:13.2f} {compiled * 1e3:15.2f} {keras_predict * 1e3:17.2f} "
              f"{compiled / fast:14.1f}x {n / fast:8.0f}")


if __name__ == "__main__":
    main()
