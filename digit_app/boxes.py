"""Boxes ``(x, y, w, h)`` in integer pixels: area, overlap, union, clipping and one-to-one
matching, written once for the pipeline, the scene scoring, the camera tracker and the GUI.

Edge handling, the same for every function here: a box is half-open. ``(x, y, w, h)`` covers
the columns ``x .. x+w-1`` and the rows ``y .. y+h-1``, ``w * h`` pixels. Hence:

- two boxes that touch, one ending at column 9 and the next starting at column 10, share no
  pixel: their intersection is 0 and so is their IoU;
- a box with a zero (or negative) width or height covers nothing: its area is 0 and its IoU
  with any box, itself included, is 0;
- the union of boxes ends where the last of them ends (``max(x + w)``), not one pixel further.

The functions take plain tuples (``digit_app.types.Box``) and need no numpy.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:  # types imports this module at run time (for union_box)
    from digit_app.types import Box

__all__ = ["Rect", "area", "clip", "intersection_area", "iou", "match", "union_box"]

#: A box in floating-point coordinates (a label's rectangle on screen), for
#: :func:`intersection_area`.
Rect = tuple[float, float, float, float]


def area(box: Box) -> int:
    """Number of pixels a box covers.

    Parameters
    ----------
    box : Box
        ``(x, y, w, h)``.

    Returns
    -------
    int
        ``w * h``, or 0 when ``w`` or ``h`` is zero or negative.

    Examples
    --------
    >>> area((5, 5, 10, 4))
    40
    >>> area((5, 5, 0, 4)), area((5, 5, -3, 4))
    (0, 0)
    """
    return max(box[2], 0) * max(box[3], 0)


@overload
def intersection_area(a: Box, b: Box) -> int: ...
@overload
def intersection_area(a: Rect, b: Rect) -> float: ...
def intersection_area(a: Rect, b: Rect) -> float:
    """Number of pixels two boxes share.

    Parameters
    ----------
    a, b : Box or Rect
        ``(x, y, w, h)`` each; in floating-point coordinates (``Rect``) too, for rectangles
        on screen.

    Returns
    -------
    int or float
        The area of their overlap (an int for two ``Box``); 0 for boxes that are apart or
        only touch, and for zero-size boxes.

    Examples
    --------
    >>> intersection_area((0, 0, 10, 10), (5, 5, 10, 10))
    25
    >>> intersection_area((0, 0, 10, 10), (10, 0, 10, 10))  # touching: columns 0-9 and 10-19
    0
    >>> intersection_area((0, 0, 10, 10), (2, 2, 3, 3))  # nested
    9
    """
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes.

    Parameters
    ----------
    a, b : Box
        ``(x, y, w, h)`` each.

    Returns
    -------
    float
        In [0, 1]: 1.0 for two equal non-empty boxes, 0.0 for boxes that share no pixel and
        whenever both are empty (zero-size).

    Examples
    --------
    >>> iou((0, 0, 10, 10), (0, 0, 10, 10))
    1.0
    >>> round(iou((0, 0, 10, 10), (5, 0, 10, 10)), 4)  # 50 shared of 150
    0.3333
    >>> iou((0, 0, 10, 10), (10, 0, 10, 10)), iou((3, 3, 0, 0), (3, 3, 0, 0))
    (0.0, 0.0)
    """
    inter = intersection_area(a, b)
    union = area(a) + area(b) - inter
    return inter / union if union > 0 else 0.0


