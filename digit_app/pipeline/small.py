"""Small images: a digit cut out of a page, a data set's 28 x 28 sample, a tight crop.

Read as they are, their strokes are a pixel or two wide and their ink touches the image's
edge, where the rules for camera frames take it for a digit cut off by the frame, or for the
frame's edge. :func:`place_small` enlarges such an image and lays it in the middle of a square
of its own paper, as a page would show it; :class:`Placement` maps boxes found there back.

Larger crops of writing are told by :func:`crop_box` (cropped to the ink on every edge,
:func:`tight_crop`, or with strokes too fat for a frame's paper estimate, however cropped,
:func:`fat_crop`), and read as crops too.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from digit_app.boxes import clip, union_box
from digit_app.pipeline.binarize import MAD_TO_SIGMA, estimate_stroke_width, find_sheet, speck_area
from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.types import Box


@dataclass(frozen=True)
class Placement:
    """An image ``shape`` (rows, cols) enlarged ``factor`` times, its top left corner at
    ``(left, top)`` in the padded copy."""

    factor: int
    left: int
    top: int
    shape: tuple[int, int]

    def box_back(self, box: Box) -> Box:
        """A box ``(x, y, w, h)`` of the padded copy -> the smallest box of the image
        holding it, clipped to the image (half-open, as every box)."""
        x, y, w, h = (int(v) for v in box)
        x0, y0 = (x - self.left) // self.factor, (y - self.top) // self.factor
        x1 = -(-(x + w - self.left) // self.factor)
        y1 = -(-(y + h - self.top) // self.factor)
        rows, cols = self.shape
        return clip((x0, y0, x1 - x0, y1 - y0), cols, rows)


def place_small(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG, always: bool = False
                ) -> tuple[np.ndarray, Placement | None]:
    """``image`` (``H x W`` grey or ``H x W x C`` uint8, checked) as read: unchanged with
    None when it is empty, or (unless ``always``) when its longer side exceeds
    ``small_image_max_side``, or when it needs no enlarging and its rim is all paper (no pixel
    of it ``small_image_rim_contrast`` grey levels off the paper: a page already, read as it
    is); otherwise
    enlarged by the largest whole factor that keeps the longer side at most
    ``small_image_target_side`` (bicubic), in the middle of a square ``small_image_margin_rel``
    of that side wider all round, of its paper's colour (:func:`paper_colour`), with its
    :class:`Placement`; a grainy image is smoothed first (:func:`_smoothed_if_grainy`).
    (A square, not a margin alone: a narrow 1 enlarged is a stroke as wide as the image, and
    the paper's estimate needs room around the widest stroke.)

    >>> img = np.full((28, 20), 255, np.uint8)
    >>> big, where = place_small(img)
    >>> big.shape, where
    ((180, 180), Placement(factor=4, left=50, top=34, shape=(28, 20)))
    >>> where.box_back((50, 34, 80, 112))
    (0, 0, 20, 28)
    >>> place_small(np.zeros((200, 300), np.uint8))[1] is None
    True
    """
    rows, cols = image.shape[:2]
    longer = max(rows, cols)
    if image.size == 0 or (longer > cfg.small_image_max_side and not always):
        return image, None
    factor = max(1, cfg.small_image_target_side // longer)
    original, image = image, _smoothed_if_grainy(image, cfg)
    rim = _rim(image)
    paper = _paper_on(rim)
    if factor == 1 and not always and not _inked(rim, paper, cfg.small_image_rim_contrast):
        return original, None  # read as it is: the threshold sees its grain, and smooths it
    big = image
    if factor > 1:
        big = cv2.resize(image, (cols * factor, rows * factor), interpolation=cv2.INTER_CUBIC)
        if image.ndim == 3 and big.ndim == 2:  # OpenCV drops a single channel's axis
            big = big[:, :, None]
    side = longer * factor + 2 * int(round(cfg.small_image_margin_rel * longer * factor))
    top, left = (side - rows * factor) // 2, (side - cols * factor) // 2
    value = [int(v) for v in paper] if image.ndim == 3 else int(paper[0])
    padded = cv2.copyMakeBorder(big, top, side - rows * factor - top, left, side - cols * factor - left,
                                cv2.BORDER_CONSTANT, value=value)
    if big.ndim == 3 and padded.ndim == 2:
        padded = padded[:, :, None]
    return np.ascontiguousarray(padded), Placement(factor, left, top, (rows, cols))


def _smoothed_if_grainy(image: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """``image`` smoothed as the threshold smooths a camera frame (``denoise_sigma_px``) when
    its paper is grainy (:func:`_grain` above ``denoise_noise_level``; images at least
    ``small_image_grain_min_side`` wide), else itself. Laid on clean paper, a grainy photo's
    noise, measured over the whole copy, would look too small to the threshold, and the grain
    would turn to ink."""
    if min(image.shape[:2]) < cfg.small_image_grain_min_side or _grain(image) <= cfg.denoise_noise_level * 255:
        return image
    smooth = cv2.GaussianBlur(image, (0, 0), cfg.denoise_sigma_px)
    return smooth[:, :, None] if image.ndim == 3 and smooth.ndim == 2 else smooth


def as_crop(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> PipelineConfig:
    """``cfg`` for reading ``image``, placed by :func:`place_small`, as the crop of writing it
    is: with no search for a sheet of paper on a desk in it (``page_min_side_px`` above its
    short side). The inside of a big 0 laid on its paper could pass for such a sheet, and
    the ring around it for the desk.

    >>> as_crop(np.zeros((180, 180), np.uint8)).page_min_side_px
    181
    """
    return replace(cfg, page_min_side_px=max(cfg.page_min_side_px, min(image.shape[:2]) + 1))


def maybe_crop(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> bool:
    """Whether ``image`` (``H x W`` or ``H x W x C`` uint8, not empty) may be a tight crop of
    some writing larger than a small image: no longer than ``crop_retry_max_side``, with ink
    (a pixel ``small_image_rim_contrast`` grey levels off its paper) on its rim, and its paper
    (:func:`paper_colour`) brighter than the image's mean: dark ink on light paper. (Read as
    a crop, a camera frame's desk around a bright sheet is paper, and the sheet a digit.)

    >>> crop = np.full((300, 200), 255, np.uint8)
    >>> maybe_crop(crop)
    False
    >>> crop[:, 90:110] = 0  # a 1 from top to bottom
    >>> maybe_crop(crop), maybe_crop(np.pad(crop, 300, constant_values=255)), maybe_crop(255 - crop)
    (True, False, False)
    """
    if image.size == 0 or max(image.shape[:2]) > cfg.crop_retry_max_side:
        return False
    rim = _rim(image)
    paper = _paper_on(rim)
    if float(paper.mean()) <= float(image.mean()):
        return False  # light ink on darker "paper": a bright sheet on a desk, read as a frame
    return _inked(rim, paper, cfg.small_image_rim_contrast)


def tight_crop(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> bool:
    """Whether ``image`` (``H x W`` or ``H x W x C`` uint8) is writing cropped to its ink,
    whatever its polarity: larger than a small image, no longer than ``tight_crop_max_side``,
    and ink (a pixel ``tight_crop_rim_contrast`` grey levels off its paper) on each of its
    four edges. A camera frame's or a page's rim rarely is (1 of 100 generated webcam
    frames, no scan or drawing).

    >>> crop = np.full((300, 200), 255, np.uint8)
    >>> crop[:, 90:110] = 0  # a 1 from top to bottom: ink on two edges only
    >>> tight_crop(crop)
    False
    >>> crop[:, :] = 255
    >>> crop[:15, 60:140] = crop[-15:, 60:140] = crop[100:200, :15] = crop[100:200, -15:] = 0
    >>> tight_crop(crop), tight_crop(255 - crop)  # a 0 touching each edge, of either polarity
    (True, True)
    """
    return _crop_sized(image, cfg) and _all_edges_inked(image, _paper_on(_rim(image)), cfg)


def _crop_sized(image: np.ndarray, cfg: PipelineConfig) -> bool:
    """Whether ``image`` is larger than a small image and no longer than
    ``tight_crop_max_side``."""
    longer = max(image.shape[:2]) if image.size else 0
    return cfg.small_image_max_side < longer <= cfg.tight_crop_max_side


def _all_edges_inked(image: np.ndarray, paper: np.ndarray, cfg: PipelineConfig) -> bool:
    """Whether each of ``image``'s four edges holds a pixel ``tight_crop_rim_contrast`` grey
    levels off ``paper``."""
    pixels = image.reshape(image.shape[0], image.shape[1], -1)
    return all(_inked(edge, paper, cfg.tight_crop_rim_contrast)
               for edge in (pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]))


def fat_crop(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> Box | None:
    """The box ``(x, y, w, h)`` of the writing in ``image`` (``H x W`` or ``H x W x C`` uint8)
    when it is writing cropped (with a margin, or to its ink with faint edges) whose strokes
    are too fat for a frame's reading; else None. That is: larger than a small image, no
    longer than ``tight_crop_max_side``, and on a copy ``work_side`` short at most
    ``fat_crop_max_pieces`` pieces of ink (pixels ``tight_crop_rim_contrast`` grey levels off
    its paper, :func:`paper_colour`, specks left out) whose strokes are at least
    ``fat_crop_stroke_rel`` of the image's short side wide; when the ink is lighter than the
    paper, no sheet of paper on a desk (a camera's bright sheet on a darker desk would pass
    for light ink: more than a digit's loops in it, or :func:`find_sheet`; not asked of a bar
    with no hole ``fat_crop_bar_aspect`` times as long as wide, a fat 1). A frame's paper
    estimate (``background_kernel_rel``) hollows out such strokes.

    >>> crop = np.full((300, 200), 255, np.uint8)
    >>> _ = cv2.ellipse(crop, (100, 150), (60, 115), 0, 0, 360, 0, 40)  # a fat 0, a margin
    >>> fat_crop(crop), fat_crop(255 - crop)
    ((20, 14, 162, 272), (20, 14, 162, 272))
    >>> crop[:] = 255
    >>> _ = cv2.ellipse(crop, (100, 150), (60, 115), 0, 0, 360, 0, 6)  # a thin one: a frame
    >>> fat_crop(crop) is None  # reads it
    True
    """
    if not _crop_sized(image, cfg):
        return None
    return _fat_box(image, _paper_on(_rim(image)), cfg)


def crop_box(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> Box | None:
    """The box of the writing a larger image (``H x W`` or ``H x W x C`` uint8) is a crop of,
    to be read as a crop too: the whole image when cropped to its ink on every edge
    (:func:`tight_crop`), the ink's box when its strokes are too fat for a frame
    (:func:`fat_crop`), else None.

    >>> crop = np.full((300, 200), 255, np.uint8)
    >>> _ = cv2.ellipse(crop, (100, 150), (80, 130), 0, 0, 360, 0, 40)  # a fat 0 to the edges
    >>> crop_box(crop), crop_box(np.pad(crop, 20, constant_values=255))
    ((0, 0, 200, 300), (20, 20, 200, 300))
    >>> crop_box(np.full((300, 200), 255, np.uint8)) is None
    True
    """
    if not _crop_sized(image, cfg):
        return None
    paper = _paper_on(_rim(image))
    if _all_edges_inked(image, paper, cfg):
        return whole_box(image)
    return _fat_box(image, paper, cfg)


def whole_box(image: np.ndarray) -> Box:
    """The box ``(0, 0, W, H)`` of the whole ``image`` (``H x W`` or ``H x W x C``)."""
    return 0, 0, int(image.shape[1]), int(image.shape[0])


def _fat_box(image: np.ndarray, paper: np.ndarray, cfg: PipelineConfig) -> Box | None:
    """:func:`fat_crop` of a crop-sized ``image`` whose ``paper`` colour is given."""
    if cfg.fat_crop_max_pieces == 0:
        return None
    rows, cols = image.shape[:2]
    small = _glance(image, cfg)
    grey = small if small.ndim == 2 else cv2.transform(small, np.full((1, small.shape[2]), 1 / small.shape[2]))
    paper_level = float(paper.mean())
    level = np.full_like(grey, int(round(paper_level)))
    _, ink = cv2.threshold(cv2.absdiff(grey, level), cfg.tight_crop_rim_contrast, 255, cv2.THRESH_BINARY)
    stroke = estimate_stroke_width(ink)
    if stroke < cfg.fat_crop_stroke_rel * min(ink.shape):
        return None
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pieces = 1 + np.nonzero(stats[1:, cv2.CC_STAT_AREA] >= speck_area(ink.shape, stroke, cfg))[0]
    if not 0 < len(pieces) <= cfg.fat_crop_max_pieces:
        return None
    # Light ink on darker paper may be a camera's bright sheet on a desk, a hole in it for
    # each piece of writing. Dark ink is not looked at so: the inside of a big 0 or 7 passes
    # for a sheet, and a frame's desk read as a crop is kept out by the span test.
    # A bar with no hole, long and narrow, is a fat 1 whatever the sheet finder makes of it.
    if cv2.mean(grey, mask=ink)[0] > paper_level:
        largest = labels == pieces[int(np.argmax(stats[pieces, cv2.CC_STAT_AREA]))]
        holes = _holes(largest)
        bar = holes == 0 and _elongation(largest) >= cfg.fat_crop_bar_aspect
        if not bar and (holes > _MAX_LOOPS or find_sheet(image, cfg) is not None):
            return None
    x, y, w, h = union_box((int(a), int(b), int(c), int(d)) for a, b, c, d in stats[pieces, :4])
    fy, fx = rows / ink.shape[0], cols / ink.shape[1]  # the copy's pixels -> the image's
    x0, y0 = int(x * fx), int(y * fy)
    x1, y1 = int(np.ceil((x + w) * fx)), int(np.ceil((y + h) * fy))
    return clip((x0, y0, x1 - x0, y1 - y0), cols, rows)


#: Loops of a digit: two in an 8, as many more where a fat pen crossing its own stroke
#: pinches them. A sheet seen by a camera has a hole for every piece of writing on it (5 or
#: more in 45 of 47 generated webcam frames whose sheet passed for light ink).
_MAX_LOOPS = 4
#: Holes smaller than this (pixels of the copy ``work_side`` short) are noise.
_MIN_HOLE_AREA = 4


def _holes(piece: np.ndarray) -> int:
    """How many holes (pieces of background it encloses, of at least ``_MIN_HOLE_AREA``
    pixels) the ``piece`` (``H x W`` bool) has."""
    background = np.pad(~piece, 1, constant_values=True).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(background, connectivity=4)
    # Label 1 is the background round it (the padding's corner comes first).
    return int(np.count_nonzero(stats[2:, cv2.CC_STAT_AREA] >= _MIN_HOLE_AREA))


def _elongation(piece: np.ndarray) -> float:
    """How many times as long as wide the smallest rotated rectangle round the ``piece``
    (``H x W`` bool, not empty) is."""
    points = cv2.findNonZero(piece.astype(np.uint8))
    (_, _), (a, b), _ = cv2.minAreaRect(points)
    return max(a, b) / max(min(a, b), 1.0)


def _glance(image: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """A quick copy of ``image`` (``H x W`` or ``H x W x C`` uint8) with its short side at most
    ``work_side``, the same channels: bilinear, reading a few pixels per pixel of the copy
    (an area average reads them all: 1.8 ms for an A4 scan in colour)."""
    rows, cols = image.shape[:2]
    factor = -(-min(rows, cols) // cfg.work_side)
    if factor < 2:
        return image
    small: np.ndarray = cv2.resize(image, (max(1, cols // factor), max(1, rows // factor)),
                                   interpolation=cv2.INTER_LINEAR)
    return small


def paper_colour(image: np.ndarray) -> np.ndarray:
    """The paper's colour of an ``H x W`` or ``H x W x C`` uint8 image (float64, one value
    per channel): the median of the pixels on its rim that fall on the commoner side of
    their Otsu split in grey. Whichever the polarity, a digit's crop shows more paper than
    ink on its rim, even where the ink fills most of it (a tight crop of a 1).

    >>> one = np.full((20, 6), 255, np.uint8)
    >>> one[:, 1:5] = 0  # a stroke as wide as most of the image: its median is ink
    >>> float(np.median(one)), paper_colour(one).tolist()
    (0.0, [255.0])
    """
    return _paper_on(_rim(image))


def _paper_on(rim: np.ndarray) -> np.ndarray:
    """:func:`paper_colour` from the rim's pixels (``N x C``, :func:`_rim`)."""
    grey = rim.mean(axis=1).round().astype(np.uint8)
    split, _ = cv2.threshold(grey.reshape(1, -1), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    bright = grey > split
    paper = bright if _paper_is_bright(bright) else ~bright
    colour: np.ndarray = np.median(rim[paper], axis=0).astype(np.float64)
    return colour


def _paper_is_bright(bright: np.ndarray) -> bool:
    """Whether the paper is the bright side of a split of a rim's pixels (``bright``, bool
    ``N``: each pixel above the split): the commoner side. Whichever the polarity, a digit's
    crop shows more paper than ink on its rim."""
    return 2 * int(bright.sum()) >= bright.size


def _grain(image: np.ndarray) -> float:
    """The sensor noise of ``image`` (``H x W`` or ``H x W x C`` uint8), in grey levels, as
    its paper shows it along the four edges: the robust standard deviation of the differences
    between neighbouring paper pixels there (from their median absolute deviation, over the
    square root of 2). The paper is the side of the image's Otsu split that is commoner on its
    rim (as :func:`paper_colour` has it), so that ink crossing an edge and the faint halo round
    it do not count. 0 for clean paper, and where ink runs along most of the rim.

    >>> one = np.full((60, 60), 200.0)
    >>> one[:, 27:33] = 30  # a 1 crossing the top and bottom edges
    >>> noise = np.random.default_rng(0).normal(0, 12, one.shape)  # 12 grey levels
    >>> _grain(one.astype(np.uint8)), _grain(np.clip(one + noise, 0, 255).astype(np.uint8))
    (0.0, 11.5319)
    """
    grey = image.reshape(image.shape[0], image.shape[1], -1).mean(axis=2).round().astype(np.uint8)
    split, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    edges = [grey[0], grey[-1], grey[:, 0], grey[:, -1]]
    paper_is_bright = _paper_is_bright(np.concatenate(edges) > split)
    steps = []
    for edge in edges:
        paper = (edge > split) == paper_is_bright
        steps.append(np.diff(edge.astype(np.float64))[paper[1:] & paper[:-1]])
    step = np.concatenate(steps)
    if 2 * step.size < sum(edge.size - 1 for edge in edges):
        return 0.0  # ink along most of the rim (a tight crop): too little paper to tell
    spread = np.median(np.abs(step - np.median(step)))
    return round(float(MAD_TO_SIGMA * spread / np.sqrt(2.0)), 4)


def _rim(image: np.ndarray) -> np.ndarray:
    """The pixels of the image's outermost rows and columns, ``N x C`` (C = 1 for grey)."""
    pixels = image.reshape(image.shape[0], image.shape[1], -1)
    return np.concatenate([pixels[0], pixels[-1], pixels[1:-1, 0], pixels[1:-1, -1]])


def _inked(rim: np.ndarray, paper: np.ndarray, contrast: float) -> bool:
    """Whether a pixel of the ``rim`` (``N x C``, :func:`_rim`) is more than ``contrast`` grey
    levels (mean of the channels) off the ``paper`` colour: ink runs up to the edge."""
    grey = rim.mean(axis=1)
    return bool(np.abs(grey - float(paper.mean())).max() > contrast)
