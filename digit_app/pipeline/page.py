"""Finding the sheet of paper in a frame: a webcam pointed at a page sees the desk around it.

Outside the sheet there is no handwriting, only a desk, its texture and the things lying on
it; dividing that by its own (dark) brightness amplifies its noise into "ink", and its size
then spoils the typical digit height. The page is found on the small work copy:

1. a grey closing (kernel ``page_ink_kernel_rel`` of the short side) erases the ink strokes
   and thin ruled lines, so the paper is one smooth surface;
2. the morphological gradient of that is thresholded: sharp steps (the edge of the sheet,
   the outline of a cup) are boundaries, soft shadows and light falloff are not; when no
   sheet stands out, fainter steps are tried once more, those that are sharp (most of
   the step across a wider window);
3. the regions between boundaries are labelled; thin necks are cut (a leak through a gap in
   the border); the page is the brightest large one that is convex once its holes (ink,
   printed words) are filled (brightest by its lit paper, a high percentile: a shadow
   across the sheet darkens part of it, not all).

It is used only when it is plausible: between ``page_min_area_rel`` and
``page_max_area_rel`` of the frame (a page filling the image, a canvas or a scan, needs no
mask), and mostly blank (ink covering most of a bright region is a drawing in light ink on a
dark canvas, not a sheet).
"""
from __future__ import annotations

import cv2
import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig


def _odd(n: float) -> int:
    n = max(1, int(round(n)))
    return n if n % 2 else n + 1


_K3 = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))


