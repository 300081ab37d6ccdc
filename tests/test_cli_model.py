import json
import subprocess
import sys

import pytest

from digit_app.cli import main


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "digit_app", *args], capture_output=True, text=True, timeout=300
    )


def test_help_is_fast_and_lists_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("train", "evaluate"):
        assert command in result.stdout


def test_unknown_option_is_usage_error():
    assert run_cli("evaluate", "--bogus").returncode == 2


def test_missing_model_is_one_readable_line(tmp_path):
    result = run_cli("evaluate", "--model", str(tmp_path / "gone.keras"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "gone.keras" in lines[0] and "Traceback" not in result.stderr


def test_missing_data_says_where_it_looked(tmp_path, capsys):
    assert main(["evaluate", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path) in err and "--data" in err


@pytest.mark.slow
def test_evaluate_json_and_report(tmp_path, capsys, mnist_dir):
    assert main(["evaluate", "--limit", "300", "--json", "--report", str(tmp_path / "rep")]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["samples"] == 300 and 0 <= summary["accuracy"] <= 1
    assert len(summary["confusion"]) == 10 and len(summary["confusion"][0]) == 11
    assert (tmp_path / "rep" / "confusion.png").stat().st_size > 0
    assert (tmp_path / "rep" / "worst_mistakes.png").stat().st_size > 0


def test_gui_without_a_display_says_so(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    assert main([]) == 1
    assert "no display" in capsys.readouterr().err


def test_train_makes_one_helper_model_at_a_time(capsys):
    assert main(["train", "--print-model", "--pair-model"]) == 1
    err = capsys.readouterr().err
    assert "--print-model and --pair-model" in err and len(err.strip().splitlines()) == 1


def test_train_pair_model_writes_the_reader_where_asked(tmp_path, mnist_dir, capsys):
    out = tmp_path / "p.keras"
    assert main(["train", "--pair-model", "--no-real", "--limit", "64", "--epochs", "1",
                 "--data", str(mnist_dir), "--out", str(out)]) == 0
    assert {p.name for p in tmp_path.iterdir()} >= {"p.keras", "p.tflite", "p.lite.json", "p.json"}
    recorded = json.loads((tmp_path / "p.json").read_text())
    assert recorded["kind"] == "pair reader" and recorded["training"]["samples"] == 64
    assert recorded["training"]["command"].startswith("digit-app train --pair-model")


@pytest.mark.parametrize("share", ["0", "1.5", "-0.2"])
def test_an_mnist_share_outside_0_to_1_is_a_usage_error(share):
    result = run_cli("train", "--mnist-share", share)
    assert result.returncode == 2 and "--mnist-share" in result.stderr


def test_train_with_a_share_of_mnist_records_it(tmp_path, mnist_dir, capsys):
    out = tmp_path / "m.keras"
    assert main(["train", "--no-real", "--limit", "600", "--epochs", "2", "--members", "1",
                 "--mnist-share", "0.5", "--data", str(mnist_dir), "--out", str(out)]) == 0
    training = json.loads((tmp_path / "m.json").read_text())["training"]
    assert training["mnist_share"] == 0.5 and len(training["history"]) == 2
    assert "--mnist-share 0.5" in training["command"]
