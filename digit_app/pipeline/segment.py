"""Segmentation by recognition over the candidates of one image: which candidates get a
graph, and what is read once the model has scored it.

1. Before the model call, a candidate too wide for one digit (``graph_min_width_rel``) is
   cut (:mod:`cuts`) and its pieces make a graph (:mod:`graph`), scored in the same call as
   every candidate read whole; a wide candidate read surely whole as one digit stays so.
   Since a sure reading keeps a candidate up to ``graph_keep_sure_width_rel`` heights wide
   whole anyway, such a candidate's graph waits for the model call and is built only if
   the model is unsure of it (:func:`split_wide`): the same readings, for less work.
2. After it, a candidate the model is unsure of (below ``graph_unsure_confidence``, or
   "not a digit") gets a graph with its close neighbours, so that the pieces of a broken
   digit can be joined (a 4 whose two strokes do not meet, the left one read as a 6); each
   of them wide enough to hold two narrow digits is cut too. An image's only two
   candidates, one over the other, get a graph even when the model is sure of both
   (:func:`lone_pair_graph`): the two loops of an 8 drawn apart. These graphs are scored in
   one more call.
3. Each graph's best path gives its digits: boxes of the cut digits, the probabilities of
   their pieces.

The model is reached through ``predict`` (``N x 32 x 32 x 1 float32 -> N x 11``), and the pair
reader, if any, through ``predict_pairs`` (``N x 32 x 64 x 1 -> N x 21``), so this module stays
pure numpy/OpenCV and testable with fake models.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from digit_app.boxes import union_box
from digit_app.pipeline.alternatives import choose as choose_alternatives
from digit_app.pipeline.components import is_bar
from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.cuts import segment
from digit_app.pipeline.detect import CandidateCrop
from digit_app.pipeline.graph import (
    PAIR_LEFT,
    PAIR_OUTPUTS,
    PAIR_RIGHT,
    PAIR_TWO,
    Edge,
    best_path,
    edge_costs,
    edges,
    pair_costs,
    piece_order,
)
from digit_app.pipeline.normalize import normalize_batch, normalize_digit, normalize_pairs, stroke_width
from digit_app.pipeline.printed import held_for_handwriting, typed_letters
from digit_app.types import NOT_A_DIGIT, Box

Predict = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Reading:
    """What the model read in one crop: a candidate read whole or a digit of a graph's path.
    ``probs`` has 11 entries (float32); ``model_input`` is the ``32 x 32 float32`` input."""

    box: Box
    probs: np.ndarray = field(compare=False, repr=False)
    model_input: np.ndarray = field(compare=False, repr=False)
    neighbourhood: int | None = None
    #: Stroke width of the candidate it comes from (px; printed text has an even one).
    stroke: float = float("nan")
    #: Read from a graph's path (a piece of a candidate, pieces of several, or a candidate
    #: the path kept whole), not read whole before any graph.
    piece: bool = False
    #: The ink of one candidate, not cut apart nor joined to another's (read whole, or kept
    #: whole by a graph's path): what the print detector says of it is evidence.
    uncut: bool = True
    #: A digit cut out of a candidate the model read whole as "not a digit": for telling
    #: printed words, it counts as a rejected letter (the N of "No." cut in two 1s).
    cut_from_rejected: bool = False
    #: A digit of a graph's path over ink the print detector held for handwriting, read
    #: whole (``print_word_hand_max``): what it said of the whole holds for the pieces.
    cut_from_handwriting: bool = False
    #: Read as its best digit although the model called it "not a digit" (see
    #: ``graph_force_digit_min``): for telling printed words, still a rejected letter.
    forced: bool = False
    #: The print detector's probability for ``model_input``, when it was already asked
    #: (a candidate read whole, on a page where the model was unsure of one); NaN if not.
    print_prob: float = float("nan")


@dataclass
class Graph:
    """The graph of one region: the candidates it replaces (indexes, left to right), its
    pieces' count and edges; ``probs``/``inputs`` are filled once the edges are scored."""

    members: list[int]
    n: int
    edges: list[Edge]
    probs: np.ndarray | None = None  # E x 11 (zeros for pair edges)
    inputs: np.ndarray | None = None  # E x 32 x 32 x 1 (zeros for pair edges)
    pair_out: np.ndarray | None = None  # E x 21 (zeros for single-digit edges)
    join_cost: float | None = None  # of a join on this graph; None: ``graph_join_cost``


