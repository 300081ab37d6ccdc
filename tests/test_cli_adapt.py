"""`digit-app adapt` and `digit-app evaluate --samples`: options, outputs, exit codes."""
import json
from pathlib import Path

import pytest

from digit_app import adaptation, userdata
from digit_app.adaptation import AdaptOutcome
from digit_app.cli import EXIT_FAILURES, EXIT_OK, main
from digit_app.model.classifier import DEFAULT_MODEL
from digit_app.samples.simulated import fill_store


@pytest.fixture(scope="module")
def samples_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli") / "samples"
    fill_store(root, 5, seed=4)
    return root


def _outcome(kept: bool, out: Path | None) -> AdaptOutcome:
    return AdaptOutcome(kept=kept, reason="held-out samples +20.0 points" if kept else
                        "it loses 0.50 points on MNIST (at most 0.30 allowed)",
                        user_before=0.7, user_after=0.9, held_out=80, trained_on=220,
                        mnist_before=0.9955, mnist_after=0.994 if kept else 0.9905, seconds=12.0,
                        model_path=out if kept else None, base_model=DEFAULT_MODEL, mnist_test=10000)


@pytest.fixture
def fake_adapt(monkeypatch):
    """Replace the fine-tuning itself (measured in test_adaptation) and record the call."""
    calls = {}

    def install(kept: bool):
        def fake(samples, base_model, out, data_dir, cfg, progress=None, should_stop=None, command=""):
            calls.update(samples=samples, base_model=base_model, out=out, data_dir=data_dir, cfg=cfg,
                         command=command)
            progress(1, 3, "loaded lenet.keras")
            progress(2, 3, "epoch 1/1")
            progress(3, 3, "epoch 1/1")
            return _outcome(kept, Path(out) if out else userdata.adapted_model_path())

        monkeypatch.setattr(adaptation, "adapt", fake)
        return calls

    return install


def test_adapt_kept_exits_0_with_figures(fake_adapt, capsys, tmp_path):
    calls = fake_adapt(True)
    out = tmp_path / "mine.keras"
    assert main(["adapt", "--samples", "S", "--out", str(out), "--epochs", "2", "--seed", "5",
                 "--limit", "300", "--data", "D"]) == EXIT_OK
    stdout = capsys.readouterr().out
    assert "epoch 1/1" in stdout and stdout.count("epoch 1/1") == 1  # one line per phase
    assert f"Kept: saved {out}" in stdout and "70.0% -> 90.0%" in stdout and "99.55% -> 99.40%" in stdout
    cfg = calls["cfg"]
    assert (cfg.epochs, cfg.seed, cfg.mnist_test_limit) == (2, 5, 300)
    assert (calls["samples"], calls["out"], calls["data_dir"]) == ("S", str(out), "D")
    assert calls["base_model"] is None and calls["command"].startswith("digit-app adapt --samples S")


def test_adapt_not_kept_exits_1_and_says_why(fake_adapt, capsys):
    fake_adapt(False)
    assert main(["adapt"]) == EXIT_FAILURES
    captured = capsys.readouterr()
    assert "Not kept: it loses 0.50 points on MNIST" in captured.out
    assert "not kept" in captured.err and str(DEFAULT_MODEL) in captured.err


def test_adapt_json(fake_adapt, capsys):
    fake_adapt(True)
    assert main(["adapt", "--json"]) == EXIT_OK
    captured = capsys.readouterr()
    doc = json.loads(captured.out)  # progress went to stderr
    assert doc["kept"] is True and doc["model_path"] == str(userdata.adapted_model_path())
    assert doc["user_after"] == 0.9 and doc["mnist_before"] == 0.9955 and "epoch" in captured.err


def test_adapt_with_too_few_samples_is_one_clear_line(tmp_path, capsys):
    fill_store(tmp_path / "few", 1)
    assert main(["adapt", "--samples", str(tmp_path / "few")]) == EXIT_FAILURES
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "10 samples; adaptation needs at least 20" in err[0]
    assert str(tmp_path / "few") in err[0]


def test_adapt_refuses_a_bad_output(samples_dir, capsys, tmp_path):
    assert main(["adapt", "--samples", str(samples_dir), "--out", str(tmp_path / "a.txt")]) == EXIT_FAILURES
    assert "must be a .keras file" in capsys.readouterr().err


def test_adapt_reports_a_damaged_index(tmp_path, capsys):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "index.csv").write_text("id,label\n1,2\n")
    assert main(["adapt", "--samples", str(tmp_path / "s")]) == EXIT_FAILURES
    err = capsys.readouterr().err
    assert "index.csv: header lacks" in err and "Traceback" not in err


def test_evaluate_samples_text_and_json(samples_dir, capsys):
    assert main(["evaluate", "--samples", str(samples_dir)]) == EXIT_OK
    text = capsys.readouterr().out
    assert "accuracy on your samples" in text and "in 50;" in text and str(samples_dir) in text
    assert text.count("\n") > 12  # per-class table and confusion rows
    assert main(["evaluate", "--samples", str(samples_dir), "--json"]) == EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["samples"] == 50 and 0 <= doc["accuracy"] <= 1 and doc["model"] == "lenet.keras"
    assert {row["class"] for row in doc["per_class"]} >= {str(d) for d in range(10)}
    assert all(row["support"] == 5 for row in doc["per_class"] if row["class"] != "not a digit")
    assert len(doc["confusion"]) == 11 and sum(map(sum, doc["confusion"])) == 50


def test_evaluate_samples_errors(tmp_path, capsys, samples_dir):
    assert main(["evaluate", "--samples", str(tmp_path / "none")]) == EXIT_FAILURES
    assert "no samples" in capsys.readouterr().err
    assert main(["evaluate", "--samples", str(samples_dir), "--scenes", "2"]) == EXIT_FAILURES
    assert "cannot be combined" in capsys.readouterr().err