def find_page(small: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG,
              colour: np.ndarray | None = None) -> np.ndarray | None:
    """Mask (uint8 0/255, shape of ``small``) of the sheet of paper in the small grey work
    copy ``small`` (dark ink on light paper), or None when the whole image is the page or no
    sheet stands out. ``colour``, the same work copy in BGR (``h x w x 3 uint8``), adds the
    steps of each colour channel to the edges: a pink sheet on a tan desk differs in hue
    more than in grey."""
    sh, sw = small.shape
    if min(sh, sw) < max(8, cfg.page_min_side_px) or cfg.page_max_area_rel <= cfg.page_min_area_rel:
        return None
    k = _odd(cfg.page_ink_kernel_rel * min(sh, sw))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    smooth = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
    channels = [smooth]
    if colour is not None and colour.ndim == 3:
        closed = cv2.morphologyEx(colour, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
        channels += [closed[:, :, c] for c in range(closed.shape[2])]
    # A sharp step of the (ink-free) brightness or of one colour, larger than a fraction of
    # the brightness range across the frame, is an edge (the sheet's border); shadows are
    # softer. The range of a colour counts when the brightness alone hardly varies (a pink
    # sheet on a tan desk); with nothing varying, the page fills the image (or there is no
    # page at all).
    spreads = [_spread(channel) for channel in channels]
    least = cfg.page_min_step * 255.0
    if max(spreads) < least:
        return None
    spread = spreads[0] if spreads[0] >= least else max(spreads)
    grad = _steps(channels, 1)
    stack = cv2.merge(channels)  # h x w x (1 or 4): each pixel's grey and colour
    tolerance = max(cfg.page_edge_rel * spread, 2.0)
    page = _page_at(grad >= tolerance, stack, tolerance, cfg)
    if page is not None or not 0 < cfg.page_edge_rel_retry < cfg.page_edge_rel:
        return page
    # A second look at fainter steps, for a pale sheet on a pale desk next to a dark object
    # (which widens the range): only sharp ones, or the soft edge of a shadow across the
    # sheet would cut it in two. A step is sharp when it is most of the step across a
    # wider window.
    tolerance = max(cfg.page_edge_rel_retry * spread, 2.0)
    wide = _steps(channels, cfg.page_sharp_radius)
    sharp = grad.astype(np.float32) >= cfg.page_min_sharpness * wide
    return _page_at((grad >= tolerance) & sharp, stack, tolerance, cfg)


def _steps(channels: list[np.ndarray], radius: int) -> np.ndarray:
    """Per pixel, the largest brightness or colour step across a square window ``radius``
    pixels around it (morphological gradient, the maximum over ``channels``)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (2 * radius + 1, 2 * radius + 1))
    steps: np.ndarray = np.max([cv2.morphologyEx(c, cv2.MORPH_GRADIENT, kernel) for c in channels], axis=0)
    return steps


def _page_at(edge: np.ndarray, stack: np.ndarray, tolerance: float,
             cfg: PipelineConfig) -> np.ndarray | None:
    """The sheet bounded by the edge pixels (``edge``, ``h x w bool``), or None; ``tolerance``
    is the step that made them."""
    sh, sw = edge.shape
    edge = edge.astype(np.uint8)
    # Edges thickened: a gap in the border (a desk as bright as the paper there, the end of
    # an edge where the sheet leaves the frame) must not open the page onto the desk, and
    # the page keeps clear of the blurred band of its own border.
    g = 2 * cfg.page_edge_grow + 1
    inside = 1 - cv2.dilate(edge, cv2.getStructuringElement(cv2.MORPH_RECT, (g, g)))
    n, labels, areas = _regions(inside)
    if n < 2:
        return None
    total = float(sh * sw)
    kn = _odd(cfg.page_neck_rel * min(sh, sw))
    neck = cv2.getStructuringElement(cv2.MORPH_RECT, (kn, kn))
    best: np.ndarray | None = None
    best_key: tuple[bool, float, float] = (False, -1.0, -1.0)
    for i in np.nonzero(areas[1:] >= cfg.page_min_area_rel * total)[0] + 1:
        region = cv2.compare(labels, int(i), cv2.CMP_EQ)  # type: ignore[call-overload]  # a scalar src2 is fine; the stubs want an array
        contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        filled = np.zeros_like(region)
        cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
        # A leak through a gap of the border (often where the sheet runs out of the frame)
        # joins the sheet to the desk by a thin strip: an opening cuts such necks, and each
        # piece left is judged on its own.
        filled = cv2.morphologyEx(filled, cv2.MORPH_OPEN, neck)
        _, plabels, pareas = _regions(filled)
        for j in np.nonzero(pareas[1:] >= cfg.page_min_area_rel * total)[0] + 1:
            page = cv2.compare(plabels, int(j), cv2.CMP_EQ)  # type: ignore[call-overload]  # as above
            key = _sheet_key(page, region, stack, tolerance, total, cfg)
            if key is not None and key > best_key:
                best, best_key = page, key
    if best is None or not best_key[0] or _outshone(best, best_key[1], stack, tolerance, cfg):
        return None
    return fill_notches(best, stack, tolerance, cfg)


def fill_notches(page: np.ndarray, stack: np.ndarray, tolerance: float,
                 cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """``page`` (``h x w uint8`` 0/255) with the notches between it and its convex hull that
    are paper added: there, ink written close to the sheet's edge (erased from ``stack``,
    the ink-free grey and colours, ``h x w`` or ``h x w x c``) joined its steps to the
    border's. A notch mostly unlike the paper (beyond ``tolerance`` in any channel: less
    than ``page_notch_min_paper`` of it alike) is an object lying over the sheet's edge,
    and stays out, unless it is smaller than ``page_notch_small_rel`` of the page: then
    writing (or a shadow's edge across the sheet) carved it, and a digit there would be lost.
    In colour, paper in another light (:func:`shaded_paper`) is alike too."""
    notches = cv2.subtract(convex_fill(page), page)
    if cv2.countNonZero(notches) == 0:
        return page
    values = stack.reshape(*stack.shape[:2], -1).astype(np.float32)
    level = values[page > 0].mean(axis=0)
    where = notches > 0  # only the notches' pixels are judged
    near = values[where]
    alike = (np.abs(near - level) <= tolerance).all(axis=1)
    if values.shape[2] > 1:
        grey = np.ascontiguousarray(stack[:, :, 0])
        lit = float(_levels(grey, page, (cfg.page_bright_percentile / 100.0,))[0])
        alike |= shaded_paper(near, level, lit, tolerance, cfg)
    n, labels = cv2.connectedComponents(notches, connectivity=4)
    area = np.bincount(labels.ravel(), minlength=n)
    paper = np.bincount(labels[where], weights=alike, minlength=n)
    keep = (paper >= cfg.page_notch_min_paper * area) | (
        area < cfg.page_notch_small_rel * cv2.countNonZero(page))
    keep[0] = False
    out: np.ndarray = page.copy()
    out[keep[labels]] = 255
    return out


def shaded_paper(values: np.ndarray, level: np.ndarray, lit: float, tolerance: float,
                 cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Per pixel of ``values`` (``... x c float32``: the ink-free grey, then the colours),
    whether it is the paper (mean ``level``, ``c`` values; ``lit``, the grey of its lit part)
    in other light: every channel the paper's scaled by the pixel's grey over the paper's
    (within ``page_notch_shade_tolerance_rel`` of the edge step ``tolerance``), and its grey
    between ``page_notch_shade_min`` and ``page_notch_shade_max`` of ``lit``. A shadow
    darkens the paper's colours alike; a mean pulled down by a shadow leaves lit paper
    brighter than it. A desk or an object differs in hue, or is darker (bool ``...``)."""
    grey = values[..., 0]
    scale = grey / max(float(level[0]), 1.0)
    step = cfg.page_notch_shade_tolerance_rel * tolerance
    hue = (np.abs(values - scale[..., None] * np.asarray(level, np.float32)) <= step).all(axis=-1)
    shaded: np.ndarray = (hue & (grey >= cfg.page_notch_shade_min * lit)
                          & (grey <= cfg.page_notch_shade_max * lit))
    return shaded


def convex_fill(page: np.ndarray) -> np.ndarray:
    """``page`` (``h x w uint8`` 0/255) filled to its convex hull. A sheet is convex: a
    notch in the region found is ink written close to its edge, whose steps joined the
    border's, and that ink is on the sheet."""
    contours, _ = cv2.findContours(page, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return page
    filled = np.zeros_like(page)
    cv2.fillConvexPoly(filled, cv2.convexHull(np.concatenate(contours)), 255)
    return filled


def _regions(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """4-connected regions of a non-zero ``uint8`` mask: (count with the background, labels,
    area of each label). OpenCV's own statistics cost three times the labelling here."""
    n, labels = cv2.connectedComponents(mask, connectivity=4)
    return n, labels, np.bincount(labels.ravel(), minlength=n)


def _outshone(page: np.ndarray, level: float, stack: np.ndarray, tolerance: float,
              cfg: PipelineConfig) -> bool:
    """True when more of the frame than ``page_max_brighter_outside`` times the page's area
    lies outside it and is brighter than it (``level``, the page's paper grey) by more than
    the edge step: the sheet is the brightest flat thing in view, so a region outshone by a
    larger one is a piece of desk chosen because the sheet itself leaked out of its border."""
    grey = stack if stack.ndim == 2 else stack[:, :, 0]
    _, brighter = cv2.threshold(grey, level + tolerance, 255, cv2.THRESH_BINARY)
    outside = cv2.countNonZero(cv2.subtract(brighter, page))
    return outside > cfg.page_max_brighter_outside * cv2.countNonZero(page)


def _levels(channel: np.ndarray, mask: np.ndarray | None, shares: tuple[float, ...]) -> np.ndarray:
    """The grey levels below which the given ``shares`` (0-1) of an ``h x w uint8`` channel's
    pixels under ``mask`` (``h x w uint8``; None: all) lie, from its histogram."""
    hist = cv2.calcHist([channel], [0], mask, [256], [0, 256]).ravel()
    cum = np.cumsum(hist) / max(float(hist.sum()), 1.0)
    levels: np.ndarray = np.searchsorted(cum, shares)
    return levels


def _spread(channel: np.ndarray) -> float:
    """Range of an ``h x w uint8`` channel between its 2nd and 98th percentiles."""
    low, high = _levels(channel, None, (0.02, 0.98))
    return float(high - low)


def _sheet_key(page: np.ndarray, region: np.ndarray, stack: np.ndarray, tolerance: float,
               total: float, cfg: PipelineConfig) -> tuple[bool, float, float] | None:
    """How much ``page`` (a filled piece of ``region``) looks like the sheet: (convex,
    brightness at ``page_bright_percentile`` of its blank paper, mean brightness to break
    ties), compared as a tuple; None when it cannot be the sheet at all. ``stack`` holds the
    ink-free grey (channel 0) and colours; ``tolerance`` is the edge step. A shadow across the
    sheet darkens part of it, so its mean can fall below a pale desk's while its lit paper
    stays brighter."""
    filled = float(cv2.countNonZero(page))
    if not cfg.page_min_area_rel * total <= filled <= cfg.page_max_area_rel * total:
        return None  # a page filling the frame needs no mask; a desk around it neither
    blank = cv2.bitwise_and(region, page)
    if cv2.countNonZero(blank) < cfg.page_min_blank * filled:
        return None  # mostly "holes": a bright shape around dark areas, not a blank sheet
    channels = 1 if stack.ndim == 2 else stack.shape[2]
    levels = np.array(cv2.mean(stack, blank)[:channels])
    alike = cv2.inRange(stack, levels - tolerance, levels + tolerance)
    # The desk around a sheet reaches the frame's edge (a convex sheet cannot enclose it).
    # Where the frame's edge is all page or paper like it, the "desk" is a broad stroke
    # across a canvas (a big 7 drawn from top to bottom).
    desk = cv2.bitwise_not(cv2.bitwise_or(page, alike))
    rim = np.concatenate([desk[0], desk[-1], desk[1:-1, 0], desk[1:-1, -1]])
    if np.count_nonzero(rim) < cfg.page_min_desk_at_edge * rim.size:
        return None
    # Paper of the same brightness and colour all around: the region is enclosed by ink (the
    # inside of a big 0 drawn on a canvas), not a sheet lying on a desk.
    g = 2 * cfg.page_edge_grow + 1
    near = cv2.dilate(page, cv2.getStructuringElement(cv2.MORPH_RECT, (g, g)))
    outside = float(near.size - cv2.countNonZero(near))
    if outside > 0:
        alike_outside = float(cv2.countNonZero(alike)
                              - cv2.countNonZero(cv2.bitwise_and(alike, near)))
        if alike_outside > cfg.page_max_alike_outside * outside:
            return None
    # A sheet is convex, the desk around it (and the things on it) is not: the brightest
    # convex region is the paper. With none (a sheet run into a bright object on the desk),
    # no mask: the whole frame is read as before.
    contours, _ = cv2.findContours(page, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.convexHull(np.concatenate(contours))
    grey = stack if stack.ndim == 2 else stack[:, :, 0]
    bright = float(np.percentile(grey[blank > 0], cfg.page_bright_percentile))
    return (filled >= cfg.page_min_solidity * cv2.contourArea(hull), bright, float(levels[0]))


def page_rim(page: np.ndarray) -> np.ndarray:
    """The pixels of ``page`` (``H x W uint8`` 0/255) next to the desk around it (not those
    at the frame's edge): ink there runs off the sheet (its own edge, an object lying over
    it), it is not writing on it."""
    return cv2.subtract(page, cv2.erode(page, _K3))


def fill_outside(small: np.ndarray, page: np.ndarray, k: int) -> np.ndarray:
    """``small`` with everything outside ``page`` replaced by nearby page brightness (a grey
    dilation of the page, then the page's median further away), so the background estimate
    near the sheet's edge is not pulled down by the desk."""
    inside = page > 0
    paper = float(np.median(small[inside])) if inside.any() else 255.0
    src = np.where(inside, small, 0).astype(np.uint8)
    ext = cv2.dilate(src, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    ext = np.where(ext > 0, ext, np.uint8(round(paper)))
    return np.where(inside, small, ext).astype(np.uint8)
