"""The user's corrected samples: a folder of PNG files plus one CSV index (no Qt).

Layout of a sample folder (default ``<user data>/samples``, see :mod:`digit_app.userdata`),
and of an exported ``.zip`` archive, which holds exactly the same files::

    index.csv             one row per sample (UTF-8, comma-separated, header line first)
    inputs/<id>.png       32x32 8-bit grey: the normalized model input, ink bright on black
                          (pixel / 255 is the float the network sees)
    crops/<id>.png        the original crop as seen, 8-bit grey or colour (BGR in memory)

``index.csv`` columns: ``id`` (unique, sortable by time: ``20250611T081500123456Z-3f9a1c``),
``label`` (0-9, or 10 for "not a digit"), ``source`` (``draw``, ``camera``, ``document``,
``import``, ...), ``created`` (ISO 8601 UTC), ``input_file`` and ``crop_file`` (paths relative
to the folder, ``/``-separated). Other columns are ignored. PNGs not listed in the index are
ignored (left over by an interrupted write). See ``docs/samples-format.md``.

Writes are atomic (temporary file, fsync, rename): PNGs first, then the index, so a kill in
the middle never loses a sample saved before. Every problem with a file is a
:class:`SampleError` whose message names the file.
"""
from __future__ import annotations

from digit_app.samples.boxes import crop_box, model_input_for_box
from digit_app.samples.index import COLUMNS, INDEX_NAME, Sample, SampleError
from digit_app.samples.store import SampleStore
from digit_app.types import NOT_A_DIGIT

__all__ = [
    "COLUMNS",
    "INDEX_NAME",
    "NOT_A_DIGIT",
    "Sample",
    "SampleError",
    "SampleStore",
    "crop_box",
    "model_input_for_box",
]
