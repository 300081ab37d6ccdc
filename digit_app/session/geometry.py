"""Box geometry for the GUI (no Qt): offsets, clipping, hit testing and label placement.

Boxes are ``(x, y, w, h)`` in image pixels, half-open, as in :mod:`digit_app.boxes`, whose
``intersection_area`` and ``iou`` are importable from here too.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from digit_app.boxes import Rect, clip, intersection_area, iou
from digit_app.boxes import union_box as boxes_union
from digit_app.types import Box, Recognition

__all__ = [
    "best_overlap",
    "clip_box",
    "contains",
    "hit_test",
    "intersection_area",
    "iou",
    "normalize_rect",
    "offset_box",
    "offset_recognition",
    "place_label",
    "union_box",
]


def union_box(boxes: Iterable[Box]) -> Box | None:
    """The smallest box holding all ``boxes`` (None for none); see :func:`digit_app.boxes.union_box`."""
    boxes = list(boxes)
    return boxes_union(boxes) if boxes else None


def offset_box(box: Box, dx: int, dy: int) -> Box:
    return (box[0] + dx, box[1] + dy, box[2], box[3])


def offset_recognition(rec: Recognition, dx: int, dy: int, width: int, height: int) -> Recognition:
    """``rec`` read from a crop at ``(dx, dy)``, re-expressed in the full ``width x height`` image."""
    if dx == 0 and dy == 0 and (width, height) == (rec.width, rec.height):
        return rec
    return Recognition(
        width=width,
        height=height,
        digits=tuple(replace(d, box=offset_box(d.box, dx, dy)) for d in rec.digits),
        numbers=tuple(replace(n, box=offset_box(n.box, dx, dy)) for n in rec.numbers),
        candidates=tuple(replace(c, box=offset_box(c.box, dx, dy)) for c in rec.candidates),
    )


def normalize_rect(x0: float, y0: float, x1: float, y1: float) -> Box:
    """Two corners in any order to an integer ``(x, y, w, h)``."""
    left, right = sorted((x0, x1))
    top, bottom = sorted((y0, y1))
    return (int(round(left)), int(round(top)), int(round(right - left)), int(round(bottom - top)))


def clip_box(box: Box, width: int, height: int, min_side: int = 1) -> Box | None:
    """``box`` clipped to a ``width x height`` image; None if less than ``min_side`` remains."""
    clipped = clip(box, width, height)
    if clipped[2] < min_side or clipped[3] < min_side:
        return None
    return clipped


def contains(box: Box, x: float, y: float) -> bool:
    return box[0] <= x < box[0] + box[2] and box[1] <= y < box[1] + box[3]


def hit_test(boxes: Sequence[Box], x: float, y: float, margin: float = 0.0) -> int | None:
    """Index of the smallest box containing ``(x, y)`` (grown by ``margin``), or None."""
    best, best_area = None, None
    for i, b in enumerate(boxes):
        grown = (b[0] - margin, b[1] - margin, b[2] + 2 * margin, b[3] + 2 * margin)
        if contains(grown, x, y):  # type: ignore[arg-type]
            area = b[2] * b[3]
            if best_area is None or area < best_area:
                best, best_area = i, area
    return best


def best_overlap(boxes: Sequence[Box], target: Box) -> int | None:
    """Index of the box sharing the most area with ``target`` (None if none touches it)."""
    best, best_area = None, 0
    for i, b in enumerate(boxes):
        area = intersection_area(b, target)
        if area > best_area:
            best, best_area = i, area
    return best


def place_label(candidates: Sequence[Rect], taken: Sequence[Rect]) -> int:
    """Index of the first candidate rectangle ``(x, y, w, h)`` that overlaps none of ``taken``,
    else of the one that overlaps them least (labels placed so that none hides another)."""
    if not candidates:
        raise ValueError("no candidate position")
    overlaps = [sum(intersection_area(c, t) for t in taken) for c in candidates]
    free = [i for i, o in enumerate(overlaps) if o == 0]
    return free[0] if free else min(range(len(candidates)), key=overlaps.__getitem__)
