"""Start-up cost of the command line: ``digit-app recognize one.png`` (wall time and peak
memory of the process) and the rate of 1,000 small images after start-up (one process, and
``--jobs 2``), side by side for the reading path (the model's LiteRT file, no TensorFlow) and the TensorFlow path (the
``.keras`` loaded by Keras, as before LiteRT files were shipped: ``DIGIT_APP_BACKEND=tensorflow``)
in the same run. ``--baseline SCRIPT`` adds another install's console script (an older
checkout's ``.venv/bin/digit-app``) as a third column.

Run: ``.venv/bin/python benchmarks/bench_startup.py [--runs N] [--images N] [--baseline SCRIPT]``
(targets: 0.6 s, 200 MB, 1,000 images/s). Medians of N fresh processes; CPU seconds (user +
system) beside wall seconds, since wall time on a shared machine counts the others' jobs too.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("digit-app")
ONE_IMAGE = ROOT / "assets" / "drawing.png"
TARGET_SECONDS, TARGET_MB, TARGET_RATE = 0.6, 200, 1000


@dataclass(frozen=True)
class Run:
    """One process: wall and CPU (user + system) seconds, peak resident MB, stderr lines."""

    wall: float
    cpu: float
    mb: float
    stderr_lines: int


def run(command: list[str], env: dict[str, str]) -> Run:
    """Run ``command`` to its end and measure it. The CPU time does not grow with the other
    jobs of a shared machine as wall time does."""
    t0 = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - t0
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])}... exited {process.returncode}: {errors}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, len(errors.splitlines()))  # maxrss in KiB


def small_images(folder: Path, count: int) -> list[str]:
    """``count`` 64x64 PNG files of one MNIST test digit each."""
    from digit_app.data.scenes import load_test_digits

    images, _ = load_test_digits()
    paths = []
    for i in range(count):
        tile = cv2.resize(255 - images[i % len(images)], (64, 64), interpolation=cv2.INTER_CUBIC)
        path = folder / f"digit{i:05d}.png"
        cv2.imwrite(str(path), tile)
        paths.append(str(path))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--baseline", help="another digit-app console script to measure too")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "DIGIT_APP_BACKEND"}
    ways = {
        "LiteRT file (reading path)": ([str(SCRIPT)], env),
        "TensorFlow (.keras by Keras)": ([str(SCRIPT)], {**env, "DIGIT_APP_BACKEND": "tensorflow"}),
    }
    if args.baseline:
        ways[f"baseline {args.baseline}"] = ([args.baseline], env)
    with tempfile.TemporaryDirectory() as tmp:
        paths = small_images(Path(tmp), args.images)
        for name, (script, way_env) in ways.items():
            one = [script + ["recognize", str(ONE_IMAGE)]] * args.runs
            run(one[0], way_env)  # warm-up: files in the page cache, a conversion cached
            runs = [run(command, way_env) for command in one]
            wall, cpu, mb = (statistics.median(getattr(r, k) for r in runs) for k in ("wall", "cpu", "mb"))
            single = [run(script + ["recognize", "--format", "json", paths[0]], way_env) for _ in range(3)]
            many = run(script + ["recognize", "--format", "json", *paths], way_env)
            both = run(script + ["recognize", "--jobs", "2", "--format", "json", *paths], way_env)
            start_wall = statistics.median(r.wall for r in single)
            start_cpu = statistics.median(r.cpu for r in single)
            n = len(paths) - 1

            def rate(seconds: float, start: float, n: int = n) -> str:
                if seconds <= start:  # the start-up varied more than the images took
                    return "n/a"
                return f"{n / (seconds - start):.0f}"

            print(f"{name}:\n"
                  f"  recognize one image: {wall:.2f} s wall, {cpu:.2f} s CPU, {mb:.0f} MB peak RSS "
                  f"(median of {args.runs}; targets {TARGET_SECONDS} s, {TARGET_MB} MB), "
                  f"{runs[0].stderr_lines} lines on stderr\n"
                  f"  {len(paths)} small images: {many.wall:.2f} s wall, "
                  f"{rate(many.wall, start_wall)} images/s after start-up "
                  f"({rate(many.cpu, start_cpu)} per CPU second; target {TARGET_RATE}); "
                  f"--jobs 2: {both.wall:.2f} s wall, {rate(both.wall, start_wall)} images/s",
                  flush=True)


if __name__ == "__main__":
    main()
