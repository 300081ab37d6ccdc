"""Results export for Document mode and camera snapshots (no Qt).

Writes what ``digit-app recognize --format json|csv`` writes, through the shared formatters of
:mod:`digit_app.output`: JSON ``{"model", "results": [...], "errors": [...]}``, CSV one row per
number (path, page, text, confidence, x, y, w, h) -- with one difference: ``page`` is the page
number as the app shows it in its table and page box (1 = the first page), where the command
line, whose output is a documented contract, gives the page index (0 = the first page).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from digit_app import atomic
from digit_app.output import recognition_to_dict, results_document, to_csv, to_json
from digit_app.types import Recognition


@dataclass(frozen=True)
class PageResult:
    path: str
    page: int  # index of the page in the file (0 = the first); exported 1-based
    recognition: Recognition


def _dicts(results: list[PageResult]) -> list[dict]:
    return [recognition_to_dict(r.path, r.page + 1, r.recognition) for r in results]


def json_text(results: list[PageResult], model: str, errors: list[dict] | None = None) -> str:
    return to_json(results_document(model, _dicts(results), errors or []))


def csv_text(results: list[PageResult]) -> str:
    return to_csv(_dicts(results))


def results_bytes(path: str | Path, results: list[PageResult], model: str,
                  errors: list[dict] | None = None) -> tuple[str, bytes]:
    """``("csv", ...)`` when ``path`` ends in ``.csv``, else ``("json", ...)``: UTF-8 text."""
    kind = "csv" if str(path).lower().endswith(".csv") else "json"
    text = csv_text(results) if kind == "csv" else json_text(results, model, errors)
    return kind, text.encode("utf-8")


def write_results(path: str | Path, results: list[PageResult], model: str,
                  errors: list[dict] | None = None) -> str:
    """CSV when ``path`` ends in ``.csv``, else JSON, written atomically (a full disk leaves
    the old file); returns the format written. OSError as :func:`atomic.write_error` words it."""
    kind, data = results_bytes(path, results, model, errors)
    atomic.atomic_write(Path(path), data)
    return kind
