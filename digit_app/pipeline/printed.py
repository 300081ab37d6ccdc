"""Printed text versus handwriting, at the level of words and lines.

A printed word is a row of glyphs set by a machine: each letter close to the next (a small
fraction of its height: letter spacing, not a word space), all on one straight baseline or
under one straight top (x-height, cap height), of few heights. The model tells the letters
it rejects ("not a digit", or too unsure); the digit-like letters among them (the o of
"Phone", the g of "Page", the I of "Invoice") are found through their neighbours: a
candidate linked letter-to-letter to a rejected one belongs to that word.

Printed digits are print too ("Page 1", "Box 12"): digits on a printed word's baseline, one
word space after it, as tall as its capitals (the digits of a font are), and the digits set
against those. Handwriting beside a label is not on its baseline to the pixel, nor of its
font's height, so it stays handwriting.

Pure numpy on boxes ``n x 4`` (``x, y, w, h``) and per-candidate flags.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.scale import box_gap, box_overlaps, connected, grouped_weighted_median, window_pairs


def _aligned(boxes: np.ndarray, i: np.ndarray, j: np.ndarray, tol: float) -> np.ndarray:
    """Pairs sharing a baseline or a top line within ``tol`` of the taller one's height."""
    y0, h = boxes[:, 1], boxes[:, 3]
    y1 = y0 + h
    ref = tol * np.maximum(h[i], h[j])
    aligned: np.ndarray = (np.abs(y1[i] - y1[j]) <= ref) | (np.abs(y0[i] - y0[j]) <= ref)
    return aligned


