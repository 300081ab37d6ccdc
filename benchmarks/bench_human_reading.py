"""How well a person reads a scene kind: the ceiling a benchmark allows.

A generated scene can hold numbers that nobody can read (two MNIST digits overlapped into one
blob, an ambiguous test digit). A target above what a careful person reads on the same
numbers cannot be met by a better reader, only by a better benchmark. This script measures
that ceiling in two steps:

1. ``sheets``: draws a random sample of the numbers of ``--scenes`` scenes of ``--kind``
   (``--seed``), crops each from its scene, and writes them, numbered and without their truth,
   to PNG sheets of ten, with ``readings.txt`` (one line per crop: its number, then a space,
   to be filled in with the digits a person reads, or ``?``; a ``#`` after the number leaves
   the crop out, with a reason: say, its truth was seen before).
2. ``score``: regenerates the same sample (the crops depend only on the kind, scene count,
   seed and sample size, written on the readings' first line), reads the scenes with the
   model, and prints on the same numbers, for the person and for the app: numbers read
   exactly, and (``touching`` kinds) the digits with a touching neighbour read right.

The person must not see the truth before transcribing. A digit counts as read right when it
is in the longest matching blocks of the reading and the truth (``difflib``), for both readers
alike; "exact" compares the whole text. The app's reading of a number is the text of the
numbers it reports over the number's box, left to right.

Run: ``.venv/bin/python benchmarks/bench_human_reading.py sheets --kind touching --scenes 300
--seed 3 --sample 60 --out /tmp/sheets``, fill in ``/tmp/sheets/readings.txt``, then
``.venv/bin/python benchmarks/bench_human_reading.py score /tmp/sheets/readings.txt``.
Readings made so far are in ``benchmarks/human_readings/``.
"""
from __future__ import annotations

import argparse
import difflib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from digit_app.data.scene_scoring import exact_numbers, intersection
from digit_app.data.scenes import DEFAULT_SCENE_CONFIG, load_test_digits, make_scenes
from digit_app.recognizer import Recognizer

SAMPLE_RNG_SEED = 42  # which numbers are sampled, for every kind and seed
CROP_MARGIN = 8  # px of scene around a number's box
CROP_HEIGHT = 100  # px a crop is scaled to on the sheets
SHEET_WIDTH = 900
INDEX_WIDTH = 60  # px left of each crop for its number
PER_SHEET = 10


@dataclass(frozen=True)
class Item:
    """One sampled number: its scene's index, crop (BGR uint8), truth, touching flags and the
    app's reading."""
    scene: int
    crop: np.ndarray
    truth: str
    touching: tuple[bool, ...]
    app_text: str
    app_exact: bool


def sample_items(kind: str, scenes: int, seed: int, sample: int, model: str | None,
                 real_dir: str | None) -> list[Item]:
    """The sampled numbers, in sheet order (deterministic in the arguments but the model)."""
    rec = Recognizer.load(model)
    images, labels = load_test_digits()
    cfg = DEFAULT_SCENE_CONFIG if real_dir is None else replace(DEFAULT_SCENE_CONFIG, real_dir=real_dir)
    items = []
    for index, scene in enumerate(make_scenes(kind, scenes, images, labels, seed=seed, cfg=cfg)):
        read = rec.recognize(scene.image).numbers
        exact = exact_numbers(scene, [(n.text, n.box) for n in read])
        for ti, number in enumerate(scene.numbers):
            x, y, w, h = number.box
            crop = scene.image[max(0, y - CROP_MARGIN):y + h + CROP_MARGIN,
                               max(0, x - CROP_MARGIN):x + w + CROP_MARGIN]
            over = sorted((n for n in read if intersection(n.box, number.box) > 0), key=lambda n: n.box[0])
            items.append(Item(index, crop, number.text, tuple(scene.digits[d].touching for d in number.digits),
                              "".join(n.text for n in over), ti in exact))
    pick = np.random.default_rng(SAMPLE_RNG_SEED).choice(len(items), size=min(sample, len(items)),
                                                         replace=False)
    return [items[i] for i in pick]


