"""The scoring parts of ``benchmarks/bench_human_reading.py`` (the scenes and model are not
needed for them)."""
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_human_reading.py"
READINGS = BENCH.parent / "human_readings"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_human_reading", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_a_digit_is_right_when_it_is_in_the_matching_blocks(bench):
    assert bench.right_digits("1234", "1234") == [True] * 4
    assert bench.right_digits("1234", "124") == [True, True, False, True]
    assert bench.right_digits("1234", "1534") == [True, False, True, True]
    assert bench.right_digits("12", "?") == [False, False]
    assert bench.right_digits("77", "7") == [True, False]


def test_only_the_touching_digits_are_counted(bench):
    item = bench.Item(0, np.zeros((1, 1, 3), np.uint8), "123", (True, True, False), "", False)
    assert bench.touching_right([item, item], ["123", "13"]) == (3, 4)


def test_readings_skip_blank_and_left_out_lines(bench, tmp_path):
    path = tmp_path / "readings.txt"
    path.write_text('# {"kind": "touching", "scenes": 5, "seed": 1, "sample": 4}\n'
                    "0 123\n1 \n2 # left out: seen before\n3 ?\n")
    header, readings = bench.read_readings(path)
    assert header == {"kind": "touching", "scenes": 5, "seed": 1, "sample": 4}
    assert readings == {0: "123", 3: "?"}


def test_a_readings_file_without_its_header_is_refused(bench, tmp_path):
    path = tmp_path / "readings.txt"
    path.write_text("0 123\n")
    with pytest.raises(SystemExit, match="header"):
        bench.read_readings(path)


@pytest.mark.parametrize("path", sorted(READINGS.glob("*.txt")), ids=lambda p: p.name)
def test_the_stored_readings_are_well_formed(bench, path):
    header, readings = bench.read_readings(path)
    assert set(header) == {"kind", "scenes", "seed", "sample"}
    assert readings and max(readings) < header["sample"]
    assert all(r == "?" or r.isdigit() for r in readings.values())