def union_box(boxes: Iterable[Box]) -> Box:
    """The smallest box holding all of ``boxes``.

    Parameters
    ----------
    boxes : iterable of Box
        At least one ``(x, y, w, h)``.

    Returns
    -------
    Box
        ``(x0, y0, x1 - x0, y1 - y0)`` with ``x0 = min(x)`` and ``x1 = max(x + w)`` (the same
        for y).

    Raises
    ------
    ValueError
        When ``boxes`` is empty.

    Examples
    --------
    >>> union_box([(10, 5, 4, 8), (20, 2, 5, 5)])
    (10, 2, 15, 11)
    >>> union_box([(10, 5, 4, 8)])
    (10, 5, 4, 8)
    """
    boxes = list(boxes)
    if not boxes:
        raise ValueError("union_box needs at least one box")
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def clip(box: Box, width: int, height: int) -> Box:
    """A box cut to the pixels of a ``width x height`` image.

    Parameters
    ----------
    box : Box
        ``(x, y, w, h)``, possibly reaching out of the image.
    width, height : int
        The image's size in pixels.

    Returns
    -------
    Box
        The part of ``box`` inside the image; its width or height is 0 (never negative) when
        nothing of it is.

    Examples
    --------
    >>> clip((-5, 2, 20, 4), 10, 10)
    (0, 2, 10, 4)
    >>> clip((50, 50, 5, 5), 10, 10)
    (10, 10, 0, 0)
    """
    x0, y0 = min(max(box[0], 0), width), min(max(box[1], 0), height)
    x1 = min(max(box[0] + box[2], 0), width)
    y1 = min(max(box[1] + box[3], 0), height)
    return (x0, y0, max(x1 - x0, 0), max(y1 - y0, 0))


def match(
    first: Sequence[Box],
    second: Sequence[Box],
    min_iou: float,
    *,
    accept: Callable[[Box, Box], bool] | None = None,
    compatible: Callable[[int, int], bool] | None = None,
    tie_break: Callable[[Box, Box], float] | None = None,
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of two lists of boxes, best IoU first.

    A pair ``(i, j)`` may match when ``iou(first[i], second[j]) >= min_iou``, or when
    ``accept(first[i], second[j])`` holds (an extra rule for boxes that overlap too little,
    such as "each centre lies in the other box"); ``compatible(i, j)``, if given, must hold
    as well (e.g. the same text). The possible pairs are then taken by decreasing IoU, ties by
    increasing ``tie_break(first[i], second[j])`` (if given), then by ``i`` and ``j``; a pair
    is kept when neither of its boxes is matched yet.

    Parameters
    ----------
    first, second : sequence of Box
        The two lists of ``(x, y, w, h)``, e.g. ground truth and detections.
    min_iou : float
        The IoU at which two boxes match without ``accept``.
    accept : callable (Box, Box) -> bool, optional
        Also lets a pair below ``min_iou`` match.
    compatible : callable (i, j) -> bool, optional
        Must also hold for a pair to match; called with indexes.
    tie_break : callable (Box, Box) -> float, optional
        Orders pairs of equal IoU, smallest first.

    Returns
    -------
    list of (int, int)
        ``(index into first, index into second)``, sorted; each index appears at most once.

    Examples
    --------
    A detection overlapping two truth boxes goes to the one it overlaps most; the other
    truth box stays unmatched:

    >>> truth = [(0, 0, 10, 10), (6, 0, 10, 10)]
    >>> match(truth, [(4, 0, 10, 10)], 0.3)
    [(1, 0)]

    A thin digit shifted by 3 pixels overlaps too little (IoU 0.14), unless an extra rule,
    here "left edges within 3 pixels", accepts it:

    >>> match([(0, 0, 4, 20)], [(3, 0, 4, 20)], 0.3)
    []
    >>> match([(0, 0, 4, 20)], [(3, 0, 4, 20)], 0.3, accept=lambda a, b: abs(a[0] - b[0]) <= 3)
    [(0, 0)]
    """
    pairs = []
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            overlap = iou(a, b)
            if not (overlap >= min_iou or (accept is not None and accept(a, b))):
                continue
            if compatible is not None and not compatible(i, j):
                continue
            pairs.append((-overlap, tie_break(a, b) if tie_break is not None else 0.0, i, j))
    pairs.sort()
    used_first: set[int] = set()
    used_second: set[int] = set()
    out = []
    for _, _, i, j in pairs:
        if i not in used_first and j not in used_second:
            used_first.add(i)
            used_second.add(j)
            out.append((i, j))
    return sorted(out)
