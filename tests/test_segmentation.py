"""Segmentation by recognition on hand-made cases: cuts, the graph, the best path, and the
recognizer reading touching and broken digits (a fake classifier where the model is not the
point, the shipped model for the end-to-end cases)."""
from __future__ import annotations

import itertools
from dataclasses import replace

import cv2
import numpy as np
import pytest

from digit_app.pipeline import PipelineConfig, find_candidates
from digit_app.pipeline.cuts import cut_paths, cut_positions, segment
from digit_app.pipeline.detect import CandidateCrop
from digit_app.pipeline.graph import Edge, best_path, edges
from digit_app.pipeline.segment import (
    Graph,
    build_graph,
    ink_gap,
    lone_pair_graph,
    path_readings,
    read_candidates,
    score,
    split_wide,
    unsure_graphs,
    wide_graphs,
)
from digit_app.types import NOT_A_DIGIT, NUM_CLASSES

CFG = PipelineConfig(graph_pairs=False)  # the column-cut graph alone; pair edges: test_pair_reader.py


def _canvas(w: int = 400, h: int = 200) -> np.ndarray:
    return np.full((h, w), 255, np.uint8)


def two_touching_zeros() -> np.ndarray:
    img = _canvas()
    cv2.ellipse(img, (150, 100), (32, 55), 0, 0, 360, 0, 7)
    cv2.ellipse(img, (212, 100), (32, 55), 0, 0, 360, 0, 7)  # tangent to the first
    return img


def one_touching_seven() -> np.ndarray:
    img = _canvas()
    cv2.line(img, (120, 50), (125, 150), 0, 7)  # the 1
    cv2.line(img, (125, 50), (200, 50), 0, 7)  # the 7's bar starts on the 1's top
    cv2.line(img, (200, 50), (160, 150), 0, 7)
    return img


def broken_four() -> np.ndarray:
    """An open 4: its bar stops short of the upright, two pieces side by side."""
    img = _canvas()
    cv2.line(img, (172, 40), (150, 120), 0, 7)
    cv2.line(img, (150, 120), (188, 120), 0, 7)
    cv2.line(img, (200, 50), (200, 165), 0, 7)
    return img


def open_four() -> np.ndarray:
    """A 4 in two strokes as drawn with a mouse: a wide open angle (read alone, a 6) whose bar
    stops short of the upright, which starts lower and runs far below it."""
    img = _canvas(420, 300)
    cv2.polylines(img, [np.array([(190, 40), (100, 150), (234, 146)])], False, 0, 3)
    cv2.line(img, (246, 80), (262, 260), 0, 3)
    return img


def broken_five() -> np.ndarray:
    """A 5 whose hat floats off to the right."""
    img = _canvas()
    cv2.line(img, (196, 48), (238, 44), 0, 7)
    cv2.line(img, (172, 52), (166, 95), 0, 7)
    cv2.ellipse(img, (185, 125), (30, 30), 0, -150, 150, 0, 7)
    return img


def broken_two() -> np.ndarray:
    """A 2 whose stroke came apart halfway down its neck: a hook (read alone, a 7) over a
    foot as tall as the hook and wide enough to be cut on its own."""
    img = _canvas(360, 300)
    cv2.polylines(img, [np.array([(130, 80), (150, 50), (185, 42), (215, 60), (215, 95), (190, 125)])],
                  False, 0, 8)
    cv2.polylines(img, [np.array([(180, 140), (110, 215), (245, 212)])], False, 0, 8)
    return img


def _holes_and_size(img: np.ndarray) -> tuple[int, int, int]:
    """Holes, width and height of the ink of one ``32 x 32`` model input."""
    ink = (img > 0.3).astype(np.uint8)
    _, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    holes = 0 if hierarchy is None else int((hierarchy[0][:, 3] >= 0).sum())
    _x, _y, w, h = cv2.boundingRect(ink)
    return holes, w, h


