"""Samples from the simulated writer (:mod:`digit_app.data.writer`), made the way a real
correction is: the rendered page and the box a person would draw go through
:func:`model_input_for_box`, the pipeline's binarization and ``normalize_digit``.

Shared by the adaptation test and ``benchmarks/bench_adapt.py``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from digit_app.data.writer import DEFAULT_STYLE, WriterStyle, writer_pages
from digit_app.pipeline.normalize import NormalizeConfig
from digit_app.samples.boxes import crop_box, model_input_for_box
from digit_app.samples.store import SampleStore

SOURCE = "simulated"


def writer_arrays(per_digit: int, seed: int = 0, style: WriterStyle = DEFAULT_STYLE,
                  cfg: NormalizeConfig | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(N x 32 x 32 x 1 float32, N int64)``, ``N = 10 * per_digit``, labels interleaved."""
    xs, ys = [], []
    for page, box, label in writer_pages(per_digit, seed, style):
        xs.append(model_input_for_box(page, box, cfg))
        ys.append(label)
    x = np.stack(xs)[..., None] if xs else np.zeros((0, 32, 32, 1), np.float32)
    return x.astype(np.float32), np.array(ys, np.int64)


def fill_store(root: Path | str | SampleStore, per_digit: int, seed: int = 0,
               style: WriterStyle = DEFAULT_STYLE) -> SampleStore:
    """A store holding ``per_digit`` simulated corrections of each digit (crop and input)."""
    store = root if isinstance(root, SampleStore) else SampleStore(root)
    store.add_many([(model_input_for_box(page, box), crop_box(page, box), label, SOURCE)
                    for page, box, label in writer_pages(per_digit, seed, style)])
    return store
