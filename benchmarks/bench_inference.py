"""Inference throughput of the shipped model: direct compiled call against ``model.predict``.

Run: ``.venv/bin/python benchmarks/bench_inference.py [--model PATH] [--repeats N]``.
Prints the median time per call and per image for batches of 1, 16 and 1024.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from digit_app.model.classifier import Classifier

BATCHES = (1, 16, 1024)


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
    print(f"model: {clf.path}")
    print(f"{'batch':>6} {'direct ms':>10} {'predict ms':>11} {'ratio':>6} {'direct img/s':>13}")
    for n in BATCHES:
        x = rng.random((n, 32, 32, 1), dtype=np.float32)
        reps = args.repeats if n < 1024 else max(5, args.repeats // 3)
        direct = median_seconds(lambda: clf.predict(x), reps)
        keras_predict = median_seconds(lambda: clf.model.predict(x, batch_size=n, verbose=0), reps)
        print(f"{n:6d} {direct * 1e3:10.2f} {keras_predict * 1e3:11.2f} "
              f"{keras_predict / direct:6.1f} {n / direct:13.0f}")


if __name__ == "__main__":
    main()