def _verdict(label: int, p: float) -> np.ndarray:
    """A fake model's row: ``p`` on ``label``, the rest spread over all classes."""
    row = np.full(NUM_CLASSES, (1 - p) / NUM_CLASSES, np.float32)
    row[label] += p
    return row


def ring_classifier(batch: np.ndarray) -> np.ndarray:
    """A fake model: "0" for one closed loop about as wide as a digit, "1" for a thin
    upright stroke, "not a digit" for anything else (``N x 32 x 32 x 1 -> N x 11``)."""
    out = np.zeros((len(batch), NUM_CLASSES), np.float32)
    for k, img in enumerate(batch[..., 0]):
        holes, w, h = _holes_and_size(img)
        if holes == 1 and 0.4 <= w / max(h, 1) <= 0.9:
            out[k] = _verdict(0, 0.95)
        elif w <= 0.3 * h:
            out[k] = _verdict(1, 0.9)
        else:
            out[k] = _verdict(NOT_A_DIGIT, 0.9)
    return out


def read(img: np.ndarray, predict, cfg: PipelineConfig = CFG):
    """What the recognizer does, with ``predict`` as the model: labels and boxes of the
    accepted readings, left to right."""
    (readings,) = read_candidates([find_candidates(img, cfg)], predict, cfg)
    out = [(int(np.argmax(r.probs)), r.box) for r in readings]
    return sorted([o for o in out if o[0] != NOT_A_DIGIT], key=lambda o: o[1][0])


def test_cut_found_where_two_zeros_touch_and_its_path_runs_down_the_shared_stroke():
    cand = find_candidates(two_touching_zeros(), CFG)[0]
    x0 = cand.box[0]
    cuts = cut_positions(cand.mask, cand.box[3], CFG)
    touch = 181 - x0  # the rings meet at x = 181
    assert np.abs(cuts - touch).min() <= 3
    path = cut_paths(cand.mask, cuts[[int(np.argmin(np.abs(cuts - touch)))]], cand.box[3], CFG)
    assert path.shape == (1, cand.box[3])
    assert np.abs(path[0] - touch).max() <= 3  # straight down, not around a ring


def test_pieces_cover_the_ink_exactly_once_in_reading_order():
    mask = find_candidates(two_touching_zeros(), CFG)[0].mask
    pieces, n = segment(mask, mask.shape[0], CFG)
    assert n >= 2
    assert ((pieces >= 0) == (mask > 0)).all()
    assert set(np.unique(pieces[pieces >= 0]).tolist()) == set(range(n))
    left = [np.nonzero(pieces == k)[1].min() for k in range(n)]
    assert left == sorted(left)


def test_best_path_takes_the_cheapest_cover():
    def edge(a, b):
        return Edge(a, b, (0, 0, 1, 1), np.zeros((1, 1), np.uint8))

    edges = [edge(0, 1), edge(1, 2), edge(0, 2), edge(2, 3), edge(1, 3)]
    assert best_path(3, edges, np.array([0.1, 0.5, 5.0, 0.5, 0.2])) == [0, 4]
    assert best_path(3, edges, np.array([0.1, 2.0, 0.1, 0.1, 5.0])) == [2, 3]
    assert best_path(0, [], np.zeros(0)) == []


def _path_graph(verdicts: list[tuple[int, float]]) -> Graph:
    """A graph of one piece per digit, each read as ``(class, probability)`` (the rest of the
    probability on the other classes evenly): its path is every piece on its own."""
    n = len(verdicts)
    edges = [Edge(k, k + 1, (10 * k, 0, 8, 20), np.zeros((20, 8), np.uint8)) for k in range(n)]
    probs = np.zeros((n, NUM_CLASSES), np.float32)
    for k, (label, p) in enumerate(verdicts):
        probs[k] = (1 - p) / (NUM_CLASSES - 1)
        probs[k, label] = p
    probs[2, 7] = 0.08  # the "not a digit" piece's best digit
    return Graph([0], n, edges, probs, np.zeros((n, 32, 32, 1), np.float32))


