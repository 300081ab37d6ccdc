"""GUI quit: time from closing the window to the end of the process, with the shipped model
loaded, a drawing read, a video playing in Camera mode (its thread running) and a document
open, as a person leaves the app.

Run: ``.venv/bin/python benchmarks/bench_gui_quit.py [--runs N]`` (offscreen unless a DISPLAY
is set). Prints the medians of N fresh processes, alternating the two ways a process can end
after the window's shutdown (threads stopped, settings saved): ``plain`` returns and lets the
interpreter tear its modules down, ``fast`` ends the process as ``digit-app`` does
(:func:`digit_app.gui.app.end_process`).
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
from digit_app.gui.app import application, create_window, end_process
from digit_app.gui.main_window import CAMERA, DOCUMENT
from digit_app.gui.workers.inference import default_factory
app = application()
window = create_window(default_factory(None), settings_path=sys.argv[1])
window.show()
window.inference.start()
assets = sys.argv[2]

def wait(predicate):
    while not predicate():
        app.processEvents()
        time.sleep(0.005)

draw = window.draw_mode
draw.open_path(assets + "/drawing.png")
wait(lambda: draw.is_settled() and draw.current_recognition() is not None)
window.set_mode(DOCUMENT)
window.document_mode.open_path(assets + "/document.tiff")
wait(window.document_mode.is_done)
window.set_mode(CAMERA)
camera = window.camera_mode
camera.start(assets + "/camera.avi")
wait(lambda: camera.results_shown >= 5)
print("close", time.time(), flush=True)
window.close()  # what the window's close button and File > Quit do
print("closed", time.time(), flush=True)
app.quit()
if sys.argv[3] == "fast":
    end_process(0)
"""


def one_run(way: str) -> tuple[float, float]:
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(Path(tmp) / "s.ini"), str(ROOT / "assets"), way],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
        stamps = {}
        assert proc.stdout is not None
        for line in proc.stdout:
            name, stamp = line.split()
            stamps[name] = float(stamp)
        proc.wait(timeout=120)
        ended = time.time()
    if proc.returncode != 0 or "closed" not in stamps:
        raise RuntimeError(f"the app exited with {proc.returncode} before closing")
    return stamps["closed"] - stamps["close"], ended - stamps["close"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs: dict[str, list[tuple[float, float]]] = {"plain": [], "fast": []}
    for _ in range(args.runs):
        for way in runs:
            runs[way].append(one_run(way))
    for way, times in runs.items():
        print(f"{way}: window shutdown {statistics.median(r[0] for r in times):.2f} s, whole quit "
              f"{statistics.median(r[1] for r in times):.2f} s (medians of {args.runs}; runs: "
              + ", ".join(f"{r[1]:.2f}" for r in times) + ")")

if __name__ == "__main__":
    main()
