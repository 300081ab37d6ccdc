"""Reading images and documents into numpy arrays, with clear errors (no Qt, no TensorFlow).

Pages are ``HxWx3 uint8`` BGR or ``HxW uint8`` grayscale; every failure is an
:class:`InputError` naming the file and the problem. PDFium is loaded only when a PDF is read.
"""
from __future__ import annotations

from digit_app.io.errors import STDIN_NAME, InputError
from digit_app.io.images import Page, count_pages, iter_bytes, iter_pages, read_bytes, read_page, read_pages
from digit_app.io.inputs import IMAGE_EXTENSIONS, expand_inputs
from digit_app.io.limits import DEFAULT_DPI, ReadLimits

__all__ = [
    "DEFAULT_DPI",
    "IMAGE_EXTENSIONS",
    "STDIN_NAME",
    "InputError",
    "Page",
    "ReadLimits",
    "count_pages",
    "expand_inputs",
    "iter_bytes",
    "iter_pages",
    "read_bytes",
    "read_page",
    "read_pages",
]