def test_a_piece_rejected_between_two_digits_of_a_path_is_read_as_its_best_digit():
    graph = _path_graph([(1, 0.95), (2, 0.9), (NOT_A_DIGIT, 0.8), (3, 0.9), (NOT_A_DIGIT, 0.8)])
    reads, _ = path_readings(graph, None, CFG)
    labels = [int(np.argmax(r.probs)) for r in reads]
    assert labels == [1, 2, 7, 3, NOT_A_DIGIT]  # the last one has no digit after it
    assert [r.forced for r in reads] == [False, False, True, False, False]
    assert reads[2].probs[NOT_A_DIGIT] == 0 and np.isclose(reads[2].probs.sum(), 1)
    never = PipelineConfig(graph_force_digit_min=1.01)
    assert int(np.argmax(path_readings(graph, None, never)[0][2].probs)) == NOT_A_DIGIT


def test_a_path_reading_is_uncut_only_where_its_edge_is_a_whole_candidate():
    graph = _path_graph([(1, 0.95), (2, 0.9), (3, 0.9)])
    graph.edges[1] = replace(graph.edges[1], whole=True)
    reads, _ = path_readings(graph, None, CFG)
    assert [r.piece for r in reads] == [True] * 3
    assert [r.uncut for r in reads] == [False, True, False]


def test_a_cut_digit_is_read_with_and_without_the_ink_beyond_its_cut_and_the_better_counts():
    # Pieces 0 | 1 of one candidate, cut at column 10: piece 1's upright stroke runs right
    # beside the cut, within one stroke width of piece 0's ink.
    pieces = np.full((40, 24), -1, np.int32)
    pieces[5:35, 4:10] = 0
    pieces[5:35, 10:14] = 1
    (e0, e01, e1) = edges(pieces, 2, np.array([0, 0]), (0, 0), 40.0, stroke=4.0, cfg=CFG)
    assert (e0.start, e0.end) == (0, 1) and e0.plain is not None
    assert e0.mask.shape[1] > e0.plain.shape[1] and (e0.plain > 0).sum() == 30 * 6
    assert e01.plain is None  # the whole candidate: no cut to share ink across
    assert e01.whole and not e0.whole and not e1.whole  # only the run of all its pieces
    assert [len(e.masks()) for e in (e0, e01, e1)] == [2, 1, 2]

    def wide_is_junk(batch):  # "1" for a narrow input, "not a digit" for a wide one
        out = np.full((len(batch), NUM_CLASSES), 0.01, np.float32)
        for k, img in enumerate(batch[..., 0]):
            cols = np.flatnonzero((img > 0.3).any(axis=0))
            out[k, 1 if cols.size and cols[-1] - cols[0] < 12 else NOT_A_DIGIT] = 0.9
        return out

    graph = Graph([0], 2, [e0, e01, e1])
    score([graph], wide_is_junk, CFG)
    assert graph.probs is not None and graph.probs.shape == (3, NUM_CLASSES)
    assert int(np.argmax(graph.probs[0])) == 1  # read from its own ink alone
    # With no ink shared (graph_cut_overlap_strokes=0), each edge is read once.
    plain = edges(pieces, 2, np.array([0, 0]), (0, 0), 40.0, 4.0,
                  PipelineConfig(graph_cut_overlap_strokes=0))
    assert all(e.plain is None for e in plain)


def test_graph_edges_hold_one_to_max_pieces_and_cut_boxes_lie_in_the_candidate():
    cands = find_candidates(two_touching_zeros(), CFG)
    (graph,) = wide_graphs(cands, CFG)
    assert all(1 <= e.end - e.start <= CFG.graph_max_pieces for e in graph.edges)
    x, y, w, h = cands[0].box
    for e in graph.edges:
        ex, ey, ew, eh = e.box
        assert x <= ex and ex + ew <= x + w and y <= ey and ey + eh <= y + h
        assert e.mask.shape[0] >= eh and e.mask.shape[1] >= ew


