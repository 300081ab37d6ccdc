"""The Examples of the public API's docstrings run and show what they say.

Only these modules are collected (not ``--doctest-modules`` over the package, which would
import all of ``digit_app.gui``).
"""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "digit_app.boxes",
    "digit_app.recognizer",
    "digit_app.pipeline.detect",
    "digit_app.pipeline.binarize",
    "digit_app.pipeline.normalize",
    "digit_app.pipeline.small",
    "digit_app.pipeline.underline",
    "digit_app.pipeline.strays",
    "digit_app.io.images",
    "digit_app.data.scenes.drawing_unipen",
]

#: Public functions whose docstrings must carry examples.
DOCUMENTED = {
    "digit_app.boxes": ["area", "intersection_area", "iou", "union_box", "clip", "match"],
    "digit_app.recognizer": ["Recognizer", "Recognizer.load", "Recognizer.recognize",
                             "Recognizer.recognize_many"],
    "digit_app.pipeline.detect": ["find_candidates"],
    "digit_app.pipeline.binarize": ["binarize"],
    "digit_app.pipeline.normalize": ["normalize_batch"],
    "digit_app.pipeline.small": ["place_small", "paper_colour", "maybe_crop", "as_crop", "tight_crop"],
    "digit_app.pipeline.underline": ["underlines"],
    "digit_app.pipeline.strays": ["strays"],
    "digit_app.data.scenes.drawing_unipen": ["loops"],
    "digit_app.io.images": ["read_pages", "read_bytes", "iter_pages", "iter_bytes", "count_pages"],
}


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    module = importlib.import_module(name)
    tests = [t for t in doctest.DocTestFinder().find(module) if t.examples]
    documented = {t.name.removeprefix(f"{name}.") for t in tests}
    assert set(DOCUMENTED[name]) <= documented, f"no examples in {set(DOCUMENTED[name]) - documented}"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for test in tests:
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, "".join(report)
