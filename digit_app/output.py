"""Formatting recognitions as the ``digit-app recognize`` formats: JSON, CSV and text.

Shared by the CLI and the GUI's export, so that both write exactly the same documents.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import TextIO

from digit_app.types import Recognition

CSV_COLUMNS = ("path", "page", "text", "confidence", "x", "y", "w", "h")
DECIMALS = 4


def recognition_to_dict(path: str, page: int, rec: Recognition) -> dict:
    """One result entry of the JSON document."""
    return {
        "path": path,
        "page": page,
        "width": rec.width,
        "height": rec.height,
        "digits": [
            _printed({
                "label": d.label,
                "confidence": round(d.confidence, DECIMALS),
                "box": list(d.box),
                "top": [[label, round(p, DECIMALS)] for label, p in d.top],
            }, d.printed)
            for d in rec.digits
        ],
        "numbers": [
            _printed({
                "text": n.text,
                "confidence": round(n.confidence, DECIMALS),
                "box": list(n.box),
                "digits": list(n.digits),
            }, n.printed)
            for n in rec.numbers
        ],
    }


def _printed(entry: dict, printed: bool) -> dict:
    """``"printed": true`` on printed digits and numbers only (read with ``--printed``)."""
    if printed:
        entry["printed"] = True
    return entry


def results_document(model: str, results: Iterable[dict], errors: Iterable[dict]) -> dict:
    """``{"model": ..., "results": [...], "errors": [{"path", "error"}]}``."""
    return {"model": model, "results": list(results), "errors": list(errors)}


def to_json(document: dict) -> str:
    return json.dumps(document, indent=2) + "\n"


def to_csv(results: Iterable[dict]) -> str:
    """One row per number: path, page, text, confidence, x, y, w, h."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in results:
        for n in r["numbers"]:
            writer.writerow([r["path"], r["page"], n["text"], n["confidence"], *n["box"]])
    return buf.getvalue()


def to_text(results: Iterable[dict]) -> str:
    """One line per page: ``path[#page]: 75 1024`` (``(none)`` when nothing was read)."""
    lines = []
    for r in results:
        where = r["path"] if r["page"] == 0 else f"{r['path']}#{r['page']}"
        numbers = " ".join(n["text"] for n in r["numbers"]) or "(none)"
        lines.append(f"{where}: {numbers}")
    return "\n".join(lines) + ("\n" if lines else "")


class StreamWriter:
    """Writes a ``digit-app recognize`` document to ``out`` page by page, byte for byte what
    ``FORMATTERS[fmt]`` gives for the whole list, so that a 500-page scan is not held in
    memory: :meth:`result` for each page in order, then :meth:`close` with the errors."""

    def __init__(self, fmt: str, out: TextIO):
        if fmt not in FORMATTERS:
            raise ValueError(f"unknown format {fmt!r}")
        self.fmt, self.out, self._count = fmt, out, 0

    def result(self, model: str, entry: dict) -> None:
        if self.fmt == "json":
            head = (f'{{\n  "model": {json.dumps(model)},\n  "results": [\n' if self._count == 0
                    else ",\n")
            self.out.write(head + _indented(entry))
        elif self.fmt == "csv":
            text = to_csv([entry])
            self.out.write(text if self._count == 0 else text.split("\n", 1)[1])
        else:
            self.out.write(to_text([entry]))
        self._count += 1

    def close(self, model: str, errors: list[dict]) -> None:
        if self.fmt == "json":
            if self._count == 0:
                self.out.write(to_json(results_document(model, [], errors)))
                return
            listed = "[]" if not errors else "[\n" + ",\n".join(_indented(e) for e in errors) + "\n  ]"
            self.out.write(f'\n  ],\n  "errors": {listed}\n}}\n')
        elif self.fmt == "csv" and self._count == 0:
            self.out.write(to_csv([]))


def _indented(entry: dict) -> str:
    """``entry`` as ``json.dumps(..., indent=2)`` writes it inside a list of the document."""
    return "\n".join("    " + line for line in json.dumps(entry, indent=2).split("\n"))


FORMATTERS = {
    "json": lambda model, results, errors: to_json(results_document(model, results, errors)),
    "csv": lambda model, results, errors: to_csv(results),
    "text": lambda model, results, errors: to_text(results),
}
