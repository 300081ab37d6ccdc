"""Reading order and numbers: boxes ``(x, y, w, h)`` -> text lines -> numbers.

Neighbouring digits (overlapping vertically by ``line_overlap`` of the shorter height, with a
gap below ``number_gap_rel`` of their mean height) chain into numbers. Numbers are then put in
text lines like words: a number joins the current line when it overlaps the line's band
(median top to median bottom) by ``line_overlap``; lines top to bottom, left to right. A
member far shorter than its number's digits is a mark (:func:`marks_in_numbers`), unless it
is of the page's digits' size (then the far taller box is no digit of its number), and a
thick blob standing alone far shorter than the page's digits is a blot (:func:`lone_marks`);
one standing alone far taller, in a camera's view, is a thing on the desk (:func:`lone_giants`).
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence

import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.scale import connected

BoxesLike = Sequence[Sequence[int]] | np.ndarray


def _as_boxes(boxes: BoxesLike) -> np.ndarray:
    b = np.asarray(boxes, dtype=np.float64)
    if b.size == 0:
        return np.zeros((0, 4))
    if b.ndim != 2 or b.shape[1] != 4:
        raise ValueError(f"boxes must be a sequence of (x, y, w, h), got shape {b.shape}")
    return b


def text_lines(boxes: BoxesLike, cfg: PipelineConfig = DEFAULT_CONFIG) -> list[list[int]]:
    """Indexes of ``boxes`` grouped into text lines, top to bottom, each left to right."""
    b = _as_boxes(boxes)
    if b.shape[0] == 0:
        return []
    top, height = b[:, 1], np.maximum(b[:, 3], 1.0)
    bottom = top + height
    centre = top + height / 2
    tops, bottoms, heights = top.tolist(), bottom.tolist(), height.tolist()
    lines: list[list[int]] = []
    line_tops: list[float] = []
    line_bottoms: list[float] = []
    band = (0.0, 0.0)
    for i in np.argsort(centre, kind="stable").tolist():
        if lines:
            overlap = min(bottoms[i], band[1]) - max(tops[i], band[0])
            if overlap >= cfg.line_overlap * min(heights[i], band[1] - band[0]):
                lines[-1].append(i)
                line_tops.append(tops[i])
                line_bottoms.append(bottoms[i])
                band = (statistics.median(line_tops), statistics.median(line_bottoms))
                continue
        lines.append([i])
        line_tops, line_bottoms = [tops[i]], [bottoms[i]]
        band = (tops[i], bottoms[i])
    centres = centre.tolist()
    lines.sort(key=lambda m: statistics.median(centres[i] for i in m))
    xs, ys = b[:, 0].tolist(), tops
    return [sorted(m, key=lambda i: (xs[i], ys[i])) for m in lines]


def _links(b: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """``N x N bool``: pairs of boxes that sit side by side on one line, close enough to be
    neighbouring digits of one number."""
    x0, y0, w, h = b[:, 0], b[:, 1], b[:, 2], np.maximum(b[:, 3], 1.0)
    x1, y1 = x0 + w, y0 + h
    v_overlap = np.minimum.outer(y1, y1) - np.maximum.outer(y0, y0)
    same_line = v_overlap >= cfg.line_overlap * np.minimum.outer(h, h)
    gap = np.maximum.outer(x0, x0) - np.minimum.outer(x1, x1)
    close = gap < cfg.number_gap_rel * np.add.outer(h, h) / 2
    links: np.ndarray = same_line & close
    if cfg.number_min_height_rel > 0 and len(h) > 2:
        # A digit of the page's size beside a box so much taller that it would be that box's
        # mark (:func:`marks_in_numbers`) is no mark: the tall box is something else (a ring
        # on the desk of a frame read whole), and the digits stay a number of their own.
        shorter = np.minimum.outer(h, h)
        apart = ((shorter < cfg.number_min_height_rel * np.maximum.outer(h, h))
                 & (shorter >= cfg.lone_mark_height_rel * float(np.median(h))))
        links &= ~apart
    np.fill_diagonal(links, False)
    return links


def group_numbers(boxes: BoxesLike, cfg: PipelineConfig = DEFAULT_CONFIG) -> list[tuple[int, ...]]:
    """Digit boxes -> numbers: tuples of box indexes, numbers in reading order, each
    number's digits left to right. Every box belongs to exactly one number.

    Digits chain into a number when they sit on one line (vertical overlap) with gaps below
    ``number_gap_rel`` of their height; numbers are then read line by line, left to right,
    so two numbers side by side at slightly different heights never interleave."""
    b = _as_boxes(boxes)
    if len(b) < 2:  # nothing to group (a page of one digit: most of a batch of small images)
        return [(0,)] if len(b) else []
    x0, y0, w, h = (b[:, k].tolist() for k in range(4))
    links = np.nonzero(np.triu(_links(b, cfg)))
    number_of = connected(len(b), *links).tolist()
    groups: list[list[int]] = [[] for _ in range(max(number_of) + 1)]
    for k, number in enumerate(number_of):
        groups[number].append(k)
    groups = [sorted(g, key=lambda k: (x0[k], y0[k])) for g in groups]
    # Numbers are ordered as "words" by their own boxes, with the mean height of their
    # digits, centred on the union box (a few digits each: plain Python is quickest).
    union = []
    for g in groups:
        left, top = min(x0[i] for i in g), min(y0[i] for i in g)
        right, bottom = max(x0[i] + w[i] for i in g), max(y0[i] + h[i] for i in g)
        mean_h = sum(h[i] for i in g) / len(g)
        union.append((left, top + (bottom - top - mean_h) / 2, right - left, mean_h))
    order = [i for line in text_lines(union, cfg) for i in line]
    return [tuple(int(i) for i in groups[k]) for k in order]


def digits_in_context(boxes: BoxesLike, read: np.ndarray, maybe: np.ndarray,
                      cfg: PipelineConfig = DEFAULT_CONFIG,
                      vouch: np.ndarray | None = None) -> np.ndarray:
    """Per box (bool, boxes ``n x 4``): the ``maybe`` ones (bool: candidates the model called
    "not a digit" without being sure) that stand in a number (:func:`group_numbers`) with
    boxes it ``read`` as digits (bool), one of which can ``vouch`` for it (bool; default
    ``read``), each ``context_height_rel`` to ``context_max_height_rel`` of the tallest of
    those. A number's digits are digits: the odd 9 among them too, not the dot after
    it nor the shadow of the sheet around it."""
    b = _as_boxes(boxes)
    read = np.asarray(read, bool)
    kept: np.ndarray = np.asarray(maybe, bool) & ~read
    vouch = read if vouch is None else np.asarray(vouch, bool) & read
    while kept.any():
        idx = np.flatnonzero(read | kept)
        ok = np.zeros(len(b), bool)
        for group in group_numbers(b[idx], cfg):
            members = idx[list(group)]
            digits = members[read[members]]
            if vouch[members].any():
                tallest = b[digits, 3].max()
                h = b[members, 3]
                ok[members] = ((h >= cfg.context_height_rel * tallest)
                               & (h <= cfg.context_max_height_rel * tallest))
        still = kept & ok
        if (still == kept).all():
            break
        kept = still
    return kept


def marks_in_numbers(boxes: BoxesLike, cfg: PipelineConfig = DEFAULT_CONFIG,
                     numbers: list[tuple[int, ...]] | None = None) -> np.ndarray:
    """Per box (bool, boxes ``n x 4``): shorter than ``number_min_height_rel`` of the tallest
    box of its number (``numbers``: :func:`group_numbers` of the boxes, grouped here when not
    given). A number's digits are written at one size; a mark that small among them is a
    full stop, a comma or a speck of the paper, not a digit (the two dots after a "1" read
    as another 1)."""
    b = _as_boxes(boxes)
    out = np.zeros(len(b), bool)
    if len(b) < 2 or cfg.number_min_height_rel <= 0:
        return out
    h = b[:, 3]
    for group in group_numbers(b, cfg) if numbers is None else numbers:
        members = list(group)
        if len(members) > 1:
            out[members] = h[members] < cfg.number_min_height_rel * h[members].max()
    return out


def lone_marks(boxes: BoxesLike, strokes: Sequence[float] | np.ndarray,
               cfg: PipelineConfig = DEFAULT_CONFIG,
               numbers: list[tuple[int, ...]] | None = None) -> np.ndarray:
    """Per box (bool, boxes ``n x 4``; ``strokes`` their stroke widths in px, NaN where
    unknown): a blot, not a digit. A number of one digit shorter than ``lone_mark_height_rel``
    of the median height of all the boxes, when there are at least ``lone_mark_min_digits``
    of them, and drawn with a stroke at least ``lone_mark_min_stroke_rel`` of its width
    (short side): too thick for its size to hold a digit's strokes apart (``numbers``:
    :func:`group_numbers` of the boxes, grouped here when not given); a round one (no bar:
    less than ``lone_blot_max_aspect`` times as tall as wide) already below
    ``lone_blot_height_rel`` of that height. On a page of fewer boxes (from
    ``lone_speck_min_digits``), only a round speck: below ``lone_speck_height_rel`` and
    drawn solid (``lone_speck_min_stroke_rel``). A small digit drawn with the page's pen, and
    several small digits side by side, are kept; a short 1 is a bar, thick for its width
    whatever the pen."""
    b = _as_boxes(boxes)
    s = np.asarray(strokes, np.float64).reshape(-1)
    out = np.zeros(len(b), bool)
    many = len(b) >= max(cfg.lone_mark_min_digits, 2)
    if many:
        off = cfg.lone_mark_height_rel <= 0
    else:
        off = len(b) < max(cfg.lone_speck_min_digits, 2) or cfg.lone_speck_height_rel <= 0
    if off:
        return out
    h = b[:, 3]
    short = np.maximum(np.minimum(b[:, 2], h), 1)
    typical = float(np.median(h))
    round_ = h < cfg.lone_blot_max_aspect * b[:, 2]
    with np.errstate(invalid="ignore"):
        if many:
            mark = (s >= cfg.lone_mark_min_stroke_rel * short) & (
                (h < cfg.lone_mark_height_rel * typical)
                | ((h < cfg.lone_blot_height_rel * typical) & round_))
        else:
            mark = ((s >= cfg.lone_speck_min_stroke_rel * short) & round_
                    & (h < cfg.lone_speck_height_rel * typical))
    alone = lone_digits(b, cfg, numbers)
    out[alone] = mark[alone]
    return out


def lone_giants(boxes: BoxesLike, cfg: PipelineConfig = DEFAULT_CONFIG,
                numbers: list[tuple[int, ...]] | None = None) -> np.ndarray:
    """Per box (bool, boxes ``n x 4``): a number of one digit at least
    ``lone_giant_height_rel`` times as tall as the median of the other boxes, when there are
    ``lone_giant_min_others`` of them (``numbers``: :func:`group_numbers` of the boxes,
    grouped here when not given). In a camera's view it is a thing on the desk, not writing;
    the caller asks only of pictures in colour (a canvas may hold a big digit and small ones)."""
    b = _as_boxes(boxes)
    out = np.zeros(len(b), bool)
    if len(b) < cfg.lone_giant_min_others + 1 or cfg.lone_giant_height_rel <= 0:
        return out
    h = b[:, 3]
    for k in lone_digits(b, cfg, numbers):
        out[k] = h[k] >= cfg.lone_giant_height_rel * float(np.median(np.delete(h, k)))
    return out


def lone_digits(boxes: BoxesLike, cfg: PipelineConfig = DEFAULT_CONFIG,
                numbers: list[tuple[int, ...]] | None = None) -> list[int]:
    """Indexes of the boxes (``n x 4``) that are a number of one digit (``numbers``:
    :func:`group_numbers` of the boxes, grouped here when not given)."""
    return [group[0] for group in (group_numbers(boxes, cfg) if numbers is None else numbers)
            if len(group) == 1]


def reading_order(boxes: BoxesLike, cfg: PipelineConfig = DEFAULT_CONFIG) -> list[int]:
    """Permutation of box indexes into reading order: number by number, line by line, left
    to right, so that every number's digits are consecutive."""
    return [i for number in group_numbers(boxes, cfg) for i in number]