def test_pieces_stacked_one_over_the_other_are_judged_by_their_height_together():
    """Two pieces 40 px tall and 60 px wide, one over the other (two candidates): together
    1.5 heights of either wide, but 0.75 of their own height; a digit (a 2 come apart)."""
    pieces = np.full((80, 60), -1, np.int32)
    pieces[:40] = 0
    pieces[40:] = 1
    spans = {(e.start, e.end) for e in edges(pieces, 2, np.array([0, 1]), (0, 0), 40.0, 3.0, CFG)}
    assert (0, 2) in spans
    side = np.full((40, 120), -1, np.int32)  # the same pieces side by side: two digits
    side[:, :60] = 0
    side[:, 60:] = 1
    spans = {(e.start, e.end) for e in edges(side, 2, np.array([0, 1]), (0, 0), 40.0, 3.0, CFG)}
    assert (0, 2) not in spans
    # Each piece alone is its candidate uncut; the two together are a join.
    whole = {(e.start, e.end): e.whole for e in edges(pieces, 2, np.array([0, 1]), (0, 0), 40.0, 3.0, CFG)
             if not e.pair}
    assert whole == {(0, 1): True, (1, 2): True, (0, 2): False}


def test_a_digit_with_a_speck_merged_on_it_leaves_its_neighbours_tall_enough_to_be_digits():
    """A graph of three candidates on a 70 px line: 60 px digits beside one 120 px tall (a
    speck merged on its top). Measured against the tall one they would all be too short."""
    def piece(box: tuple[int, int, int, int]) -> CandidateCrop:
        return CandidateCrop(box, np.full((box[3], box[2]), 255, np.uint8), line_height=70.0)

    cands = [piece((0, 60, 40, 60)), piece((50, 0, 40, 120)), piece((100, 60, 40, 60))]
    graph = build_graph(cands, [0, 1, 2], set(), CFG)
    singles = {e.start: e for e in graph.edges if e.end - e.start == 1 and not e.pair}
    assert not any(e.small for e in singles.values())
    tall_alone = edges(np.full((120, 40), 0, np.int32), 1, np.array([0]), (0, 0), 120.0, 3.0, CFG)
    short = edges(np.full((60, 40), 0, np.int32), 1, np.array([0]), (0, 0), 120.0, 3.0, CFG)
    assert not tall_alone[0].small and short[0].small


def test_a_digit_may_span_five_pieces_a_five_whose_hat_was_cut_in_three():
    # Six slices of one candidate, 36 px wide under a 40 px line: the first five may be one
    # digit (a run of all six is the candidate whole, always allowed).
    pieces = np.repeat(np.arange(6, dtype=np.int32), 6)[None, :].repeat(40, axis=0)
    owner = np.zeros(6, np.int64)
    spans = {(e.start, e.end) for e in edges(pieces, 6, owner, (0, 0), 40.0, 3.0, CFG)}
    assert CFG.graph_max_pieces == 5 and (0, 5) in spans
    four = PipelineConfig(graph_max_pieces=4, graph_pairs=False)
    assert (0, 5) not in {(e.start, e.end) for e in edges(pieces, 6, owner, (0, 0), 40.0, 3.0, four)}


def test_two_touching_zeros_are_read_as_two_zeros_with_their_own_boxes():
    found = read(two_touching_zeros(), ring_classifier)
    assert [label for label, _ in found] == [0, 0]
    (_, a), (_, b) = found
    assert abs((a[0] + a[2] / 2) - 150) <= 8 and abs((b[0] + b[2] / 2) - 212) <= 8
    # Without the graph the pair is one candidate, which the fake model rejects.
    assert read(two_touching_zeros(), ring_classifier, PipelineConfig(graph=False)) == []


