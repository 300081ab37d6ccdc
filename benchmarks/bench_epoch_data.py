"""What making training data costs: CPU and wall seconds of one data worker's part of an epoch.

    python benchmarks/bench_epoch_data.py [--mnist 8000] [--real 4000] [--repeats 3]

A part of the training digits (the first ``--mnist`` MNIST training digits and ``--real`` real
training digits, UNIPEN's drawn from their strokes) is made into epochs by ``make_epoch`` with
``digit-app train``'s recipe, as a worker of ``EpochMaker`` does: the first epoch fills the
augmentation cache and is not timed; the next ``--repeats`` are. Each OpenCV setting runs in a
fresh process (OpenCV's thread count is the process's): OpenCV's own thread pool, as a
process has it, and one thread, as ``digit-app train``'s workers use it (the same samples).
Medians are reported. Needs MNIST and the shared real sets (``DIGIT_APP_MNIST``,
``DIGIT_APP_REAL_DATA`` or the usual places). Run it on an otherwise idle machine.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

SETTINGS = {"OpenCV's threads": -1, "one OpenCV thread": 1}


def measure(threads: int, n_mnist: int, n_real: int, repeats: int) -> dict:
    """Seconds (CPU, wall) of each timed epoch, made in this process."""
    import cv2
    import numpy as np

    from digit_app.data import mnist, real
    from digit_app.model.training import TrainConfig
    from digit_app.model.training_data import AugmentCache, make_epoch, normalize_clean

    if threads >= 0:
        cv2.setNumThreads(threads)
    cfg = TrainConfig()
    split = mnist.load_split(mnist.find_data_dir(None), "train")
    rt = real.training_digits(None, cfg.seed).train
    images = np.concatenate([split.images[:n_mnist], rt.images[:n_real]])
    labels = np.concatenate([split.labels[:n_mnist], rt.labels[:n_real]])
    strokes = [None] * n_mnist + list(rt.strokes[:n_real])
    is_mnist = np.arange(len(images)) < n_mnist
    clean = normalize_clean(images, cfg.normalize)
    cache = AugmentCache.empty(len(images))
    make_epoch(images, labels, clean, 1, cfg.normalize, cfg.recipe, cache, strokes, is_mnist)
    cpu, wall = [], []
    for seed in range(2, 2 + repeats):
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        make_epoch(images, labels, clean, seed, cfg.normalize, cfg.recipe, cache, strokes, is_mnist)
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        wall.append(time.perf_counter() - t0)
        cpu.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
    return {"cpu": cpu, "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", type=int, default=8000)
    parser.add_argument("--real", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, help=argparse.SUPPRESS)  # one setting, in a child
    args = parser.parse_args()
    if args.threads is not None:
        print(json.dumps(measure(args.threads, args.mnist, args.real, args.repeats)))
        return
    print(f"{args.mnist} MNIST + {args.real} real training digits, {args.repeats} epochs timed")
    base = None
    for name, threads in SETTINGS.items():
        out = subprocess.run(
            [sys.executable, __file__, "--threads", str(threads), "--mnist", str(args.mnist),
             "--real", str(args.real), "--repeats", str(args.repeats)],
            check=True, capture_output=True, text=True).stdout
        times = json.loads(out.strip().splitlines()[-1])
        cpu, wall = statistics.median(times["cpu"]), statistics.median(times["wall"])
        base = base or cpu
        print(f"{name:>17}: {cpu:6.2f} s CPU, {wall:6.2f} s wall per epoch "
              f"({cpu / base:.2f}x the CPU of the first)")


if __name__ == "__main__":
    main()