def _ref_height(c: CandidateCrop, cfg: PipelineConfig) -> float:
    h = float(c.box[3])
    return max(h, cfg.graph_height_rel_line * c.line_height) if c.line_height else h


def build_graph(cands: Sequence[CandidateCrop], members: list[int], cut: set[int],
                cfg: PipelineConfig = DEFAULT_CONFIG) -> Graph:
    """The graph of the candidates ``members`` (indexes into ``cands``); those in ``cut``
    are cut into pieces, the others are one piece each."""
    box = union_box([cands[i].box for i in members])
    x0, y0, w, h = box
    pieces = np.full((h, w), -1, np.int32)
    owner: list[int] = []
    height = max(_ref_height(cands[i], cfg) for i in members)
    for i in members:
        c = cands[i]
        cx, cy, cw, ch = c.box
        if i in cut:
            seg, k = segment(c.mask, _ref_height(c, cfg), cfg)
        else:
            seg, k = np.where(c.mask > 0, 0, -1).astype(np.int32), 1
        view = pieces[cy - y0:cy - y0 + ch, cx - x0:cx - x0 + cw]
        ink = seg >= 0
        view[ink] = seg[ink] + len(owner)
        owner.extend([i] * k)
    n = len(owner)
    used = np.unique(pieces[pieces >= 0])
    if used.size != n:  # a piece entirely overwritten by another candidate's ink
        relabel = np.full(n, -1, np.int32)
        relabel[used] = np.arange(used.size, dtype=np.int32)
        owner = [owner[int(u)] for u in used]
        pieces = np.where(pieces >= 0, relabel[np.maximum(pieces, 0)], -1).astype(np.int32)
        n = used.size
    rank = piece_order(pieces, n)
    pieces = np.where(pieces >= 0, rank[np.maximum(pieces, 0)], -1).astype(np.int32)
    ordered_owner = np.empty(n, np.int64)
    ordered_owner[rank] = owner
    stroke = stroke_width(np.where(pieces >= 0, 255, 0).astype(np.uint8))
    # A member taller than its line (a digit with a speck merged on it) must not make its
    # neighbours too short to be digits: the members' digit height is each one's reference
    # height up to its line's typical height.
    digit_height = None
    if len(members) > 1:
        digit_height = max(min(_ref_height(cands[i], cfg), cands[i].line_height or np.inf) for i in members)
    return Graph(sorted(members, key=lambda i: cands[i].box[0]), n,
                 edges(pieces, n, ordered_owner, (x0, y0), height, stroke, cfg, digit_height))


def wide_candidates(cands: Sequence[CandidateCrop],
                    cfg: PipelineConfig = DEFAULT_CONFIG) -> list[int]:
    """Indexes of the candidates too wide for one digit and as tall as the digits around
    them (``graph_string_min_height_rel``): each gets a graph of its own."""
    if not cfg.graph:
        return []
    out = []
    for i, c in enumerate(cands):
        # Touching digits are as tall as the digits around them; a short wide thing (a
        # word, a dash) is read whole.
        tall = not c.line_height or c.box[3] >= cfg.graph_string_min_height_rel * c.line_height
        if (c.neighbourhood is None and tall
                and c.box[2] > cfg.graph_min_width_rel * _ref_height(c, cfg)):
            out.append(i)
    return out


def split_wide(cands: Sequence[CandidateCrop],
               cfg: PipelineConfig = DEFAULT_CONFIG) -> tuple[list[int], list[int]]:
    """The wide candidates (:func:`wide_candidates`) as ``(now, if_unsure)``: those wider
    than ``graph_keep_sure_width_rel`` heights need their graph whatever the model says;
    the others only when the model is unsure of them whole (:func:`assemble` keeps a sure
    reading of them), so their graphs wait for its answer."""
    now: list[int] = []
    if_unsure: list[int] = []
    for i in wide_candidates(cands, cfg):
        c = cands[i]
        (if_unsure if _may_stay_whole(c, cfg) else now).append(i)
    return now, if_unsure


def _may_stay_whole(c: CandidateCrop, cfg: PipelineConfig) -> bool:
    """Whether a sure whole reading keeps ``c`` whole: at most ``graph_keep_sure_width_rel``
    heights wide."""
    return c.box[2] <= cfg.graph_keep_sure_width_rel * _ref_height(c, cfg)


