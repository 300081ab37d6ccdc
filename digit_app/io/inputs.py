"""Turning the paths a user typed into the list of files to read."""
from __future__ import annotations

import os
import re

from digit_app.io.errors import STDIN_NAME, InputError, display_name

#: Extensions picked up when a directory is given (lower case; files given by name are read
#: whatever their extension, since the format is detected from the content).
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pdf"})

_DIGITS = re.compile(r"(\d+)")


def expand_inputs(paths: list[str | os.PathLike[str]]) -> tuple[list[str], list[InputError]]:
    """Files to read, and the problems found, in the order given.

    Files and ``"-"`` (standard input) are kept as given; a directory is replaced by the image
    and PDF files directly inside it (by extension, hidden files skipped, in natural order:
    ``scan2`` before ``scan10``). A missing path, or a directory without such files, becomes an
    :class:`InputError`. Whether a kept file is really an image is found out when it is read.
    """
    files: list[str] = []
    errors: list[InputError] = []
    for raw in paths:
        path = display_name(raw)
        if path == STDIN_NAME:
            files.append(path)
            continue
        try:
            is_dir = os.path.isdir(path)
            if not is_dir:
                os.stat(path)
        except OSError as exc:
            errors.append(InputError.from_os_error(path, exc))
            continue
        except ValueError:  # e.g. an embedded NUL character
            errors.append(InputError(path, "is not a valid path"))
            continue
        if not is_dir:
            files.append(path)
            continue
        try:
            found = _images_in(path)
        except OSError as exc:
            errors.append(InputError.from_os_error(path, exc))
            continue
        if found:
            files.extend(found)
        else:
            errors.append(InputError(path, "directory contains no image or PDF files"))
    return files, errors


def _images_in(directory: str) -> list[str]:
    names = [
        name for name in os.listdir(directory)
        if not name.startswith(".")
        and os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS
        and os.path.isfile(os.path.join(directory, name))
    ]
    return [os.path.join(directory, name) for name in sorted(names, key=_natural_key)]


def _natural_key(name: str) -> tuple[tuple[str | int, ...], str]:
    parts = _DIGITS.split(name.casefold())  # alternates text, number, text...: types align
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts)), name
