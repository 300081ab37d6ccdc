"""``benchmarks/bench_pen_widths.py``: its forms and its table, on a tiny UNIPEN file."""
import argparse
import importlib.util
import sys
from pathlib import Path

import pytest
from helpers import SHIPPED_MODEL

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_pen_widths.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_pen_widths", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_forms_are_height_by_width_in_pixels(bench):
    assert bench.parse_forms("120x8, 700x1") == [(120, 8), (700, 1)]
    for bad in ("120", "120x0", "x8", "120x8x2", "-120x8"):
        with pytest.raises(argparse.ArgumentTypeError, match="HEIGHTxWIDTH"):
            bench.parse_forms(bad)


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")
def test_one_row_per_form_with_shares(bench, held_out_unipen, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["bench_pen_widths.py", "--forms", "120x8,700x1"])
    bench.main()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("27 held-out UNIPEN digits")  # three held-out writers: 12 + 12 + 3
    rows = [line.split() for line in out[2:]]
    assert [row[:2] for row in rows] == [["120", "8"], ["700", "1"]]
    for row in rows:
        assert all(0.0 <= float(v) <= 1.0 for v in row[2:])
