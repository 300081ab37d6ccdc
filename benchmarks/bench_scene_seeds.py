"""The scene figures over several generator seeds: one seed's 300 frames are one sample, and
seeds differ by a few points (a frame whose sheet is missed loses several numbers at once).

Run: ``.venv/bin/python benchmarks/bench_scene_seeds.py [--kinds webcam,scan]
[--seeds 3,5,7] [--scenes N] [--model PATH] [--json]``. Prints per kind and seed the numbers
read exactly and the non-digits reported (``digit-app evaluate --scenes N --seed S`` each),
then all seeds pooled (their scenes scored together) with the spread between seeds, against
the targets. ``--model``: another model than the shipped one (one model against another on
the same scenes).
"""
from __future__ import annotations

import argparse
import json

from digit_app.data.scene_scoring import SceneScore
from digit_app.data.scenes import load_test_digits
from digit_app.recognizer import Recognizer
from digit_app.scene_eval import EXACT_NUMBER_TARGETS, MAX_NON_DIGIT_RATE, NON_DIGIT_TARGETS, evaluate_scenes


def figures(score: SceneScore) -> dict:
    """The two figures the targets name, with the counts behind them."""
    s = score.summary()
    return {"numbers": score.truth_numbers, "exact_numbers": score.exact_numbers,
            "exact_number_rate": round(s["exact_number_rate"], 4),
            "reported_digits": score.reported_digits, "non_digits": score.non_digits,
            "non_digit_rate": round(s["non_digit_rate"], 4)}


def line(name: str, f: dict) -> str:
    return (f"  {name:>8}: numbers exact {f['exact_number_rate']:.4f} "
            f"({f['exact_numbers']}/{f['numbers']}) | non-digits {f['non_digit_rate']:.2%} "
            f"({f['non_digits']}/{f['reported_digits']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", default="webcam,scan")
    parser.add_argument("--seeds", default="3,5,7,11,13")
    parser.add_argument("--scenes", type=int, default=300, help="scenes of each kind per seed")
    parser.add_argument("--model", default=None,
                        help="model file (.keras) to read with (default: the shipped model)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    recognizer = Recognizer.load(args.model)
    digits = load_test_digits()  # once for every seed and kind
    out = {}
    for kind in kinds:
        scores = {seed: evaluate_scenes(recognizer, args.scenes, [kind], seed=seed, digits=digits)[0].score
                  for seed in seeds}
        per_seed = {seed: figures(score) for seed, score in scores.items()}
        pooled = figures(SceneScore.merge(scores.values()))
        exact = [f["exact_number_rate"] for f in per_seed.values()]
        rates = [f["non_digit_rate"] for f in per_seed.values()]
        out[kind] = {"per_seed": per_seed, "pooled": pooled,
                     "exact_number_rate_range": [min(exact), max(exact)],
                     "non_digit_rate_range": [min(rates), max(rates)],
                     "target_exact_number_rate": EXACT_NUMBER_TARGETS.get(kind),
                     "target_non_digit_rate": NON_DIGIT_TARGETS.get(kind, MAX_NON_DIGIT_RATE)}
        if args.json:
            continue
        print(f"{kind}: {args.scenes} scenes per seed")
        for seed, f in per_seed.items():
            print(line(f"seed {seed}", f))
        print(line("pooled", pooled))
        print(f"  seeds range: exact {min(exact):.4f}-{max(exact):.4f}, non-digits "
              f"{min(rates):.2%}-{max(rates):.2%} | targets: exact at least "
              f"{out[kind]['target_exact_number_rate']}, non-digits at most "
              f"{out[kind]['target_non_digit_rate']:.1%}")
    if args.json:
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
