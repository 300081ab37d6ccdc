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


def test_a_number_is_its_digits_side_by_side_apart(bench):
    import numpy as np

    square = [np.array([[0.0, 0.0], [0.0, 10.0], [10.0, 10.0], [10.0, 0.0], [0.0, 0.0]])]
    image = bench.number_image([square, square, square], 100, 3, np.random.default_rng(0))
    assert image.ndim == 3 and image.dtype == np.uint8
    ink = image[:, :, 0] < 128
    columns = np.flatnonzero(ink.any(axis=0))
    starts = columns[np.flatnonzero(np.diff(columns) > 1) + 1]
    assert len(starts) == 2  # three digits, two gaps of 15-50 px
    assert all(15 <= g <= 50 for g in starts - columns[np.searchsorted(columns, starts) - 1] - 1)
    assert (ink.any(axis=1).sum()) >= 100


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")
def test_numbers_give_one_share_per_form(bench, held_out_unipen, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["bench_pen_widths.py", "--forms", "120x8,700x1", "--numbers", "5"])
    bench.main()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("5 numbers of held-out UNIPEN digits")
    rows = [line.split() for line in out[2:]]
    assert [row[:2] for row in rows] == [["120", "8"], ["700", "1"]]
    assert all(0.0 <= float(row[3]) <= 1.0 for row in rows)