def test_no_graph_for_what_the_print_detector_holds_for_print_on_a_printed_page():
    """A printed word the model rejects is not cut into digits, on a page where the detector
    holds ``graph_print_page_min`` candidates or more for print; on a handwritten page the
    touching pair it takes for print is cut as before."""
    cands = find_candidates(two_touching_zeros(), CFG)
    assert len(cands) == 1

    def printed(batch):
        return np.ones(len(batch), np.float32)

    def labels(cfg, predict_print):
        (reads,) = read_candidates([cands], ring_classifier, cfg, predict_print=predict_print)
        return [int(np.argmax(r.probs)) for r in reads]

    assert labels(CFG, printed) == [0, 0]  # one candidate held for print: no printed page
    form = replace(CFG, graph_print_page_min=1)
    assert labels(form, printed) == [NOT_A_DIGIT]
    assert labels(form, lambda b: np.zeros(len(b), np.float32)) == [0, 0]
    assert labels(replace(form, graph_print_skip=1.01), printed) == [0, 0]  # never asked


def test_no_graph_for_a_lone_digit_read_confidently():
    img = _canvas()
    cv2.ellipse(img, (200, 100), (30, 55), 0, 0, 360, 0, 7)
    cands = find_candidates(img, CFG)
    assert wide_graphs(cands, CFG) == []
    probs = ring_classifier(np.stack([np.zeros((32, 32, 1), np.float32)]))
    probs[0] = 0
    probs[0, 0] = 1.0
    assert unsure_graphs(cands, probs, set(), CFG) == []


def loop_classifier(batch: np.ndarray) -> np.ndarray:
    """A fake model: as :func:`ring_classifier`, but "0" (0.95) for any ink with one hole and
    "8" (0.9) for two (``N x 32 x 32 x 1 -> N x 11``)."""
    out = ring_classifier(batch)
    for k, img in enumerate(batch[..., 0]):
        holes, _w, _h = _holes_and_size(img)
        if holes in (1, 2):
            out[k] = _verdict(0, 0.95) if holes == 1 else _verdict(8, 0.9)
    return out


def two_loops(shift: int = 0, beside: bool = False) -> np.ndarray:
    """An 8 drawn as two loops that do not meet, the lower one ``shift`` px to the right;
    ``beside``: with a 1 to their right."""
    img = _canvas(400, 240)
    cv2.ellipse(img, (200, 70), (34, 30), 0, 0, 360, 0, 6)
    cv2.ellipse(img, (200 + shift, 146), (38, 34), 0, 0, 360, 0, 6)
    if beside:
        cv2.line(img, (320, 40), (320, 180), 0, 6)
    return img


def test_an_images_only_two_candidates_one_over_the_other_may_be_one_digit():
    """Two loops, each read surely as a 0, are an 8 when they are all the image holds: with
    nothing else to tell the digits' height, the model decides between one digit and two,
    and the join costs nothing."""
    (eight,) = read(two_loops(), loop_classifier)
    assert eight[0] == 8
    assert eight[1] == (159, 37, 83, 147)  # around both loops
    cands = find_candidates(two_loops(), CFG)
    assert lone_pair_graph(cands, set(), CFG) is not None
    assert lone_pair_graph(cands, {1}, CFG) is None  # a candidate in a graph already
    assert lone_pair_graph(cands, set(), CFG, np.array([True, False])) is None  # printed
    never = replace(CFG, graph_lone_pair_overlap=1.01)
    assert [label for label, _ in read(two_loops(), loop_classifier, never)] == [0, 0]


