"""Held-out real digits whose label a person disputes: what ``evaluate --real`` can ask of a reader.

A person looked at every held-out digit of BHMSDS (3,000) and of UNIPEN (1,989), one label at a
time (sheets of 100 digits sharing a label, made by ``benchmarks/audit_sheets.py``; no reading
of the app shown), and noted each digit that, seen alone, is

- ``other``: another digit, or no digit at all (a BHMSDS "0" that is a 6, a UNIPEN "8" that is a
  per cent sign): a reader who gets it "right" has guessed the label, not read the digit;
- ``ambiguous``: its label or another digit, by the writing convention the reader knows (one
  UNIPEN writer's 1s, a long horizontal flag on a bar: a 7 to American readers, a 1 to many
  European ones).

kensanata16 (595 held-out digits) was not audited. An audit holds for the one file it was made
on (its SHA-256); on any other file :func:`disputes` finds none.
"""
from __future__ import annotations

from dataclasses import dataclass

OTHER = "other"
AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Disputed:
    """One held-out digit: the data set's ``label``, what a person ``reads`` (``?``: no
    digit), and the ``kind`` of dispute (:data:`OTHER` or :data:`AMBIGUOUS`)."""

    label: int
    reads: str
    kind: str


@dataclass(frozen=True)
class Audit:
    """The disputed digits of one set's held-out part, by their index in it (the order of
    ``real.load_photos(...).part(held_out=True)`` / ``real.load_unipen(...).part(held_out=True)``)."""

    file_sha256: str
    disputed: dict[int, Disputed]


def _other(label: int, reads: str) -> Disputed:
    return Disputed(label, reads, OTHER)


def _ambiguous(label: int, reads: str) -> Disputed:
    return Disputed(label, reads, AMBIGUOUS)


AUDITS: dict[str, Audit] = {
    "bhmsds": Audit(
        "dec654758bd74ec3b3dc7fcdbb18256ed2f3f20c61fd058a48f6b24219e990af",
        {
            33: _other(0, "6"), 58: _other(0, "6"), 63: _other(0, "6"),
            306: _other(1, "4"), 307: _other(1, "4"), 336: _other(1, "4"), 357: _other(1, "4"),
            1549: _other(5, "6"), 1609: _other(5, "6"), 1698: _other(5, "6"),
            2653: _other(8, "9"), 2913: _other(9, "?"),
        }),
    "unipen": Audit(
        "99b5688adade28bbe8f9d97677a931e17a1e27c7c94bba543cc4134840670661",
        {
            12: _other(0, "9"), 284: _other(0, "?"), 1215: _other(0, "?"),
            9: _other(1, "4"), 112: _other(2, "?"), 111: _other(8, "?"), 282: _other(8, "?"),
            **{i: _ambiguous(1, "7") for i in (1855, 1887, 1897, 1908, 1912, 1929, 1934, 1939,
                                                1959, 1965, 1969)},
        }),
}

#: The audited set each ``evaluate --real`` source shows.
SET_OF_SOURCE = {"unipen-pen": "unipen", "unipen-mouse": "unipen",
                 "bhmsds": "bhmsds", "bhmsds-file": "bhmsds"}


def disputes(source: str, file_sha256: str | None) -> dict[int, Disputed] | None:
    """The disputed held-out digits of ``source`` (an ``evaluate --real`` source name) when its
    set's file is the audited one (``file_sha256``); None when it was not audited."""
    name = SET_OF_SOURCE.get(source)
    audit = AUDITS.get(name) if name else None
    if audit is None or file_sha256 != audit.file_sha256:
        return None
    return audit.disputed
