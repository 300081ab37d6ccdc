"""The state of Document mode (no Qt): the document open, its pages' readings, the page shown.

:class:`DocumentSession` is the model the Document mode's widgets show (they hold one and
refresh from it); it knows which file is open (:class:`~.documents.Document`, its pages read
lazily), which pages have been read with the current settings, which page is on screen,
which one is being read, and which late answers to ignore:

* ``generation`` is bumped for every file opened: a file that finishes loading after another
  one was asked for is ignored (:meth:`open_requested`, :meth:`is_current_open`);
* ``run`` is bumped for every (re)reading of the document (a new document, new settings): a
  page read, or a reading, from an earlier run is ignored (:meth:`accepts`);
* a run the user stopped (:meth:`cancel`) reads no more pages until the next run.

The pages are read one at a time, the one on screen first (:meth:`next_page_to_read`).
"""
from __future__ import annotations

import os
from collections.abc import Callable

from digit_app.session.documents import Document, page_error
from digit_app.session.export import PageResult
from digit_app.types import Recognition


class DocumentSession:
    """Pages and results of the document open in Document mode."""

    def __init__(self) -> None:
        self.doc: Document | None = None
        self.results: dict[int, Recognition] = {}  # page index -> the reader's reading
        self.result_run: dict[int, int] = {}  # page index -> the run it was read (or tried) in
        self.page = 0  # the page on screen (-1 before the first is shown)
        self.generation = 0  # bumped for every file opened: late loads are ignored
        self.run = 0  # bumped for every (re)reading of the document: late results are ignored
        self.in_flight: int | None = None  # the page being read
        self.stopped_run: int | None = None  # the reading run the user cancelled

    # -- the document -------------------------------------------------------------------
    def open_requested(self) -> int:
        """A file is asked for (it loads in the background): its generation."""
        self.generation += 1
        return self.generation

    def is_current_open(self, generation: int) -> bool:
        """True when the file of ``generation`` is the last one asked for."""
        return generation == self.generation

    def set_document(self, doc: Document) -> None:
        """Show ``doc`` from its start: the previous document's readings are dropped."""
        self.doc = doc
        self.results.clear()
        self.result_run.clear()
        self.page = -1
        self.run += 1
        self.in_flight = None

    def page_count(self) -> int:
        return len(self.doc.pages) if self.doc else 0

    def has_page(self, index: int) -> bool:
        return self.doc is not None and 0 <= index < self.page_count()

    def name(self) -> str:
        return os.path.basename(self.doc.path) if self.doc is not None else ""

    # -- reading --------------------------------------------------------------------------
    def settings_changed(self) -> bool:
        """New settings: every page is read again (True when there is a document to read)."""
        if self.doc is None:
            return False
        self.run += 1
        return True

    def pages_to_read(self) -> list[int]:
        """The pages not yet read (or tried) with the current settings, in order."""
        return [i for i in range(self.page_count()) if self.result_run.get(i) != self.run]

    def next_page_to_read(self) -> int | None:
        """The page to read next (the one on screen first, then in order), now in flight;
        None when every page is read, or reading was stopped (then nothing is in flight)."""
        if self.doc is None or self.stopped_run == self.run:
            return None
        todo = self.pages_to_read()
        if not todo:
            self.in_flight = None
            return None
        self.in_flight = self.page if self.page in todo else todo[0]
        return self.in_flight

    def pages_done(self) -> int:
        return self.page_count() - len(self.pages_to_read())

    def is_done(self) -> bool:
        """True when every page has been read with the current settings."""
        return self.doc is not None and not self.pages_to_read()

    def is_reading(self) -> bool:
        return self.in_flight is not None

    def is_stopped(self, run: int | None = None) -> bool:
        return self.stopped_run == (self.run if run is None else run)

    def cancel(self) -> bool:
        """Stop reading the remaining pages (those read stay); False when there is nothing
        to stop."""
        if self.doc is None or self.is_done():
            return False
        self.stopped_run = self.run
        self.in_flight = None
        return True

    def accepts(self, run: int) -> bool:
        """True when an answer of ``run`` belongs to the document and settings shown."""
        return run == self.run and self.doc is not None

    def record_result(self, run: int, index: int, recognition: Recognition) -> bool:
        """Page ``index`` was read in ``run``; False (and nothing kept) when it is late."""
        if not self.accepts(run):
            return False
        self.results[index] = recognition
        self.result_run[index] = run
        return True

    def record_page_error(self, run: int, index: int, exc: BaseException) -> bool:
        """Page ``index`` could not be read (an InputError, or anything a reader raises):
        not tried again with these settings, its error listed once. False when late."""
        doc = self.doc
        if doc is None or not self.accepts(run):
            return False
        self.result_run[index] = run
        entry = page_error(exc) if hasattr(exc, "reason") else {
            "path": doc.path, "error": f"page {index + 1}: {exc}"}
        if entry not in doc.errors:
            doc.errors.append(entry)
        return True

    def record_failure(self, run: int, index: int, message: str) -> bool:
        """The reader failed on page ``index`` in ``run``: not tried again (no endless
        retry), the failure listed. False when late."""
        if run != self.run:
            return False
        self.result_run[index] = run
        if self.doc is not None:
            self.doc.errors.append({"path": self.doc.path, "error": f"page {index + 1}: {message}"})
        return True

    def errors_text(self) -> str:
        return "; ".join(e["error"] for e in self.doc.errors) if self.doc is not None else ""

    # -- results --------------------------------------------------------------------------
    def pages_read(self) -> list[int]:
        return sorted(self.results)

    def export_rows(self, reading: Callable[[int], Recognition] | None = None) -> list[PageResult]:
        """Every page read, as the export writes it; ``reading(page)`` gives the reading to
        export (the mode's, with the user's corrections), default the reader's."""
        if self.doc is None:
            return []
        get = reading or self.results.__getitem__
        return [PageResult(self.doc.path, self.doc.page_numbers[i], get(i)) for i in self.pages_read()]
