"""Held-out UNIPEN writers for the scene kinds written by real people (``touching-unipen``,
``drawing-unipen``): each number is one writer's own digits, of a site never trained on
(``digit_app.data.real``)."""
from __future__ import annotations

import functools

import numpy as np

from digit_app.data import real
from digit_app.data.scenes.render import ChooseFn

#: A writer gives a number only when they wrote at least this many digits.
MIN_WRITER_DIGITS = 8

@functools.lru_cache(maxsize=2)
def held_out_writers(real_dir: str | None = None) -> tuple[real.StrokeSet, tuple[np.ndarray, ...]]:
    """The held-out UNIPEN digits (in ``real_dir``, else found by ``digit_app.data.real``)
    and, per writer with ``MIN_WRITER_DIGITS`` or more, the indexes (int64) of their digits."""
    digits = real.load_unipen(real_dir).part(held_out=True)
    names, which = np.unique(digits.writer, return_inverse=True)
    per_writer = tuple(np.flatnonzero(which == k) for k in range(len(names)))
    return digits, tuple(idx for idx in per_writer if len(idx) >= MIN_WRITER_DIGITS)


def one_writer(writers: tuple[np.ndarray, ...]) -> ChooseFn:
    """A choice taking a number's digits from one writer of ``writers`` (indexes per
    writer, :func:`held_out_writers`), drawn at random, with repeats only when they wrote
    fewer digits than the number has."""
    def choose(rng: np.random.Generator, n: int) -> np.ndarray:
        own = writers[int(rng.integers(len(writers)))]
        return rng.choice(own, size=n, replace=len(own) < n)

    return choose
