"""Reading imports no TensorFlow, and every command's stderr carries only the app's own lines
(the real console script, in fresh processes: other tests' imports cannot hide anything)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SHIPPED_MODEL

pytestmark = pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")
pytest.importorskip("ai_edge_litert")

CONSOLE_SCRIPT = Path(sys.executable).with_name("digit-app")
DRAWING = ROOT / "assets" / "drawing.png"

READ_AND_LIST_IMPORTS = """
import sys
import cv2
from digit_app import Recognizer
rec = Recognizer.load()
assert rec.classifier.uses_lite
result = rec.recognize(cv2.imread(sys.argv[1]))
assert result.digits, "nothing read"
print(sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")))
"""


def run_app(*args: str, **env: str) -> subprocess.CompletedProcess:
    assert CONSOLE_SCRIPT.is_file(), f"{CONSOLE_SCRIPT}: the console script is not installed"
    return subprocess.run([str(CONSOLE_SCRIPT), *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300, cwd=ROOT)


def only_app_lines(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    strangers = [line for line in lines if not line.startswith("digit-app: ")]
    assert not strangers, f"stderr lines that are not the app's: {strangers}"
    return lines


def test_recognizer_reads_without_tensorflow_or_keras():
    out = subprocess.run([sys.executable, "-c", READ_AND_LIST_IMPORTS, str(DRAWING)],
                         capture_output=True, text=True, check=True, timeout=120, cwd=ROOT)
    assert out.stdout.strip() == "[]"
    assert out.stderr == ""


def test_recognize_prints_only_its_own_lines(tmp_path):
    ok = run_app("recognize", str(DRAWING))
    assert ok.returncode == 0 and ok.stderr == "" and ok.stdout.startswith(str(DRAWING))
    broken = tmp_path / "broken.png"
    broken.write_bytes(DRAWING.read_bytes()[:300])
    failed = run_app("recognize", str(broken), str(DRAWING), str(tmp_path / "gone.png"))
    assert failed.returncode == 1 and str(DRAWING) in failed.stdout
    lines = only_app_lines(failed.stderr)
    assert len(lines) == 2 and sorted(line.split(": ")[1].rsplit("/", 1)[1] for line in lines) == [
        "broken.png", "gone.png"]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["auto", "tensorflow"])
def test_evaluate_prints_only_its_own_lines(mnist_dir, backend):
    done = run_app("evaluate", "--limit", "100", "--data", str(mnist_dir),
                   DIGIT_APP_BACKEND=backend)
    assert done.returncode == 0 and "MNIST test accuracy" in done.stdout
    assert done.stderr == ""


@pytest.mark.slow
def test_export_lite_imports_tensorflow_quietly(tmp_path):
    model = tmp_path / "copy.keras"
    shutil.copy(SHIPPED_MODEL, model)
    shutil.copy(SHIPPED_MODEL.with_suffix(".json"), model.with_suffix(".json"))
    done = run_app("export-lite", "--model", str(model))
    assert done.returncode == 0 and done.stderr == ""
    assert model.with_suffix(".tflite").read_bytes() == SHIPPED_MODEL.with_suffix(".tflite").read_bytes()


def test_the_apps_adaptation_check_imports_no_tensorflow():
    """The GUI asks whether adapting can start as samples come in: that must not load Keras."""
    code = ("import sys\nfrom digit_app.session.adapt_worker import readiness\nreadiness(3)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         timeout=120, cwd=ROOT)
    assert out.stdout.strip() == "[]"
