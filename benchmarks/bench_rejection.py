"""How the reject threshold trades real digits lost against non-digits let through.

Real digits: the *validation* writers of the real sets (never the held-out ones that
``digit-app evaluate --real`` reports), each drawn once with a random pen. Non-digits: the
synthetic "not a digit" crops (marks, scribbles, pieces of lines) and printed letters. For each
``min_confidence`` the share of real digits not accepted (rejected as "not a digit" or below
the threshold) and the share of non-digits accepted as a digit.

    .venv/bin/python benchmarks/bench_rejection.py [--model PATH] [--negatives 3000]
"""
from __future__ import annotations

import argparse

import numpy as np

from digit_app.data import mnist, real
from digit_app.data.printed import PrintedConfig
from digit_app.model.classifier import Classifier
from digit_app.model.printed_data import make_printed_negatives
from digit_app.model.training_data import make_negatives, normalize_pen_digits
from digit_app.pipeline.config import PipelineConfig
from digit_app.types import NOT_A_DIGIT

THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model")
    ap.add_argument("--negatives", type=int, default=3000)
    args = ap.parse_args()
    clf = Classifier.load(args.model)
    norm = clf.info.normalize_config()
    rng = np.random.default_rng(0)
    val = real.training_digits().validation
    x_real = normalize_pen_digits(val.images, val.strokes, rng, norm)
    test = mnist.load_split(mnist.find_data_dir(), "test")
    x_neg = np.concatenate([
        make_negatives(args.negatives, test.images, test.labels, rng, norm),
        make_printed_negatives(args.negatives, rng, norm, PrintedConfig(confusable_weight=0.0)),
    ])
    p_real, p_neg = clf.predict(x_real), clf.predict(x_neg)
    right = np.argmax(p_real, 1) == val.labels
    print(f"model {clf.name}; {len(x_real)} real validation digits, {len(x_neg)} non-digits; "
          f"default min_confidence {PipelineConfig().min_confidence}")
    print(f"real digits read right (argmax): {right.mean():.4f}")
    for t in THRESHOLDS:
        lost = (np.argmax(p_real, 1) == NOT_A_DIGIT) | (p_real.max(1) < t)
        taken = (np.argmax(p_neg, 1) != NOT_A_DIGIT) & (p_neg.max(1) >= t)
        print(f"min_confidence {t:.1f}: real digits lost {lost.mean():.4f} | read right and "
              f"kept {(right & ~lost).mean():.4f} | non-digits accepted {taken.mean():.4f}")
    for name in np.unique(val.source):
        m = val.source == name
        print(f"  {name:>12}: {m.sum()} digits, read right {right[m].mean():.4f}")


if __name__ == "__main__":
    main()