def thin_nine(gap: int) -> np.ndarray:
    """A 9 drawn with a 2 px line (as a mouse draws it, 386 px tall): its upright starts
    ``gap`` px right of its loop's rightmost point, so the two never meet, side by side."""
    img = _canvas(380, 480)
    cv2.ellipse(img, (150, 130), (80, 95), 0, 0, 360, 0, 2, cv2.LINE_AA)
    cv2.line(img, (232 + gap, 130), (232 + gap, 420), 0, 2, cv2.LINE_AA)
    return img


def nine_classifier(batch: np.ndarray) -> np.ndarray:
    """A fake model: as :func:`ring_classifier`, but "9" (0.87) for ink with one hole and
    twice as tall as wide (a loop on an upright)."""
    out = ring_classifier(batch)
    for k, img in enumerate(batch[..., 0]):
        holes, w, h = _holes_and_size(img)
        if holes == 1 and h >= 1.6 * w:
            out[k] = _verdict(9, 0.87)
    return out


def test_an_images_only_two_candidates_that_nearly_touch_may_be_one_digit():
    """A thin line's 9 whose upright missed its loop by 3 px (under ``graph_lone_pair_gap_rel``
    of its 293 px upright: 8.8 px): the model decides between one digit and two, and a 9 it
    is. The same strokes 19 px apart stay a 0 and a 1."""
    near, far = find_candidates(thin_nine(4), CFG), find_candidates(thin_nine(20), CFG)
    assert len(near) == len(far) == 2
    assert ink_gap(near[0], near[1]) == pytest.approx(3)
    assert ink_gap(far[0], far[1]) == pytest.approx(19)
    assert [label for label, _ in read(thin_nine(4), nine_classifier)] == [9]
    assert [label for label, _ in read(thin_nine(20), nine_classifier)] == [0, 1]
    never = replace(CFG, graph_lone_pair_gap_rel=0.0)
    assert [label for label, _ in read(thin_nine(4), nine_classifier, never)] == [0, 1]


def test_ink_gap_is_the_distance_between_the_nearest_ink_pixels():
    mask = np.full((10, 4), 255, np.uint8)
    a = CandidateCrop((0, 0, 4, 10), mask)
    assert ink_gap(a, CandidateCrop((10, 0, 4, 10), mask)) == pytest.approx(7)  # columns 3 and 10
    assert ink_gap(a, CandidateCrop((6, 13, 4, 10), mask)) == pytest.approx(5)  # (3, 9) to (6, 13)
    assert ink_gap(a, CandidateCrop((2, 3, 4, 10), mask)) == 0  # overlapping ink
    assert ink_gap(a, CandidateCrop((10, 0, 4, 10), np.zeros((10, 4), np.uint8))) == float("inf")


@pytest.mark.parametrize("kwargs", [{"shift": 90}, {"beside": True}])
def test_loops_side_by_side_or_beside_other_writing_stay_two_digits(kwargs):
    """Loops side by side are two digits; beside a 1, the digits' height is the 1's, and
    loops half as tall, one over the other, are two lines (as merging pieces judges them)."""
    labels = [label for label, _ in read(two_loops(**kwargs), loop_classifier)]
    assert labels == ([0, 0] if "shift" in kwargs else [0, 0, 1])


@pytest.fixture(scope="module")
def shipped():
    from digit_app import Recognizer

    return Recognizer.load()


@pytest.mark.parametrize("make, text", [
    (two_touching_zeros, "00"),
    (one_touching_seven, "17"),
    (broken_four, "4"),
    (open_four, "4"),
    (broken_five, "5"),
    (broken_two, "2"),
])
def test_shipped_model_reads_touching_and_broken_digits(shipped, make, text):
    r = shipped.recognize(make())
    assert [n.text for n in r.numbers] == [text]
    assert len(r.digits) == len(text)
    boxes = [d.box for d in r.digits]
    assert all(b[0] + b[2] > a[0] + a[2] for a, b in itertools.pairwise(boxes))  # one per digit


