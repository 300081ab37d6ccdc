"""The segmentation graph (LeCun et al. 1998, section V): pieces of ink in reading order,
every run of 1 to ``graph_max_pieces`` consecutive pieces (or of that many whole candidates)
a possible digit, and the best path through them.

A region's pieces are numbered ``0..n-1`` left to right; node ``k`` of the graph is the
boundary before piece ``k``, so every path from node 0 to node ``n`` covers the ink exactly
once. An edge ``(start, end)`` is the digit made of pieces ``start..end-1``; its cost is
``-log`` of the model's best digit probability (a piece the model calls "not a digit" is
expensive), plus ``graph_digit_cost`` per digit, plus ``graph_join_cost`` when it joins pieces of different candidates.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.types import NOT_A_DIGIT, Box

_TINY = 1e-6  # probabilities are floored here before the log
#: The pair reader's outputs, one row of ``PAIR_OUTPUTS`` per pair: the left digit's 10
#: probabilities, the right digit's 10, then the probability of two whole digits.
PAIR_LEFT, PAIR_RIGHT, PAIR_TWO = slice(0, 10), slice(10, 20), 20
PAIR_OUTPUTS = 21


@dataclass(frozen=True)
class Edge:
    """Pieces ``start..end-1`` of a region as one possible digit: its ``box`` in image
    pixels (around those pieces' ink) and the uint8 ink mask (0/255) the model reads: those
    pieces with the ink shared across their cuts (see :func:`edges`), other ink blanked."""

    start: int
    end: int
    box: Box
    mask: np.ndarray = field(compare=False, repr=False)
    joins: bool = False  # holds pieces of more than one candidate
    small: bool = False  # too short to be a digit of this region (a stroke's end, a tail)
    #: The run's own ink alone (uint8 0/255) when ``mask`` holds shared ink beyond a cut;
    #: None otherwise. The model reads both and the better reading counts: digits that
    #: touch along a stroke need it shared, digits that overlap need it left out.
    plain: np.ndarray | None = field(default=None, compare=False, repr=False)
    #: Two digits read together by the pair reader (``mask`` is the run's own ink).
    pair: bool = False
    #: The run is every piece of one candidate and nothing else: that candidate uncut.
    whole: bool = False

    def masks(self) -> list[np.ndarray]:
        """The masks the model reads for this edge: ``mask``, then ``plain`` if any."""
        return [self.mask] if self.plain is None else [self.mask, self.plain]


def piece_order(pieces: np.ndarray, n: int) -> np.ndarray:
    """Relabelling (int32, length ``n``) that numbers the pieces of the map ``pieces``
    (``H x W`` int32, -1 off the ink) by the centre of their columns, left to right."""
    _h, w = pieces.shape
    ys, xs = np.nonzero(pieces >= 0)
    lab = pieces[ys, xs]
    lo = np.full(n, w, np.int64)
    hi = np.full(n, -1, np.int64)
    np.minimum.at(lo, lab, xs)
    np.maximum.at(hi, lab, xs)
    rank = np.empty(n, np.int32)
    rank[np.argsort(lo + hi, kind="stable")] = np.arange(n, dtype=np.int32)
    return rank


def edges(pieces: np.ndarray, n: int, owner: np.ndarray, origin: tuple[int, int],
          height: float, stroke: float = 0.0,
          cfg: PipelineConfig = DEFAULT_CONFIG, digit_height: float | None = None) -> list[Edge]:
    """Every possible digit of a region: runs of 1 to ``graph_max_pieces`` consecutive
    pieces, or longer runs that are whole candidates (:func:`_whole`), at most
    ``graph_max_group_width_rel`` heights wide (single pieces always, so
    that a path exists). ``pieces`` is the region's ``H x W`` int32 map (piece number in
    reading order, -1 off the ink), ``owner`` the candidate each piece came from (``n``
    ints), ``origin`` the region's ``(x, y)`` in the image. A run shorter than
    ``graph_min_height_rel`` of ``digit_height`` (default ``height``) is ``small``: no digit.

    Where a run ends at a cut (not between two candidates), the other side's ink within
    ``graph_cut_overlap_strokes`` times ``stroke`` (px) of it goes with the run too: two
    digits touching along a stroke share it, and each needs it whole to be read.

    With ``graph_pairs``, runs of one candidate's pieces ``graph_pair_min_width_rel`` to
    ``graph_pair_max_width_rel`` heights wide are also offered as two digits read together
    (``pair`` edges, their own ink only): digits whose strokes cross cannot be cut apart."""
    _h, w = pieces.shape
    ys, xs = np.nonzero(pieces >= 0)
    lab = pieces[ys, xs]
    x0 = np.full(n, np.iinfo(np.int64).max)
    y0 = np.full(n, np.iinfo(np.int64).max)
    x1 = np.full(n, -1, np.int64)
    y1 = np.full(n, -1, np.int64)
    np.minimum.at(x0, lab, xs)
    np.minimum.at(y0, lab, ys)
    np.maximum.at(x1, lab, xs)
    np.maximum.at(y1, lab, ys)
    reach = int(round(cfg.graph_cut_overlap_strokes * stroke))
    kernel = np.ones((1, 2 * reach + 1), np.uint8)
    out: list[Edge] = []
    ox, oy = origin
    owners, per_owner = np.unique(owner, return_counts=True)
    count_of = dict(zip(owners.tolist(), per_owner.tolist()))
    widest = max(cfg.graph_max_group_width_rel, cfg.graph_pair_max_width_rel if cfg.graph_pairs else 0.0)
    # A run is judged against its own height where that is more than the region's: pieces
    # stacked one over the other (a 2 or 3 whose bottom stroke came apart) make one digit
    # twice as tall as either.
    tallest_run = max(height, float(pieces.shape[0]))
    short_of = height if digit_height is None else digit_height
    for start in range(n):
        for end in range(start + 1, n + 1):
            bx0, bx1 = int(x0[start:end].min()), int(x1[start:end].max()) + 1
            if end - start > 1 and bx1 - bx0 > widest * tallest_run:
                break
            by0, by1 = int(y0[start:end].min()), int(y1[start:end].max()) + 1
            run_height = max(height, float(by1 - by0))
            box = (ox + bx0, oy + by0, bx1 - bx0, by1 - by0)
            joins = bool(np.unique(owner[start:end]).size > 1)
            if (cfg.graph_pairs and not joins and end - start <= cfg.graph_pair_max_pieces
                    and cfg.graph_pair_min_width_rel * height <= bx1 - bx0 <= cfg.graph_pair_max_width_rel * height):
                sub = pieces[:, bx0:bx1]
                own = ((sub >= start) & (sub < end)).astype(np.uint8) * 255
                out.append(Edge(start, end, box, _tight(own), pair=True))
            if end - start > 1 and bx1 - bx0 > cfg.graph_max_group_width_rel * run_height:
                continue
            if end - start > cfg.graph_max_pieces and not _whole(owner[start:end], count_of, cfg):
                continue
            left = reach if start > 0 and owner[start - 1] == owner[start] else 0
            right = reach if end < n and owner[end] == owner[end - 1] else 0
            ex0, ex1 = max(0, bx0 - left), min(w, bx1 + right)
            sub = pieces[:, ex0:ex1]
            own = ((sub >= start) & (sub < end)).astype(np.uint8) * 255
            mask, plain = own, None
            if left or right:
                near = cv2.dilate(own, kernel)
                side = ((sub == start - 1) & bool(left)) | ((sub == end) & bool(right))
                shared = (near > 0) & side
                if shared.any():
                    mask = own.copy()
                    mask[shared] = 255
                    plain = _tight(own)
            small = by1 - by0 < cfg.graph_min_height_rel * short_of
            # The box is the run's own ink; the model also sees the shared stroke beyond it.
            whole = not joins and count_of[int(owner[start])] == end - start
            out.append(Edge(start, end, box, _tight(mask), joins, small, plain, whole=whole))
    return out


def _whole(run_owner: np.ndarray, count_of: dict[int, int], cfg: PipelineConfig) -> bool:
    """A run of more than ``graph_max_pieces`` pieces is still a possible digit when it is
    whole candidates, at most ``graph_max_pieces`` of them (a broken 4's two strokes, one of
    them cut into pieces): their pieces all in the run (``run_owner``: the candidate of each;
    ``count_of``: each candidate's piece count)."""
    owners, counts = np.unique(run_owner, return_counts=True)
    return bool(owners.size <= cfg.graph_max_pieces
                and all(count_of[int(o)] == int(c) for o, c in zip(owners, counts)))


def _tight(mask: np.ndarray) -> np.ndarray:
    """``mask`` (uint8, some ink) cropped to the box of its ink."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def edge_costs(probs: np.ndarray, graph_edges: list[Edge],
               cfg: PipelineConfig = DEFAULT_CONFIG, join_cost: float | None = None) -> np.ndarray:
    """Cost of each edge (float64) from the model's probabilities (``E x 11``): ``-log`` of
    the best digit's probability, plus ``graph_digit_cost`` (every digit of a path costs
    that much, so that a digit is not split in two pieces the model half believes), plus
    ``join_cost`` (default ``graph_join_cost``) for a join. A run too short for a digit of
    its region costs as if the model gave no digit any chance (it is kept only when nothing
    else covers it)."""
    best = probs[:, :NOT_A_DIGIT].max(axis=1) if len(probs) else np.zeros(0)
    joins = np.array([e.joins for e in graph_edges], bool)
    small = np.array([e.small for e in graph_edges], bool)
    best = np.where(small, _TINY, best)
    join = cfg.graph_join_cost if join_cost is None else join_cost
    return -np.log(np.maximum(best, _TINY)) + cfg.graph_digit_cost + join * joins


def pair_costs(pair_out: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Cost of pair edges (float64) from the pair reader's outputs (``P x 21``): ``-log`` of
    the probability of its best left and right digits as two whole digits, plus
    ``graph_pair_cost`` (the two digits' cost on a path)."""
    if not len(pair_out):
        return np.zeros(0)
    p = pair_out[:, PAIR_LEFT].max(axis=1) * pair_out[:, PAIR_RIGHT].max(axis=1) * pair_out[:, PAIR_TWO]
    cost: np.ndarray = -np.log(np.maximum(p, _TINY)) + cfg.graph_pair_cost
    return cost


def best_path(n: int, graph_edges: list[Edge], costs: np.ndarray) -> list[int]:
    """Indexes of the edges of the cheapest path from node 0 to node ``n`` (Viterbi over
    the left-to-right graph), in reading order; ``[]`` when ``n`` is 0."""
    total = np.full(n + 1, np.inf)
    total[0] = 0.0
    came = np.full(n + 1, -1, np.int64)
    by_end: dict[int, list[int]] = {}
    for k, e in enumerate(graph_edges):
        by_end.setdefault(e.end, []).append(k)
    for node in range(1, n + 1):
        for k in by_end.get(node, []):
            c = total[graph_edges[k].start] + costs[k]
            if c < total[node]:
                total[node], came[node] = c, k
    if n and came[n] < 0:
        raise ValueError("the graph has no path covering every piece")
    path: list[int] = []
    node = n
    while node > 0:
        k = int(came[node])
        path.append(k)
        node = graph_edges[k].start
    return path[::-1]