def sheet_rows(items: list[Item]) -> list[np.ndarray]:
    """One ``CROP_HEIGHT + 10 x SHEET_WIDTH x 3`` uint8 BGR row per item: its index, its crop."""
    rows = []
    for index, item in enumerate(items):
        scale = CROP_HEIGHT / item.crop.shape[0]
        crop = cv2.resize(item.crop, (max(1, int(item.crop.shape[1] * scale)), CROP_HEIGHT),
                          interpolation=cv2.INTER_AREA)[:, : SHEET_WIDTH - INDEX_WIDTH]
        row = np.full((CROP_HEIGHT + 10, SHEET_WIDTH, 3), 255, np.uint8)
        row[5 : 5 + CROP_HEIGHT, INDEX_WIDTH : INDEX_WIDTH + crop.shape[1]] = crop
        cv2.putText(row, str(index), (5, CROP_HEIGHT // 2 + 10), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                    (0, 0, 255), 2)
        rows.append(row)
    return rows


def right_digits(truth: str, reading: str) -> list[bool]:
    """Per truth digit: whether it is in the matching blocks of ``reading``."""
    right = [False] * len(truth)
    for a, _, size in difflib.SequenceMatcher(None, truth, reading, autojunk=False).get_matching_blocks():
        right[a : a + size] = [True] * size
    return right


def touching_right(items: list[Item], readings: list[str]) -> tuple[int, int]:
    """``(read right, total)`` over the digits with a touching neighbour."""
    ok = total = 0
    for item, reading in zip(items, readings):
        for touching, right in zip(item.touching, right_digits(item.truth, reading)):
            total += touching
            ok += touching and right
    return ok, total


def write_sheets(args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    items = sample_items(args.kind, args.scenes, args.seed, args.sample, args.model, args.real_dir)
    rows = sheet_rows(items)
    for start in range(0, len(rows), PER_SHEET):
        cv2.imwrite(str(out / f"sheet{start // PER_SHEET:02d}.png"), np.vstack(rows[start : start + PER_SHEET]))
    header = {"kind": args.kind, "scenes": args.scenes, "seed": args.seed, "sample": args.sample}
    lines = [f"# {json.dumps(header)}"] + [f"{i} " for i in range(len(items))]
    (out / "readings.txt").write_text("\n".join(lines) + "\n")
    print(f"{len(items)} numbers on {(len(rows) + PER_SHEET - 1) // PER_SHEET} sheets in {out}; "
          f"fill in {out / 'readings.txt'}")


def read_readings(path: Path) -> tuple[dict, dict[int, str]]:
    """The header (kind, scenes, seed, sample) and the reading of every filled-in line."""
    lines = path.read_text().splitlines()
    if not lines or not lines[0].startswith("# "):
        raise SystemExit(f"{path}: the first line must be the '# {{...}}' header that 'sheets' wrote")
    header = json.loads(lines[0][2:])
    readings = {}
    for line in lines[1:]:
        parts = line.split()
        if len(parts) >= 2 and not line.startswith("#") and not parts[1].startswith("#"):
            readings[int(parts[0])] = parts[1]
    return header, readings


def score(args: argparse.Namespace) -> None:
    header, readings = read_readings(Path(args.readings))
    items = sample_items(header["kind"], header["scenes"], header["seed"], header["sample"],
                         args.model, args.real_dir)
    read = sorted(i for i in readings if i < len(items))
    chosen = [items[i] for i in read]
    person = [readings[i] for i in read]
    app = [item.app_text for item in chosen]
    n = len(chosen)
    if n == 0:
        raise SystemExit(f"{args.readings}: no readings filled in")
    for i, item, reading in zip(read, chosen, person):
        if reading != item.truth or not item.app_exact:
            print(f"{i:3d}  scene {item.scene:4d}  truth {item.truth:10s} person {reading:10s} "
                  f"app {item.app_text}")
    person_exact = sum(r == item.truth for r, item in zip(person, chosen))
    app_exact = sum(item.app_exact for item in chosen)
    print(f"{header['kind']}, {header['scenes']} scenes, seed {header['seed']}: {n} numbers read")
    print(f"numbers exact: person {person_exact}/{n} = {person_exact / n:.3f}, "
          f"app {app_exact}/{n} = {app_exact / n:.3f}")
    p_ok, total = touching_right(chosen, person)
    if total:
        a_ok, _ = touching_right(chosen, app)
        print(f"digits with a touching neighbour read right: person {p_ok}/{total} = {p_ok / total:.3f}, "
              f"app {a_ok}/{total} = {a_ok / total:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sheets = sub.add_parser("sheets", help="write sheets of sampled numbers and a readings file")
    sheets.add_argument("--kind", default="touching")
    sheets.add_argument("--scenes", type=int, default=300)
    sheets.add_argument("--seed", type=int, default=3)
    sheets.add_argument("--sample", type=int, default=60)
    sheets.add_argument("--out", required=True)
    scoring = sub.add_parser("score", help="score a filled-in readings file against truth and the app")
    scoring.add_argument("readings")
    for p in (sheets, scoring):
        p.add_argument("--model", help="digit model (default: the shipped one)")
        p.add_argument("--real-dir", help="folder holding unipen/ (touching-unipen)")
    args = parser.parse_args()
    (write_sheets if args.command == "sheets" else score)(args)


if __name__ == "__main__":
    main()
