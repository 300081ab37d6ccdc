"""Image -> digit candidates: binarize, label, drop specks, erase ruled lines, merge broken
strokes, filter, sort in reading order. Pure numpy/OpenCV; the model decides what each is."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from digit_app.pipeline.binarize import check_image, estimate_stroke_width, ink_and_page, speck_area
from digit_app.pipeline.components import (
    AREA,
    Components,
    along_rim,
    box_filter,
    cut_off,
    is_outline,
    is_ring,
    is_stick,
    is_straight_bar,
    label,
    pieces_in_loop,
    remove_lines,
    touches_edge,
    typical_height,
)
from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.grouping import reading_order
from digit_app.pipeline.merge import merge_pieces
from digit_app.pipeline.scale import local_heights
from digit_app.pipeline.strays import without_strays
from digit_app.pipeline.underline import without_underline
from digit_app.types import Box


@dataclass(frozen=True)
class CandidateCrop:
    """A possible digit. ``box`` is ``(x, y, w, h)`` in image pixels; ``mask`` is the
    ``h x w`` uint8 ink mask (0/255) of that box holding only this candidate's pieces (other
    ink in the box is blanked); ``line_height`` is the typical digit height around it."""

    box: Box
    mask: np.ndarray = field(compare=False, repr=False)
    line_height: float | None = None
    #: Candidates with the same number here lie in one neighbourhood of writing smaller
    #: than the image's digits (see :mod:`scale`): a small number, or printed text whose
    #: letters are the model's to spot. None for the others.
    neighbourhood: int | None = None
    #: The candidate without the dash under it (:mod:`underline`), if it has one: an
    #: underline, or a 1's foot; the model decides.
    without_underline: CandidateCrop | None = field(default=None, compare=False, repr=False)
    #: The candidate without the small pieces wholly above or below its tallest one
    #: (:mod:`strays`), if it has some and no underline: a label's letters, or a 5's hat.
    without_strays: CandidateCrop | None = field(default=None, compare=False, repr=False)


def _pieces(comps: Components, min_area: float) -> np.ndarray:
    return np.nonzero(comps.stats[1:, AREA] >= min_area)[0] + 1


def _a_drawing(sub: np.ndarray, outer: int, ids: np.ndarray, cfg: PipelineConfig) -> bool:
    """More separate pieces inside a loop of the candidate's ``outer`` piece than a digit has
    (``cfg.max_pieces_in_loop``): a face, not a zero."""
    present = np.unique(sub)
    if present.size < cfg.max_pieces_in_loop + 3:  # background, outer, and more than the limit
        return False
    return pieces_in_loop(sub, outer, ids) > cfg.max_pieces_in_loop


NO_BOXES = np.zeros((0, 4), np.int64)


def find_candidates(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> list[CandidateCrop]:
    """The pieces of ink of an image that may be digits, in reading order.

    The image is binarized (:func:`binarize`), its pieces labelled, specks and ruled lines
    dropped, broken strokes merged, and what is too small, too large or too thin for a digit
    filtered out; the model decides later what each candidate is.

    Parameters
    ----------
    image : numpy.ndarray
        ``H x W``, ``H x W x 1``, ``H x W x 3`` (BGR) or ``H x W x 4`` (BGRA); ``uint8`` or
        bool. Dark ink on light paper or the reverse.
    cfg : PipelineConfig, optional
        The pipeline's thresholds (default: ``DEFAULT_CONFIG``).

    Returns
    -------
    list of CandidateCrop
        At most ``cfg.max_candidates``, in reading order; ``box`` is ``(x, y, w, h)`` in the
        image's pixels and ``mask`` the ``h x w uint8`` ink (255) of that candidate alone.
        ``[]`` for a zero-size or blank image.

    Raises
    ------
    ValueError
        For anything but a 2-D or 3-D ``uint8`` or bool array with 1, 3 or 4 channels.

    Examples
    --------
    A "1" drawn on a white 120 x 80 canvas:

    >>> import cv2
    >>> import numpy as np
    >>> canvas = np.full((120, 80), 255, np.uint8)
    >>> _ = cv2.line(canvas, (40, 20), (40, 100), color=0, thickness=6)
    >>> [c.box for c in find_candidates(canvas)]
    [(37, 17, 7, 87)]
    >>> crop = find_candidates(canvas)[0].mask
    >>> crop.shape, crop.dtype, int(crop.max())
    ((87, 7), dtype('uint8'), 255)
    >>> find_candidates(np.full((120, 80), 255, np.uint8))
    []
    >>> find_candidates(np.zeros((4, 4, 2), np.uint8))
    Traceback (most recent call last):
        ...
    ValueError: expected 1, 3 (BGR) or 4 (BGRA) channels, got 2 (shape (4, 4, 2))
    """
    return find_candidates_and_writing(image, cfg)[0]


def find_candidates_and_writing(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG
                                ) -> tuple[list[CandidateCrop], np.ndarray]:
    """:func:`find_candidates`, and the boxes (k x 4 int64 ``x, y, w, h``) of the other
    writing-sized ink that is no candidate: too wide for one digit (letters touching in a
    printed word), shorter than the digits (small letters), a solid bar inside the image
    (a printed I or l, dropped as an outline) or a ring (a round printed o). Printed words
    are told by them too (:mod:`printed`): without its I, the L of "LINE" stands a gap apart
    from the N, and reads 1."""
    image = check_image(image)
    if image.size == 0 or cfg.max_candidates == 0:
        return [], NO_BOXES
    mask, page = ink_and_page(image, cfg)  # the colours help to find a sheet in a frame
    if cv2.countNonZero(mask) == 0:
        return [], NO_BOXES
    shape = (int(mask.shape[0]), int(mask.shape[1]))
    comps = label(mask)
    stroke = estimate_stroke_width(mask)
    min_area = speck_area(shape, stroke, cfg, comps.stats[1:, AREA])
    ids = _pieces(comps, min_area)
    if ids.size == 0:
        return [], NO_BOXES
    cleaned = remove_lines(mask, comps, stroke, min_area, cfg, page)
    if cleaned is not None:
        mask = cleaned
        comps = label(mask)
        ids = _pieces(comps, min_area)
        if ids.size == 0:
            return [], NO_BOXES
    if page is not None:
        ids = np.setdiff1d(ids, along_rim(comps, page, stroke, cfg), assume_unique=True)
        if ids.size == 0:
            return [], NO_BOXES
    typ = typical_height(comps.stats, ids, shape, cfg)

    stats = comps.stats[ids]
    local, hood = local_heights(stats[:, :4], stats[:, AREA], typ, shape, cfg)
    groups = merge_pieces(stats[:, :4], local, cfg, typ)
    # Union box, ink area and typical height of every group, vectorized over the members.
    flat = np.fromiter((m for g in groups for m in g), np.int64, count=len(ids))
    starts = np.cumsum([0] + [len(g) for g in groups[:-1]])
    s = stats[flat]
    x0 = np.minimum.reduceat(s[:, 0], starts)
    y0 = np.minimum.reduceat(s[:, 1], starts)
    x1 = np.maximum.reduceat(s[:, 0] + s[:, 2], starts)
    y1 = np.maximum.reduceat(s[:, 1] + s[:, 3], starts)
    boxes = np.stack([x0, y0, x1 - x0, y1 - y0], axis=1)
    areas = np.add.reduceat(s[:, AREA], starts).astype(np.float64)
    scales = np.maximum.reduceat(local[flat], starts)
    kept = box_filter(boxes, areas, scales, shape, cfg, stroke) & ~cut_off(boxes, typ, shape, cfg)
    keep = np.nonzero(kept)[0]
    floor = max(cfg.min_height_px, cfg.min_height_rel_image * max(shape))
    writing = boxes[~kept & (boxes[:, 3] >= floor)
                    & (boxes[:, 3] <= cfg.max_height_rel_typical * scales)
                    & ~cut_off(boxes, typ, shape, cfg)]
    if keep.size > cfg.max_candidates:
        # Too many: keep the most digit-sized ones.
        ratio = np.abs(np.log(np.maximum(boxes[keep, 3], 1) / np.maximum(scales[keep], 1.0)))
        keep = np.sort(keep[np.argsort(ratio, kind="stable")[: cfg.max_candidates]])
    if keep.size == 0:
        return [], writing

    labels = comps.labels
    at_edge = touches_edge(boxes, shape)
    out: list[CandidateCrop] = []
    dropped: list[int] = []  # writing that is no candidate
    for k in (int(keep[i]) for i in reading_order(boxes[keep], cfg)):
        x, y, w, h = (int(v) for v in boxes[k])
        sub = labels[y:y + h, x:x + w]
        members = ids[groups[k]].tolist()
        crop = sub == members[0]
        for m in members[1:]:
            crop |= sub == m
        if is_outline(crop, cfg) or (at_edge[k] and is_straight_bar(crop, cfg)):
            if not at_edge[k] and is_straight_bar(crop, cfg):
                dropped.append(k)
            continue
        if is_stick(crop, cfg):
            continue
        if is_ring(crop, cfg):  # or a printed o: other writing for the printed-word rules
            dropped.append(k)
            continue
        tallest = groups[k][int(np.argmax(stats[groups[k], 3]))]
        if _a_drawing(sub, int(ids[tallest]), ids, cfg):
            continue
        near = int(hood[tallest])
        cand = CandidateCrop((x, y, w, h), crop.astype(np.uint8) * 255, float(scales[k]),
                             None if near < 0 else near)
        if len(members) > 1:
            pieces = stats[groups[k], :4]
            alone = without_underline(cand, labels, members, pieces, cfg)
            if alone is not None:
                cand = replace(cand, without_underline=alone)
            elif (bare := without_strays(cand, labels, members, pieces, cfg)) is not None:
                cand = replace(cand, without_strays=bare)
        out.append(cand)
    if dropped:
        writing = np.concatenate([writing, boxes[dropped]])
    return out, writing