def _tilted(boxes: np.ndarray, i: np.ndarray, j: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """Pairs set like letters of a rotated line (a rubber stamp, a skewed page): of one height
    (baselines and tops shifted alike, within ``print_align_rel`` of the taller), the one
    above the other by at most ``print_max_tilt_deg`` over the distance between them; or,
    their centres so, of heights within ``print_tilt_height_rel`` of the taller (a turned
    glyph's box grows with its width)."""
    x0, y0, w, h = (boxes[:, k] for k in range(4))
    bottom_shift = (y0[i] + h[i]) - (y0[j] + h[j])
    top_shift = y0[i] - y0[j]
    apart = np.abs((x0[i] + w[i] / 2) - (x0[j] + w[j] / 2))
    slope = np.tan(np.radians(cfg.print_max_tilt_deg))
    tall = np.maximum(h[i], h[j])
    tilted: np.ndarray = ((np.abs(bottom_shift - top_shift) <= cfg.print_align_rel * tall)
                          & (np.abs(bottom_shift) <= slope * apart))
    if cfg.print_tilt_height_rel > cfg.print_align_rel:
        tilted |= ((np.abs(bottom_shift - top_shift) <= cfg.print_tilt_height_rel * tall)
                   & (np.abs(bottom_shift + top_shift) / 2 <= slope * apart))
    return tilted


def letter_links(boxes: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)`` of boxes set like neighbouring letters of one printed word: side by
    side with a gap below ``print_letter_gap_rel`` of the shorter one's height, heights
    within ``print_min_height_ratio``, sharing a baseline or a top within ``print_align_rel``,
    or on a rotated line (:func:`_tilted`)."""
    boxes = np.asarray(boxes, np.int64).reshape(-1, 4)
    x0, w, h = boxes[:, 0], boxes[:, 2], boxes[:, 3]
    i, j = window_pairs(x0, x0 + w, cfg.print_letter_gap_rel * h)
    if i.size == 0:
        return i, j
    xo, yo = box_overlaps(boxes, i, j)
    short, tall = np.minimum(h[i], h[j]), np.maximum(h[i], h[j])
    aligned = _aligned(boxes, i, j, cfg.print_align_rel) | _tilted(boxes, i, j, cfg)
    keep = ((-xo <= cfg.print_letter_gap_rel * short) & (yo > 0)
            & (short >= cfg.print_min_height_ratio * tall)
            & aligned)
    return i[keep], j[keep]


def typed_letters(boxes: np.ndarray, unsure: np.ndarray, held: np.ndarray, probs: np.ndarray,
                  cfg: PipelineConfig = DEFAULT_CONFIG,
                  bars: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """Per candidate (bool N; ``boxes`` N x 4, read whole, before any is cut): a member of a
    word of them linked letter to letter (:func:`letter_links`), ``graph_print_all_min_size``
    members or more, with at least ``graph_print_all_min`` members the print detector ``held``
    for print, among them every member the model is ``unsure`` of, each at most
    ``graph_print_all_max_aspect`` times as wide as tall (one letter or two, as the detector
    knows them: it holds touching handwritten digits for print too), and none it holds for
    handwriting (``probs``, NaN where it did not look): a printed label alone, or beside a
    handwritten number, whose letters the model rejects whole and whose strokes, cut apart,
    read as 1s ("ITEM" 1 1 1 1). A bar (at most ``graph_print_bar_max_aspect`` times as wide
    as tall: an l, I or i, a 1) undoes no word, whether the model doubts it or the detector
    holds it for handwriting: the detector cannot tell a printed bar from a written one.
    ``bars``, given candidate indexes (int array), tells which of them are bars by their ink
    (bool; a slanted one, an italic I, is wider in its box); asked only of the doubted
    members and those held for handwriting of would-be words, as measuring takes time."""
    boxes = np.asarray(boxes, np.int64).reshape(-1, 4)
    n = len(boxes)
    if cfg.graph_print_all_min <= 0 or np.count_nonzero(held) < cfg.graph_print_all_min:
        return np.zeros(n, bool)  # no word can hold enough: a page of handwriting, mostly
    i, j = letter_links(boxes, cfg)
    word = connected(n, i, j)
    k = int(word.max()) + 1
    narrow = boxes[:, 2] <= cfg.graph_print_all_max_aspect * boxes[:, 3]
    letter = held & narrow
    bar = boxes[:, 2] <= cfg.graph_print_bar_max_aspect * boxes[:, 3]
    hand = held_for_handwriting(probs, cfg)
    found = ((np.bincount(word, letter, minlength=k) >= cfg.graph_print_all_min)
             & (np.bincount(word, minlength=k) >= cfg.graph_print_all_min_size))
    ask = np.flatnonzero(found[word] & ~bar & ((unsure & ~letter) | hand))
    if bars is not None and ask.size:
        bar[ask] = np.asarray(bars(ask), bool)
    found &= ((np.bincount(word, unsure & ~letter & ~bar, minlength=k) == 0)
              & (np.bincount(word, hand & ~bar, minlength=k) == 0))
    typed: np.ndarray = found[word]
    return typed


def _grow(boxes: np.ndarray, printed: np.ndarray, cap: np.ndarray, xh: np.ndarray,
          open_: np.ndarray, strokes: np.ndarray, cfg: PipelineConfig,
          tilt_open: np.ndarray) -> np.ndarray:
    """Extend ``printed`` to the ``open_`` candidates one word space from a printed one, on
    its baseline, as tall as its word's capitals (``cap``) or small letters (``xh``; both
    updated as it grows), of its stroke width. On a rotated line (:func:`_tilted`: a rubber
    stamp's "PAID 12.03.", a skewed page) only the ``tilt_open`` ones (bool per box), which
    the detector does not hold for handwriting: that looser line needs the glyph's evidence."""
    x0, y0, w, h = (boxes[:, k] for k in range(4))
    i, j = window_pairs(x0, x0 + w, cfg.print_space_rel * float(h.max()))
    if i.size == 0:
        return printed
    gap = -box_overlaps(boxes, i, j)[0]
    yo = box_overlaps(boxes, i, j)[1]
    bottom = y0 + h
    ratio = np.log(cfg.print_stroke_ratio)
    for _ in range(cfg.print_max_steps):
        grown = False
        for p, c in ((i, j), (j, i)):
            ok = printed[p] & open_[c] & ~printed[c] & (yo > 0)
            if not ok.any():
                continue
            cp, tol = cap[p], cfg.print_height_tol * cap[p]
            align = cfg.print_align_rel * cp
            # An old-style figure (the 3, 4, 5, 7 and 9 of Garamond or Georgia) hangs from the
            # x-height line below the baseline, by at most a descender.
            drop = bottom[c] - bottom[p]
            hanging = ((np.abs(y0[c] - (bottom[p] - xh[p])) <= align)
                       & (drop > 0) & (drop <= cfg.print_figure_drop_rel * cp))
            ok &= ((gap <= cfg.print_space_rel * cp)
                   & ((np.abs(drop) <= align) | hanging
                      | (_tilted(boxes, p, c, cfg) & tilt_open[c]))
                   & ((np.abs(h[c] - cp) <= tol) | (np.abs(h[c] - xh[p]) <= tol)))
            ok &= ~(_stroke_apart(strokes[c], strokes[p]) > ratio)
            if ok.any():
                printed[c[ok]] = True
                cap[c[ok]] = cp[ok]
                xh[c[ok]] = xh[p][ok]
                grown = True
        if not grown:
            break
    return printed


def _stroke_apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How far stroke widths ``a`` and ``b`` (float, px) are apart: ``|log(a / b)|`` (NaN where
    one is unknown)."""
    apart: np.ndarray = np.abs(np.log(np.maximum(a, 1e-6) / np.maximum(b, 1e-6)))
    return apart


def _without_spaced_hand(boxes: np.ndarray, i: np.ndarray, j: np.ndarray, whole: np.ndarray,
                         probs: np.ndarray, cfg: PipelineConfig) -> tuple[np.ndarray, np.ndarray]:
    """The letter links ``(i, j)`` less those joining a digit read ``whole`` (bool per box)
    that the print detector holds for handwriting (``probs`` below ``print_hand_link_max``)
    across a gap wider than ``print_hand_space_ratio`` of its word's letter spacing: print
    sets its letters evenly, and a number written after a label starts a space on."""
    if cfg.print_hand_link_max <= 0 or not i.size:
        return i, j
    with np.errstate(invalid="ignore"):
        hand = whole & (probs < cfg.print_hand_link_max)
    loose = hand[i] | hand[j]
    if not loose.any():
        return i, j
    gap = box_gap(boxes, i, j).astype(np.float64)  # letters overlap vertically: the gap across
    word = np.unique(connected(len(boxes), i, j)[i], return_inverse=True)[1]
    spacing = grouped_weighted_median(gap, np.ones(gap.size), word)[word]
    floor = cfg.print_hand_space_floor * np.minimum(boxes[i, 3], boxes[j, 3])
    keep = ~loose | (gap <= cfg.print_hand_space_ratio * np.maximum(spacing, floor))
    return i[keep], j[keep]


HANDWRITING, PRINTED_LETTER, PRINTED_DIGIT = 0, 1, 2


def printed_kinds(boxes: np.ndarray, rejected: np.ndarray,
                  cfg: PipelineConfig = DEFAULT_CONFIG,
                  strokes: np.ndarray | None = None,
                  print_probs: np.ndarray | None = None,
                  cut: np.ndarray | None = None,
                  pieces: np.ndarray | None = None,
                  cut_apart: np.ndarray | None = None,
                  cut_from_handwriting: np.ndarray | None = None) -> np.ndarray:
    """What each candidate is (int8, one per row of ``boxes``, n x 4): ``HANDWRITING``, a
    letter of a printed word (``PRINTED_LETTER``: never a digit, whatever the model read),
    or a printed digit (``PRINTED_DIGIT``), given which the model ``rejected`` (bool: "not a
    digit", or below the confidence floor) and, if known, the candidates' stroke widths
    (float, NaN where unknown).

    Words: groups of candidates linked letter to letter (:func:`letter_links`) holding a
    rejected one and at least ``print_min_letters`` members. Then, step by step, the accepted
    candidates one word space (``print_space_rel`` of the word's height) from printed ones,
    on their baseline (``print_align_rel``), ``print_digit_min_rel`` to
    ``print_digit_max_rel`` of the word's tallest letters and of the same stroke width
    (within ``print_stroke_ratio``): printed digits ("Page 1"), and digit-like letters set
    apart (the i and o of a monospaced "Section").

    ``print_probs`` (float, the print detector's probability for the first boxes; NaN where
    it did not look): a word whose members it looked at it all holds for handwriting (below
    ``print_word_hand_max``; see :func:`_handwritten_words`) is handwriting, a run of
    touching or cut handwritten digits, or a handwritten number with a digit the model
    rejected; and a digit it holds so is never grown into a label's printed digit.

    A word set like type (:func:`_set_like_type`: small letters under one x-height line, or
    capitals, on one baseline to the pixel) is print whatever the detector says of its
    letters one by one, on any page (an italic "Line" read 1 1 1 7, a lone label "Sum" read
    5 1 1 1 7 7, its u and m cut apart): a hand never sets its glyphs so.

    ``cut`` (bool, one per box) marks the digits cut out of a piece of ink the model
    rejected whole. On a page that holds a printed word already, one with a glyph read whole
    that the detector holds for print (``pieces``, bool per box, marks those read from a cut;
    default ``cut``), the cut digits the detector holds for print (``print_cut_min``) count
    as rejected letters: the N of a bold "No." cut into two 1s; so do the other digits read
    from a cut that it holds for print with ``print_piece_min`` (the G of a bold "Goods"
    whose letters touch), and the words grow over digits read from a cut whatever it says
    of them (``print_grow_over_pieces``: the p of an italic "Zip"). Handwritten digits cut
    apart (the detector holds them for handwriting), and a drawing with no printed word on
    it, keep their digits. On a page with no such word, a would-be word with two digits read
    or more and no member read whole (not ``cut_apart``) that the detector holds for print is
    handwriting (``print_word_needs_print``: a handwritten number with a piece the model
    rejected, or with digits cut out of touching ink that look like type), and so is a
    would-be word of two, one digit the detector holds for handwriting and one piece the model
    rejected.

    ``cut_apart`` (bool per box; default ``pieces``) marks the digits read from ink cut apart
    or joined, whose look is no evidence for :func:`_handwritten_words` (a graph's path may
    keep a candidate whole: that one is). ``cut_from_handwriting`` (bool per box) marks the
    digits cut out of ink the detector held for handwriting whole: no word grows over them as
    over other pieces (handwritten digits touching a label's line).
    """
    boxes = np.asarray(boxes, np.int64).reshape(-1, 4)
    rejected = np.asarray(rejected, bool)
    n = boxes.shape[0]
    if n < 2:
        return np.zeros(n, np.int8)
    probs = _per_box(print_probs, n, np.nan)
    # Read from a cut (bool per box): ``pieces``, or else the cut out of rejected ink.
    cut_out = _per_box(cut if pieces is None else pieces, n, 0) > 0
    apart = cut_out if cut_apart is None else _per_box(cut_apart, n, 0) > 0
    i, j = letter_links(boxes, cfg)
    i, j = _without_spaced_hand(boxes, i, j, ~rejected & ~apart, probs, cfg)
    word = connected(n, i, j)
    size = np.bincount(word, minlength=int(word.max()) + 1)
    letters = np.bincount(word, rejected, minlength=size.size)
    typed = _set_like_type(boxes, word, size.size, probs, apart, rejected, cfg)
    hand = (np.zeros(size.size, bool) if print_probs is None
            else _handwritten_words(word, size, probs, rejected, cfg, apart) & ~typed)
    typed_cut = typed & (np.bincount(word, apart, minlength=size.size) >= cfg.print_type_min_cut)
    is_word = (_word_of(size, letters, cfg) | typed_cut) & ~hand
    # Decided once: the words the rules below add or drop never change it (an added word
    # needs the page typeset already; a dropped one holds no glyph the detector calls print).
    typeset = print_probs is not None and _typeset(word, is_word, cut_out, probs, cfg)
    if cut is not None and typeset:
        cut = _per_box(cut, n, 0) > 0
        letters = letters + _printed_cuts(word, size.size, cut & ~rejected, probs, cfg.print_cut_min)
        letters = letters + _printed_cuts(word, size.size, cut_out & ~cut & ~rejected, probs,
                                          cfg.print_piece_min)
        is_word = (_word_of(size, letters, cfg) | typed_cut) & ~hand
    if cfg.print_word_needs_print and print_probs is not None and not typeset:
        # No printed word on the page (a drawing): a "word" with two digits read or more,
        # which the detector looked at, and no member read whole that it holds for print is
        # handwriting with a piece the model rejected.
        some_print = typed | (np.bincount(word, held_for_print(probs, cfg) & ~apart, minlength=size.size) > 0)
        looked_digits = np.bincount(word, ~rejected & ~np.isnan(probs), minlength=size.size)
        # So is a pair of a digit held for handwriting and a piece the model rejected (a
        # marker's "01" whose open 0 it doubts); a longer word keeps its letters' evidence
        # (the detector cannot tell the I of "Invoice" from a 1).
        hand_digits = np.bincount(word, ~rejected & held_for_handwriting(probs, cfg), minlength=size.size)
        hand_pair = (size == 2) & (looked_digits == 1) & (hand_digits == 1)
        is_word &= some_print | ((looked_digits < 2) & ~hand_pair)
    printed: np.ndarray = is_word[word]
    if not printed.any():
        return printed.astype(np.int8)
    # The height of the word's capitals (a font's digits are as tall): its tallest letter
    # standing on the baseline (descenders left out); in a word of small letters alone, their
    # height over ``print_x_height_rel``.
    bottom = boxes[:, 1] + boxes[:, 3]
    base = grouped_weighted_median(bottom, np.ones(n), word)[word]
    standing = bottom <= base + cfg.print_align_rel * boxes[:, 3]
    tallest = np.zeros(size.size)
    np.maximum.at(tallest, word[standing], boxes[standing, 3])
    middle = np.full(size.size, np.inf)
    np.minimum.at(middle, word, boxes[:, 3])
    small = tallest < cfg.print_ascender_rel * middle
    cap = np.where(small, middle / cfg.print_x_height_rel, tallest)[word]
    xh = middle[word]
    strokes = np.full(n, np.nan) if strokes is None else np.asarray(strokes, np.float64)
    # A digit the print detector holds for handwriting is no label's digit, however well it
    # sits after a word (a handwritten number written on a label's line, as tall as its capitals).
    hand_held = held_for_handwriting(probs, cfg)
    held = hand_held
    if cfg.print_grow_over_pieces and pieces is not None and typeset:
        held = hand_held & ~(cut_out & ~(_per_box(cut_from_handwriting, n, 0) > 0))
    open_ = ~rejected & ~held
    tilt_open = ~rejected & ~hand_held
    grown = _grow(boxes, printed.copy(), cap, xh, open_, strokes, cfg, tilt_open) & ~printed
    digits = grown & _regular(boxes, ~rejected & ~printed, cap, cfg)
    return np.where(printed, PRINTED_LETTER, np.where(digits, PRINTED_DIGIT, HANDWRITING)
                    ).astype(np.int8)


def _per_box(values: np.ndarray | None, n: int, fill: float) -> np.ndarray:
    """``values`` given for the first boxes (float64), padded with ``fill`` to all ``n``."""
    out = np.full(n, fill, np.float64)
    if values is not None:
        out[:len(values)] = values
    return out


def small_printed_words(heights: np.ndarray, print_probs: np.ndarray | None, confidence: np.ndarray,
                        numbers: Sequence[Sequence[int]], cfg: PipelineConfig = DEFAULT_CONFIG
                        ) -> np.ndarray:
    """Per digit read (bool; ``heights``, ``print_probs`` (NaN: not asked) and the model's
    ``confidence``, one per digit; ``numbers``, the digits' indexes grouped): a letter of a
    short printed word read as a number. A number of two digits or more, all shorter than
    ``small_word_height_rel`` of the median digit, the model less sure of them than
    ``small_word_confidence_max`` on average, of which the print detector holds one for print
    (``print_glyph_threshold``): "Due" read 126 in a camera frame, whose blur leaves the
    detector sure of only a letter or two, and with no other printed word beside it to
    confirm the word."""
    h = np.asarray(heights, np.float64).reshape(-1)
    out = np.zeros(len(h), bool)
    if print_probs is None or len(h) == 0 or cfg.small_word_height_rel <= 0:
        return out
    held = held_for_print(np.asarray(print_probs, np.float64), cfg)
    conf = np.asarray(confidence, np.float64)
    short = h < cfg.small_word_height_rel * float(np.median(h))
    for group in numbers:
        g = list(group)
        if (len(g) > 1 and short[g].all() and held[g].any()
                and conf[g].mean() < cfg.small_word_confidence_max):
            out[g] = True
    return out


def hairlines(strokes: Sequence[float] | np.ndarray, ok: np.ndarray,
              cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Per reading (bool N): drawn thinner than ``hand_stroke_min_rel`` of the median stroke of
    the digits read (``ok``, bool N; ``strokes`` px, NaN where unknown), when at least
    ``hand_stroke_min_count`` of them give it: the hairlines of a thin font or of a stamp's
    letters, the sides of a check box, not a digit written with the page's pens."""
    s = np.asarray(strokes, np.float64).reshape(-1)
    known = ok & np.isfinite(s)
    if cfg.hand_stroke_min_rel <= 0 or known.sum() < cfg.hand_stroke_min_count:
        return np.zeros(len(s), bool)
    thin: np.ndarray = np.isfinite(s) & (s < cfg.hand_stroke_min_rel * float(np.median(s[known])))
    return thin


def held_for_handwriting(probs: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """Per box (bool): the print detector looked at it (``probs``, NaN where it did not)
    and holds it for handwriting (below ``print_word_hand_max``)."""
    with np.errstate(invalid="ignore"):
        held: np.ndarray = probs < cfg.print_word_hand_max
    return held


def held_for_print(probs: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """Per box (bool): the print detector looked at it (``probs``, NaN where it did not)
    and holds it for print (``print_glyph_threshold`` or more)."""
    with np.errstate(invalid="ignore"):
        held: np.ndarray = probs >= cfg.print_glyph_threshold
    return held


def not_held_for_handwriting(probs: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """Per box (bool): the print detector looked at it and does not hold it for handwriting
    (``print_word_hand_max`` or more): some evidence of print."""
    looks: np.ndarray = ~np.isnan(probs) & ~held_for_handwriting(probs, cfg)
    return looks


def _word_of(size: np.ndarray, letters: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """Per group of linked letters (bool): a printed word, by its size and rejected letters."""
    found: np.ndarray = (size >= cfg.print_min_letters) & (
        (letters >= cfg.print_min_rejected) | (letters >= 0.5 * size))
    return found


def _typeset(word: np.ndarray, is_word: np.ndarray, pieces: np.ndarray, probs: np.ndarray,
             cfg: PipelineConfig) -> bool:
    """Whether the page holds a printed word that the detector confirms: one with a member
    not cut out of anything (``pieces``, bool per box: cut out) that it holds for print
    (``probs``, NaN where it did not look; ``print_glyph_threshold``). What it says of a
    piece of a cut glyph is no evidence (a handwritten 0 cut out of a touching pair can look
    like type to it)."""
    glyph = ~pieces & held_for_print(probs, cfg)
    return bool((glyph & is_word[word]).any())


def _printed_cuts(word: np.ndarray, k: int, cut: np.ndarray, probs: np.ndarray,
                  least: float) -> np.ndarray:
    """Per group of linked letters (int, ``k``): its ``cut`` members (bool per box) that the
    print detector holds for print (``probs``, at least ``least``)."""
    with np.errstate(invalid="ignore"):
        printed_cut = cut & (probs >= least)
    return np.bincount(word, printed_cut, minlength=k).astype(np.int64)


def _handwritten_words(word: np.ndarray, size: np.ndarray, probs: np.ndarray,
                       rejected: np.ndarray, cfg: PipelineConfig,
                       cut_apart: np.ndarray) -> np.ndarray:
    """Per word (bool; ``size``: its members' count, per word): the detector looked at
    ``print_word_hand_share`` of its members at least (``probs``, one per box, NaN where it
    did not look) and held each of them for handwriting; or the model read
    ``print_word_hand_digits`` of its members as digits (not ``rejected``), at least two,
    and the detector held each of those for handwriting (each of those read uncut, when two
    were; ``cut_apart``, bool per box, marks the ones read from ink cut apart or joined):
    what it says of a piece the model rejected (two touching digits, a scrawl) is no
    evidence against the digits beside it."""
    k = size.size
    looked = ~np.isnan(probs)
    hand = held_for_handwriting(probs, cfg)
    seen = np.bincount(word, looked, minlength=k)
    out: np.ndarray = ((seen > 0) & (seen >= cfg.print_word_hand_share * size)
                       & (np.bincount(word, hand, minlength=k) == seen))
    digits = looked & ~rejected
    read = np.bincount(word, digits, minlength=k)
    # Where two digits or more were read uncut, those alone are the evidence: a digit cut
    # out of a touching string can look like type to the detector (the 1 of a 71).
    uncut = digits & ~cut_apart
    judged = np.where((np.bincount(word, uncut, minlength=k) >= 2)[word], uncut, digits)
    out |= ((read >= 2) & (read >= cfg.print_word_hand_digits * size)
            & (np.bincount(word, judged & hand, minlength=k) == np.bincount(word, judged, minlength=k)))
    return out


def _glyphs(boxes: np.ndarray, word: np.ndarray, apart: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The glyphs of the words: members cut apart (``apart``, bool per box) that abut (the 1s
    cut out of one printed U) make one glyph. Per glyph: its top and bottom (float) and its
    word (int)."""
    x0, w = boxes[:, 0], boxes[:, 2]
    i, j = window_pairs(x0, x0 + w, 1)
    keep = apart[i] & apart[j] & (word[i] == word[j]) & (box_gap(boxes, i, j) <= 1)
    glyph = connected(len(boxes), i[keep], j[keep])
    m = int(glyph.max()) + 1
    top = np.full(m, np.inf)
    bottom = np.full(m, -np.inf)
    np.minimum.at(top, glyph, boxes[:, 1].astype(np.float64))
    np.maximum.at(bottom, glyph, (boxes[:, 1] + boxes[:, 3]).astype(np.float64))
    glyph_word = np.zeros(m, np.int64)
    glyph_word[glyph] = word
    return top, bottom, glyph_word


def _type_lines(top: np.ndarray, bottom: np.ndarray, of: np.ndarray, k: int,
                cfg: PipelineConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For glyphs (``top``, ``bottom`` float; ``of``: the word of each, ``k`` words), within
    ``print_type_tol`` of their word's median height: on its baseline, top on its cap line
    (its highest top), top on its x-height line (the median top of the rest,
    ``print_type_x_height_min`` to ``_max`` of the capitals' height above the baseline)."""
    ones = np.ones(top.size)
    tol = np.maximum(1.0, cfg.print_type_tol * grouped_weighted_median(bottom - top, ones, of))[of]
    base = grouped_weighted_median(bottom, ones, of)[of]
    cap = np.full(k, np.inf)
    np.minimum.at(cap, of, top)
    tall = np.abs(top - cap[of]) <= tol
    x_line = grouped_weighted_median(top, (~tall).astype(np.float64), of)[of]
    x_height = (base - x_line) / np.maximum(base - cap[of], 1.0)
    small = (~tall & (np.abs(top - x_line) <= tol)
             & (x_height >= cfg.print_type_x_height_min) & (x_height <= cfg.print_type_x_height_max))
    return np.abs(bottom - base) <= tol, tall, small


def _set_like_type(boxes: np.ndarray, word: np.ndarray, k: int, probs: np.ndarray,
                   apart: np.ndarray, rejected: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """Per word (bool; ``word``: the word of each box, n x 4, ``k`` words): set like type
    (``print_type_*``, :func:`_type_lines`), the detector holding one of its members for
    print (``probs``, NaN where it did not look). Small letters: most members stand on the
    baseline with their tops on the cap line or on the x-height line, ``print_type_min_small``
    on the latter. Capitals: every glyph (:func:`_glyphs`) on the baseline and the cap line,
    and the member held for print a digit read whole (not ``apart`` nor ``rejected``): the
    pieces of a touching string read as pairs share their rows, and what the detector says of
    a piece, or of a scrawl the model rejects, is no evidence."""
    print_held = held_for_print(probs, cfg)
    if cfg.print_type_tol <= 0 or not print_held.any():
        return np.zeros(k, bool)
    top = boxes[:, 1].astype(np.float64)
    on_base, tall, small = _type_lines(top, top + boxes[:, 3], word, k, cfg)
    set_ = on_base & (tall | small)
    count = np.bincount(word, set_, minlength=k)
    small_letters = ((count >= cfg.print_type_min_glyphs)
                     & (count >= cfg.print_type_share * np.bincount(word, minlength=k))
                     & (np.bincount(word, set_ & small, minlength=k) >= cfg.print_type_min_small)
                     & (np.bincount(word, print_held, minlength=k) > 0))
    g_top, g_bottom, of = _glyphs(boxes, word, apart)
    g_base, g_tall, _ = _type_lines(g_top, g_bottom, of, k, cfg)
    glyphs = np.bincount(of, minlength=k)
    capitals = ((glyphs >= cfg.print_type_min_glyphs)
                & (np.bincount(of, g_base & g_tall, minlength=k) == glyphs)
                & (np.bincount(word, print_held & ~apart & ~rejected, minlength=k) > 0))
    typed: np.ndarray = small_letters | capitals
    return typed


def _regular(boxes: np.ndarray, pool: np.ndarray, cap: np.ndarray,
             cfg: PipelineConfig) -> np.ndarray:
    """Per box of ``pool`` (the accepted candidates outside words): its run of neighbours
    in the pool on the line (within a word space) is set like type: heights and baselines
    within ``print_run_spread`` of the capitals. Handwritten digits that happened to match
    a label's height vary more from one to the next."""
    idx = np.flatnonzero(pool)
    out = np.zeros(boxes.shape[0], bool)
    if idx.size == 0:
        return out
    b = boxes[idx]
    x0, w = b[:, 0], b[:, 2]
    reach = cfg.print_space_rel * np.maximum(cap[idx], b[:, 3])
    i, j = window_pairs(x0, x0 + w, reach)
    keep = box_overlaps(b, i, j)[1] > 0
    run = connected(idx.size, i[keep], j[keep])
    k = int(run.max()) + 1
    spread = np.zeros(k)
    for values in (b[:, 3], b[:, 1] + b[:, 3]):  # heights, bottoms
        hi = np.full(k, -np.inf)
        lo = np.full(k, np.inf)
        np.maximum.at(hi, run, values)
        np.minimum.at(lo, run, values)
        spread = np.maximum(spread, hi - lo)
    ref = np.zeros(k)
    np.maximum.at(ref, run, np.where(cap[idx] > 0, cap[idx], b[:, 3]))
    out[idx] = (spread <= cfg.print_run_spread * ref)[run]
    return out


def printed_glyphs(kinds: np.ndarray, boxes: np.ndarray, rejected: np.ndarray,
                   print_probs: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG,
                   strokes: np.ndarray | None = None, ones: np.ndarray | None = None) -> np.ndarray:
    """``kinds`` (int8, as :func:`printed_kinds` gives them, one per row of ``boxes`` n x 4)
    with the handwriting among the first ``len(print_probs)`` boxes that the print detector
    holds for print (probability at least ``print_glyph_threshold``; NaN: not looked at) made
    ``PRINTED_DIGIT``, when the detector holds all of its run of digits for print
    (:func:`_whole_runs`) and it stands on a printed page: one holding a printed word
    (``PRINTED_LETTER``), or writing that is no digit (``rejected``, bool per box: a word, a
    label) on its line within ``print_glyph_reach`` of its height. Printed digits on a form
    are labels' ("Date ... 2024", "No. 7") and the numbers of a table's rows; a number drawn
    alone, however even its strokes, stays handwriting, and so does a handwritten number of
    which one digit looks printed. A digit parted alone from the handwriting beside it
    (:func:`_whole_runs`) is printed when the detector holds it for print with
    ``print_glyph_label_min`` and a printed word's letter of its stroke width (``strokes``,
    float per box, NaN where unknown; ``print_glyph_label_stroke_ratio``) ends at most
    ``print_glyph_label_gap`` of its heights before it: the 1 of "Page 1" with a handwritten
    number written right after it. ``ones`` (bool, one per ``print_probs``): the digits read
    as 1, a plain bar in most faces, which the detector cannot tell from a handwritten 1: in
    a run with ``print_glyph_ones_min_sure`` sure digits or more, such a 1 counts as print
    whatever the detector holds (the 1 of a stamped "4471")."""
    kinds = np.array(kinds, np.int8)
    probs = np.asarray(print_probs, np.float64)
    boxes = np.asarray(boxes, np.float64).reshape(-1, 4)
    words = np.asarray(rejected, bool) | (kinds == PRINTED_LETTER)
    hand = kinds[:len(probs)] == HANDWRITING
    sure = np.flatnonzero(held_for_print(probs, cfg) & hand)
    with np.errstate(invalid="ignore"):
        likely = np.flatnonzero((probs >= cfg.print_glyph_run_min) & hand)
    looked = ~np.isnan(probs) & hand
    if sure.size == 0 or not words.any():
        return _set_alike(kinds, boxes, strokes, looked, cfg)
    neutral = None if ones is None else np.asarray(ones, bool) & looked
    hits, alone = _whole_runs(sure, likely, boxes[:len(probs)], probs, looked, cfg, neutral)
    h, every = boxes[:, 3], np.arange(len(boxes))
    letters = kinds == PRINTED_LETTER
    if strokes is not None:
        strokes = np.asarray(strokes, np.float64)
        for i in alone:  # a label's digit by its word ("Page 1", "2 Items"), handwriting beside it
            xo, overlap = box_overlaps(boxes, np.full(every.size, i), every)
            with np.errstate(invalid="ignore"):
                same_pen = _stroke_apart(strokes, strokes[i]) <= np.log(cfg.print_glyph_label_stroke_ratio)
            if (letters & same_pen & (xo <= 0) & (-xo <= cfg.print_glyph_label_gap * h[i])
                    & (overlap >= cfg.print_glyph_line_overlap * h[i])).any():
                kinds[i] = PRINTED_DIGIT
    if letters.any():  # a printed page: every such run is print
        kinds[hits] = PRINTED_DIGIT
        return _set_alike(kinds, boxes, strokes, looked, cfg)
    for i in hits:
        xo, overlap = box_overlaps(boxes, np.full(every.size, i), every)
        beside = (words & (-xo <= cfg.print_glyph_reach * h[i])
                  & (overlap >= cfg.print_glyph_line_overlap * h[i]))
        beside[i] = False
        if beside.any():
            kinds[i] = PRINTED_DIGIT
    return _set_alike(kinds, boxes, strokes, looked, cfg)


def _set_alike(kinds: np.ndarray, boxes: np.ndarray, strokes: np.ndarray | None,
               looked: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """``kinds`` with the digits ``looked`` at (bool, one per reading: handwriting the
    detector was asked about) made ``PRINTED_DIGIT`` where they stand beside a printed digit
    set exactly like it: at most ``print_alike_gap_rel`` of its height away (letter spacing),
    top and height within ``print_alike_rel`` of its height, stroke width (``strokes``)
    within ``print_alike_stroke_ratio``. Type sets every digit of a number alike; the
    detector may still hold one of them for handwriting (the slashed 0 of a monospace
    "2024"). Handwriting written after a printed number stands a word space away."""
    if cfg.print_alike_rel <= 0 or strokes is None:
        return kinds
    cand = np.flatnonzero(looked & (kinds[:looked.size] == HANDWRITING))
    y0, h = boxes[:, 1], boxes[:, 3]
    most = np.log(cfg.print_alike_stroke_ratio)
    while cand.size:
        printed = np.flatnonzero(kinds == PRINTED_DIGIT)
        if printed.size == 0:
            break
        i, j = np.repeat(cand, printed.size), np.tile(printed, cand.size)
        xo, _ = box_overlaps(boxes, i, j)
        tol = cfg.print_alike_rel * h[j]
        with np.errstate(invalid="ignore"):
            alike = ((xo <= tol) & (-xo <= cfg.print_alike_gap_rel * h[j])
                     & (np.abs(y0[i] - y0[j]) <= tol) & (np.abs(h[i] - h[j]) <= tol)
                     & (_stroke_apart(strokes[i], strokes[j]) <= most))
        found = np.unique(i[alike])
        if found.size == 0:
            break
        kinds[found] = PRINTED_DIGIT
        cand = np.setdiff1d(cand, found, assume_unique=True)
    return kinds


def _whole_runs(sure: np.ndarray, likely: np.ndarray, boxes: np.ndarray, probs: np.ndarray,
                looked: np.ndarray, cfg: PipelineConfig, ones: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """The ``likely`` (indexes into ``boxes``, n x 4: the detector holds them for print with
    at least ``print_glyph_run_min``) whose run is all likely and holds one of the ``sure``
    (at least ``print_glyph_threshold``): a run is the handwriting candidates the detector
    looked at (``looked``, bool) set side by side on a line, each at most
    ``print_glyph_run_gap`` of the taller one's height from the next. Type is print from
    its first digit to its last, though one glyph of it may look less so ("2024": 0.8);
    handwriting that the detector mistakes for print is one digit here and there. A run is
    also parted where a likely digit meets one the detector holds for handwriting
    (``probs``, one per box): a part of ``print_glyph_split_min`` sure digits or more is
    print (a label's "101" with a handwritten "85" written just after it). Also gives the
    digits held for print with ``print_glyph_label_min`` that were parted alone (indexes).
    ``ones`` (bool per box): 1s, which count as likely in a run with
    ``print_glyph_ones_min_sure`` sure digits."""
    idx = np.flatnonzero(looked)
    b = boxes[idx]
    x0, w, h = b[:, 0], b[:, 2], b[:, 3]
    i, j = window_pairs(x0, x0 + w, cfg.print_glyph_run_gap * h)
    xo, yo = box_overlaps(b, i, j)
    tall = np.maximum(h[i], h[j])
    keep = ((-xo <= cfg.print_glyph_run_gap * tall)
            & (yo >= cfg.print_glyph_line_overlap * np.minimum(h[i], h[j])))
    i, j = i[keep], j[keep]
    hit, certain = np.isin(idx, likely), np.isin(idx, sure)
    run = connected(idx.size, i, j)
    whole = hit & _all_of(run, hit) & _any_of(run, certain)
    if ones is not None and cfg.print_glyph_ones_min_sure > 0:
        one = ones[idx] & ~hit
        sure_count = np.bincount(run, weights=certain)[run]
        whole |= ((hit | one) & _all_of(run, hit | one) & _any_of(run, one)
                  & (sure_count >= cfg.print_glyph_ones_min_sure))
    alone = np.zeros(0, np.int64)
    if cfg.print_glyph_split_min > 0:
        # Parted where print meets handwriting: a label's "101" and the "85" written after it.
        held = held_for_handwriting(probs[idx], cfg)
        parted = (hit[i] & held[j]) | (held[i] & hit[j])
        run = connected(idx.size, i[~parted], j[~parted])
        size = np.bincount(run)
        whole |= certain & _all_of(run, certain) & (size[run] >= cfg.print_glyph_split_min)
        cut_off = np.zeros(idx.size, bool)
        cut_off[i[parted]] = True
        cut_off[j[parted]] = True
        with np.errstate(invalid="ignore"):
            very = probs[idx] >= cfg.print_glyph_label_min
        alone = idx[very & ~whole & (size[run] == 1) & cut_off]
    return idx[whole], alone


def _all_of(group: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """Per member (bool): ``flag`` holds for every member of its ``group`` (int labels)."""
    out = np.ones(int(group.max()) + 1 if group.size else 0, bool)
    np.logical_and.at(out, group, flag)
    result: np.ndarray = out[group]
    return result


def _any_of(group: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """Per member (bool): ``flag`` holds for some member of its ``group`` (int labels)."""
    out = np.zeros(int(group.max()) + 1 if group.size else 0, bool)
    np.logical_or.at(out, group, flag)
    result: np.ndarray = out[group]
    return result
