"""GUI start-up: time from launching the process to the window on screen, and to the first
recognition of ``assets/drawing.png`` with the shipped model (loaded in the background).

Run: ``.venv/bin/python benchmarks/bench_gui_startup.py [--runs N]`` (offscreen unless a
DISPLAY is set). Prints the median of N fresh processes (targets: 1.5 s and 5 s).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import sys, time
from digit_app.gui.app import application, create_window
from digit_app.gui.workers.inference import default_factory
app = application()
window = create_window(default_factory(None), settings_path=sys.argv[1])
window.show()
app.processEvents()
print("shown", time.time(), flush=True)
window.inference.start()  # as digit_app.gui.app.run does once the window is painted
draw = window.draw_mode
draw.open_path(sys.argv[2])
while not (draw.is_settled() and draw.current_recognition() is not None):
    app.processEvents()
    time.sleep(0.005)
print("read", time.time(), flush=True)
window.shutdown()
"""


def one_run() -> tuple[float, float]:
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.time()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(Path(tmp) / "s.ini"), str(ROOT / "assets" / "drawing.png")],
            capture_output=True, text=True, check=True, env=env, cwd=ROOT, timeout=120,
        ).stdout
    stamps = dict(line.split() for line in out.splitlines() if line.startswith(("shown", "read")))
    return float(stamps["shown"]) - t0, float(stamps["read"]) - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = [one_run() for _ in range(args.runs)]
    shown = statistics.median(r[0] for r in runs)
    read = statistics.median(r[1] for r in runs)
    print(f"window on screen: {shown:.2f} s median of {args.runs} launches (target 1.5 s)")
    print(f"first recognition: {read:.2f} s median (target 5 s)")


if __name__ == "__main__":
    main()