def wide_graphs(cands: Sequence[CandidateCrop], cfg: PipelineConfig = DEFAULT_CONFIG,
                members: Sequence[int] | None = None) -> list[Graph]:
    """Graphs of ``members`` (default: every wide candidate), each cut into pieces."""
    chosen = wide_candidates(cands, cfg) if members is None else members
    return [build_graph(cands, [i], {i}, cfg) for i in chosen]


def _unsure(probs: np.ndarray, cfg: PipelineConfig) -> bool:
    label = int(np.argmax(probs))
    return label == NOT_A_DIGIT or float(probs[label]) < cfg.graph_unsure_confidence


def _gaps(a: Box, b: Box) -> tuple[int, int]:
    """Horizontal and vertical gaps between boxes ``a`` and ``b`` (0 where they overlap)."""
    dx = max(b[0] - (a[0] + a[2]), a[0] - (b[0] + b[2]), 0)
    dy = max(b[1] - (a[1] + a[3]), a[1] - (b[1] + b[3]), 0)
    return dx, dy


def _gap(a: Box, b: Box) -> float:
    return float(max(_gaps(a, b)))


def _one_over_other(a: Box, b: Box, min_overlap: float, max_aspect: float) -> bool:
    """Whether boxes ``a`` and ``b`` lie one over the other: overlapping across at least
    ``min_overlap`` of the narrower's width, together at most ``max_aspect`` times as wide
    as tall."""
    overlap = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    _, _, w, h = union_box([a, b])
    return overlap >= min_overlap * min(a[2], b[2]) and w <= max_aspect * h


def _stacked(a: Box, b: Box, cfg: PipelineConfig) -> bool:
    """:func:`_one_over_other` across ``graph_stacked_overlap``, together no wider than tall
    (a 1 over the long bar of its foot is no 2)."""
    return _one_over_other(a, b, cfg.graph_stacked_overlap, 1.0)


def _lone_stack(a: Box, b: Box, cfg: PipelineConfig) -> bool:
    """:func:`_one_over_other` as two strokes of one digit may lie: across
    ``graph_lone_pair_overlap``, at most ``graph_lone_pair_aspect`` times as wide as tall,
    and at most ``merge_max_vgap_rel`` of the taller's height apart."""
    return (_one_over_other(a, b, cfg.graph_lone_pair_overlap, cfg.graph_lone_pair_aspect)
            and _gaps(a, b)[1] <= cfg.merge_max_vgap_rel * max(a[3], b[3]))