def test_without_the_graph_the_touching_pair_and_the_open_four_are_misread(shipped):
    plain = PipelineConfig(graph=False)
    assert [n.text for n in shipped.recognize(one_touching_seven(), plain).numbers] != ["17"]
    assert [n.text for n in shipped.recognize(broken_four(), plain).numbers] != ["4"]


def test_a_wide_piece_joins_the_unsure_piece_over_it_and_only_that_one(shipped):
    """The foot of the broken 2 is cut on its own (too wide to stay whole); it joins the
    graph of the hook over it, whose reading as a 7 is unsure, and its own graph gives way.
    A wide candidate beside an unsure one keeps its own graph."""
    cfg = shipped.config
    cands = find_candidates(broken_two(), cfg)
    assert len(cands) == 2
    now, _ = split_wide(cands, cfg)
    unsure = np.zeros((2, NUM_CLASSES), np.float32)
    unsure[:, 7], unsure[:, NOT_A_DIGIT] = 0.6, 0.4
    (graph,) = unsure_graphs(cands, unsure, set(now), cfg)
    assert sorted(graph.members) == [0, 1]
    apart = PipelineConfig(graph_stacked_overlap=1.01)
    assert [n.text for n in shipped.recognize(broken_two(), apart).numbers] != ["2"]
    beside = _canvas(600, 200)
    cv2.line(beside, (60, 60), (100, 140), 0, 7)  # a leaning stroke, unsure
    cv2.line(beside, (112, 60), (312, 60), 0, 7)  # two 7s running together, cut at once
    cv2.line(beside, (212, 60), (172, 140), 0, 7)
    cv2.line(beside, (312, 60), (272, 140), 0, 7)
    cands = find_candidates(beside, cfg)
    now, _ = split_wide(cands, cfg)
    assert len(cands) == 2 and len(now) == 1
    assert unsure_graphs(cands, unsure, set(now), cfg) == []
    assert len(unsure_graphs(cands, unsure, set(), cfg)) == 1  # close enough to join if not cut


def test_a_short_unsure_piece_beside_a_digit_gets_a_graph_but_not_a_speck():
    """The angle of a 4 drawn in two strokes is under half the upright's height; a speck
    beside a digit is far less."""
    def piece(box: tuple[int, int, int, int]) -> CandidateCrop:
        return CandidateCrop(box, np.full((box[3], box[2]), 255, np.uint8), line_height=100.0)

    probs = np.zeros((2, NUM_CLASSES), np.float32)
    probs[0, NOT_A_DIGIT], probs[1, 1] = 1.0, 1.0
    upright = piece((165, 100, 10, 100))
    (graph,) = unsure_graphs([piece((100, 150, 60, 45)), upright], probs, set(), CFG)
    assert sorted(graph.members) == [0, 1]
    assert unsure_graphs([piece((140, 170, 20, 20)), upright], probs, set(), CFG) == []


def test_cli_json_gives_the_boxes_of_the_cut_digits(shipped, tmp_path, capsys):
    import json

    from digit_app.cli import main

    capsys.readouterr()  # the model's first conversion for LiteRT talks on stdout
    path = tmp_path / "zeros.png"
    cv2.imwrite(str(path), two_touching_zeros())
    assert main(["recognize", "--format", "json", str(path)]) == 0
    (result,) = json.loads(capsys.readouterr().out)["results"]
    digits = result["digits"]
    assert [d["label"] for d in digits] == [0, 0]
    (a, b) = (d["box"] for d in digits)
    assert a[0] < b[0] and a[2] < 100 and b[2] < 100  # each box holds one ring, not both
    assert result["numbers"][0]["text"] == "00"
    # The JSON gives each confidence to 4 places: the product of two rounded ones is off by
    # up to a unit of the fourth place.
    assert result["numbers"][0]["confidence"] == pytest.approx(
        digits[0]["confidence"] * digits[1]["confidence"], abs=2e-4)


