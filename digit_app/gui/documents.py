"""Reading files for Document mode (no Qt): every page that can be read, and the problems.

Uses :func:`digit_app.io.iter_pages`, so one broken page of a PDF or TIFF does not lose the
others. Importing this module does not import Pillow or PDFium.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

#: Extensions offered in the Open dialog (the reader detects the format from the content).
DOCUMENT_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pdf")
#: Files a drop sends to Camera mode as a video source.
VIDEO_EXTENSIONS = (".avi", ".mp4", ".mkv", ".mov", ".webm", ".mpg", ".mpeg", ".m4v", ".wmv")
#: Name given to an image pasted from the clipboard.
CLIPBOARD_NAME = "clipboard"


@dataclass
class Document:
    """A file's readable pages (numpy BGR or grey) and the problems met while reading it."""

    path: str
    pages: list[np.ndarray] = field(default_factory=list)
    page_numbers: list[int] = field(default_factory=list)  # page index in the file, per page
    errors: list[dict] = field(default_factory=list)  # {"path", "error"} as in the JSON export


def is_video(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in VIDEO_EXTENSIONS


def load_document(path: str, dpi: int | None = None) -> Document:
    """All readable pages of ``path``; raises :class:`digit_app.io.InputError` (a ValueError)
    when nothing at all could be read."""
    from digit_app.io import DEFAULT_DPI, InputError, iter_pages

    doc = Document(path)
    first_error: InputError | None = None
    for item in iter_pages(path, dpi=dpi or DEFAULT_DPI):
        if isinstance(item, InputError):
            first_error = first_error or item
            doc.errors.append({"path": item.path, "error": item.reason if item.page is None
                               else f"page {item.page + 1}: {item.reason}"})
        else:
            doc.pages.append(item.image)
            doc.page_numbers.append(item.index)
    if not doc.pages:
        if first_error is not None:
            raise first_error
        raise InputError(path, "contains no pages")
    return doc


def document_from_image(image: np.ndarray, name: str = CLIPBOARD_NAME) -> Document:
    return Document(name, [image], [0])


#: Longest folder shown beside a file's name in File ▸ Open Recent (the middle is elided).
RECENT_FOLDER_CHARS = 48


def recent_label(path: str, home: str | None = None, max_folder: int = RECENT_FOLDER_CHARS) -> str:
    """``name — folder`` for a menu of recent files: the home folder as ``~``, a long folder
    elided in the middle (``~/scans/2024/…/invoices``)."""
    home = os.path.expanduser("~") if home is None else home
    folder, name = os.path.split(path)
    if home and (folder == home or folder.startswith(home.rstrip(os.sep) + os.sep)):
        folder = "~" + folder[len(home.rstrip(os.sep)):]
    if len(folder) > max_folder:
        keep = max_folder - 1
        folder = folder[: keep // 2] + "…" + folder[len(folder) - (keep - keep // 2):]
    return f"{name} — {folder}" if folder else name
