"""`digit-app recognize`: formats, exit codes, bad inputs next to good ones."""
import csv
import io
import json
import subprocess
import sys

import cv2
import pytest
from helpers import SHIPPED_MODEL, first_index_of, page_with_number

from digit_app.cli import main

pytestmark = pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")


@pytest.fixture
def inputs(tmp_path, mnist_test):
    seven, five = first_index_of(mnist_test, 7), first_index_of(mnist_test, 5)
    good = tmp_path / "seventy-five.png"
    cv2.imwrite(str(good), page_with_number(mnist_test, [seven, five]))
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(good.read_bytes()[:200])
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    return good, corrupt, text


def test_json_document(inputs, capsys):
    good, _, _ = inputs
    assert main(["recognize", "--format", "json", str(good)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["model"] == "lenet.keras" and doc["errors"] == []
    (result,) = doc["results"]
    assert result["path"] == str(good) and result["page"] == 0
    assert (result["width"], result["height"]) == (232, 160)
    assert [n["text"] for n in result["numbers"]] == ["75"]
    number = result["numbers"][0]
    assert number["digits"] == [0, 1]
    for d in result["digits"]:
        assert set(d) == {"label", "confidence", "box", "top"}
        assert len(d["box"]) == 4 and d["top"][0][0] == d["label"]


def test_bad_inputs_do_not_stop_good_ones(inputs, tmp_path, capsys):
    good, corrupt, text = inputs
    missing = tmp_path / "missing.png"
    code = main(["recognize", "--format", "json", str(corrupt), str(good), str(text), str(missing)])
    assert code == 1
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert [r["path"] for r in doc["results"]] == [str(good)]
    assert sorted(e["path"] for e in doc["errors"]) == sorted(map(str, [corrupt, text, missing]))
    stderr_lines = captured.err.strip().splitlines()
    assert len(stderr_lines) == 3 and all("Traceback" not in line for line in stderr_lines)


def test_csv_and_text(inputs, capsys):
    good, _, _ = inputs
    assert main(["recognize", "--format", "csv", str(good)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["path", "page", "text", "confidence", "x", "y", "w", "h"]
    assert rows[1][:3] == [str(good), "0", "75"]
    assert main(["recognize", str(good)]) == 0
    assert capsys.readouterr().out.strip() == f"{good}: 75"


def test_stdin_and_usage_errors(inputs):
    good, _, _ = inputs
    run = lambda *a, **kw: subprocess.run([sys.executable, "-m", "digit_app", *a], capture_output=True, timeout=300,
                                          **kw)
    result = run("recognize", "--format", "text", "-", input=good.read_bytes())
    assert result.returncode == 0 and result.stdout.decode().strip() == "-: 75"
    assert run("recognize").returncode == 2
    assert run("recognize", "--min-confidence", "3", str(good)).returncode == 2
    assert run("recognize", "--format", "xml", str(good)).returncode == 2


def test_folder_without_images(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["recognize", str(tmp_path / "empty")]) == 1
    assert "empty" in capsys.readouterr().err


@pytest.mark.slow
def test_jobs_keep_order(tmp_path, mnist_test, capsys):
    from digit_app import batch

    paths = []
    for k in range(2 * batch.FILES_PER_TASK + 3):
        digit = k % 10
        p = tmp_path / f"d{k:03d}.png"
        cv2.imwrite(str(p), page_with_number(mnist_test, [first_index_of(mnist_test, digit)]))
        paths.append(str(p))
    assert main(["recognize", "--format", "json", "--jobs", "2", *paths]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["path"] for r in doc["results"]] == paths
    read = ["".join(n["text"] for n in r["numbers"]) for r in doc["results"]]
    assert sum(text == str(k % 10) for k, text in enumerate(read)) >= 0.9 * len(paths)
