"""Adaptation to a simulated writer: accuracy before/after and the time it takes here.

Run: ``.venv/bin/python benchmarks/bench_adapt.py [--per-digit N] [--runs R] [--fresh N]``.

The writer (``digit_app.data.writer``: strong slant, very broad pen, slashed 0, flagged 1,
crossed 7 ...) gives ``--per-digit`` corrected samples of each digit, made the way the app
makes them (rendered page + hand-drawn box -> ``model_input_for_box``). ``digit-app adapt``'s
code then fine-tunes the shipped model. Reported: accuracy on the writer's samples (all of
them, cross-validated as ``adapt`` judges them), on ``--fresh`` new samples per digit of the
same writer that no run has seen, and on the full MNIST test set, for the shipped and the adapted model; and the
wall time of ``adapt`` (everything: loading, MNIST replay, training, both evaluations, saving),
median over ``--runs`` runs with different seeds.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from digit_app.adaptation import AdaptConfig, adapt, user_accuracy
from digit_app.model.classifier import Classifier
from digit_app.samples.simulated import fill_store, writer_arrays

WRITER_SEED = 1
FRESH_SEED = 99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-digit", type=int, default=30, help="corrected samples per digit")
    parser.add_argument("--runs", type=int, default=3, help="adaptation runs (seeds 0..R-1)")
    parser.add_argument("--fresh", type=int, default=50, help="unseen writer samples per digit")
    parser.add_argument("--epochs", type=int, help="default: AdaptConfig.epochs")
    parser.add_argument("--model", help="base model (default: the shipped model)")
    parser.add_argument("--data", help="MNIST folder")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="digit-app-bench-adapt-") as tmp:
        os.environ["DIGIT_APP_DATA"] = tmp  # nothing touches the real user data
        t0 = time.perf_counter()
        store = fill_store(Path(tmp) / "samples", args.per_digit, seed=WRITER_SEED)
        made = time.perf_counter() - t0
        fx, fy = writer_arrays(args.fresh, seed=FRESH_SEED)
        base = Classifier.load(args.model)
        fresh_before = user_accuracy(base, fx, fy)
        print(f"writer: {len(store)} samples made in {made:.1f} s; {len(fy)} fresh samples; "
              f"base model {base.path}", file=sys.stderr)
        runs = []
        for seed in range(args.runs):
            cfg = AdaptConfig(seed=seed, epochs=args.epochs or AdaptConfig.epochs)
            out = Path(tmp) / f"adapted-{seed}.keras"
            outcome = adapt(store, args.model, out, args.data, cfg)
            fresh_after = user_accuracy(Classifier.load(out), fx, fy) if outcome.kept else None
            row = {**outcome.to_dict(), "seed": seed, "fresh_before": round(fresh_before, 4),
                   "fresh_after": None if fresh_after is None else round(fresh_after, 4)}
            runs.append(row)
            print(f"run {seed}: {outcome.summary()}".replace("\n", " "), file=sys.stderr)

    seconds = [r["seconds"] for r in runs]
    report = {"per_digit": args.per_digit, "samples": 10 * args.per_digit, "fresh": len(fy),
              "median_seconds": round(statistics.median(seconds), 1), "runs": runs}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"\nSimulated writer, {args.per_digit} samples per digit ({10 * args.per_digit} in all), "
          f"{runs[0]['held_out']} judged by {runs[0]['folds']}-fold cross-validation; {len(fy)} fresh "
          f"samples; CPU: {os.cpu_count()} cores")
    print(f"{'seed':>4} {'kept':>5} {'cross-val before':>16} {'after':>7} {'fresh before':>12} "
          f"{'after':>7} {'MNIST before':>12} {'after':>7} {'seconds':>8}")
    for r in runs:
        fresh_after = "-" if r["fresh_after"] is None else f"{100 * r['fresh_after']:.1f}%"
        print(f"{r['seed']:>4} {r['kept']!s:>5} {100 * r['user_before']:15.1f}% "
              f"{100 * r['user_after']:6.1f}% {100 * r['fresh_before']:11.1f}% {fresh_after:>7} "
              f"{100 * r['mnist_before']:11.2f}% {100 * r['mnist_after']:6.2f}% {r['seconds']:8.1f}")
    print(f"adaptation time: median {report['median_seconds']:.1f} s over {len(runs)} runs "
          f"(MNIST test set: {runs[0]['mnist_test']} digits)")
    return 0 if all(r["kept"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
