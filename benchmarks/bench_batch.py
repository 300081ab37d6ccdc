"""Batch recognition throughput: a Dask LocalCluster of 2 workers against ``--jobs 2`` and
``--jobs 1``, pages/s side by side (target: the LocalCluster within 15% of ``--jobs 2``).

Run: ``.venv/bin/python benchmarks/bench_batch.py [--pages 2000] [--unique 200] [--repeats 3]``.

Pages: ``--unique`` scenes made by ``digit_app.data.scenes`` from MNIST test digits (drawings
500x300 and webcam frames 640x480, alternately), written as PNG files and repeated up to
``--pages`` files. Each mode streams the files through the same code as
``digit-app recognize --out`` (results counted, not written). Two rates per mode: over the
whole run including start-up (worker processes loading the model), and after the first result
came back (throughput once running). Medians over ``--repeats`` runs, modes interleaved.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import cv2

from digit_app.batch import FILES_PER_TASK, cluster, local
from digit_app.batch.pages import Job, Task
from digit_app.data.scenes import load_test_digits, make_scenes

KINDS = ("drawing", "webcam")
TARGET_RATIO = 0.85  # LocalCluster pages/s at least this share of --jobs 2


def write_pages(folder: Path, pages: int, unique: int) -> list[str]:
    images, labels = load_test_digits()
    scenes = [s for kind in KINDS for s in make_scenes(kind, (unique + 1) // 2, images, labels, seed=5)]
    originals = []
    for i, scene in enumerate(scenes[:unique]):
        path = folder / f"scene{i:04d}.png"
        cv2.imwrite(str(path), scene.image)
        originals.append(path)
    paths = []
    for i in range(pages):
        path = folder / f"page{i:05d}.png"
        shutil.copyfile(originals[i % len(originals)], path)
        paths.append(str(path))
    return paths


def tasks(paths: list[str], size: int) -> list[Task]:
    return [Task(n, tuple(paths[i : i + size])) for n, i in enumerate(range(0, len(paths), size))]


def timed(parts) -> tuple[float, float]:
    """(pages/s over the whole run, pages/s after the first result)."""
    t0 = time.perf_counter()
    first = None
    pages = after_first = 0
    for part in parts:
        count = sum("page" in r for r in part.records)
        if first is None:
            first = time.perf_counter()
        else:
            after_first += count
        pages += count
    end = time.perf_counter()
    return pages / (end - t0), after_first / max(end - first, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--unique", type=int, default=200, help="distinct generated scenes")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    job = Job()
    modes = {
        "--jobs 1": lambda p: local.in_process(tasks(p, len(p)), job),
        "--jobs 2": lambda p: local.over_processes(tasks(p, FILES_PER_TASK), job, 2, 2),
        "LocalCluster, 2 workers": lambda p: cluster.on_cluster(
            cluster.LOCAL, tasks(p, cluster.DEFAULT.files_per_task), job, 2),
    }
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_pages(Path(tmp), args.pages, args.unique)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in modes}
        for r in range(args.repeats):
            for name, run in modes.items():
                runs[name].append(timed(run(paths)))
                print(f"repeat {r + 1} {name:24s} {runs[name][-1][0]:6.1f} pages/s overall, "
                      f"{runs[name][-1][1]:6.1f} after the first result", flush=True)
    print(f"\n{args.pages} pages ({args.unique} distinct scenes: {', '.join(KINDS)}), "
          f"medians of {args.repeats}:")
    medians = {name: tuple(statistics.median(x[k] for x in v) for k in (0, 1)) for name, v in runs.items()}
    for name, (overall, running) in medians.items():
        print(f"{name:24s} {overall:6.1f} pages/s overall   {running:6.1f} pages/s after the first result")
    ratio = medians["LocalCluster, 2 workers"][1] / medians["--jobs 2"][1]
    print(f"LocalCluster / --jobs 2 after the first result: {ratio:.2f} (target >= {TARGET_RATIO})")


if __name__ == "__main__":
    main()
