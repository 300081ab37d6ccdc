"""The size of the digits around each ink piece: a canvas may hold a big number and small
ones, and a small number judged by the big one's height looks like dots and dashes (too
short to keep, small enough to glue to its neighbours).

Pieces of similar heights (within ``scale_link_max_ratio``) that lie within
``scale_link_rel`` of the shorter one's height of each other form a neighbourhood (a
number, a line of writing, a digit and its loose bar); its typical height is the
area-weighted median height of its pieces, as for the whole image. It is used only
where it differs from the image's typical height by ``scale_own_ratio`` or more (the digits
of one page vary in size, and are judged together); a neighbourhood too small to hold a
digit (a dot, a speck, a dash standing alone: a few stroke widths, or a small fraction of
the image's typical height) is not a scale of its own and takes the image's, nor is one
that looks like the fragments of a broken digit: stacked (much taller than its pieces), or
with other writing close around it.

A neighbourhood smaller than the image's digits may be a small number, or printed text
beside handwritten numbers: the same shapes at the same sizes. The recognizer tells them
apart by what the model reads in it (a word holds letters, see ``Recognizer``).
"""
from __future__ import annotations

import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig


def window_pairs(x0: np.ndarray, x1: np.ndarray,
                 reach: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All pairs ``(i, j)`` of intervals ``[x0, x1)`` (int arrays of length n) whose gap
    is at most ``reach`` (a number, or one per interval: the reach of the left one of a
    pair), each pair once: a sweep over the intervals sorted by left edge, no n x n matrix.
    """
    n = x0.size
    order = np.argsort(x0, kind="stable")
    xs0, xs1 = x0[order], x1[order]
    r = reach[order] if isinstance(reach, np.ndarray) else reach
    hi = np.searchsorted(xs0, xs1 + r, side="right")
    counts = np.maximum(hi - np.arange(n) - 1, 0)
    total = int(counts.sum())
    if total == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty
    first = np.repeat(np.arange(n), counts)
    offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return order[first], order[first + 1 + offset]


def box_overlaps(boxes: np.ndarray, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical overlaps of boxes ``i`` and ``j`` of ``boxes`` (n x 4
    ``x, y, w, h``): positive where they overlap, minus the gap where they do not."""
    x0, y0 = boxes[:, 0], boxes[:, 1]
    x1, y1 = x0 + boxes[:, 2], y0 + boxes[:, 3]
    xo = np.minimum(x1[i], x1[j]) - np.maximum(x0[i], x0[j])
    yo = np.minimum(y1[i], y1[j]) - np.maximum(y0[i], y0[j])
    return xo, yo


def box_gap(boxes: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Gap between boxes ``i`` and ``j`` along the axis where they are furthest apart
    (the Chebyshev distance of the boxes; 0 where they overlap)."""
    xo, yo = box_overlaps(boxes, i, j)
    gap: np.ndarray = np.maximum(np.maximum(-xo, -yo), 0)
    return gap


def connected(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Component index (0..k-1, in order of first piece) of each of ``n`` nodes joined by
    the edges ``(i, j)``: label propagation with pointer jumping, all in numpy."""
    lab = np.arange(n)
    if i.size:
        while True:
            low = np.minimum(lab[i], lab[j])
            new = lab.copy()
            np.minimum.at(new, i, low)
            np.minimum.at(new, j, low)
            new = new[new]
            if np.array_equal(new, lab):
                break
            lab = new
    return np.unique(lab, return_inverse=True)[1].reshape(-1)


def line_like(widths: np.ndarray, heights: np.ndarray, image_shape: tuple[int, int],
              cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Pieces that are ruled lines rather than writing: a line length long (a fraction of
    the image side) and ``line_min_elongation`` times longer than thick, flat or upright."""
    rows, cols = image_shape
    return (((widths >= cfg.line_length_rel_image * cols)
             & (widths >= cfg.line_min_elongation * heights))
            | ((heights >= cfg.line_length_rel_image * rows)
               & (heights >= cfg.line_min_elongation * widths)))


def grouped_weighted_median(values: np.ndarray, weights: np.ndarray,
                            groups: np.ndarray) -> np.ndarray:
    """Per group ``0..k-1``, the median of ``values`` where each counts ``weights`` times
    (the plain median's lower middle value when a group's weights are all zero)."""
    k = int(groups.max()) + 1 if groups.size else 0
    if k == 0:
        return np.zeros(0)
    total = np.bincount(groups, weights, minlength=k)
    w = np.where(total[groups] > 0, weights, 1.0).astype(np.float64)
    total = np.bincount(groups, w, minlength=k)
    order = np.lexsort((values, groups))
    g, v, cw = groups[order], values[order], np.cumsum(w[order])
    before = np.concatenate(([0.0], np.cumsum(total)[:-1]))  # weight of earlier groups
    reached = (cw - before[g]) >= total[g] / 2.0
    # The first index of each group at which half its weight is reached.
    idx = np.full(k, order.size, np.int64)
    np.minimum.at(idx, g[reached], np.flatnonzero(reached))
    return v[idx].astype(np.float64)


def ink_thickness(widths: np.ndarray, heights: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Per piece (float64): its ink area over its width plus height, the width of a bar, one
    to three stroke widths for a digit's loops and turns, far more for a solid shape."""
    thick: np.ndarray = areas / np.maximum(widths + heights, 1)
    return thick


def local_heights(boxes: np.ndarray, areas: np.ndarray, typ: float,
                  image_shape: tuple[int, int],
                  cfg: PipelineConfig = DEFAULT_CONFIG) -> tuple[np.ndarray, np.ndarray]:
    """Typical digit height around each piece (float64, one per row of ``boxes``, n x 4
    ``x, y, w, h``, with ink ``areas``), ``typ`` being the image's; and the neighbourhood
    of each piece judged smaller than the image (int64 index, -1 for the others: pieces
    judged by the image's height or by a larger one of their own). See the module text."""
    boxes = np.asarray(boxes, np.int64).reshape(-1, 4)
    n = boxes.shape[0]
    if n < 2 or typ <= 0:
        return np.full(n, float(typ)), np.full(n, -1, np.int64)
    x0, w, h = boxes[:, 0], boxes[:, 2], boxes[:, 3]
    i, j = window_pairs(x0, x0 + w, cfg.scale_link_rel * h)
    short, tall = np.minimum(h[i], h[j]), np.maximum(h[i], h[j])
    near = ((box_gap(boxes, i, j) <= cfg.scale_link_rel * short)
            & (tall <= cfg.scale_link_max_ratio * short))
    region = connected(n, i[near], j[near])
    lines = line_like(w, h, image_shape, cfg)
    weights = np.where(lines, 0, areas).astype(np.float64)
    local = grouped_weighted_median(h, weights, region)[region]
    # The stroke width of each neighbourhood, roughly.
    thickness = ink_thickness(w, h, areas)
    stroke = grouped_weighted_median(thickness, weights, region)[region]
    r = cfg.scale_own_ratio
    # Below the legibility floor of any candidate, a neighbourhood's pieces would be
    # judged one by one (its digit-like letters kept, the others dropped).
    floor = max(cfg.min_height_px, cfg.min_height_rel_image * max(image_shape))
    least = np.maximum(max(cfg.scale_min_rel * typ, floor), cfg.scale_min_rel_stroke * stroke)
    own = (local >= least) & ((local * r <= typ) | (local >= r * typ))
    # A neighbourhood much taller than its pieces is pieces stacked: one digit broken in two
    # or three (a 6 whose top stroke came loose), not a line of writing of its own.
    k = int(region.max()) + 1
    top = np.full(k, np.iinfo(np.int64).max)
    bottom = np.zeros(k, np.int64)
    np.minimum.at(top, region, boxes[:, 1])
    np.maximum.at(bottom, region, boxes[:, 1] + h)
    own &= (bottom - top)[region] <= cfg.scale_max_extent_rel * local
    if own.any():
        own &= ~_crowded(boxes, local, region, lines, cfg)[region]
    smaller = own & (local < typ)
    return np.where(own, local, float(typ)), np.where(smaller, region, -1)


def _crowded(boxes: np.ndarray, local: np.ndarray, region: np.ndarray, lines: np.ndarray,
             cfg: PipelineConfig) -> np.ndarray:
    """Per neighbourhood: another piece of writing (not a ruled line) lies within
    ``scale_crowd_rel`` of its typical height. Its pieces may then be the fragments of a
    broken digit, or a stray mark touching a digit, rather than a number of its own."""
    x0, w = boxes[:, 0], boxes[:, 2]
    i, j = window_pairs(x0, x0 + w, cfg.scale_crowd_rel * float(local.max()))
    keep = (region[i] != region[j]) & ~lines[i] & ~lines[j]
    i, j = i[keep], j[keep]
    gap = box_gap(boxes, i, j)
    out = np.zeros(int(region.max()) + 1, bool)
    out[region[i[gap <= cfg.scale_crowd_rel * local[i]]]] = True
    out[region[j[gap <= cfg.scale_crowd_rel * local[j]]]] = True
    return out
