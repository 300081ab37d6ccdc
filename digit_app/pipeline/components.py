"""Connected components of the ink mask: labelling, typical height, ruled-line removal, filters.

Stats rows follow OpenCV: row ``i`` describes label ``i`` as ``(x, y, w, h, area)``; row 0
is the background.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.page import page_rim
from digit_app.pipeline.scale import ink_thickness, line_like

X, Y, W, H, AREA = (cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP, cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT,
                    cv2.CC_STAT_AREA)


@dataclass(frozen=True)
class Components:
    """Labels (HxW int32) and stats (n x 5 int64 ``x, y, w, h, area``; row 0, the
    background, is all zeros) of an ink mask."""

    labels: np.ndarray
    stats: np.ndarray

    @property
    def count(self) -> int:
        """Number of labels, background included."""
        return int(self.stats.shape[0])


def label(mask: np.ndarray) -> Components:
    """8-connected components of a 0/255 mask.

    The stats are computed from the ink pixels only (sorted by label), which is several
    times faster than ``connectedComponentsWithStats`` on sparse pages. Only the box around
    the ink is labelled (a sheet seen small in a camera frame leaves most of it blank); the
    labels are the same as the whole mask's, raster order being kept.
    """
    bx, by, bw, bh = cv2.boundingRect(mask)
    if bw == 0 or bh == 0:
        return Components(np.zeros(mask.shape, np.int32), np.zeros((1, 5), np.int64))
    ink = mask[by:by + bh, bx:bx + bw]
    n, inked = cv2.connectedComponentsWithAlgorithm(ink, 8, cv2.CV_32S, cv2.CCL_DEFAULT)
    if inked.shape == mask.shape:
        labels = inked
    else:
        labels = np.zeros(mask.shape, np.int32)
        labels[by:by + bh, bx:bx + bw] = inked
    stats = np.zeros((n, 5), np.int64)
    pts = cv2.findNonZero(ink) if n > 1 else None
    if pts is None:
        return Components(labels, stats)
    pts = pts.reshape(-1, 2)
    xs, ys = pts[:, 0], pts[:, 1]  # raster order: y ascending
    lab = inked[ys, xs]
    xs, ys = xs + bx, ys + by
    order = np.argsort(lab, kind="stable")  # stable keeps y ascending within a label
    lab_sorted = lab[order]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(lab_sorted)) + 1))
    ends = np.concatenate((starts[1:], [lab_sorted.size])) - 1
    ids = lab_sorted[starts]
    xo, yo = xs[order], ys[order]
    x0 = np.minimum.reduceat(xo, starts)
    x1 = np.maximum.reduceat(xo, starts)
    y0, y1 = yo[starts], yo[ends]
    stats[ids, X] = x0
    stats[ids, Y] = y0
    stats[ids, W] = x1 - x0 + 1
    stats[ids, H] = y1 - y0 + 1
    stats[ids, AREA] = ends - starts + 1
    return Components(labels, stats)


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """Median of ``values`` where each counts ``weights`` times; 0.0 when empty."""
    if values.size == 0:
        return 0.0
    order = np.argsort(values, kind="stable")
    v = values[order].astype(np.float64)
    c = np.cumsum(weights[order].astype(np.float64))
    if c[-1] <= 0:
        return float(np.median(v))
    return float(v[np.searchsorted(c, c[-1] / 2.0)])


def typical_height_of(widths: np.ndarray, heights: np.ndarray, areas: np.ndarray,
                      image_shape: tuple[int, int], cfg: PipelineConfig = DEFAULT_CONFIG) -> float:
    """Typical digit height: area-weighted median height of ink pieces, leaving out
    line-like ones (a line length long and ``line_min_elongation`` times longer than thick,
    flat or upright) when anything else exists, and solid shapes when strokes remain: a
    piece whose thickness (ink area over width plus height: a bar's width, one to three
    widths for a digit's loops and turns) is ``solid_thickness_rel`` times the pieces'
    height-weighted median one (a dark object in a camera frame, whose ink outweighs the
    digits'; weighting by height, not ink, lets the digits' strokes set the usual one).

    Area weighting makes the body of a digit outweigh its detached bar, a dot or noise.
    """
    if heights.size == 0:
        return 0.0
    flat = line_like(widths, heights, image_shape, cfg)
    if flat.all():
        return weighted_median(heights, areas)
    keep = ~flat
    thick = ink_thickness(widths, heights, areas)
    usual = weighted_median(thick[keep], heights[keep].astype(np.float64))
    solid = keep & (thick >= cfg.solid_thickness_rel * usual)
    if (keep & ~solid).any():
        keep &= ~solid
    return weighted_median(heights[keep], areas[keep])


def typical_height(stats: np.ndarray, ids: np.ndarray, image_shape: tuple[int, int],
                   cfg: PipelineConfig = DEFAULT_CONFIG) -> float:
    """:func:`typical_height_of` the components ``ids`` (rows of ``stats``)."""
    s = stats[ids]
    return typical_height_of(s[:, W], s[:, H], s[:, AREA], image_shape, cfg)


def line_lengths(image_shape: tuple[int, int], typ: float,
                 cfg: PipelineConfig = DEFAULT_CONFIG) -> tuple[int, int]:
    """Minimum (horizontal, vertical) run length of a ruled line, in pixels."""
    rows, cols = image_shape
    lh = max(cfg.line_length_rel_image * cols, cfg.line_length_rel_height * typ)
    lv = max(cfg.line_length_rel_image * rows, cfg.line_length_rel_height * typ)
    return max(3, int(np.ceil(lh))), max(3, int(np.ceil(lv)))


@dataclass(frozen=True)
class _Runs:
    """Thin straight runs of one component in one direction (coordinates transposed for
    vertical runs): labelled pieces, the length of each, the perpendicular tolerance used."""

    labels: np.ndarray  # as tall as the component is across the runs
    length: np.ndarray  # per label; 0 for the background and for thick pieces
    start: np.ndarray  # per label: where it starts along the run (px)
    across: np.ndarray  # per label: its centre across the run (px)
    tol: int
    mask: np.ndarray  # all the thin runs, 0/255

    def ends(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(start, end, across)`` of the runs (float64 each, one per run)."""
        on = self.length > 0
        start = self.start[on].astype(np.float64)
        return start, start + self.length[on], self.across[on].astype(np.float64)

    def by_label(self, per_run: np.ndarray) -> np.ndarray:
        """``per_run`` (bool, one per run of :meth:`ends`) per label: False for the background
        and the thick pieces."""
        out = np.zeros(self.length.size, bool)
        out[self.length > 0] = per_run
        return out

    def spans(self, side: int, cfg: PipelineConfig) -> bool:
        """Runs end to end spanning ``line_span_rel`` of the image ``side``: a border, or a
        long line bent by skew."""
        start, end, _ = self.ends()
        return int(end.max() - start.min()) >= cfg.line_span_rel * side

    def parallel(self, stroke: float, cfg: PipelineConfig) -> tuple[np.ndarray, bool]:
        """Pairs of runs side by side (``k x 2`` indexes into :meth:`ends`): overlapping along
        their length by ``line_parallel_overlap`` of the shorter, at least
        ``line_parallel_min_gap`` ``stroke`` widths apart (closer, they are one stroke gone
        over twice); and whether such a pair is also long next to the component's extent
        across them (``line_parallel_min_aspect``): ruled paper, a table's rows. The uprights
        of a '4', the sides of a '0' are about as far apart as they are long; a stroke whose
        slant or wobble breaks it into runs end to end (a tall '1') has no parallel runs."""
        start, end, across = self.ends()
        length = end - start
        overlap = np.minimum(end[:, None], end[None, :]) - np.maximum(start[:, None], start[None, :])
        shorter = np.minimum(length[:, None], length[None, :])
        apart = np.abs(across[:, None] - across[None, :])
        side_by_side = np.triu((overlap >= cfg.line_parallel_overlap * shorter)
                               & (apart >= cfg.line_parallel_min_gap * stroke), 1)
        across_extent = self.labels.shape[0]
        long_ = side_by_side & (shorter >= cfg.line_parallel_min_aspect * across_extent)
        return np.argwhere(side_by_side), bool(long_.any())

    def underlines(self, comp: np.ndarray, stroke: float, cfg: PipelineConfig) -> np.ndarray:
        """Per label (bool): a horizontal run along the bottom of the component ``comp``
        (0/255; nothing of it more than ``tol`` plus two ``stroke`` widths lower), as long as
        ``underline_min_width_rel`` of it, under writing (ink at least
        ``digit_min_height_rel_stroke`` strokes above it): a line drawn under a number and
        touching it. Its length against the digits' height is judged later."""
        rows = np.flatnonzero(comp.any(axis=1))
        bottom, top = float(rows.max()), float(rows.min())
        reach = self.tol + 2 * stroke
        found: np.ndarray = ((self.length > 0) & (self.across >= bottom - reach)
                             & (self.length >= cfg.underline_min_width_rel * comp.shape[1])
                             & (self.across - top >= cfg.digit_min_height_rel_stroke * stroke))
        return found

    def longer_than(self, min_length: int, among: np.ndarray | None = None) -> np.ndarray:
        """The mask (0/255) of the runs at least ``min_length`` long (of those ``among``, bool
        per label, if given)."""
        keep = self.length >= min_length
        if among is not None:
            keep = keep & among
        if keep.sum() == (self.length > 0).sum():
            return self.mask
        lut = np.where(keep, 255, 0).astype(np.uint8)
        kept: np.ndarray = lut[self.labels]
        return kept


def _thin_runs(comp: np.ndarray, length: int, cfg: PipelineConfig) -> _Runs | None:
    """Thin horizontal runs at least ``length`` long in ``comp`` (0/255), tolerating a slope
    of ``cfg.line_skew``; None when there are none. A run must be ``line_min_elongation``
    times longer than thick: the side of a digit drawn with a broad pen is not a line.
    Transpose the input for vertical runs."""
    tol = 1 + 2 * int(round(cfg.line_skew * length / 2))  # odd: symmetric about the line
    along = np.ones((1, length), np.uint8)
    if tol == 1:
        runs = cv2.morphologyEx(comp, cv2.MORPH_OPEN, along)
    else:
        # A skewed line stays one run once thickened by its rise; the band found is then
        # widened back by the same amount so the line's edges at its ends go with it.
        grow = np.ones((tol, 1), np.uint8)
        band = cv2.morphologyEx(cv2.dilate(comp, grow), cv2.MORPH_OPEN, along)
        runs = cv2.bitwise_and(cv2.dilate(band, grow), comp)
    if not runs.any():
        return None
    pieces = label(runs)
    st = pieces.stats
    thin = (st[:, W] >= length) & (
        st[:, W] >= cfg.line_min_elongation * st[:, AREA] / np.maximum(st[:, W], 1))
    thin[0] = False
    if not thin.any():
        return None
    if not thin[1:].all():
        runs = np.where(thin, 255, 0).astype(np.uint8)[pieces.labels]
    return _Runs(pieces.labels, np.where(thin, st[:, W], 0), st[:, X], st[:, Y] + st[:, H] / 2,
                 tol, runs)


def _closed(runs: _Runs, pairs: np.ndarray, other: _Runs, reach: float) -> bool:
    """Whether a run of ``other`` (the other direction) joins a pair of side-by-side
    ``runs`` (``pairs``, from :meth:`_Runs.parallel`) at the same end of both, across the
    whole distance between them, within ``reach`` px: three sides of a box (a form's box
    whose fourth side runs along the sheet's edge). The bar of a '4' meets the end of one
    upright only."""
    if not len(pairs):
        return False
    start, end, across = runs.ends()
    o_start, o_end, o_across = other.ends()
    i, j = pairs[:, 0], pairs[:, 1]
    lo = np.minimum(across[i], across[j])[:, None]
    hi = np.maximum(across[i], across[j])[:, None]
    spans = (o_start[None, :] <= lo + reach) & (o_end[None, :] >= hi - reach)
    at = o_across[None, :]
    at_starts = (np.abs(at - start[i][:, None]) <= reach) & (np.abs(at - start[j][:, None]) <= reach)
    at_ends = (np.abs(at - end[i][:, None]) <= reach) & (np.abs(at - end[j][:, None]) <= reach)
    return bool((spans & (at_starts | at_ends)).any())


def _find_runs(comp: np.ndarray, lh: int, lv: int, image_shape: tuple[int, int], stroke: float,
               cfg: PipelineConfig) -> tuple[_Runs | None, _Runs | None, bool]:
    """Horizontal and vertical thin runs of ``comp`` at least ``lh`` / ``lv`` long, and
    whether they look like ruling: runs spanning the image (:meth:`_Runs.spans`), long
    parallel runs in one direction, parallel runs in both (a box, a grid; see
    :meth:`_Runs.parallel`), or parallel runs closed at one end by a run across them
    (:func:`_closed`). A '1', a '4', a '7' has one run per direction, a few end to end, or
    parallel runs as far apart as they are long."""
    h, w = comp.shape
    found: list[_Runs | None] = []
    ruling = False
    pairs: list[np.ndarray] = []
    for vertical, length, side in ((False, lh, image_shape[1]), (True, lv, image_shape[0])):
        runs = None
        if (h if vertical else w) >= length:
            runs = _thin_runs(comp.T.copy() if vertical else comp, length, cfg)
        if runs is not None:
            side_by_side, long_pair = runs.parallel(stroke, cfg)
            ruling |= long_pair or runs.spans(side, cfg)
            pairs.append(side_by_side)
        found.append(runs)
    hruns, vruns = found
    if not ruling and hruns is not None and vruns is not None:
        reach = max(hruns.tol, vruns.tol) + cfg.line_box_reach_strokes * stroke
        ruling = ((len(pairs[0]) > 0 and len(pairs[1]) > 0)
                  or _closed(hruns, pairs[0], vruns, reach) or _closed(vruns, pairs[1], hruns, reach))
    return hruns, vruns, ruling


def _lines_to_erase(hruns: _Runs | None, vruns: _Runs | None, across: np.ndarray | None,
                    lh: int, lv: int, comp: np.ndarray, cfg: PipelineConfig
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Per label of ``hruns`` and of ``vruns`` (bool; empty for None): the ruled lines, at
    least ``lh`` / ``lv`` long, or, however short the image leaves them, rows ``across`` the
    ink (ruled paper, :func:`_across`; None: none) or lines crossing many of the other
    direction's (a grid: :func:`_grid_lines`); never a digit's stroke ending on the paper
    (:func:`_floating`; ``comp`` is the component, 0/255)."""
    rows = np.zeros(0, bool) if hruns is None else (hruns.length >= lh)
    if across is not None:
        rows = rows | across
    cols = np.zeros(0, bool) if vruns is None else (vruns.length >= lv)
    if hruns is not None and vruns is not None:
        # A digit's straight stroke is no line however long, nor however many lines it
        # crosses; a grid cut small has lines shorter than any length rule, so those across
        # the whole component count as lines for the crossings.
        float_rows = _floating(hruns, vruns, comp, cfg)
        float_cols = _floating(vruns, hruns, comp.T, cfg)
        rows = rows & ~float_rows
        cols = cols & ~float_cols
        rows = rows | (_grid_lines(hruns, vruns, cols | _across_component(vruns, cfg), cfg) & ~float_rows)
        cols = cols | (_grid_lines(vruns, hruns, rows | _across_component(hruns, cfg), cfg) & ~float_cols)
    return rows, cols


def _across_component(runs: _Runs, cfg: PipelineConfig) -> np.ndarray:
    """Per label of ``runs``: whether it runs across ``line_span_rel`` of its component."""
    return runs.by_label(_spanning(runs, runs.labels.shape[1], cfg))


def _passing(across: np.ndarray, o_start: np.ndarray, o_end: np.ndarray, reach: float) -> np.ndarray:
    """Per run at ``across`` (rows) and run of the other direction from ``o_start`` to
    ``o_end`` (columns): whether the other run passes where the run lies, within ``reach``."""
    passing: np.ndarray = ((o_start[None, :] - reach <= across[:, None])
                           & (across[:, None] <= o_end[None, :] + reach))
    return passing


def _floating(runs: _Runs, other: _Runs, ink: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """Per label of ``runs`` (runs along the rows of ``ink``, their component 0/255; ``other``
    the runs across them): whether one of its ends stops on paper: short of the component's
    edge, clear of every run across it (``line_float_reach`` tolerances), with no ink beyond
    it in line (half as far). That is the tip of a digit's straight stroke on squared or
    ruled paper (a 1, the stem of a 4 or a 7), however long next to the rest of the digit. A
    ruled line runs to the edge of its paper, into a line across it, or under writing."""
    start, end, across = runs.ends()
    o_start, o_end, o_across = other.ends()
    reach = cfg.line_float_reach * float(max(runs.tol, other.tol, 1))
    passing = _passing(across, o_start, o_end, reach)

    def clear(at: np.ndarray) -> np.ndarray:
        near: np.ndarray = (passing & (np.abs(o_across[None, :] - at[:, None]) <= reach)).any(axis=1)
        return ~near

    free_start = (start > reach) & clear(start)
    free_end = (end < ink.shape[1] - reach) & clear(end)
    step = int(np.ceil(reach / 2))
    for k in np.flatnonzero(free_start | free_end):
        a, b, c = int(start[k]), int(end[k]), int(round(across[k]))
        band = ink[max(0, c - runs.tol):c + runs.tol + 1]
        free_start[k] &= not band[:, max(0, a - step):max(0, a - 1)].any()
        free_end[k] &= not band[:, b + 1:b + step + 1].any()
    return runs.by_label(free_start | free_end)


def _spanning(runs: _Runs, side: int, cfg: PipelineConfig) -> np.ndarray:
    """Per run of :meth:`_Runs.ends`: whether it spans ``line_span_rel`` of ``side``."""
    start, end, _ = runs.ends()
    spans: np.ndarray = end - start >= cfg.line_span_rel * side
    return spans


def _across(runs: _Runs, spans: np.ndarray, comp: np.ndarray, stroke: float,
            cfg: PipelineConfig) -> np.ndarray:
    """Per label of ``runs`` (horizontal runs of ``comp``, 0/255): whether it ``spans`` the
    ink's width (per run of :meth:`_Runs.ends`, :func:`_spanning` of a small image's own
    width, not the paper laid round it), is ``line_across_min_aspect`` times longer than
    ``comp`` is tall, and reaches more than a ``stroke`` width past the rest of ``comp``
    (writing on it) at both ends: a line of ruled paper in a crop only a few digits wide. The
    bar of a 4 is no longer than the digit is tall; the feet of 2s run together, or a line
    under a number cropped to it, reach no further than the digits."""
    start, end, _ = runs.ends()
    spans = spans & (end - start >= cfg.line_across_min_aspect * comp.shape[0])
    if not spans.any():
        return runs.by_label(spans)
    columns = np.flatnonzero(cv2.subtract(comp, runs.mask).any(axis=0))
    if columns.size == 0:
        return runs.by_label(np.zeros_like(spans))  # no writing on it: a 1 as tall as the others, or a line left alone
    return runs.by_label(spans & (start < columns[0] - stroke) & (end > columns[-1] + 1 + stroke))


def _grid_lines(runs: _Runs, other: _Runs, lines: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """Per label of ``runs``: whether it crosses at least ``line_grid_min_crossings`` of the
    ``other`` runs (the other direction) that are ``lines`` (bool per label of ``other``), and
    ``line_grid_min_share`` of those that pass where it runs (within their tolerances)."""
    start, end, across = runs.ends()
    o_start, o_end, o_across = (v[lines[other.length > 0]] for v in other.ends())
    reach = float(max(runs.tol, other.tol))
    passing = _passing(across, o_start, o_end, reach)
    crossed = passing & (start[:, None] - reach <= o_across[None, :]) & (o_across[None, :] <= end[:, None] + reach)
    n_crossed, n_passing = crossed.sum(axis=1), passing.sum(axis=1)
    return runs.by_label((n_crossed >= cfg.line_grid_min_crossings)
                         & (n_crossed >= cfg.line_grid_min_share * n_passing))


#: Thicker than this, a "line" is measured no further (a broad rule: strokes along it are
#: thinner than it anyway).
_MAX_LINE_THICKNESS = 12


def _erase(comp: np.ndarray, lines: np.ndarray, tol: int, stroke: float,
           cfg: PipelineConfig) -> np.ndarray:
    """Remove horizontal ``lines`` from ``comp``, mending the strokes that crossed them: a
    removed pixel with ink above and below it (a digit crossing the line) returns, and, on a
    hairline (at most ``line_keep_max_thickness_rel`` strokes thick), so does one where the
    ink across the line is ``line_keep_thicker_px`` thicker than the line (a stroke lying
    along it: the bar of a 7 on a grid's row)."""
    lines = cv2.bitwise_and(lines, comp)
    rest = cv2.subtract(comp, lines)
    reach = int(round(2 * stroke)) + tol + 2
    closed = cv2.morphologyEx(rest, cv2.MORPH_CLOSE, np.ones((reach, 1), np.uint8),
                              borderType=cv2.BORDER_CONSTANT, borderValue=0)
    kept = cv2.bitwise_and(closed, lines)
    thickness = _thickness(lines) if cfg.line_keep_thicker_px > 0 else 0
    if 0 < thickness <= cfg.line_keep_max_thickness_rel * stroke:
        across = np.ones((thickness + cfg.line_keep_thicker_px, 1), np.uint8)
        thicker = cv2.morphologyEx(comp, cv2.MORPH_OPEN, across, borderType=cv2.BORDER_CONSTANT,
                                   borderValue=0)
        kept = cv2.bitwise_or(kept, cv2.bitwise_and(thicker, lines))
    return cv2.bitwise_or(rest, kept)


def _thickness(lines: np.ndarray) -> int:
    """The median thickness (px, at least 1) of horizontal ``lines`` (0/255): the shortest
    vertical run that half their pixels are in no longer run than."""
    total = cv2.countNonZero(lines)
    for k in range(2, _MAX_LINE_THICKNESS + 1):
        kept = cv2.morphologyEx(lines, cv2.MORPH_OPEN, np.ones((k, 1), np.uint8),
                                borderType=cv2.BORDER_CONSTANT, borderValue=0)
        if 2 * cv2.countNonZero(kept) < total:
            return k - 1
    return _MAX_LINE_THICKNESS


def _bar_reach(stroke: float) -> int:
    """How near (px) a bar's end must come to an erased line to have joined it."""
    return max(3, int(round(2 * stroke)))


def _drop_border_bars(comp: np.ndarray, cleaned: np.ndarray, stroke: float,
                      cfg: PipelineConfig, near_outside: np.ndarray | None = None) -> np.ndarray:
    """Erase the straight vertical bars that joined erased horizontal lines: the sides of
    boxes on a form and the column rules of a table, which would otherwise read as "1".
    ``near_outside`` (bool, the shape of ``comp``) marks pixels within reach of where the
    image was not read (off the sheet in a camera frame): a bar ending there counts as
    joined to a line too, since a box whose top runs along the sheet's edge was cut there."""
    gone = cv2.subtract(comp, cleaned)
    if not gone.any():
        return cleaned
    reach = _bar_reach(stroke)
    near_gone = cv2.dilate(gone, np.ones((reach, reach), np.uint8)) > 0
    if near_outside is not None:
        near_gone |= near_outside
    pieces = label(cleaned)
    out = cleaned
    for k in range(1, pieces.count):
        x, y, w, h = (int(v) for v in pieces.stats[k, :4])
        if h < cfg.border_min_elongation * max(w, 1):
            continue
        rows = np.nonzero(pieces.labels[y:y + h, x:x + w] == k)[0]
        top, bottom = y + rows.min(), y + rows.max()
        band = near_gone[:, x:x + w]
        if band[top].any() and band[bottom].any():
            if out is cleaned:
                out = cleaned.copy()
            out[pieces.labels == k] = 0
    return out


def along_rim(comps: Components, page: np.ndarray, stroke: float,
              cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Labels of the components lying along the edge of the sheet ``page`` (0/255, see
    :func:`page.page_rim`): touching it, with at least ``rim_min_share`` of their ink within
    ``rim_reach_strokes`` stroke widths of it. That is the sheet's own edge or an object
    lying over it; a digit the (ragged) edge only grazes keeps most of its ink away."""
    rim = page_rim(page)
    found = np.unique(comps.labels[rim > 0])
    found = found[found > 0]
    if found.size == 0:
        return found
    r = max(1, int(round(cfg.rim_reach_strokes * stroke)))
    h, w = rim.shape
    near_ink = np.empty(found.size)
    for n, k in enumerate(found.tolist()):
        # Only the rim within reach of the component's box matters: measuring the distance
        # to it there alone costs a small fraction of widening the whole frame's rim.
        x, y, bw, bh = (int(v) for v in comps.stats[k, :4])
        x0, y0, x1, y1 = max(x - r, 0), max(y - r, 0), min(x + bw + r, w), min(y + bh + r, h)
        dist = cv2.distanceTransform(cv2.bitwise_not(rim[y0:y1, x0:x1]), cv2.DIST_L2,
                                     cv2.DIST_MASK_PRECISE)
        near_ink[n] = np.count_nonzero((comps.labels[y0:y1, x0:x1] == k) & (dist <= r))
    share = near_ink / np.maximum(comps.stats[found, AREA], 1)
    rims: np.ndarray = found[share >= cfg.rim_min_share]
    return rims


def _component(comps: Components, i: int) -> tuple[tuple[int, int, int, int], np.ndarray]:
    x, y, w, h = (int(v) for v in comps.stats[i, :4])
    sub = comps.labels[y:y + h, x:x + w]
    return (x, y, w, h), np.where(sub == i, 255, 0).astype(np.uint8)


def _underline(comp: np.ndarray, hruns: _Runs, stroke: float, cfg: PipelineConfig
               ) -> tuple[np.ndarray, float, np.ndarray] | None:
    """A line drawn under a number and touching it, among the horizontal runs ``hruns`` of
    ``comp`` (0/255, not ruling): ``(the runs, bool per label; the least length it needs, in
    typical digit heights; the stats of the pieces of comp without it)``, or None. The runs lie along the bottom
    (:meth:`_Runs.underlines`), under the writing rather than through it, and reach past it
    on both sides (the bases of touching 2s, run together, do not). With two pieces of
    writing on it, it is a number's underline (``underline_min_length_rel``); with one it
    must be longer (``underline_alone_min_length_rel``): that one may be a 2 whose foot
    runs long."""
    under = hruns.underlines(comp, stroke, cfg)
    if not under.any():
        return None
    above = cv2.subtract(comp, hruns.longer_than(0, under))
    inked = np.flatnonzero(above.any(axis=0))
    if inked.size == 0:
        return None
    start = hruns.start.astype(np.float64)
    under &= (start < inked[0] - stroke) & (start + hruns.length > inked[-1] + stroke)
    # Under the writing, not through it: a line struck through a number has ink below it.
    under &= hruns.across >= np.flatnonzero(above.any(axis=1))[-1]
    if not under.any():
        return None
    pieces = label(cv2.subtract(comp, hruns.longer_than(0, under))).stats[1:]
    standing = pieces[:, H] >= cfg.digit_min_height_rel_stroke * stroke
    rel = cfg.underline_min_length_rel if standing.sum() >= 2 else cfg.underline_alone_min_length_rel
    return under, rel, pieces


def remove_lines(mask: np.ndarray, comps: Components, stroke: float, min_area: float,
                 cfg: PipelineConfig = DEFAULT_CONFIG, page: np.ndarray | None = None
                 ) -> np.ndarray | None:
    """Erase ruled lines and table borders; None when there are none (mask unchanged).

    A line is a thin straight run (``line_min_elongation`` times longer than thick) at
    least ``line_length_rel_image`` of the image side and ``line_length_rel_height`` typical
    digit heights long, in a component that looks like ruling: two or more parallel runs
    (ruled paper, a table grid) or one run across ``line_span_rel`` of the image; in such a
    component, shorter runs that cross most of the lines across them are a grid's lines too
    (:func:`_grid_lines`: a number cut from squared paper, its columns only a few digits
    tall), and so are rows across the ink where two or more rows span it (:func:`_across`:
    a number cut from ruled paper). Strokes crossing a line or lying along a hairline are
    mended (:func:`_erase`). A lone
    '1', '4' or '7', whose stroke alone could pass for a short line, is never touched. The
    typical height is measured with the candidate runs taken out, so digits written across
    the lines of a grid still give their size. Only components at least a line length long
    are examined, each in its own box, so a page without lines costs nothing. ``page``
    (0/255, the shape of ``mask``) is the sheet found in a camera frame, if any. A line
    drawn under a number and touching it (:func:`_underline`) is erased too.
    """
    rows, cols = mask.shape
    shortest = cfg.line_length_rel_height * cfg.digit_min_height_rel_stroke * stroke
    lh0 = max(3, int(np.ceil(max(cfg.line_length_rel_image * cols, shortest))))
    lv0 = max(3, int(np.ceil(max(cfg.line_length_rel_image * rows, shortest))))
    st = comps.stats
    big = st[:, AREA] >= min_area
    big[0] = False
    long_ = big & ((st[:, W] >= lh0) | (st[:, H] >= lv0))
    long_ids = np.nonzero(long_)[0]
    if long_ids.size == 0:
        return None
    if long_ids.size > cfg.line_max_components:  # texture, not ruling: look at the longest
        extent = np.maximum(st[long_ids, W], st[long_ids, H])
        long_ids = np.sort(long_ids[np.argsort(-extent, kind="stable")[: cfg.line_max_components]])
    others = np.nonzero(big & ~long_)[0]
    widths, heights, areas = [st[others, W]], [st[others, H]], [st[others, AREA]]
    ruled: list[tuple[int, _Runs | None, _Runs | None, np.ndarray | None]] = []
    underlined: list[tuple[int, _Runs, np.ndarray, float]] = []
    ink_w = cv2.boundingRect(mask)[2]
    found_runs = []
    for i in long_ids.tolist():
        _, comp = _component(comps, i)
        hruns, vruns, ruling = _find_runs(comp, lh0, lv0, (rows, cols), stroke, cfg)
        spans = None if hruns is None else _spanning(hruns, ink_w, cfg)
        found_runs.append((i, comp, hruns, vruns, ruling, spans))
    # Lines across the ink: ruled paper shows two or more; a line struck through a number, one.
    # Only rows: the uprights of 1s span the ink's height as a line would, two of them in "11".
    paired = sum(int(s.sum()) for *_, s in found_runs if s is not None) >= 2
    for i, comp, hruns, vruns, ruling, spans in found_runs:
        across = (_across(hruns, spans, comp, stroke, cfg)
                  if paired and hruns is not None and spans is not None else None)
        ruling = ruling or bool(across is not None and across.any())
        if not ruling:
            if hruns is None or (found := _underline(comp, hruns, stroke, cfg)) is None:
                continue
            under, rel, pieces = found
            underlined.append((i, hruns, under, rel))
        else:
            ruled.append((i, hruns, vruns, across))
            rest = comp
            if hruns is not None:
                rest = cv2.subtract(rest, hruns.mask)
            if vruns is not None:
                rest = cv2.subtract(rest, vruns.mask.T)
            pieces = label(rest).stats[1:]
        pieces = pieces[pieces[:, AREA] >= min_area]
        widths.append(pieces[:, W])
        heights.append(pieces[:, H])
        areas.append(pieces[:, AREA])
    if not ruled and not underlined:
        return None
    typ = typical_height_of(np.concatenate(widths), np.concatenate(heights),
                            np.concatenate(areas), (rows, cols), cfg)
    lh, lv = line_lengths(mask.shape, typ, cfg)
    near_outside = None
    if page is not None:
        reach = _bar_reach(stroke)
        near_outside = cv2.dilate(cv2.bitwise_not(page), np.ones((reach, reach), np.uint8))
    out = mask.copy()
    changed = False
    for i, hruns, vruns, across in ruled:
        (x, y, w, h), comp = _component(comps, i)
        cleaned = comp
        rows_, cols_ = _lines_to_erase(hruns, vruns, across, lh, lv, comp, cfg)
        if hruns is not None and rows_.any():
            cleaned = _erase(cleaned, hruns.longer_than(1, rows_), hruns.tol, stroke, cfg)
        if vruns is not None and cols_.any():
            cleaned = _erase(cleaned.T.copy(), vruns.longer_than(1, cols_), vruns.tol, stroke, cfg).T
        if cleaned is not comp:
            near = None if near_outside is None else near_outside[y:y + h, x:x + w] > 0
            cleaned = _drop_border_bars(comp, cleaned, stroke, cfg, near)
            gone = (comp > 0) & (cleaned == 0)
            if gone.any():
                out[y:y + h, x:x + w][gone] = 0
                changed = True
    # Underlines: long next to the digits' height, erased with the strokes that cross them
    # mended, and no bars dropped (a digit's upright standing on its underline stays).
    for i, hruns, under, rel in underlined:
        (x, y, w, h), comp = _component(comps, i)
        line = hruns.longer_than(int(np.ceil(rel * typ)), under)
        if line.any():
            gone = (comp > 0) & (_erase(comp, line, hruns.tol, stroke, cfg) == 0)
            out[y:y + h, x:x + w][gone] = 0
            changed = changed or bool(gone.any())
    return out if changed else None


def box_filter(boxes: np.ndarray, areas: np.ndarray, typ: float | np.ndarray,
               image_shape: tuple[int, int], cfg: PipelineConfig = DEFAULT_CONFIG,
               stroke: float = 0.0) -> np.ndarray:
    """Boolean keep-mask over candidate boxes (n x 4 ``x, y, w, h``) with ink ``areas``:
    height relative to the typical height (of the image, or one per box) and to the image,
    width/height ratio (wider for a digit-tall string of touching digits when the
    segmentation graph is on), fill (of strokes ``stroke`` px wide, widened to
    ``min_ink_stroke_rel`` of the box's height; 0: unknown, as they are)."""
    if boxes.shape[0] == 0:
        return np.zeros(0, bool)
    w = boxes[:, 2].astype(np.float64)
    h = boxes[:, 3].astype(np.float64)
    typ = np.asarray(typ, np.float64)
    min_h = np.maximum(max(cfg.min_height_px, cfg.min_height_rel_image * max(image_shape)),
                       cfg.min_height_rel_typical * typ)
    keep = h >= min_h
    keep &= (typ <= 0) | (h <= cfg.max_height_rel_typical * typ)
    # A piece wider than a digit may be a string of touching digits: the segmentation
    # graph reads it when it is as tall as the digits around it.
    string = bool(cfg.graph) & (h >= cfg.graph_string_min_height_rel * typ) & (
        w <= cfg.graph_string_max_aspect * h)
    keep &= (w <= cfg.max_aspect * h) | string
    fill = areas / np.maximum(w * h, 1.0)
    # A hairline's fill as the same digit drawn with a pen would have it (not for blots).
    widened = fill * np.maximum(1.0, cfg.min_ink_stroke_rel * h / stroke) if stroke > 0 else fill
    keep &= widened >= cfg.min_ink_ratio
    squareness = np.minimum(w, h) / np.maximum(np.maximum(w, h), 1.0)
    keep &= ~((fill > cfg.blob_ink_ratio) & (squareness > cfg.blob_min_squareness))
    return keep


def touches_edge(boxes: np.ndarray, image_shape: tuple[int, int]) -> np.ndarray:
    """Per box (bool; boxes n x 4 ``x, y, w, h``): it touches the edge of an image of
    ``image_shape`` (rows, cols)."""
    x, y, w, h = (boxes[:, k] for k in range(4))
    rows, cols = image_shape
    edge: np.ndarray = (x <= 0) | (y <= 0) | (x + w >= cols) | (y + h >= rows)
    return edge


def cut_off(boxes: np.ndarray, typ: float, image_shape: tuple[int, int],
            cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Boolean mask over boxes (n x 4 ``x, y, w, h``): touching the image's edge and taller
    than ``edge_max_height_rel_typical`` times the image's typical height ``typ``, or a
    straight bar (``edge_bar_min_elongation`` times longer than wide) running into the edge
    or along it: the border of a sheet or of a frame, seen cut off, not a "1"."""
    w, h = boxes[:, 2], boxes[:, 3]
    edge = touches_edge(boxes, image_shape)
    bar = (h >= cfg.edge_bar_min_elongation * w) | (w >= cfg.edge_bar_min_elongation * h)
    bars: np.ndarray = edge & (bar | ((typ > 0) & (h > cfg.edge_max_height_rel_typical * typ)))
    return bars


def pieces_in_loop(sub: np.ndarray, outer: int, pieces: np.ndarray) -> int:
    """How many of the components ``pieces`` lie wholly inside a hole of component ``outer``.

    ``sub`` is an HxW int32 label image (a box of :attr:`Components.labels`); a hole is
    background that ``outer`` encloses (not reachable from the box's border around it).
    """
    ring = np.zeros((sub.shape[0] + 2, sub.shape[1] + 2), np.uint8)
    ring[1:-1, 1:-1] = sub == outer
    flood = np.zeros((ring.shape[0] + 2, ring.shape[1] + 2), np.uint8)
    cv2.floodFill(ring, flood, (0, 0), 2)
    holes = ring[1:-1, 1:-1] == 0
    inside = np.unique(sub[holes])
    inside = inside[(inside != 0) & (inside != outer) & np.isin(inside, pieces)]
    # Wholly inside: none of the piece's pixels in the box lies outside the holes.
    outside = np.unique(sub[~holes])
    return int(np.count_nonzero(~np.isin(inside, outside)))


def is_outline(mask: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> bool:
    """True when the ink of ``mask`` (h x w, non-zero ink) runs along all four sides of its
    box: a frame, a check box (ticked or not), never a digit."""
    h, w = mask.shape
    band = max(1, int(round(cfg.outline_band_rel * min(h, w))))
    if min(h, w) < 3 * band:
        return False
    ink = mask > 0
    sides = (ink[:band].any(axis=0), ink[-band:].any(axis=0),
             ink[:, :band].any(axis=1), ink[:, -band:].any(axis=1))
    return all(float(s.mean()) >= cfg.outline_min_side_fill for s in sides)


def is_ring(mask: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> bool:
    """True when the ink of ``mask`` (h x w, non-zero ink) is a ring: its outline and the
    largest hole in it are both circles, ellipses fitted to them at least
    ``ring_min_roundness`` as wide as long (a washer, a cup's rim; a written 0 is oval)."""
    h, w = mask.shape
    if min(h, w) < cfg.ring_min_roundness * max(h, w):  # a circle's box is square
        return False
    contours, hierarchy = cv2.findContours((mask > 0).astype(np.uint8), cv2.RETR_CCOMP,
                                           cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return False
    parent = hierarchy[0][:, 3]
    areas = np.array([cv2.contourArea(c) for c in contours])
    outer = int(np.argmax(np.where(parent < 0, areas, -1.0)))
    holes = np.nonzero(parent == outer)[0]
    if holes.size == 0:
        return False
    hole = int(holes[np.argmax(areas[holes])])
    return all(_roundness(contours[i]) >= cfg.ring_min_roundness for i in (outer, hole))


def _roundness(contour: np.ndarray) -> float:
    """Short over long axis of the ellipse fitted to ``contour`` (0 below 5 points)."""
    if len(contour) < 5:
        return 0.0
    (_, _), (a, b), _ = cv2.fitEllipse(contour)
    return float(min(a, b) / max(a, b, 1e-9))


@dataclass(frozen=True)
class BarShape:
    """The smallest rotated rectangle around a piece of ink: its sides (px, pixel centres
    plus one), the lean of its long side from upright (degrees: 0 upright, 90 lying) and
    the ink's pixel count."""

    long: float
    short: float
    lean_deg: float
    ink: int


def bar_shape(mask: np.ndarray) -> BarShape | None:
    """:class:`BarShape` of the ink of ``mask`` (h x w, non-zero ink); None below 3 pixels."""
    points = cv2.findNonZero((mask > 0).astype(np.uint8))
    if points is None or len(points) < 3:
        return None
    (_, _), (a, b), angle = cv2.minAreaRect(points)
    # OpenCV gives the angle of the side ``a`` from the x axis; the long side is a's or
    # the one at right angles to it.
    along = math.radians(angle if a >= b else angle + 90.0)
    lean = math.degrees(math.atan2(abs(math.cos(along)), abs(math.sin(along))))
    return BarShape(max(a, b) + 1.0, min(a, b) + 1.0, lean, len(points))


def is_straight_bar(mask: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> bool:
    """True when the ink of ``mask`` (h x w, non-zero ink) is one straight bar at any angle:
    its smallest rotated rectangle is ``edge_bar_min_elongation`` times longer than wide and
    the ink fills ``edge_bar_min_fill`` of it (a slanted 7 or 1 bends, or leaves it empty)."""
    return is_bar(mask, cfg.edge_bar_min_elongation, cfg)


def is_bar(mask: np.ndarray, min_elongation: float, cfg: PipelineConfig = DEFAULT_CONFIG) -> bool:
    """:func:`is_straight_bar` with ``min_elongation`` for ``edge_bar_min_elongation``."""
    bar = bar_shape(mask)
    return bar is not None and _is_bar(bar, min_elongation, cfg)


def is_stick(mask: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> bool:
    """True when the ink of ``mask`` (h x w, non-zero ink) is a straight bar (as
    :func:`is_straight_bar` fills it) leaning ``stick_min_lean_deg`` or more from upright
    and ``stick_min_elongation`` times longer than wide: a pen, a stick or a cable lying
    across the desk, never a 1 (the most slanted 1s are thicker for their length)."""
    h, w = mask.shape
    # Such a bar's box is at least tan(lean) as wide as tall, or square past 45 degrees
    # (2 px for the pixels' rounding): most digits are ruled out without measuring.
    if w + 2 < min(math.tan(math.radians(min(cfg.stick_min_lean_deg, 89.0))), 1.0) * h:
        return False
    # ... and holds at most its long side squared over its elongation in ink, its long side
    # no longer than the box's diagonal.
    if cv2.countNonZero(mask.astype(np.uint8)) * cfg.stick_min_elongation > w * w + h * h:
        return False
    bar = bar_shape(mask)
    return (bar is not None and bar.lean_deg >= cfg.stick_min_lean_deg
            and _is_bar(bar, cfg.stick_min_elongation, cfg))


def _is_bar(bar: BarShape, min_elongation: float, cfg: PipelineConfig) -> bool:
    return bool(bar.long >= min_elongation * bar.short
                and bar.ink >= cfg.edge_bar_min_fill * bar.long * bar.short)
