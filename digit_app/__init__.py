"""digit-app: reads handwritten digits drawn, seen by a webcam, or found on scanned documents.

``from digit_app import Recognizer`` is the public API; it is imported lazily so that
``import digit_app`` (and ``digit-app --help``) does not load TensorFlow.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Digit", "Number", "Recognition", "Recognizer"]

from digit_app.types import Digit, Number, Recognition


def __getattr__(name: str):
    if name == "Recognizer":
        from digit_app.recognizer import Recognizer

        return Recognizer
    raise AttributeError(f"module 'digit_app' has no attribute {name!r}")
