"""Segmentation by recognition: the time to read a number of 8 touching digits (target
30 ms), and what it reads, against the same image read with column cuts only (no pair
reader) and without the graph.

Run: ``.venv/bin/python benchmarks/bench_segmentation.py [--repeats N] [--seed S]``.

The images are ``touching`` scenes (``digit_app.data.scenes.touching``) holding one number of
8 MNIST test digits with every neighbour pair touching, written with a pen or as ink on paper.
"""
from __future__ import annotations

import argparse
import statistics
from dataclasses import replace

import numpy as np
from bench_recognize import median_ms  # this folder is on the path of a script run from it

from digit_app.data.scenes import DEFAULT_SCENE_CONFIG, DEFAULT_TOUCHING, load_test_digits, make_touching
from digit_app.recognizer import Recognizer

TARGET_MS = 30
EIGHT_TOUCHING = replace(DEFAULT_TOUCHING, numbers=(1, 1), digits=(8, 8),
                         touching_share=(1.0, 1.0), broken_probability=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--images", type=int, default=5, help="different numbers timed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model")
    args = parser.parse_args()
    images, labels = load_test_digits()
    rec = Recognizer.load(args.model)
    plain = replace(rec.config, graph=False)
    cuts_only = replace(rec.config, graph_pairs=False)
    rng = np.random.default_rng(args.seed)
    scenes = []
    while len(scenes) < args.images:
        scene = make_touching(rng, images, labels, DEFAULT_SCENE_CONFIG, EIGHT_TOUCHING)
        if scene is not None and len(scene.digits) == 8:
            scenes.append(scene)
    print(f"model: {rec.classifier.path}; pair reader: "
          f"{rec.pair_reader.path if rec.pair_reader is not None else 'none'}")
    times, cut_times = [], []
    for scene in scenes:
        truth = scene.numbers[0].text
        image = scene.image
        graph_ms = median_ms(lambda image=image: rec.recognize(image), args.repeats)
        cuts_ms = median_ms(lambda image=image: rec.recognize(image, cuts_only), args.repeats)
        plain_ms = median_ms(lambda image=image: rec.recognize(image, plain), args.repeats)
        read = [n.text for n in rec.recognize(scene.image).numbers]
        read_cuts = [n.text for n in rec.recognize(scene.image, cuts_only).numbers]
        read_plain = [n.text for n in rec.recognize(scene.image, plain).numbers]
        times.append(graph_ms)
        cut_times.append(cuts_ms)
        print(f"{truth}  {graph_ms:6.2f} ms median, read {read}  | cuts only {cuts_ms:6.2f} ms, "
              f"read {read_cuts} | without the graph {plain_ms:6.2f} ms, read {read_plain}")
    print(f"number of 8 touching digits: {statistics.median(times):.2f} ms median of the "
          f"{len(times)} medians (target {TARGET_MS} ms); cuts only "
          f"{statistics.median(cut_times):.2f} ms")


if __name__ == "__main__":
    main()