def ink_gap(a: CandidateCrop, b: CandidateCrop) -> float:
    """The shortest distance (pixels, Euclidean, centre to centre) between the ink of
    candidates ``a`` and ``b``: 0 where their masks overlap, inf when either has no ink."""
    if not a.mask.any() or not b.mask.any():
        return float("inf")
    x0, y0, w, h = union_box([a.box, b.box])
    ax, ay, aw, ah = a.box
    bx, by, bw, bh = b.box
    # Distance of every pixel of the union box to a's nearest ink pixel, read where b has ink.
    not_a = np.full((h, w), 255, np.uint8)
    not_a[ay - y0:ay - y0 + ah, ax - x0:ax - x0 + aw][a.mask > 0] = 0
    to_a = cv2.distanceTransform(not_a, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    return float(to_a[by - y0:by - y0 + bh, bx - x0:bx - x0 + bw][b.mask > 0].min())


def _lone_touch(a: CandidateCrop, b: CandidateCrop, cfg: PipelineConfig) -> bool:
    """Whether candidates ``a`` and ``b`` nearly touch: their ink at most
    ``graph_lone_pair_gap_rel`` of the taller's height apart, together at most
    ``graph_lone_pair_aspect`` times as wide as tall (the upright of a 9 drawn with a thin
    line that just missed its loop; a pen of ordinary width would have joined them)."""
    _, _, w, h = union_box([a.box, b.box])
    reach = cfg.graph_lone_pair_gap_rel * max(a.box[3], b.box[3])
    # The ink is farther apart than the boxes: no need to measure it past that.
    if reach <= 0 or w > cfg.graph_lone_pair_aspect * h or _gap(a.box, b.box) > reach:
        return False
    return ink_gap(a, b) <= reach


def lone_pair_graph(cands: Sequence[CandidateCrop], busy: set[int],
                    cfg: PipelineConfig = DEFAULT_CONFIG,
                    printed: np.ndarray | None = None) -> Graph | None:
    """The graph of an image's only two candidates when they lie one over the other
    (:func:`_lone_stack`) or nearly touch (:func:`_lone_touch`), however sure the model is
    of each, unless one is in a graph of ``busy`` already or ``printed``: one digit drawn in
    two strokes (the loops of an 8, the angle and upright of a 4) or two digits, as the
    model reads them, the join costing ``graph_lone_pair_join_cost``. With other writing
    beside them, their typical height has merged such strokes before (:mod:`merge`), and
    digits stacked so are two lines."""
    if not cfg.graph or len(cands) != 2 or busy & {0, 1}:
        return None
    if any(c.neighbourhood is not None for c in cands) or (printed is not None and printed.any()):
        return None
    if not (_lone_stack(cands[0].box, cands[1].box, cfg) or _lone_touch(cands[0], cands[1], cfg)):
        return None
    graph = build_graph(cands, [0, 1], set(), cfg)
    if graph.n < 2:
        return None
    graph.join_cost = cfg.graph_lone_pair_join_cost
    return graph


def unsure_graphs(cands: Sequence[CandidateCrop], probs: np.ndarray, taken: set[int],
                  cfg: PipelineConfig = DEFAULT_CONFIG,
                  printed: np.ndarray | None = None) -> list[Graph]:
    """Graphs around the candidates read unsurely (``probs``: one row per candidate): each
    with its neighbours closer than ``graph_join_gap_rel`` heights, those of them wider than
    ``graph_unsure_cut_width_rel`` heights cut. Even a candidate cut into many pieces can
    join a neighbour whole (:func:`graph.edges`). A ``taken`` candidate, already in a graph
    of its own, joins only a neighbour stacked over or under it (:func:`_stacked`: the
    bottom stroke of a 2 or 3 that came apart, wide enough to be cut on its own); the
    caller drops its own graph for this one. A candidate ``printed`` marks (bool per
    candidate; None: none) gets no graph of its own."""
    if not cfg.graph:
        return []
    busy: set[int] = set()
    out = []
    for i, c in enumerate(cands):
        if i in busy or c.neighbourhood is not None or not _unsure(probs[i], cfg):
            continue
        if printed is not None and printed[i]:
            continue
        height = _ref_height(c, cfg)
        if c.line_height and c.box[3] < cfg.graph_unsure_min_height_rel * c.line_height:
            continue
        near = [j for j, d in enumerate(cands)
                if j != i and j not in busy and d.neighbourhood is None
                and _gap(c.box, d.box) <= cfg.graph_join_gap_rel * height
                and ((i not in taken and j not in taken) or _stacked(c.box, d.box, cfg))]
        if i in taken and not near:
            continue
        cut = {j for j in [i, *near]
               if cands[j].box[2] > cfg.graph_unsure_cut_width_rel * _ref_height(cands[j], cfg)}
        if not near and not cut:
            continue
        graph = build_graph(cands, [i, *near], cut, cfg)
        if graph.n < 2:
            continue
        busy.update(graph.members)
        out.append(graph)
    return out


def score(graphs: Sequence[Graph], predict: Predict, cfg: PipelineConfig = DEFAULT_CONFIG,
          crops: Sequence[np.ndarray] = (), predict_pairs: Predict | None = None
          ) -> tuple[np.ndarray, np.ndarray]:
    """Score ``crops`` (uint8 masks) and every single-digit edge of ``graphs`` in one model
    call, and their pair edges in one call of ``predict_pairs``: fills the graphs' ``probs``,
    ``inputs`` and ``pair_out`` and returns ``(inputs N x 32 x 32 x 1, probs N x 11)`` of
    ``crops``. No call when there is nothing to score."""
    every = [*crops, *(m for g in graphs for e in g.edges if not e.pair for m in e.masks())]
    inputs = normalize_batch(every, cfg.normalize)
    probs = predict(inputs) if every else np.zeros((0, NOT_A_DIGIT + 1), np.float32)
    pairs = [e.mask for g in graphs for e in g.edges if e.pair]
    pair_out = (predict_pairs(normalize_pairs(pairs, cfg.normalize)) if pairs and predict_pairs
                else np.zeros((len(pairs), PAIR_OUTPUTS), np.float32))
    start, at = len(crops), 0
    for g in graphs:
        g.probs = np.zeros((len(g.edges), NOT_A_DIGIT + 1), np.float32)
        g.inputs = np.zeros((len(g.edges), *inputs.shape[1:]), np.float32)
        g.pair_out = np.zeros((len(g.edges), PAIR_OUTPUTS), np.float32)
        for j, e in enumerate(g.edges):
            if e.pair:
                g.pair_out[j] = pair_out[at]
                at += 1
                continue
            # Of an edge's readings (with the ink shared beyond its cuts, and without), the
            # one most sure of a digit.
            k = len(e.masks())
            row = start + int(np.argmax(probs[start:start + k, :NOT_A_DIGIT].max(axis=1)))
            g.probs[j], g.inputs[j] = probs[row], inputs[row]
            start += k
    return inputs[:len(crops)], probs[:len(crops)]


def path_readings(graph: Graph, neighbourhood: int | None,
                  cfg: PipelineConfig = DEFAULT_CONFIG) -> tuple[list[Reading], float]:
    """The digits on a scored graph's best path, left to right (pieces too short for a
    digit that the path could not join to one are left out), and the path's cost."""
    assert graph.probs is not None and graph.inputs is not None
    costs = edge_costs(graph.probs, graph.edges, cfg, graph.join_cost)
    is_pair = np.array([e.pair for e in graph.edges], bool)
    if is_pair.any():
        assert graph.pair_out is not None
        costs[is_pair] = pair_costs(graph.pair_out[is_pair], cfg)
    path = best_path(graph.n, graph.edges, costs)
    found: list[tuple[Box, np.ndarray, np.ndarray]] = []
    uncut: list[bool] = []
    for k in path:
        e = graph.edges[k]
        if e.pair and graph.pair_out is not None:
            pair = _pair_digits(e, graph.pair_out[k], cfg)
            found.extend(pair)
            uncut.extend([False] * len(pair))
        elif not e.small:
            found.append((e.box, graph.probs[k], graph.inputs[k, :, :, 0]))
            uncut.append(e.whole)
    forced = _forced_between_digits([p for _, p, _ in found], cfg)
    reads = [Reading(box, _as_digit(p) if f else p, x, neighbourhood, piece=True, forced=f, uncut=u)
             for (box, p, x), f, u in zip(found, forced, uncut)]
    return reads, float(costs[path].sum())


def _pair_digits(edge: Edge, out: np.ndarray, cfg: PipelineConfig
                 ) -> list[tuple[Box, np.ndarray, np.ndarray]]:
    """The two digits of a pair edge: ``(box, 11 probabilities, 32 x 32 input)`` each, the
    box split at its middle (the reader does not say where one digit ends), the probabilities
    those of the pair reader's head with "not a digit" for "not a pair"."""
    x, y, w, h = edge.box
    half = w // 2
    boxes = [(x, y, half, h), (x + half, y, w - half, h)]
    halves = [edge.mask[:, :half], edge.mask[:, half:]]
    digits = []
    for box, part, head in zip(boxes, halves, (out[PAIR_LEFT], out[PAIR_RIGHT])):
        probs = np.append(head * out[PAIR_TWO], 1 - out[PAIR_TWO]).astype(np.float32)
        digits.append((box, probs, normalize_digit(part, cfg.normalize)))
    return digits


def _forced_between_digits(probs: Sequence[np.ndarray], cfg: PipelineConfig) -> list[bool]:
    """Per digit of a path (its 11 probabilities), whether to read it as its best digit
    although the model called it "not a digit": it stands between two digits the model read
    on the same path and that digit has at least ``graph_force_digit_min``."""
    read = [int(np.argmax(p)) != NOT_A_DIGIT for p in probs]
    return [0 < j < len(probs) - 1 and read[j - 1] and read[j + 1] and not read[j]
            and float(p[:NOT_A_DIGIT].max()) >= cfg.graph_force_digit_min
            for j, p in enumerate(probs)]


def _as_digit(probs: np.ndarray) -> np.ndarray:
    """``probs`` (11, float32) with "not a digit" taken out and the digits renormalized."""
    digits = probs.copy()
    digits[NOT_A_DIGIT] = 0
    out: np.ndarray = (digits / digits.sum()).astype(probs.dtype)
    return out


def _whole_cost(probs: np.ndarray, cfg: PipelineConfig) -> float:
    """What reading a candidate whole costs on a path (as :func:`graph.edge_costs`)."""
    return float(-np.log(max(float(probs[:NOT_A_DIGIT].max()), 1e-6)) + cfg.graph_digit_cost)


def assemble(cands: Sequence[CandidateCrop], probs: np.ndarray, inputs: np.ndarray,
             graphs: Sequence[Graph], cfg: PipelineConfig = DEFAULT_CONFIG,
             print_probs: np.ndarray | None = None) -> list[Reading]:
    """Readings of an image: candidates read whole (``probs``/``inputs`` rows, one per
    candidate) and, in place of each graph's first member, the digits of its best path. A
    graph of one candidate gives way to the candidate read whole when that reading costs
    less than the path, or is sure and the candidate not too wide for a digit
    (``graph_keep_sure_width_rel``). ``print_probs`` (one per candidate, NaN where not
    asked; None: none asked) go with the candidates read whole."""
    first = {g.members[0]: g for g in graphs}
    inside = {i for g in graphs for i in g.members}
    out: list[Reading] = []
    for i, c in enumerate(cands):
        stroke = stroke_width(c.mask)
        known = float("nan") if print_probs is None else float(print_probs[i])
        whole = Reading(c.box, probs[i], inputs[i, :, :, 0], c.neighbourhood, stroke, print_prob=known)
        if i in first:
            g = first[i]
            reads, cost = path_readings(g, c.neighbourhood, cfg)
            rejected = int(np.argmax(probs[i])) == NOT_A_DIGIT
            hand = print_probs is not None and bool(held_for_handwriting(print_probs[g.members], cfg).all())
            reads = [replace(r, stroke=stroke, cut_from_rejected=rejected, cut_from_handwriting=hand)
                     for r in reads]
            if len(g.members) == 1 and (_whole_cost(probs[i], cfg) <= cost
                                        or (_may_stay_whole(c, cfg) and not _unsure(probs[i], cfg))):
                reads = [whole]
            out.extend(reads)
        elif i not in inside:
            out.append(whole)
    return out


def read_candidates(found: Sequence[Sequence[CandidateCrop]], predict: Predict,
                    cfg: PipelineConfig = DEFAULT_CONFIG,
                    predict_pairs: Predict | None = None,
                    predict_print: Predict | None = None) -> list[list[Reading]]:
    """The readings of several images' candidates (``found``: one list per image), in two
    model calls at most: every candidate whole with the graphs needed before the model's
    answer, then the graphs of what it was unsure of. The pair reader ``predict_pairs``, if
    any, is called once in each round that has pair edges; the print detector
    ``predict_print`` (``N x 32 x 32 x 1 -> N`` print probabilities), if any, once between the
    rounds on every candidate when the model was unsure of one (:func:`_printed_on_form`); its
    answers go with the candidates read whole (``Reading.print_prob``)."""
    if predict_pairs is None:
        cfg = replace(cfg, graph_pairs=False)
    found = choose_alternatives(found, predict, cfg)  # an underline or a 1's foot; strays
    # The wide candidates that may stay whole wait for the model's answer: an unsure one
    # gets its graph with its neighbours (unsure_graphs).
    nows = [split_wide(cands, cfg)[0] for cands in found]
    wide = [wide_graphs(cands, cfg, now) for cands, now in zip(found, nows)]
    crops = [c.mask for cands in found for c in cands]
    inputs, probs = score([g for gs in wide for g in gs], predict, cfg, crops, predict_pairs)
    per_image, start = [], 0
    for cands in found:
        end = start + len(cands)
        per_image.append((probs[start:end], inputs[start:end]))
        start = end
    printed: Sequence[np.ndarray | None] = [None] * len(found)
    asked: Sequence[np.ndarray | None] = [None] * len(found)
    if predict_print is not None and cfg.graph_print_skip <= 1:
        printed, asked = _printed_on_form(per_image, predict_print, cfg, found, predict_pairs)
    unsure = []
    for k, (cands, (p, _), now) in enumerate(zip(found, per_image, nows)):
        graphs = unsure_graphs(cands, p, set(now), cfg, printed[k])
        joined = {j for g in graphs for j in g.members}
        pair = lone_pair_graph(cands, joined, cfg, printed[k])
        if pair is not None:
            graphs.append(pair)
            joined.update(pair.members)
        unsure.append(graphs)
        wide[k] = [g for g in wide[k] if g.members[0] not in joined]
    score([g for gs in unsure for g in gs], predict, cfg, predict_pairs=predict_pairs)
    return [assemble(cands, p, x, w + u, cfg, a)
            for cands, (p, x), w, u, a in zip(found, per_image, wide, unsure, asked)]


def _printed_on_form(per_image: Sequence[tuple[np.ndarray, np.ndarray]], predict_print: Predict,
                    cfg: PipelineConfig, found: Sequence[Sequence[CandidateCrop]] | None = None,
                    predict_pairs: Predict | None = None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per image (``(probs N x 11, inputs N x 32 x 32 x 1)`` of its candidates), which of them
    (bool N) the print detector holds for print with ``graph_print_skip``: those the model is
    unsure of are printed words, never cut into digits. That is, on a page where it holds at
    least ``graph_print_page_min`` candidates so (a form), and, given the candidates
    (``found``, one list per image), in a word of two of them or more, linked letter to
    letter, where it so holds every candidate the model is unsure of, each one or two letters
    wide, and none for handwriting, bars aside (:func:`printed.typed_letters`: a label alone,
    or beside a handwritten number, "ITEM" read 1 1 1 1 when cut). The detector holds touching
    handwritten digits for print too: a doubted candidate the pair reader ``predict_pairs``
    reads as two whole digits (``graph_print_all_pair_max``) is no letter. One detector call,
    on every candidate (the page's evidence), and none when the model was sure of them all
    (their graphs are not in question). Also, per image, what the detector said of each
    candidate (float N; NaN when it was not called)."""
    unsure = [np.array([_unsure(row, cfg) for row in p], bool) for p, _ in per_image]
    out = [np.zeros_like(u) for u in unsure]
    asked = [np.full(len(u), np.nan) for u in unsure]
    if not any(u.any() for u in unsure):
        return out, asked
    pp = np.asarray(predict_print(np.concatenate([x for _, x in per_image]))).reshape(-1)
    starts = np.cumsum([0, *(len(u) for u in unsure[:-1])])
    for k, (start, u) in enumerate(zip(starts, unsure)):
        asked[k] = pp[start:start + len(u)].astype(np.float64)
        held = asked[k] >= cfg.graph_print_skip
        if held.sum() >= cfg.graph_print_page_min:
            out[k] = held
        elif found is not None:
            out[k] = held & _label_letters(found[k], u, held, asked[k], cfg, predict_pairs)
    return out, asked


def _label_letters(cands: Sequence[CandidateCrop], unsure: np.ndarray, held: np.ndarray,
                   probs: np.ndarray, cfg: PipelineConfig, predict_pairs: Predict | None
                   ) -> np.ndarray:
    """:func:`printed.typed_letters` of an image's candidates (bool N), less the doubted ones
    that the pair reader ``predict_pairs`` reads as two whole digits with at least
    ``graph_print_all_pair_max`` (asked only when a word was found; those are no letters,
    and their words are then asked again)."""
    boxes = np.array([c.box for c in cands], np.int64).reshape(-1, 4)
    slim = 1.0 / max(cfg.graph_print_bar_max_aspect, 1e-9)

    def bars(ask: np.ndarray) -> np.ndarray:
        """Which of the candidates ``ask`` are bars by their ink, upright or slanted."""
        return np.array([is_bar(cands[int(k)].mask, slim, cfg) for k in ask], bool)

    letters = typed_letters(boxes, unsure, held, probs, cfg, bars)
    ask = np.flatnonzero(letters & unsure)
    if ask.size == 0 or predict_pairs is None or cfg.graph_print_all_pair_max > 1:
        return letters
    out = np.asarray(predict_pairs(normalize_pairs([cands[int(i)].mask for i in ask], cfg.normalize)))
    # Two bars side by side read "11" are as much the "ll" or "il" of a printed word.
    ones = (out[:, PAIR_LEFT].argmax(axis=1) == 1) & (out[:, PAIR_RIGHT].argmax(axis=1) == 1)
    pairs = ask[(out[:, PAIR_TWO] >= cfg.graph_print_all_pair_max) & ~ones]
    if pairs.size == 0:
        return letters
    held = held.copy()
    held[pairs] = False
    return typed_letters(boxes, unsure, held, probs, cfg, bars)
