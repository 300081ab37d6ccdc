"""Merging the pieces of one digit: a detached top bar of a 5, a 4 written in two strokes,
a faint stroke broken into dashes or dots.

Two rules propose pairs of pieces, and a greedy union (closest pairs first) accepts a pair
only if the merged box stays digit-sized: at most ``merge_max_height_rel`` times the typical
height (or the tallest piece, if taller) and ``merge_max_width_rel`` typical heights wide (or
its own heights, if taller and of one digit: the bar of a 5 drawn apart, running wide).

* stacked: one piece lies over or under the other (horizontal overlap of at least
  ``merge_min_x_overlap`` of the narrower width when the shorter piece is a fragment, like
  the bar of a 5, ``merge_min_x_overlap_solid`` when both are digit-tall, like the two
  strokes of a 4) within ``merge_max_vgap_rel`` of the taller height. Two digits of a number
  are side by side, never stacked like that; two digits on consecutive lines are, but
  together they are twice too tall.
* linked: a small piece (dot, dash) near another piece in both directions, except a dot
  beside a digit and low on its line (a decimal point or a comma).

Only a stacked pair of two solid pieces (each at least ``merge_fragment_rel`` typical heights
tall) may join two groups that both hold a solid piece: a stray dot between two close
digits, or the bar of a 7 reaching over the next digit, does not glue two digits.
"""
from __future__ import annotations

import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.scale import box_overlaps, window_pairs

_CHUNK = 1 << 20  # pairs tested per vectorized block


def _pairs(boxes: np.ndarray, typ: np.ndarray, cfg: PipelineConfig) -> tuple[np.ndarray, ...]:
    """Candidate pairs ``(i, j, cost, stacked)``; cost is the box gap (Chebyshev). ``typ``
    is each piece's typical height; a pair is judged by the larger of its two."""
    x0, y0 = boxes[:, 0], boxes[:, 1]
    w, h = boxes[:, 2], boxes[:, 3]
    all_i, all_j = window_pairs(x0, x0 + w, cfg.merge_link_rel * float(typ.max()))
    out: list[tuple[np.ndarray, ...]] = []
    for start in range(0, all_i.size, _CHUNK):
        i, j = all_i[start:start + _CHUNK], all_j[start:start + _CHUNK]
        t = np.maximum(typ[i], typ[j])
        xo, yo = box_overlaps(boxes, i, j)
        hgap, vgap = np.maximum(-xo, 0), np.maximum(-yo, 0)
        short, tall = np.minimum(h[i], h[j]), np.maximum(h[i], h[j])
        fragment = (short < cfg.merge_fragment_rel * t) | (short < cfg.merge_fragment_rel * tall)
        need = np.where(fragment, cfg.merge_min_x_overlap, cfg.merge_min_x_overlap_solid)
        stacked = (xo >= need * np.minimum(w[i], w[j])) & (vgap <= cfg.merge_max_vgap_rel * tall)
        # A dot beside a digit, low on the line, is a decimal point or a comma: not linked.
        small_i = np.maximum(w[i], h[i]) < cfg.merge_small_rel * t
        small_j = np.maximum(w[j], h[j]) < cfg.merge_small_rel * t
        low = cfg.merge_period_low_rel
        beside = hgap > 0
        link = cfg.merge_link_rel * t
        linked = (hgap <= link) & (vgap <= link) & (
            (small_i & ~(beside & (y0[i] >= y0[j] + low * h[j])))
            | (small_j & ~(beside & (y0[j] >= y0[i] + low * h[i])))
        )
        ok = stacked | linked
        out.append((i[ok], j[ok], np.maximum(hgap, vgap)[ok], stacked[ok]))
    if not out:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, np.zeros(0, bool)
    return tuple(np.concatenate(parts) for parts in zip(*out))


def merge_pieces(boxes: np.ndarray, typ: float | np.ndarray,
                 cfg: PipelineConfig = DEFAULT_CONFIG,
                 image_typ: float | None = None) -> list[list[int]]:
    """Group the pieces ``boxes`` (n x 4 ``x, y, w, h``) of digits; ``typ`` is the typical
    digit height, of the image or of each piece (see :func:`scale.local_heights`), and
    ``image_typ`` the image's (default: the largest ``typ``). Returns groups of row indexes
    (singletons for unmerged pieces)."""
    boxes = np.asarray(boxes, np.int64).reshape(-1, 4)
    n = boxes.shape[0]
    if n == 0:
        return []
    typ = np.broadcast_to(np.asarray(typ, np.float64), (n,))
    if n == 1 or not (typ > 0).all():
        return [[i] for i in range(n)]
    if image_typ is None:
        image_typ = float(typ.max())
    ii, jj, cost, stacked = _pairs(boxes, typ, cfg)
    parent = list(range(n))
    gx0 = boxes[:, 0].tolist()
    gy0 = boxes[:, 1].tolist()
    gx1 = (boxes[:, 0] + boxes[:, 2]).tolist()
    gy1 = (boxes[:, 1] + boxes[:, 3]).tolist()
    tallest = boxes[:, 3].tolist()
    heights = boxes[:, 3]
    solid_piece = heights >= cfg.merge_fragment_rel * typ
    solid = solid_piece.tolist()  # per group: holds a digit-tall piece
    gtyp = typ.tolist()  # per group: the largest typical height of its pieces

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    order = np.argsort(cost, kind="stable")
    # Pairs of two solid pieces stacked (the strokes of a 4) may join two solid groups;
    # anything else joining two groups that already hold a digit each would glue two digits.
    solid_pair = (stacked & solid_piece[ii] & solid_piece[jj])[order]
    for i, j, both in zip(ii[order].tolist(), jj[order].tolist(), solid_pair.tolist()):
        a, b = find(i), find(j)
        if a == b:
            continue
        if not both and solid[a] and solid[b]:
            continue
        x0, y0 = min(gx0[a], gx0[b]), min(gy0[a], gy0[b])
        x1, y1 = max(gx1[a], gx1[b]), max(gy1[a], gy1[b])
        top = max(tallest[a], tallest[b])
        t = max(gtyp[a], gtyp[b])
        # The height cap is the image's: the pieces of one broken stroke, stacked, are each
        # a neighbourhood's typical height (they are all of it), but not of the image.
        # The width cap follows the merged height for a 5's bar drawn apart, running right
        # from over its body: not for a line or a printed word over or under a digit (they
        # mostly reach past its left side too), nor for a larger thing the digits would join.
        bar, body = (a, b) if gy1[a] - gy0[a] < gy1[b] - gy0[b] else (b, a)
        one_digit = y1 - y0 <= cfg.merge_max_height_rel * t and gx0[bar] >= gx0[body]
        wide = max(t, y1 - y0) if one_digit else t
        if (y1 - y0 > cfg.merge_max_height_rel * max(t, top, image_typ)
                or x1 - x0 > cfg.merge_max_width_rel * wide):
            continue
        parent[b] = a
        gx0[a], gy0[a], gx1[a], gy1[a] = x0, y0, x1, y1
        tallest[a], gtyp[a] = top, t
        solid[a] = solid[a] or solid[b]

    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())
