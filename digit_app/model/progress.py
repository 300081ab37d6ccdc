"""Progress bars on standard error (tqdm), for training, evaluation and batches.

One convention for every ``progress`` argument that takes ``bool | None``: True always shows
the bar, False never, None only when standard error is a terminal (tqdm's ``disable=None``),
so piped or captured output carries no bar. Imports no TensorFlow.
"""
from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


def shown(progress: bool | None) -> bool:
    """Whether a bar with this ``progress`` setting is drawn (None: standard error is a terminal)."""
    if progress is not None:
        return progress
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def progress_bar(iterable: Any = None, *, progress: bool | None = None, **options: Any) -> tqdm:
    """A tqdm bar on standard error over ``iterable`` (or updated by hand); ``options`` are
    tqdm's (``total``, ``desc``, ``unit``, ``leave``, ...)."""
    disable = None if progress is None else not progress
    return tqdm(iterable, file=sys.stderr, disable=disable, dynamic_ncols=True, **options)