def test_config_refuses_a_graph_without_digits():
    with pytest.raises(ValueError, match="graph_max_pieces"):
        PipelineConfig(graph_max_pieces=0)
    with pytest.raises(ValueError, match="cut_work_height"):
        PipelineConfig(cut_work_height=2)


def test_a_wide_candidate_that_may_stay_whole_waits_for_the_model_before_its_graph():
    """Up to ``graph_keep_sure_width_rel`` heights wide, a sure reading keeps a candidate
    whole, so its graph is built only when the model is unsure of it; wider, at once."""
    img = _canvas(600, 200)
    cv2.ellipse(img, (120, 100), (50, 44), 0, 0, 360, 0, 7)  # a wide 0: about 1 height wide
    cv2.line(img, (300, 60), (500, 60), 0, 7)  # two heights wide: two 7s running together?
    cv2.line(img, (400, 60), (360, 140), 0, 7)
    cv2.line(img, (500, 60), (460, 140), 0, 7)
    cands = find_candidates(img, CFG)
    assert len(cands) == 2
    now, if_unsure = split_wide(cands, CFG)
    assert [cands[i].box[0] < 200 for i in now] == [False]
    assert [cands[i].box[0] < 200 for i in if_unsure] == [True]
    sure, unsure = np.zeros((2, NUM_CLASSES), np.float32), np.zeros((2, NUM_CLASSES), np.float32)
    sure[:, 0] = 1.0
    unsure[:, 0], unsure[:, NOT_A_DIGIT] = 0.5, 0.5
    assert unsure_graphs(cands, sure, set(now), CFG) == []
    (graph,) = unsure_graphs(cands, unsure, set(now), CFG)
    assert graph.members == if_unsure


def test_a_doubted_glyph_the_pair_reader_reads_as_two_digits_is_no_letter_of_a_label():
    """Two candidates of one word, the model unsure of both, the print detector sure they are
    print: a label's letters (kept whole), unless the pair reader reads one as two whole
    digits touching (the "71" and "77" of a handwritten 7177) other than "11"; then the word
    is cut."""
    from digit_app.pipeline.graph import PAIR_LEFT, PAIR_RIGHT, PAIR_TWO
    from digit_app.pipeline.segment import _label_letters

    mask = np.full((50, 42), 255, np.uint8)
    cands = [CandidateCrop((73, 22, 42, 50), mask), CandidateCrop((120, 22, 42, 50), mask)]
    unsure = np.array([True, True])
    probs = np.array([1.0, 0.99])
    held = probs >= 0.9
    cfg = PipelineConfig()
    asked: list[int] = []

    def pairs(two: float, digits: tuple[int, int] = (7, 1)):
        def predict(x: np.ndarray) -> np.ndarray:
            asked.append(len(x))
            out = np.zeros((len(x), 21), np.float32)
            out[:, PAIR_TWO] = two
            out[:, PAIR_LEFT.start + digits[0]] = out[:, PAIR_RIGHT.start + digits[1]] = 1.0
            return out
        return predict

    assert _label_letters(cands, unsure, held, probs, cfg, pairs(0.02)).all()
    assert not _label_letters(cands, unsure, held, probs, cfg, pairs(0.95)).any()
    assert asked == [2, 2]
    # Read "11": two bars, as much the "ll" of a printed "till" or "Mill": still letters.
    assert _label_letters(cands, unsure, held, probs, cfg, pairs(0.95, (1, 1))).all()
    asked.clear()
    asked += [2, 2]
    assert _label_letters(cands, unsure, held, probs, cfg, None).all()  # no pair reader
    off = PipelineConfig(graph_print_all_pair_max=1.01)
    assert _label_letters(cands, unsure, held, probs, off, pairs(0.95)).all()
    assert asked == [2, 2]  # not asked
    lone = np.array([True, False])
    assert not _label_letters(cands, unsure, lone, probs, cfg, pairs(0.02)).any()
    assert asked == [2, 2]  # no word: not asked
