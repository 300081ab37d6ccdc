"""GUI start-up: time from launching the process to the window on screen, to the first
recognition of ``assets/drawing.png`` with the shipped model (loaded in the background), and
the app's resident memory once idle after it; the reading path (the model's LiteRT file)
beside the TensorFlow path (``DIGIT_APP_BACKEND=tensorflow``: the ``.keras`` loaded by Keras).

Run: ``xvfb-run -a .venv/bin/python benchmarks/bench_gui_startup.py [--runs N]`` (offscreen
unless a DISPLAY is set). Prints medians of N fresh processes (targets: 1 s, 1.5 s, 300 MB).
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
until = time.time() + 1.0  # idle: the event loop runs, nothing is drawn
while time.time() < until:
    app.processEvents()
    time.sleep(0.01)
rss = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmRSS:")][0]
print("rss", int(rss) / 1024, flush=True)
window.shutdown()
"""


TARGETS = {"shown": 1.0, "read": 1.5, "rss": 300}


def one_run(backend: str) -> tuple[float, float, float]:
    env = {**os.environ, "DIGIT_APP_BACKEND": backend}
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.time()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(Path(tmp) / "s.ini"), str(ROOT / "assets" / "drawing.png")],
            capture_output=True, text=True, check=True, env=env, cwd=ROOT, timeout=120,
        ).stdout
    stamps = dict(line.split() for line in out.splitlines() if line.startswith(("shown", "read", "rss")))
    return float(stamps["shown"]) - t0, float(stamps["read"]) - t0, float(stamps["rss"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for backend, name in (("auto", "LiteRT file (reading path)"), ("tensorflow", "TensorFlow")):
        runs = [one_run(backend) for _ in range(args.runs)]
        shown, read, rss = (statistics.median(r[k] for r in runs) for k in range(3))
        print(f"{name}: window on screen {shown:.2f} s, first recognition {read:.2f} s, idle "
              f"{rss:.0f} MB resident (medians of {args.runs} launches; targets "
              f"{TARGETS['shown']} s, {TARGETS['read']} s, {TARGETS['rss']} MB)", flush=True)


if __name__ == "__main__":
    main()
