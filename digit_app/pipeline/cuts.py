"""Heuristic over-segmentation of one ink mask (LeCun et al. 1998, section V): where two
touching digits may be cut apart, and the cut paths.

Cut positions are columns where the ink is thin or pinched: minima of the vertical
projection, valleys of the upper contour (the top edge dips down between two digits) and
peaks of the lower contour. Each position becomes a cut path: the path from top to bottom,
at most one column sideways per row and within a band around the position, that crosses
the least ink (a dynamic programme over the rows: the shortest-path form of drop-fall, which
slides along a stroke's edge and cuts through it where it must). Paths follow the strokes,
so a slanted or curved join is cut along it rather than straight across.

Every function is pure numpy/OpenCV on ``H x W`` masks (non-zero = ink).
"""
from __future__ import annotations

import cv2
import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig


def _local_minima(v: np.ndarray) -> np.ndarray:
    """Indexes (int64) of the strict local minima of ``v`` (1-D), a flat minimum reported at
    its middle; the ends never count."""
    if v.size < 3:
        return np.zeros(0, np.int64)
    change = np.flatnonzero(np.diff(v)) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [v.size])) - 1
    vals = v[starts]
    low = np.zeros(vals.size, bool)
    low[1:-1] = (vals[1:-1] < vals[:-2]) & (vals[1:-1] < vals[2:])
    middles: np.ndarray = ((starts[low] + ends[low]) // 2).astype(np.int64)
    return middles


def cut_positions(mask: np.ndarray, height: float,
                  cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Columns (int64, ascending) where ``mask`` (``H x W``) may be cut between two digits
    ``height`` px tall: projection minima and steep steps, contour valleys/peaks, at least
    ``cut_margin_rel`` heights from either side and ``cut_min_separation_rel`` apart (the
    thinner column kept), at most ``cut_max_per_height`` per height of width."""
    ink = mask > 0
    h, w = ink.shape
    margin = int(round(cfg.cut_margin_rel * height))
    if w <= 2 * margin + 1:
        return np.zeros(0, np.int64)
    proj = ink.sum(axis=0).astype(np.float64)
    smooth = np.convolve(proj, np.ones(3) / 3, mode="same")
    has = ink.any(axis=0)
    top = np.where(has, ink.argmax(axis=0), h).astype(np.float64)
    bottom = np.where(has, h - 1 - ink[::-1].argmax(axis=0), -1).astype(np.float64)
    # Where a tall stroke ends or begins (the projection falls or rises steeply, as beside
    # a '1' whose top touches the next digit's bar), the first column beyond it.
    k = 2
    ratio = cfg.cut_step_ratio
    fall = np.zeros(w, bool)
    rise = np.zeros(w, bool)
    fall[k:] = proj[k:] <= ratio * proj[:-k]
    rise[:-k] = proj[:-k] <= ratio * proj[k:]
    found = np.concatenate([
        _local_minima(smooth), _local_minima(-top), _local_minima(bottom),
        np.flatnonzero(fall & ~np.concatenate(([False], fall[:-1]))),
        np.flatnonzero(rise & ~np.concatenate((rise[1:], [False]))),
        np.flatnonzero(~has),  # a blank column: the pieces do not even touch there
    ])
    found = np.unique(found[(found >= margin) & (found < w - margin)])
    if found.size == 0:
        return found
    # Thin columns first; a column closer than the separation to one kept is dropped.
    order = found[np.argsort(proj[found], kind="stable")]
    sep = cfg.cut_min_separation_rel * height
    limit = max(1, int(np.ceil(cfg.cut_max_per_height * w / max(height, 1.0))))
    kept: list[int] = []
    for x in order.tolist():
        if all(abs(x - k) >= sep for k in kept):
            kept.append(x)
            if len(kept) == limit:
                break
    return np.sort(np.asarray(kept, np.int64))


def cut_paths(mask: np.ndarray, starts: np.ndarray, height: float,
              cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """One cheapest path per start column: ``len(starts) x H`` int64, the first column of
    the right-hand side in every row. A path moves at most one column per row and stays
    within ``cut_band_rel`` heights of its start. Its cost counts the strokes it cuts:
    ``cut_stroke_cost`` each time it enters ink, plus ``cut_ink_cost`` per ink pixel (less
    in the middle of a stroke, ``cut_centre_pull``), plus ``cut_straightness`` per column
    away from the start. A path running down a stroke two digits share cuts it once,
    down its middle, rather than twice around it. Paths never cross: each lies at or right
    of the previous one."""
    binary = (mask > 0).astype(np.uint8)
    h, w = binary.shape
    starts = np.asarray(starts, np.int64)
    if starts.size == 0:
        return np.zeros((0, h), np.int64)
    depth = cv2.distanceTransform(binary, cv2.DIST_L2, 3)
    pixel = binary * cfg.cut_ink_cost * (1 - cfg.cut_centre_pull * depth
                                         / max(float(depth.max()), 1.0))
    inked = binary.astype(np.float64)
    r = max(1, int(round(cfg.cut_band_rel * height)))
    offsets = np.arange(-r, r + 1)
    cols = starts[:, None] + offsets[None, :]  # k x band
    valid = (cols >= 0) & (cols < w)
    step = cfg.cut_straightness * np.abs(offsets)[None, :] + np.where(valid, 0.0, np.inf)
    here = inked[:, np.clip(cols, 0, w - 1)]  # h x k x band
    # Entering ink from the column one left, straight above or one right: the cost of the
    # stroke entered, for every row at once.
    enter = [cfg.cut_stroke_cost * here[1:] * (1 - inked[:-1, np.clip(cols + d, 0, w - 1)])
             for d in (-1, 0, 1)]
    add = pixel[:, np.clip(cols, 0, w - 1)] + step
    cost = here[0] * cfg.cut_stroke_cost + add[0]
    back = np.zeros((h, *cols.shape), np.int8)
    from_left = np.full(cost.shape, np.inf)
    from_right = np.full(cost.shape, np.inf)
    for y in range(1, h):
        from_left[:, 1:] = cost[:, :-1]
        from_right[:, :-1] = cost[:, 1:]
        a = from_left + enter[0][y - 1]
        b = cost + enter[1][y - 1]
        c = from_right + enter[2][y - 1]
        best = np.minimum(np.minimum(a, b), c)
        back[y] = np.where(b == best, 0, np.where(a == best, -1, 1))
        cost = best + add[y]
    pos = np.argmin(cost, axis=1)
    rows = np.arange(cols.shape[0])
    path = np.empty((cols.shape[0], h), np.int64)
    for y in range(h - 1, -1, -1):
        path[:, y] = cols[rows, pos]
        pos = pos + back[y, rows, pos]
    return np.maximum.accumulate(path, axis=0)


def segment(mask: np.ndarray, height: float,
            cfg: PipelineConfig = DEFAULT_CONFIG) -> tuple[np.ndarray, int]:
    """Split ``mask`` (``H x W``, ink non-zero) into pieces between cut paths: an
    ``H x W`` int32 map (the piece of each ink pixel, 0..n-1 from left to right; -1 off
    the ink) and ``n``. Cuts that leave a piece without ink are dropped. Cuts are found on
    a copy at most ``cut_work_height`` rows tall (a compute resolution), then scaled back."""
    ink = mask > 0
    h, w = ink.shape
    scale = min(1.0, cfg.cut_work_height / max(h, 1))
    if scale < 1.0:
        size = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
        small = cv2.resize(ink.astype(np.uint8) * 255, size, interpolation=cv2.INTER_AREA)
        small = np.where(small >= 64, 255, 0).astype(np.uint8)  # thin strokes survive
    else:
        small = ink.astype(np.uint8)
    sh, sw = small.shape
    paths = cut_paths(small, cut_positions(small, height * sh / h, cfg), height * sh / h, cfg)
    if scale < 1.0 and len(paths):
        rows = np.minimum((np.arange(h) * sh / h).astype(np.int64), sh - 1)
        paths = np.rint(paths[:, rows] * w / sw).astype(np.int64)
    xs = np.arange(w)
    seg = np.zeros((h, w), np.int32)
    for p in paths:
        seg += (xs[None, :] >= p[:, None])
    used = np.unique(seg[ink])
    relabel = np.full(len(paths) + 1, -1, np.int32)
    relabel[used] = np.arange(used.size, dtype=np.int32)
    out = np.where(ink, relabel[seg], -1).astype(np.int32)
    return out, int(used.size)
