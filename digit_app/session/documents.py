"""Reading files for Document mode (no Qt): every page that can be read, and the problems.

Pages are read one at a time when needed (:func:`digit_app.io.read_page`) and only a few are
kept, so a document of hundreds of pages takes the memory of a few; one broken page of a PDF
or TIFF does not lose the others. Importing this module does not import Pillow or PDFium.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np

#: Extensions offered in the Open dialog (the reader detects the format from the content).
DOCUMENT_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pdf")
#: Files a drop sends to Camera mode as a video source.
VIDEO_EXTENSIONS = (".avi", ".mp4", ".mkv", ".mov", ".webm", ".mpg", ".mpeg", ".m4v", ".wmv")
#: Pages of a document kept in memory (the one shown, the one being read, one more).
PAGES_KEPT = 3
#: Name given to an image pasted from the clipboard.
CLIPBOARD_NAME = "clipboard"


class LazyPages(Sequence[np.ndarray]):
    """The pages of a file, each read (decoded or rendered) when asked for; the last
    ``keep`` pages read are kept, so a 500-page PDF holds a few pages in memory, not 500.

    ``pages[i]`` is ``HxWx3`` or ``HxW uint8``; raises :class:`digit_app.io.InputError` for a
    page that cannot be read. Safe to use from several threads."""

    def __init__(self, path: str, count: int, dpi: int, keep: int = PAGES_KEPT):
        # Not `count`: that would hide Sequence.count().
        self.path, self.page_count, self.dpi, self.keep = path, count, dpi, keep
        self._kept: OrderedDict[int, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self.page_count

    @overload
    def __getitem__(self, index: int) -> np.ndarray: ...
    @overload
    def __getitem__(self, index: slice) -> list[np.ndarray]: ...

    def __getitem__(self, index: int | slice) -> np.ndarray | list[np.ndarray]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.page_count))]
        if not 0 <= index < self.page_count:
            raise IndexError(index)
        with self._lock:
            if index in self._kept:
                self._kept.move_to_end(index)
                return self._kept[index]
        from digit_app.io import read_page

        image = read_page(self.path, index, dpi=self.dpi).image
        with self._lock:
            self._kept[index] = image
            while len(self._kept) > self.keep:
                self._kept.popitem(last=False)
        return image

    def kept(self) -> list[int]:
        """Indexes of the pages held in memory now."""
        with self._lock:
            return list(self._kept)


@dataclass
class Document:
    """A file's pages (numpy BGR or grey, read when needed) and the problems met reading them."""

    path: str
    pages: Sequence[np.ndarray] = field(default_factory=list)
    page_numbers: list[int] = field(default_factory=list)  # page index in the file, per page
    errors: list[dict] = field(default_factory=list)  # {"path", "error"} as in the JSON export


def is_video(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in VIDEO_EXTENSIONS


def load_document(path: str, dpi: int | None = None) -> Document:
    """A document whose pages are read one at a time when needed (its first page is read
    now); raises :class:`digit_app.io.InputError` (a ValueError) when the file cannot be
    opened, or when its only page cannot be read."""
    from digit_app.io import DEFAULT_DPI, InputError, count_pages

    count = count_pages(path)
    if count < 1:
        raise InputError(path, "contains no pages")
    doc = Document(path, LazyPages(path, count, dpi or DEFAULT_DPI), list(range(count)))
    try:
        doc.pages[0]
    except InputError as exc:
        if count == 1:
            raise
        doc.errors.append(page_error(exc))
    return doc


def page_error(exc) -> dict:
    """An :class:`digit_app.io.InputError` as a ``{"path", "error"}`` entry of the export."""
    return {"path": exc.path, "error": exc.reason if exc.page is None
            else f"page {exc.page + 1}: {exc.reason}"}


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
