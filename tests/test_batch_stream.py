"""`digit-app recognize --out FILE [--resume]`: a JSON line per page, the same readings as the
JSON document, and an interrupted run resumed into the same set of lines."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from batch_inputs import read_lines, write_inputs
from helpers import SHIPPED_MODEL

from digit_app.batch import PAGES_PER_CALL, recognize_paths, recognize_to_file
from digit_app.cli import main

PAGES = 3 * PAGES_PER_CALL  # lines are written after each model call

pytestmark = pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, mnist_test):
    return write_inputs(tmp_path_factory.mktemp("pages"), mnist_test)


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory):
    """The results file of an uninterrupted run."""
    out = tmp_path_factory.mktemp("reference") / "all.jsonl"
    summary = recognize_to_file(inputs, out)
    assert (summary.pages, summary.errors) == (12 + 3, 1)
    return out


def test_lines_are_the_json_document(inputs, reference):
    doc = recognize_paths(inputs)
    lines = [json.loads(line) for line in reference.read_text().splitlines()]
    assert sorted(doc.results + doc.errors, key=json.dumps) == sorted(lines, key=json.dumps)
    tiff = [r for r in lines if r["path"].endswith(".tif")]
    assert [r["page"] for r in tiff] == [0, 1, 2]
    (error,) = [r for r in lines if "error" in r]
    assert error["path"].endswith("broken.png") and "page" not in error


@pytest.mark.parametrize("keep", [3, 8, 10])  # 8: inside the 3-page TIFF
def test_resume_after_a_cut(inputs, reference, tmp_path, keep):
    """A run killed after ``keep`` lines, in the middle of the next one, then resumed."""
    lines = reference.read_bytes().splitlines(keepends=True)
    out = tmp_path / "cut.jsonl"
    out.write_bytes(b"".join(lines[:keep]) + lines[keep][: len(lines[keep]) // 2])
    assert main(["recognize", "--out", str(out), "--resume", *inputs]) in (0, 1)
    assert read_lines(out) == read_lines(reference)


def test_out_usage_errors(inputs, reference, capsys):
    assert main(["recognize", "--resume", inputs[0]]) == 2
    assert main(["recognize", "--out", str(reference), "--format", "json", inputs[0]]) == 2
    assert main(["recognize", "--out", str(reference), inputs[0]]) == 1  # exists, no --resume
    err = capsys.readouterr().err
    assert "--resume continues an --out file" in err and "already exists" in err


@pytest.mark.slow
def test_killed_run_resumes(inputs, tmp_path):
    """A real run killed (SIGKILL) once lines appear, resumed in this process: the same lines
    as an uninterrupted run, none twice."""
    folder = tmp_path / "many"
    folder.mkdir()
    for k in range(PAGES):  # copies: the readings do not matter here, only which pages are done
        shutil.copy(inputs[k % 6], folder / f"p{k:03d}.png")
    out = tmp_path / "killed.jsonl"
    cmd = [sys.executable, "-m", "digit_app", "recognize", "--out", str(out), str(folder)]
    run = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    deadline = time.monotonic() + 240
    while run.poll() is None and time.monotonic() < deadline:
        if out.exists() and out.stat().st_size:
            os.killpg(run.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    assert run.wait(timeout=60) == -signal.SIGKILL, "the run ended before it could be killed"
    written = len(out.read_text().splitlines())
    assert 0 < written < PAGES
    assert main(["recognize", "--out", str(out), "--resume", str(folder)]) == 0
    whole = tmp_path / "whole.jsonl"
    assert main(["recognize", "--out", str(whole), str(folder)]) == 0
    assert read_lines(out) == read_lines(whole)
    assert len(set(read_lines(out))) == PAGES
