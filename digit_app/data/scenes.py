"""Realistic evaluation scenes built from MNIST **test** digits, with exact ground truth.

Three kinds of scene, one per source the application reads (see ``docs/design.md``):

- ``drawing``: the drawing canvas. White 500x300 canvas, 1-3 numbers of 1-4 digits at any
  size, every digit re-rendered as a constant-width, anti-aliased pen stroke (the MNIST digit
  is thinned to its skeleton, then redrawn with a round pen).
- ``scan``: an A4 page at 150 dpi, a form. Textured paper, 8-20 handwritten numbers (MNIST
  greys mapped to ink) in rows, printed labels beside them (in the installed fonts, bold or
  not, up to the handwriting's height, some holding printed numbers: "Box 12", "Page 1"),
  a printed header and footer, a printed table (grid, header cells, row numbers), check
  boxes (some ticked), a rubber stamp, ruled lines (between the rows, or under the digits at
  their baseline), an optional table border, smudges, ink blots and pieces of lines; the
  page is slightly rotated and goes through JPEG.
- ``webcam``: a 640x480 frame of a sheet seen in perspective over a cluttered desk, with a
  shadow, blur, sensor noise, a colour cast and low contrast.

Every image is ``H x W x 3 uint8`` (BGR). Every ink element (digit, word, line, blot) is
kept as its own alpha mask while the scene is composed; its truth box is that mask carried
through the same geometric transform as the image (rotation, homography) and thresholded,
so boxes are tight around the visible ink of that element only.

Only the MNIST test split may be used here: training never sees these digits, so the scenes
measure what the application does on unseen handwriting. ``load_test_digits`` loads it;
``make_scene`` refuses an array the size of the training split.

Pure numpy + OpenCV: no Qt, no TensorFlow.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from digit_app.data.printed import font_paths, font_with_cap_height, text_alpha
from digit_app.data.strokes import StrokeConfig, Strokes, digit_strokes, draw_pen, mnist_crop
from digit_app.types import union_box

Box = tuple[int, int, int, int]  # (x, y, w, h) in pixels of the scene image
KINDS = ("drawing", "scan", "webcam")
#: Kinds made on demand only (``--kinds``): strings of touching and broken digits
#: (``digit_app.data.touching_scenes``).
EXTRA_KINDS = ("touching",)
ALL_KINDS = KINDS + EXTRA_KINDS
TRAIN_SPLIT_SIZE = 60000  # size of the MNIST training split, refused by make_scene
RULED_LINE_MODES = ("between", "baseline", "none")
READING_LINE_TOLERANCE = 0.5  # centres closer than this many heights: same line of text


# --------------------------------------------------------------------------------------------
# Public data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TruthDigit:
    label: int
    box: Box  # tight around the digit's visible ink in Scene.image
    touching: bool = False  # its ink touches a neighbour's (the touching kind)


@dataclass(frozen=True)
class TruthNumber:
    text: str  # labels of its digits, left to right
    box: Box  # union of its digits' boxes
    digits: tuple[int, ...]  # indexes into Scene.digits, left to right


@dataclass(frozen=True)
class Scene:
    kind: str
    image: np.ndarray = field(repr=False, compare=False)  # H x W x 3 uint8 BGR, read-only
    digits: tuple[TruthDigit, ...]  # grouped by number; numbers in reading order
    numbers: tuple[TruthNumber, ...]  # reading order: top to bottom, then left to right
    # Non-digit things drawn: printed words, ruled lines and table borders, pieces of lines,
    # ink blots, smudges; in webcam frames also visible pieces of background clutter
    # (those whose box does not reach over a digit).
    distractors: tuple[Box, ...]


@dataclass(frozen=True)
class SceneConfig:
    """Every size, count, probability and noise level of the generator.

    Ranges are ``(low, high)``; integer counts are inclusive at both ends. Sizes are
    ``(width, height)`` in pixels. Colours are BGR.
    """

    # --- shared: digits -------------------------------------------------------------------
    grey_ink_range: tuple[float, float] = (0.08, 0.6)  # MNIST grey (0-1): no ink .. full ink
    grey_pad: int = 2  # MNIST pixels of margin kept around the crop before upscaling
    max_digit_aspect: float = 1.5  # a digit's ink is at most this many heights wide
    digit_scale_jitter: tuple[float, float] = (0.92, 1.08)  # per digit, around the number's
    digit_baseline_jitter: tuple[float, float] = (-0.05, 0.04)  # of the height, + is lower
    strokes: StrokeConfig = StrokeConfig()  # cropping (ink_level) and skeletons of the pen digits
    trim_level: float = 0.02  # alpha below which a rendered mask is cropped away
    truth_level: float = 0.35  # of an element's peak alpha: visible ink for its truth box
    shrink_on_failure: float = 0.88  # a number that does not fit retries this much smaller
    placement_tries: int = 40  # positions tried for a word, blot or line before giving up
    layout_attempts: int = 10  # free layouts of numbers redone with a lower height cap
    number_tries: int = 4  # sizes tried per number within one layout
    positions_per_draft: int = 25  # positions tried for a number at one size
    scene_attempts: int = 20  # whole scenes retried if truth boxes end up overlapping

    # --- shared: distractors --------------------------------------------------------------
    blot_size: tuple[int, int] = (4, 22)  # ink blot diameter, px
    blot_blobs: tuple[int, int] = (1, 4)  # ellipses merged into one blot
    blot_blur: tuple[float, float] = (0.4, 1.2)  # sigma, px
    blot_strength: tuple[float, float] = (0.7, 1.0)
    blot_spread: float = 0.2  # spread of the ellipses' centres, in blot sizes
    blot_axis_ratio: tuple[float, float] = (0.4, 1.0)  # ellipse axes, of the blot radius
    smudge_size: tuple[int, int] = (18, 70)
    smudge_strength: tuple[float, float] = (0.15, 0.4)
    smudge_color: tuple[int, int, int] = (110, 110, 115)
    smudge_aspect: tuple[float, float] = (0.3, 0.8)  # minor / major axis
    smudge_softness: float = 0.125  # blur sigma, in smudge sizes
    line_piece_length: tuple[int, int] = (40, 260)
    line_piece_tilt_deg: float = 3.0
    line_piece_thickness: tuple[int, int] = (1, 3)
    line_piece_strength: tuple[float, float] = (0.6, 1.0)
    distractor_clearance: int = 14  # px kept between a distractor and any digit or word
    word_gap: tuple[float, float] = (0.25, 0.6)  # word to number, in digit heights
    word_lift: tuple[int, int] = (0, 6)  # printed text baseline above the writing's, px
    fonts: tuple[int, ...] = (
        cv2.FONT_HERSHEY_SIMPLEX,
        cv2.FONT_HERSHEY_DUPLEX,
        cv2.FONT_HERSHEY_COMPLEX,
        cv2.FONT_HERSHEY_TRIPLEX,
    )
    words: tuple[str, ...] = (
        "Total", "Invoice", "Date", "Amount", "Qty", "Price", "Items", "Sum", "Balance",
        "Page", "Ref", "Account", "Customer", "Due", "Paid", "Name", "Unit", "Code", "Tax",
        "Net", "Order", "Phone", "Week", "Room", "Score", "Item", "Cost", "Weight",
    )  # letters only: no numerals, no punctuation
    print_color: tuple[int, int, int] = (28, 26, 26)
    word_upper_probability: float = 0.2  # TOTAL instead of Total
    word_thickness: tuple[int, int] = (1, 2)

    # --- drawing --------------------------------------------------------------------------
    drawing_size: tuple[int, int] = (500, 300)
    drawing_numbers: tuple[int, int] = (1, 3)
    drawing_digits: tuple[int, int] = (1, 4)
    drawing_digit_height: tuple[float, float] = (40.0, 200.0)
    drawing_stroke_width: tuple[int, int] = (2, 25)  # pen width, px
    drawing_stroke_max_fraction: float = 0.22  # pen width at most this part of the height
    drawing_gap: tuple[float, float] = (0.1, 0.5)  # between digits, in digit heights
    drawing_separation: float = 1.5  # between numbers, in digit heights
    drawing_margin: int = 4  # px between ink and the canvas edge

    # --- scan -----------------------------------------------------------------------------
    scan_size: tuple[int, int] = (1240, 1754)  # A4 at 150 dpi
    scan_numbers: tuple[int, int] = (8, 20)
    scan_digits: tuple[int, int] = (1, 5)
    scan_digit_height: tuple[float, float] = (40.0, 90.0)
    scan_gap: tuple[float, float] = (0.1, 0.5)
    scan_margin: tuple[int, int] = (110, 130)  # page margins x, y
    scan_row_pitch: tuple[float, float] = (125.0, 160.0)  # writing rows
    scan_row_bottom: float = 20.0  # baseline above the bottom of its row, px
    scan_row_indent: tuple[float, float] = (0.0, 260.0)  # first item of a row from the margin
    scan_item_gap: tuple[float, float] = (80.0, 260.0)  # between items of one row
    scan_word_probability: float = 0.6  # a printed word before a number
    scan_word_height: tuple[int, int] = (16, 32)  # cap height of printed words, px
    scan_extra_words: tuple[int, int] = (1, 5)  # words on their own (titles, headers)
    # Printed text in real fonts (digit_app.data.printed: the fonts installed on the machine).
    #: A number's label is printed in a font (else in a Hershey font, as ``words``) ...
    scan_font_label_probability: float = 0.7
    #: ... with a cap height of this part of the digits' height (bold labels as tall as the
    #: handwriting), in a bold face this often, and these texts (printed numbers included).
    scan_label_height_rel: tuple[float, float] = (0.4, 1.0)
    scan_bold_probability: float = 0.5
    scan_labels: tuple[str, ...] = (
        "Phone:", "Code:", "Page:", "Invoice", "Total:", "Date:", "Amount:", "Qty:", "Price",
        "Box 12", "No. 7", "Item 3:", "Page 1", "Ref. 2024:", "Room 101", "Week 52", "Order",
        "Customer No.", "Zip code", "Account", "Section 4", "Line 2:", "Goods", "Tel.",
    )
    #: A header in the top margin (a title, often with a number), and a page footer.
    scan_header_probability: float = 0.8
    scan_headers: tuple[str, ...] = (
        "ORDER FORM", "INVOICE No. 1047", "Delivery note 3", "TIME SHEET - WEEK 12",
        "Form 27-B", "Inventory 2024", "Section 4: Totals", "Questionnaire", "Receipt",
        "Bestellschein Nr. 88", "EXPENSES Q3", "Stock count",
    )
    scan_header_height: tuple[float, float] = (24.0, 56.0)  # cap height, px
    scan_footer_probability: float = 0.6
    scan_footer_height: tuple[float, float] = (14.0, 26.0)
    #: A printed table taking some rows: ruled grid, printed header cells, printed row numbers.
    scan_grid_probability: float = 0.5
    scan_grid_rows: tuple[int, int] = (2, 3)
    scan_grid_columns: tuple[int, int] = (3, 5)
    scan_grid_width_rel: tuple[float, float] = (0.45, 0.75)  # of the page width
    scan_grid_headers: tuple[str, ...] = ("Item", "Qty", "Price", "Code", "Unit", "Total", "No.",
                                          "Date", "Hours", "Room")
    #: Check boxes (empty or ticked) in the free space, their side in px.
    scan_checkboxes: tuple[int, int] = (0, 4)
    scan_checkbox_side: tuple[int, int] = (18, 48)
    scan_checkbox_tick_probability: float = 0.4
    #: Rubber stamps: printed capitals in a frame, rotated, in red or blue.
    scan_stamp_probability: float = 0.35
    scan_stamps: tuple[str, ...] = ("PAID", "RECEIVED", "APPROVED", "COPY", "PAID 12.03.",
                                    "No. 4471", "CHECKED 2")
    scan_stamp_height: tuple[float, float] = (20.0, 40.0)  # cap height, px
    scan_stamp_rotation_deg: float = 15.0
    scan_stamp_colors: tuple[tuple[int, int, int], ...] = ((60, 50, 190), (170, 80, 40))
    scan_ink_colors: tuple[tuple[int, int, int], ...] = (
        (32, 28, 28),  # black
        (90, 42, 24),  # blue-black
        (70, 38, 30),
    )
    scan_ink_strength: tuple[float, float] = (0.8, 1.0)
    scan_paper_level: tuple[float, float] = (236.0, 252.0)
    scan_paper_tint: float = 9.0  # yellowing: blue channel lowered up to this much
    scan_paper_tint_green: float = 0.4  # ... and green by this part of it
    scan_paper_texture: float = 1.5  # amplitude of the paper's low-frequency texture
    scan_paper_texture_scale: int = 18  # px per texture cell
    scan_paper_grain: float = 1.5  # per-pixel grain sigma
    scan_ruled_line_mode: str = "random"  # "between", "baseline", "none" or "random"
    scan_ruled_line_modes: tuple[str, ...] = ("between", "baseline")  # drawn from if random
    scan_ruled_between_probability: float = 0.35  # each gap between rows gets a line
    scan_ruled_baseline_probability: float = 1.0  # each row's baseline gets a line
    scan_ruled_min_lines: int = 2
    scan_ruled_inset: tuple[float, float] = (0.0, 60.0)  # line ends from the page edge
    scan_line_colors: tuple[tuple[int, int, int], ...] = ((205, 170, 140), (160, 160, 160))
    scan_line_strength: tuple[float, float] = (0.45, 0.85)
    scan_line_thickness: tuple[int, int] = (1, 3)
    scan_table_probability: float = 0.4
    scan_table_rows: tuple[int, int] = (2, 6)
    scan_table_thickness: tuple[int, int] = (2, 3)
    scan_table_inset: tuple[float, float] = (0.3, 0.7)  # sides from the edge, of the margin
    scan_blots: tuple[int, int] = (1, 5)
    scan_smudges: tuple[int, int] = (0, 3)
    scan_line_pieces: tuple[int, int] = (1, 4)
    scan_edge_clearance: int = 30  # distractors stay this far from the page edge
    scan_rotation_deg: float = 1.5
    scan_blur_sigma: tuple[float, float] = (0.0, 0.6)
    scan_blur_min_sigma: float = 0.2  # below this no blur is applied
    scan_jpeg_quality: tuple[int, int] = (60, 90)

    # --- webcam ---------------------------------------------------------------------------
    webcam_size: tuple[int, int] = (640, 480)
    webcam_numbers: tuple[int, int] = (1, 4)
    webcam_digits: tuple[int, int] = (1, 4)
    # on the flat sheet; perspective makes it about 30-100 px in the frame
    webcam_digit_height: tuple[float, float] = (34.0, 88.0)
    webcam_gap: tuple[float, float] = (0.18, 0.5)
    webcam_separation: float = 1.5
    webcam_sheet_margin: float = 0.06  # of the sheet's shorter side
    webcam_fill: tuple[float, float] = (0.6, 0.95)  # sheet extent / frame extent
    webcam_sheet_aspects: tuple[float, ...] = (1.414, 0.707, 1.294, 0.773)  # height / width
    webcam_rotation_deg: float = 7.0
    webcam_keystone: tuple[float, float] = (0.0, 0.22)  # far edge shortened by this part
    webcam_corner_jitter: float = 0.03  # of the sheet size
    webcam_frame_margin: int = 3  # px between the sheet and the frame edge
    webcam_pen_probability: float = 0.4  # constant-width pen/marker instead of MNIST greys
    webcam_pen_width: tuple[int, int] = (3, 10)
    webcam_pen_max_fraction: float = 0.18
    webcam_ink_colors: tuple[tuple[int, int, int], ...] = (
        (30, 28, 28),
        (95, 45, 25),
        (140, 60, 30),  # blue ballpoint
    )
    webcam_ink_strength: tuple[float, float] = (0.85, 1.0)
    webcam_paper_level: tuple[float, float] = (225.0, 250.0)
    webcam_words: tuple[int, int] = (0, 2)
    webcam_word_height: tuple[int, int] = (12, 24)
    webcam_blots: tuple[int, int] = (0, 3)
    webcam_smudges: tuple[int, int] = (0, 1)
    webcam_line_pieces: tuple[int, int] = (0, 2)
    webcam_desk_colors: tuple[tuple[int, int, int], ...] = (
        (120, 160, 200),  # light wood
        (50, 75, 110),  # dark wood
        (140, 140, 138),  # grey laminate
        (205, 208, 210),  # white desk
        (45, 45, 48),  # black desk
    )
    webcam_desk_jitter: float = 15.0
    webcam_desk_gradient: float = 40.0  # grey levels of light falloff across the desk
    webcam_desk_texture: float = 6.0  # amplitude of the desk's blotchy texture
    webcam_desk_texture_scale: int = 40  # px per texture cell
    webcam_clutter_level: tuple[float, float] = (20.0, 235.0)
    webcam_clutter_saturation: float = 25.0  # spread of the channels around the grey level
    webcam_clutter: tuple[int, int] = (2, 6)
    webcam_clutter_size: tuple[float, float] = (0.08, 0.35)  # of the frame width
    webcam_clutter_min_pixels: int = 40  # clutter less visible than this is not recorded
    webcam_clutter_aspect: tuple[float, float] = (0.3, 1.0)  # boxes: short / long side
    webcam_clutter_line_width: tuple[int, int] = (3, 12)  # cables, pencils
    webcam_clutter_hole_probability: float = 0.5  # a round object is a ring (tape, cup)
    webcam_clutter_shading: float = 0.3  # brightness change across an object
    webcam_shadow_strength: tuple[float, float] = (0.15, 0.5)
    webcam_shadow_softness: tuple[float, float] = (15.0, 60.0)  # blur sigma of a shadow edge
    webcam_shadow_gradient_probability: float = 0.5  # linear gradient, else a soft region
    webcam_shadow_gradient_start: tuple[float, float] = (-0.3, 0.2)  # of the frame size
    webcam_shadow_gradient_width: tuple[float, float] = (0.2, 0.8)  # of the frame size
    webcam_shadow_region_vertices: tuple[int, int] = (4, 7)
    webcam_shadow_region_radius: tuple[float, float] = (0.2, 0.6)  # of the frame size
    webcam_blur_sigma: tuple[float, float] = (0.5, 1.5)
    webcam_noise_sigma: tuple[float, float] = (2.0, 6.0)
    webcam_channel_gain: tuple[float, float] = (0.88, 1.12)
    webcam_contrast: tuple[float, float] = (0.55, 0.9)
    webcam_brightness: tuple[float, float] = (-20.0, 15.0)
    webcam_jpeg_probability: float = 0.5
    webcam_jpeg_quality: tuple[int, int] = (70, 95)


DEFAULT_SCENE_CONFIG = SceneConfig()


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def load_test_digits(data_dir=None) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST test split (images ``N x 28 x 28 uint8``, labels ``N uint8``)."""
    from digit_app.data.mnist import find_data_dir, load_split

    split = load_split(find_data_dir(data_dir), "test")
    return split.images, split.labels


def make_scene(
    kind: str,
    images: np.ndarray,
    labels: np.ndarray,
    rng: np.random.Generator,
    cfg: SceneConfig = DEFAULT_SCENE_CONFIG,
) -> Scene:
    """One scene of ``kind`` from MNIST test ``images``/``labels``; deterministic in ``rng``."""
    if kind not in ALL_KINDS:
        raise ValueError(f"unknown scene kind {kind!r}; expected one of {', '.join(ALL_KINDS)}")
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
        raise ValueError(f"images must be N x 28 x 28 uint8, got {images.shape} {images.dtype}")
    if len(images) != len(labels) or len(images) == 0:
        raise ValueError(f"{len(images)} images but {len(labels)} labels")
    if len(images) == TRAIN_SPLIT_SIZE:
        raise ValueError(
            "scenes are built from the MNIST test split only (got 60000 images, the training "
            "split); use load_test_digits()"
        )
    build = _BUILDERS.get(kind) or _extra_builder(kind)
    for _ in range(cfg.scene_attempts):
        scene = build(rng, images, labels, cfg)
        if scene is not None:
            return scene
    raise RuntimeError(f"could not lay out a {kind} scene in {cfg.scene_attempts} attempts")


def make_scenes(
    kind: str,
    n: int,
    images: np.ndarray,
    labels: np.ndarray,
    seed: int = 0,
    cfg: SceneConfig = DEFAULT_SCENE_CONFIG,
) -> list[Scene]:
    """``n`` scenes; scene ``i`` depends only on ``seed`` and ``i`` (not on ``n``)."""
    seeds = np.random.SeedSequence([seed, ALL_KINDS.index(kind) if kind in ALL_KINDS else 0])
    return [
        make_scene(kind, images, labels, np.random.default_rng(s), cfg)
        for s in seeds.spawn(n)
    ]


# --------------------------------------------------------------------------------------------
# Ink elements
# --------------------------------------------------------------------------------------------


@dataclass
class _Ink:
    """One element drawn on a flat page: an alpha mask at (x, y) of a given colour."""

    alpha: np.ndarray  # float32 h x w in [0, 1]
    x: int
    y: int
    color: tuple[float, float, float]
    label: int = -1  # digit label, -1 for anything else

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.alpha.shape[1], self.alpha.shape[0])


def _trim(alpha: np.ndarray, level: float) -> tuple[np.ndarray, int, int]:
    """Crop away rows/columns below ``level``; returns the crop and its offset."""
    ys, xs = np.nonzero(alpha > level)
    if len(ys) == 0:
        return alpha[:1, :1] * 0, 0, 0
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    return np.ascontiguousarray(alpha[y0:y1, x0:x1]), int(x0), int(y0)


def _composite(page: np.ndarray, ink: _Ink) -> None:
    """Multiply blend (ink absorbs light, so overlaps darken) into a float32 BGR page."""
    h, w = ink.alpha.shape
    H, W = page.shape[:2]
    x0, y0 = max(ink.x, 0), max(ink.y, 0)
    x1, y1 = min(ink.x + w, W), min(ink.y + h, H)
    if x1 <= x0 or y1 <= y0:
        return
    a = ink.alpha[y0 - ink.y : y1 - ink.y, x0 - ink.x : x1 - ink.x, None]
    absorb = 1.0 - np.asarray(ink.color, np.float32) / 255.0
    page[y0:y1, x0:x1] *= 1.0 - a * absorb


def _ink_box(ink: _Ink, M: np.ndarray | None, size: tuple[int, int], level: float) -> Box | None:
    """Tight box of the ink above ``level`` x its peak after the 3x3 transform ``M``."""
    a = ink.alpha
    peak = float(a.max())
    if peak <= 0:
        return None
    thr = level * peak
    W, H = size
    if M is None:
        ys, xs = np.nonzero(a >= thr)
        bx0, by0 = ink.x, ink.y
    else:
        h, w = a.shape
        corners = np.array(
            [[ink.x, ink.y], [ink.x + w, ink.y], [ink.x, ink.y + h], [ink.x + w, ink.y + h]],
            np.float64,
        ).reshape(-1, 1, 2)
        tc = cv2.perspectiveTransform(corners, M).reshape(-1, 2)
        bx0 = int(math.floor(tc[:, 0].min())) - 2
        by0 = int(math.floor(tc[:, 1].min())) - 2
        bw = int(math.ceil(tc[:, 0].max())) + 2 - bx0
        bh = int(math.ceil(tc[:, 1].max())) + 2 - by0
        local = (
            np.array([[1, 0, -bx0], [0, 1, -by0], [0, 0, 1]], np.float64)
            @ M
            @ np.array([[1, 0, ink.x], [0, 1, ink.y], [0, 0, 1]], np.float64)
        )
        warped = cv2.warpPerspective(a, local, (bw, bh), flags=cv2.INTER_LINEAR)
        ys, xs = np.nonzero(warped >= thr)
    if len(ys) == 0:
        return None
    x0, y0 = bx0 + int(xs.min()), by0 + int(ys.min())
    x1, y1 = bx0 + int(xs.max()) + 1, by0 + int(ys.max()) + 1
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, W), min(y1, H)
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1 - x0, y1 - y0)


# --------------------------------------------------------------------------------------------
# Digit rendering
# --------------------------------------------------------------------------------------------


def _grey_digit(img28: np.ndarray, height: float, cfg: SceneConfig) -> np.ndarray:
    """The MNIST digit upscaled so its ink is ``height`` tall, greys mapped to ink alpha."""
    crop = mnist_crop(img28, cfg.strokes.ink_level)
    ch, cw = crop.shape
    s = height / ch
    if cw * s > cfg.max_digit_aspect * height:
        s = cfg.max_digit_aspect * height / cw
    p = cfg.grey_pad
    padded = np.pad(crop, p).astype(np.float32) / 255.0
    size = (max(1, round(padded.shape[1] * s)), max(1, round(padded.shape[0] * s)))
    g = cv2.resize(padded, size, interpolation=cv2.INTER_CUBIC)
    lo, hi = cfg.grey_ink_range
    return np.clip((g - lo) / (hi - lo), 0.0, 1.0)


def _pen_digit(
    img28: np.ndarray, strokes: Strokes | None, height: float, width: int, cfg: SceneConfig
) -> np.ndarray:
    """The digit's strokes redrawn with a round anti-aliased pen, ``height`` px tall."""
    if strokes is None:  # degenerate digit: fall back to the grey rendering
        return _grey_digit(img28, height, cfg)
    pts = strokes.points - strokes.points.min(axis=0)
    sk_w, sk_h = np.maximum(pts.max(axis=0), 1.0)
    s = max(height - width, 1.0) / sk_h
    if sk_w * s + width > cfg.max_digit_aspect * height:
        s = max(cfg.max_digit_aspect * height - width, 1.0) / sk_w
    return draw_pen(strokes, pts * s, width).astype(np.float32) / 255.0


class _Renderer:
    """Renders MNIST digit ``idx`` at a height: grey ink, or a constant-width pen.

    ``pen`` is the pen width in px (None: MNIST greys as ink); it is clipped per number to
    ``[pen_min, pen_max_fraction * height]``. Skeletons are computed once per digit.
    """

    def __init__(self, images, cfg: SceneConfig, pen=None, pen_min=2, pen_max_fraction=1.0):
        self.images, self.cfg = images, cfg
        self.pen, self.pen_min, self.pen_max_fraction = pen, pen_min, pen_max_fraction
        self._cache: dict[int, Strokes | None] = {}

    def for_height(self, height: float) -> Callable[[int, float], np.ndarray]:
        if self.pen is None:
            return lambda idx, h: _grey_digit(self.images[idx], h, self.cfg)
        top = max(self.pen_min, self.pen_max_fraction * height)
        width = int(np.clip(self.pen, self.pen_min, top))
        return lambda idx, h: _pen_digit(self.images[idx], self._strokes(idx), h, width, self.cfg)

    def _strokes(self, idx: int) -> Strokes | None:
        if idx not in self._cache:
            self._cache[idx] = digit_strokes(self.images[idx], self.cfg.strokes)
        return self._cache[idx]


@dataclass
class _Draft:
    """A number rendered at its own origin: parts (alpha, dx, dy, label), extent, baseline."""

    parts: list[tuple[np.ndarray, int, int, int]]
    width: int
    height: int
    baseline: int  # y of the writing line from the top of the draft
    digit_height: float


def _draft_number(
    rng: np.random.Generator,
    picks: Sequence[int],
    images: np.ndarray,
    labels: np.ndarray,
    height: float,
    gap: tuple[float, float],
    render: Callable[[int, float], np.ndarray],
    cfg: SceneConfig,
    bounds: tuple[float, float],
) -> _Draft:
    """Digits side by side, bottoms near a common baseline; heights kept within ``bounds``."""
    raw = []
    x = 0.0
    for idx in picks:
        h = float(np.clip(height * rng.uniform(*cfg.digit_scale_jitter), *bounds))
        alpha, _, _ = _trim(render(int(idx), h), cfg.trim_level)
        bottom = rng.uniform(*cfg.digit_baseline_jitter) * height
        raw.append((alpha, int(round(x)), bottom - alpha.shape[0], int(labels[idx])))
        x += alpha.shape[1] + rng.uniform(*gap) * height
    top = min(r[2] for r in raw)
    parts = [(a, dx, int(round(dy - top)), lab) for a, dx, dy, lab in raw]
    width = max(dx + a.shape[1] for a, dx, _, _ in parts)
    full = max(dy + a.shape[0] for a, _, dy, _ in parts)
    return _Draft(parts, width, full, int(round(-top)), height)


def _number_inks(draft: _Draft, x: int, y: int, color) -> list[_Ink]:
    return [_Ink(a, x + dx, y + dy, color, lab) for a, dx, dy, lab in draft.parts]


# --------------------------------------------------------------------------------------------
# Distractor rendering
# --------------------------------------------------------------------------------------------


def _word(
    rng: np.random.Generator, cfg: SceneConfig, cap: tuple[int, int]
) -> tuple[np.ndarray, int]:
    """A printed word (Hershey font): its alpha and the y of its text baseline in the crop."""
    word = cfg.words[rng.integers(len(cfg.words))]
    if rng.random() < cfg.word_upper_probability:
        word = word.upper()
    font = int(cfg.fonts[rng.integers(len(cfg.fonts))])
    thickness = int(rng.integers(cfg.word_thickness[0], cfg.word_thickness[1] + 1))
    scale = cv2.getFontScaleFromHeight(font, int(rng.integers(cap[0], cap[1] + 1)), thickness)
    (tw, th), base = cv2.getTextSize(word, font, scale, thickness)
    pad = thickness + 4
    img = np.zeros((th + base + 2 * pad, tw + 2 * pad), np.uint8)
    cv2.putText(img, word, (pad, pad + th), font, scale, 255, thickness, cv2.LINE_AA)
    alpha, _, y0 = _trim(img.astype(np.float32) / 255.0, cfg.trim_level)
    return alpha, pad + th - y0


def _font_text(rng: np.random.Generator, text: str, cap: float,
               bold_probability: float) -> tuple[np.ndarray, int]:
    """``text`` in a random installed font (bold this often) with capitals ``cap`` px tall:
    its alpha and the y of its baseline in the crop."""
    fonts = font_paths()
    if fonts and rng.random() < bold_probability:
        fonts = tuple(f for f in fonts if "bold" in f.lower() or "black" in f.lower()) or fonts
    path = fonts[int(rng.integers(len(fonts)))] if fonts else None
    return text_alpha(text, font_with_cap_height(path, cap))


def _checkbox(rng: np.random.Generator, cfg: SceneConfig, ink_rgb) -> list[tuple[np.ndarray, tuple]]:
    """A printed square outline, ticked by hand sometimes: (alpha, colour) layers, one size."""
    side = _count(rng, cfg.scan_checkbox_side)
    t = int(rng.integers(1, 3))
    pad = 2 + t
    box = np.zeros((side + 2 * pad, side + 2 * pad), np.uint8)
    cv2.rectangle(box, (pad, pad), (pad + side, pad + side), 255, t, cv2.LINE_AA)
    layers = [(box.astype(np.float32) / 255.0, cfg.print_color)]
    if rng.random() < cfg.scan_checkbox_tick_probability:
        tick = np.zeros_like(box)
        a, b, c = (pad + side * 0.2, pad + side * 0.55), (pad + side * 0.45, pad + side * 0.85), \
            (pad + side * 1.0, pad - side * 0.1)
        pts = np.array([a, b, c]) + rng.normal(0, side * 0.04, (3, 2))
        pts = np.clip(pts, 0, box.shape[0] - 1)
        cv2.polylines(tick, [np.round(pts * 16).astype(np.int32)], False, 255,
                      max(2, side // 10), cv2.LINE_AA, 4)
        layers.append((tick.astype(np.float32) / 255.0, ink_rgb))
    return layers


def _stamp(rng: np.random.Generator, cfg: SceneConfig) -> np.ndarray:
    """A rubber stamp: capitals in a rectangular frame, rotated; its alpha."""
    text, _ = _font_text(rng, _pick(rng, cfg.scan_stamps), rng.uniform(*cfg.scan_stamp_height), 1.0)
    h, w = text.shape
    pad = int(rng.integers(6, 14))
    t = int(rng.integers(2, 5))
    img = np.zeros((h + 2 * pad + 2 * t, w + 2 * pad + 2 * t), np.float32)
    img[pad + t:pad + t + h, pad + t:pad + t + w] = text
    cv2.rectangle(img, (t // 2, t // 2), (img.shape[1] - 1 - t // 2, img.shape[0] - 1 - t // 2),
                  1.0, t, cv2.LINE_AA)
    angle = rng.uniform(-cfg.scan_stamp_rotation_deg, cfg.scan_stamp_rotation_deg)
    side = int(np.hypot(*img.shape)) + 2
    big = np.zeros((side, side), np.float32)
    y0, x0 = (side - img.shape[0]) // 2, (side - img.shape[1]) // 2
    big[y0:y0 + img.shape[0], x0:x0 + img.shape[1]] = img
    rot = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0)
    big = cv2.warpAffine(big, rot, (side, side), flags=cv2.INTER_LINEAR)
    return _trim(big * rng.uniform(0.6, 0.95), cfg.trim_level)[0]


def _blot(rng: np.random.Generator, cfg: SceneConfig) -> np.ndarray:
    size = rng.uniform(*cfg.blot_size)
    pad = int(size) + 6
    img = np.zeros((2 * pad, 2 * pad), np.uint8)
    shift = 4
    for _ in range(int(rng.integers(cfg.blot_blobs[0], cfg.blot_blobs[1] + 1))):
        cx, cy = pad + rng.normal(0, size * cfg.blot_spread, 2)
        ax = max(size / 2 * rng.uniform(*cfg.blot_axis_ratio), 1.5)
        ay = max(ax * rng.uniform(*cfg.blot_axis_ratio), 1.5)
        cv2.ellipse(
            img, (int(cx * 16), int(cy * 16)), (int(ax * 16), int(ay * 16)),
            float(rng.uniform(0, 180)), 0, 360, 255, -1, cv2.LINE_AA, shift,
        )
    alpha = cv2.GaussianBlur(img.astype(np.float32) / 255.0, (0, 0), rng.uniform(*cfg.blot_blur))
    alpha *= rng.uniform(*cfg.blot_strength)
    return _trim(alpha, cfg.trim_level)[0]


def _smudge(rng: np.random.Generator, cfg: SceneConfig) -> np.ndarray:
    size = rng.uniform(*cfg.smudge_size)
    pad = int(size)
    img = np.zeros((2 * pad, 2 * pad), np.float32)
    cv2.ellipse(
        img, (pad, pad), (int(size / 2), int(size / 2 * rng.uniform(*cfg.smudge_aspect))),
        float(rng.uniform(0, 180)), 0, 360, 1.0, -1, cv2.LINE_AA,
    )
    alpha = cv2.GaussianBlur(img, (0, 0), size * cfg.smudge_softness)
    alpha *= rng.uniform(*cfg.smudge_strength) / max(float(alpha.max()), 1e-6)
    return _trim(alpha, cfg.trim_level)[0]


def _line(length: float, angle_deg: float, thickness: int, strength: float) -> np.ndarray:
    """A straight anti-aliased line of ``length`` px, tilted by ``angle_deg``."""
    t = math.radians(angle_deg)
    dx, dy = length * math.cos(t), length * math.sin(t)
    pad = thickness + 2
    w = int(math.ceil(abs(dx))) + 2 * pad
    h = int(math.ceil(abs(dy))) + 2 * pad
    img = np.zeros((h, w), np.uint8)
    x0 = pad
    y0 = pad + (abs(dy) if dy < 0 else 0)
    cv2.line(
        img, (int(x0 * 16), int(y0 * 16)), (int((x0 + dx) * 16), int((y0 + dy) * 16)),
        255, thickness, cv2.LINE_AA, 4,
    )
    return img.astype(np.float32) / 255.0 * strength


def _line_piece(rng: np.random.Generator, cfg: SceneConfig) -> np.ndarray:
    thickness = int(rng.integers(cfg.line_piece_thickness[0], cfg.line_piece_thickness[1] + 1))
    alpha = _line(
        rng.uniform(*cfg.line_piece_length),
        rng.uniform(-cfg.line_piece_tilt_deg, cfg.line_piece_tilt_deg),
        thickness,
        rng.uniform(*cfg.line_piece_strength),
    )
    return _trim(alpha, cfg.trim_level)[0]


# --------------------------------------------------------------------------------------------
# Layout helpers
# --------------------------------------------------------------------------------------------


def _gap(a, b) -> float:
    """Chebyshev distance between two (x, y, w, h) rectangles; 0 if they overlap."""
    dx = max(b[0] - (a[0] + a[2]), a[0] - (b[0] + b[2]), 0.0)
    dy = max(b[1] - (a[1] + a[3]), a[1] - (b[1] + b[3]), 0.0)
    return max(dx, dy)


def _free_spot(rng, w, h, area, occupied, clearance, tries):
    """A position for a w x h element inside area (x0, y0, x1, y1), clear of ``occupied``.

    ``clearance`` is one distance for all occupied rectangles or a list, one per rectangle.
    """
    x0, y0, x1, y1 = area
    if x1 - x0 < w or y1 - y0 < h:
        return None
    if np.isscalar(clearance):
        clearance = [clearance] * len(occupied)
    for _ in range(tries):
        x = int(rng.integers(x0, x1 - w + 1))
        y = int(rng.integers(y0, y1 - h + 1))
        if all(_gap((x, y, w, h), o) >= c for o, c in zip(occupied, clearance)):
            return x, y
    return None


def _place_numbers(
    rng, images, labels, cfg, area, count, digits, height, gap, separation, renderer: _Renderer
) -> list[tuple[_Draft, int, int]]:
    """``count`` numbers placed freely in ``area``, ``separation`` heights apart.

    Heights are drawn up to a cap; when the numbers do not all fit, the whole layout is
    redone with a lower cap (so one huge number does not crowd out the others).
    """
    cap = height[1]
    best: list[tuple[_Draft, int, int]] = []
    picks = [  # the same digits through all attempts (their strokes are computed once)
        rng.integers(0, len(images), size=int(rng.integers(digits[0], digits[1] + 1)))
        for _ in range(count)
    ]
    for _ in range(cfg.layout_attempts):
        placed = _try_layout(rng, images, labels, cfg, area, picks, (height[0], cap),
                             gap, separation, renderer, height)
        if len(placed) == count:
            return placed
        if len(placed) > len(best):
            best = placed
        cap = max(height[0], cap * cfg.shrink_on_failure)
    return best


def _try_layout(
    rng, images, labels, cfg, area, number_picks, height, gap, separation, renderer, bounds
):
    placed: list[tuple[_Draft, int, int]] = []
    x0, y0, x1, y1 = area
    for picks in number_picks:
        hi = height[1]
        for _ in range(cfg.number_tries):
            h = rng.uniform(height[0], max(hi, height[0]))
            draft = _draft_number(
                rng, picks, images, labels, h, gap, renderer.for_height(h), cfg, bounds
            )
            fit = min((x1 - x0) / draft.width, (y1 - y0) / draft.height)
            if fit < 1:
                hi = max(height[0], h * fit * cfg.shrink_on_failure)
                continue
            spot = _free_spot(
                rng, draft.width, draft.height, area,
                [(px, py, d.width, d.height) for d, px, py in placed],
                [separation * max(h, d.digit_height) for d, _, _ in placed],
                cfg.positions_per_draft,
            )
            if spot is not None:
                placed.append((draft, *spot))
                break
            hi = max(height[0], min(hi, h) * cfg.shrink_on_failure)
        else:
            return placed
    return placed


def _reading_order(boxes: list[Box]) -> list[int]:
    """Indexes of boxes top to bottom by line, then left to right."""
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1] + boxes[i][3] / 2)
    lines: list[list[int]] = []
    for i in order:
        cy = boxes[i][1] + boxes[i][3] / 2
        if lines:
            ref = boxes[lines[-1][0]]
            if abs(cy - (ref[1] + ref[3] / 2)) < READING_LINE_TOLERANCE * max(ref[3], boxes[i][3]):
                lines[-1].append(i)
                continue
        lines.append([i])
    return [i for line in lines for i in sorted(line, key=lambda k: boxes[k][0])]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _assemble(
    kind: str,
    image: np.ndarray,
    groups: list[list[_Ink]],
    distractor_inks: list[_Ink],
    M: np.ndarray | None,
    cfg: SceneConfig,
    extra_distractors: Sequence[Box] = (),
) -> Scene | None:
    """Truth from the inks: None if a digit vanished or two digit boxes overlap (retry)."""
    size = (image.shape[1], image.shape[0])
    numbers = []
    for group in groups:
        boxes = [_ink_box(ink, M, size, cfg.truth_level) for ink in group]
        if any(b is None for b in boxes):
            return None
        numbers.append(sorted(zip(boxes, [ink.label for ink in group]), key=lambda t: t[0][0]))
    all_boxes = [b for num in numbers for b, _ in num]
    for i in range(len(all_boxes)):
        for j in range(i + 1, len(all_boxes)):
            if _overlap(all_boxes[i], all_boxes[j]):
                return None
    unions = [union_box([b for b, _ in num]) for num in numbers]
    digits: list[TruthDigit] = []
    truth_numbers: list[TruthNumber] = []
    for k in _reading_order(unions):
        start = len(digits)
        digits.extend(TruthDigit(lab, b) for b, lab in numbers[k])
        text = "".join(str(lab) for _, lab in numbers[k])
        truth_numbers.append(TruthNumber(text, unions[k], tuple(range(start, len(digits)))))
    distractors = [_ink_box(ink, M, size, cfg.truth_level) for ink in distractor_inks]
    distractors = [b for b in distractors if b is not None]
    # background pieces (clutter) whose box would reach over a digit are left out
    distractors += [b for b in extra_distractors if not any(_overlap(b, d) for d in all_boxes)]
    image.setflags(write=False)
    return Scene(kind, image, tuple(digits), tuple(truth_numbers), tuple(distractors))


def _to_uint8(img: np.ndarray) -> np.ndarray:
    """Round a float image to uint8 (works in place on ``img``)."""
    np.add(img, 0.5, out=img)
    np.clip(img, 0, 255, out=img)
    return img.astype(np.uint8)


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("OpenCV could not encode a JPEG")
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def _paper(rng, w, h, level, cfg: SceneConfig) -> np.ndarray:
    """Light paper: a slightly yellowed colour, low-frequency texture and fine grain."""
    texture, scale = cfg.scan_paper_texture, cfg.scan_paper_texture_scale
    grain = cfg.scan_paper_grain
    base = rng.uniform(*level)
    yellow = rng.uniform(0, cfg.scan_paper_tint)
    color = np.array([base - yellow, base - cfg.scan_paper_tint_green * yellow, base], np.float32)
    low = rng.standard_normal((h // scale + 2, w // scale + 2), dtype=np.float32)
    low = cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC) * texture
    fine = rng.standard_normal(((h + 1) // 2, (w + 1) // 2), dtype=np.float32) * grain
    tex = low + cv2.resize(fine, (w, h), interpolation=cv2.INTER_LINEAR)
    page = np.empty((h, w, 3), np.float32)
    for i, c in enumerate(color):
        np.add(tex, float(c), out=page[:, :, i])
    return page


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]


def _count(rng, r: tuple[int, int]) -> int:
    return int(rng.integers(r[0], r[1] + 1))


# --------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------


def _make_drawing(rng, images, labels, cfg: SceneConfig) -> Scene | None:
    W, H = cfg.drawing_size
    pen = int(rng.integers(cfg.drawing_stroke_width[0], cfg.drawing_stroke_width[1] + 1))

    renderer = _Renderer(
        images, cfg, pen, cfg.drawing_stroke_width[0], cfg.drawing_stroke_max_fraction
    )

    m = cfg.drawing_margin
    placed = _place_numbers(
        rng, images, labels, cfg, (m, m, W - m, H - m), _count(rng, cfg.drawing_numbers),
        cfg.drawing_digits, cfg.drawing_digit_height, cfg.drawing_gap, cfg.drawing_separation,
        renderer,
    )
    if not placed:
        return None
    page = np.full((H, W, 3), 255.0, np.float32)
    groups = [_number_inks(d, x, y, (0.0, 0.0, 0.0)) for d, x, y in placed]
    for ink in (i for g in groups for i in g):
        _composite(page, ink)
    return _assemble("drawing", _to_uint8(page), groups, [], None, cfg)


# --------------------------------------------------------------------------------------------
# Scan
# --------------------------------------------------------------------------------------------


def _grid(rng, cfg: SceneConfig, ys: list[float], pitch: float, lines: list[_Ink],
          words: list[_Ink]) -> tuple[float, float, float, float]:
    """A printed table between the heights ``ys`` (one more than its rows): ruled grid,
    printed column headers in the first row and printed row numbers in the first column.
    Returns its rectangle."""
    W = cfg.scan_size[0]
    width = W * rng.uniform(*cfg.scan_grid_width_rel)
    x0 = rng.uniform(cfg.scan_margin[0] * 0.5, W - cfg.scan_margin[0] * 0.5 - width)
    cols = _count(rng, cfg.scan_grid_columns)
    xs = [x0 + width * k / cols for k in range(cols + 1)]
    t = _count(rng, cfg.scan_table_thickness)
    color = cfg.print_color
    for y in ys:
        alpha = _trim(_line(width, 0.0, t, 1.0), cfg.trim_level)[0]
        lines.append(_Ink(alpha, int(round(x0)), int(round(y - alpha.shape[0] / 2)), color))
    for x in xs:
        alpha = _trim(_line(ys[-1] - ys[0], 90.0, t, 1.0), cfg.trim_level)[0]
        lines.append(_Ink(alpha, int(round(x - alpha.shape[1] / 2)), int(round(ys[0])), color))
    cap = pitch * rng.uniform(0.15, 0.3)
    bold = cfg.scan_bold_probability
    for r in range(len(ys) - 1):
        for c in range(cols):
            if r == 0:
                text = _pick(rng, cfg.scan_grid_headers)
            elif c == 0:
                text = str(r)
            else:
                continue
            alpha, _ = _font_text(rng, text, cap, bold)
            h, w = alpha.shape
            if w < xs[c + 1] - xs[c] - 2 * t - 4 and h < ys[r + 1] - ys[r] - 2 * t - 4:
                x = xs[c] + t + rng.uniform(2, xs[c + 1] - xs[c] - 2 * t - w - 2)
                y = (ys[r] + ys[r + 1] - h) / 2
                words.append(_Ink(alpha, int(round(x)), int(round(y)), color))
    return (x0, ys[0], width, ys[-1] - ys[0])


def _make_scan(rng, images, labels, cfg: SceneConfig) -> Scene | None:
    W, H = cfg.scan_size
    mx, my = cfg.scan_margin
    pitch = rng.uniform(*cfg.scan_row_pitch)
    n_rows = int((H - 2 * my) // pitch)
    row_top = [my + i * pitch for i in range(n_rows)]
    baseline = [t + pitch - cfg.scan_row_bottom for t in row_top]
    mode = cfg.scan_ruled_line_mode
    if mode == "random":
        mode = _pick(rng, cfg.scan_ruled_line_modes)
    if mode not in RULED_LINE_MODES:
        raise ValueError(f"scan_ruled_line_mode {mode!r}: expected one of {RULED_LINE_MODES}")
    ink_color = _pick(rng, cfg.scan_ink_colors)
    strength = rng.uniform(*cfg.scan_ink_strength)
    ink_rgb = tuple(255 - (255 - c) * strength for c in ink_color)
    print_color = cfg.print_color

    render = _Renderer(images, cfg).for_height(0.0)

    cursor = [mx + rng.uniform(*cfg.scan_row_indent) for _ in range(n_rows)]
    used = [False] * n_rows
    grid_rows: list[int] = []
    if rng.random() < cfg.scan_grid_probability:
        k = _count(rng, cfg.scan_grid_rows)
        if n_rows >= k + 2:
            r0 = int(rng.integers(0, n_rows - k + 1))
            grid_rows = list(range(r0, r0 + k))
            for r in grid_rows:  # a printed table takes these rows: no handwriting there
                cursor[r] = float(W)
    ink_top = [math.inf] * n_rows
    ink_bottom = [-math.inf] * n_rows
    groups: list[list[_Ink]] = []
    words: list[_Ink] = []
    occupied: list[tuple] = []
    for _ in range(_count(rng, cfg.scan_numbers)):
        n = _count(rng, cfg.scan_digits)
        h = rng.uniform(*cfg.scan_digit_height)
        word = None
        if rng.random() < cfg.scan_word_probability:
            if rng.random() < cfg.scan_font_label_probability:
                word = _font_text(rng, _pick(rng, cfg.scan_labels),
                                  h * rng.uniform(*cfg.scan_label_height_rel),
                                  cfg.scan_bold_probability)
            else:
                word = _word(rng, cfg, cfg.scan_word_height)
        word_gap = rng.uniform(*cfg.word_gap) * h
        lift = rng.uniform(*cfg.word_lift)
        while True:
            draft = _draft_number(
                rng, rng.integers(0, len(images), size=n), images, labels, h, cfg.scan_gap,
                render, cfg, cfg.scan_digit_height,
            )
            item_w = draft.width + (word[0].shape[1] + word_gap if word is not None else 0)
            gaps = [rng.uniform(*cfg.scan_item_gap) if used[r] else 0.0 for r in range(n_rows)]
            fits = [r for r in range(n_rows) if cursor[r] + gaps[r] + item_w <= W - mx]
            if fits or (n == 1 and word is None):
                break
            if word is not None:
                word = None
            else:
                n -= 1
        if not fits:
            continue
        r = int(_pick(rng, fits))
        x = cursor[r] + gaps[r]
        if word is not None:
            alpha, base = word
            wy = int(round(baseline[r] - lift - base))
            words.append(_Ink(alpha, int(round(x)), wy, print_color))
            occupied.append(words[-1].rect)
            ink_top[r] = min(ink_top[r], wy)
            ink_bottom[r] = max(ink_bottom[r], wy + alpha.shape[0])
            x += alpha.shape[1] + word_gap
        top = int(round(baseline[r] - draft.baseline))
        group = _number_inks(draft, int(round(x)), top, ink_rgb)
        groups.append(group)
        occupied.append((int(round(x)), top, draft.width, draft.height))
        ink_top[r] = min(ink_top[r], top)
        ink_bottom[r] = max(ink_bottom[r], top + draft.height)
        cursor[r] = x + draft.width
        used[r] = True
    if not groups:
        return None

    # Lines: ruled lines spanning the page and an optional table border, off the digits.
    def boundary(r: int) -> float:
        """A y between row r-1 and row r (r = 0 .. n_rows) that no written ink crosses."""
        if r == 0:
            above = row_top[0]
        else:
            above = ink_bottom[r - 1] if used[r - 1] else baseline[r - 1]
        if r < n_rows:
            below = ink_top[r] if used[r] else baseline[r] - cfg.scan_digit_height[1] / 2
        else:
            below = row_top[-1] + pitch + cfg.scan_row_bottom
        if r == 0:
            above = min(above, below - 2 * cfg.scan_row_bottom)
        return (above + below) / 2

    lines: list[_Ink] = []
    line_color = _pick(rng, cfg.scan_line_colors)
    line_thickness = _count(rng, cfg.scan_line_thickness)
    line_strength = rng.uniform(*cfg.scan_line_strength)

    def hline(y: float, x0: float, x1: float, thickness: int, strength: float, color) -> None:
        alpha = _trim(_line(x1 - x0, 0.0, thickness, strength), cfg.trim_level)[0]
        lines.append(_Ink(alpha, int(round(x0)), int(round(y - alpha.shape[0] / 2)), color))

    if mode == "between":
        p = cfg.scan_ruled_between_probability
        ys = [boundary(r) for r in range(1, n_rows) if rng.random() < p]
        if len(ys) < cfg.scan_ruled_min_lines:
            k = min(cfg.scan_ruled_min_lines, n_rows - 1)
            ys = [boundary(r) for r in sorted(rng.choice(np.arange(1, n_rows), k, replace=False))]
    elif mode == "baseline":
        p = cfg.scan_ruled_baseline_probability
        ys = [baseline[r] for r in range(n_rows) if rng.random() < p]
    else:
        ys = []
    for y in ys:
        inset = rng.uniform(*cfg.scan_ruled_inset)
        hline(y, inset, W - inset, line_thickness, line_strength, line_color)

    if rng.random() < cfg.scan_table_probability:
        rows = min(_count(rng, cfg.scan_table_rows), n_rows)
        r0 = int(rng.integers(0, n_rows - rows + 1))
        y0, y1 = boundary(r0), boundary(r0 + rows)
        x0 = mx * rng.uniform(*cfg.scan_table_inset)
        x1 = W - mx * rng.uniform(*cfg.scan_table_inset)
        t = _count(rng, cfg.scan_table_thickness)
        hline(y0, x0, x1, t, 1.0, print_color)
        hline(y1, x0, x1, t, 1.0, print_color)
        for x in (x0, x1):
            alpha = _trim(_line(y1 - y0, 90.0, t, 1.0), cfg.trim_level)[0]
            xa = int(round(x - alpha.shape[1] / 2))
            lines.append(_Ink(alpha, xa, int(round(y0)), print_color))

    # Loose words, blots, smudges and pieces of lines in the free space.
    e = cfg.scan_edge_clearance
    area = (e, e, W - e, H - e)
    clear = cfg.distractor_clearance
    loose: list[_Ink] = []

    def put(alpha: np.ndarray, color) -> None:
        h, w = alpha.shape
        spot = _free_spot(rng, w, h, area, occupied, clear, cfg.placement_tries)
        if spot is not None:
            loose.append(_Ink(alpha, spot[0], spot[1], color))
            occupied.append(loose[-1].rect)

    if grid_rows:
        occupied.append(_grid(rng, cfg, [boundary(r) for r in grid_rows + [grid_rows[-1] + 1]],
                              pitch, lines, words))
    for band, chance, height in (((20.0, my - 8.0), cfg.scan_header_probability,
                                  cfg.scan_header_height),
                                 ((H - my + 10.0, H - 20.0), cfg.scan_footer_probability,
                                  cfg.scan_footer_height)):
        if rng.random() < chance:
            text = _pick(rng, cfg.scan_headers) if band[0] < my else f"Page {_count(rng, (1, 9))}"
            alpha, _ = _font_text(rng, text, rng.uniform(*height), cfg.scan_bold_probability)
            h, w = alpha.shape
            if h < band[1] - band[0] and w < W - 2 * mx:
                y = int(rng.uniform(band[0], band[1] - h))
                words.append(_Ink(alpha, int(rng.uniform(mx, W - mx - w)), y, print_color))
    for _ in range(_count(rng, cfg.scan_extra_words)):
        put(_word(rng, cfg, cfg.scan_word_height)[0], print_color)
    for _ in range(_count(rng, cfg.scan_checkboxes)):
        layers = _checkbox(rng, cfg, ink_rgb)
        put(*layers[0])
        if len(layers) > 1 and loose and loose[-1].alpha is layers[0][0]:
            loose.append(_Ink(layers[1][0], loose[-1].x, loose[-1].y, layers[1][1]))
    if rng.random() < cfg.scan_stamp_probability:
        put(_stamp(rng, cfg), _pick(rng, cfg.scan_stamp_colors))
    for _ in range(_count(rng, cfg.scan_blots)):
        put(_blot(rng, cfg), ink_rgb)
    for _ in range(_count(rng, cfg.scan_smudges)):
        put(_smudge(rng, cfg), cfg.smudge_color)
    for _ in range(_count(rng, cfg.scan_line_pieces)):
        put(_line_piece(rng, cfg), _pick(rng, (line_color, ink_rgb, print_color)))

    page = _paper(rng, W, H, cfg.scan_paper_level, cfg)
    distractor_inks = lines + words + loose
    for ink in distractor_inks + [i for g in groups for i in g]:
        _composite(page, ink)

    angle = rng.uniform(-cfg.scan_rotation_deg, cfg.scan_rotation_deg)
    M = np.vstack([cv2.getRotationMatrix2D((W / 2, H / 2), angle, 1.0), [0, 0, 1]])
    page = cv2.warpAffine(
        page, M[:2], (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    sigma = rng.uniform(*cfg.scan_blur_sigma)
    if sigma > cfg.scan_blur_min_sigma:
        page = cv2.GaussianBlur(page, (0, 0), sigma)
    image = _jpeg(_to_uint8(page), _count(rng, cfg.scan_jpeg_quality))
    return _assemble("scan", image, groups, distractor_inks, M, cfg)


# --------------------------------------------------------------------------------------------
# Webcam
# --------------------------------------------------------------------------------------------


def _sheet_quad(rng, cfg: SceneConfig) -> np.ndarray:
    """Corners (tl, tr, br, bl) of the sheet in the frame."""
    FW, FH = cfg.webcam_size
    a = float(_pick(rng, cfg.webcam_sheet_aspects))
    pts = np.array([[-0.5, -a / 2], [0.5, -a / 2], [0.5, a / 2], [-0.5, a / 2]])
    k = rng.uniform(*cfg.webcam_keystone)
    far = int(rng.integers(4))  # which edge is farther from the camera
    if far == 0:
        pts[[0, 1], 0] *= 1 - k
    elif far == 1:
        pts[[2, 3], 0] *= 1 - k
    elif far == 2:
        pts[[0, 3], 1] *= 1 - k
    else:
        pts[[1, 2], 1] *= 1 - k
    pts += rng.uniform(-cfg.webcam_corner_jitter, cfg.webcam_corner_jitter, (4, 2)) * [1, a]
    t = math.radians(rng.uniform(-cfg.webcam_rotation_deg, cfg.webcam_rotation_deg))
    pts = pts @ np.array([[math.cos(t), math.sin(t)], [-math.sin(t), math.cos(t)]])
    pts -= pts.min(axis=0)
    bw, bh = pts.max(axis=0)
    m = cfg.webcam_frame_margin
    s = rng.uniform(*cfg.webcam_fill) * min((FW - 2 * m) / bw, (FH - 2 * m) / bh)
    pts *= s
    bw, bh = pts.max(axis=0)
    pts += [rng.uniform(m, FW - m - bw), rng.uniform(m, FH - m - bh)]
    return pts.astype(np.float32)


def _clutter_color(rng, cfg: SceneConfig) -> np.ndarray:
    level = rng.uniform(*cfg.webcam_clutter_level)
    color = level + rng.normal(0, cfg.webcam_clutter_saturation, 3)
    return np.clip(color, 0, 255).astype(np.float32)


def _desk(rng, cfg: SceneConfig) -> tuple[np.ndarray, list[np.ndarray]]:
    """A desk background with clutter; returns it and the clutter objects' masks."""
    FW, FH = cfg.webcam_size
    base = np.asarray(_pick(rng, cfg.webcam_desk_colors), np.float32)
    base = base + rng.uniform(-cfg.webcam_desk_jitter, cfg.webcam_desk_jitter, 3).astype(np.float32)
    yy, xx = np.mgrid[0:FH, 0:FW].astype(np.float32)
    t = rng.uniform(0, 2 * math.pi)
    g = cfg.webcam_desk_gradient
    ramp = (np.cos(t) * xx / FW + np.sin(t) * yy / FH) * rng.uniform(-g, g)
    cell = cfg.webcam_desk_texture_scale
    low = rng.standard_normal((FH // cell + 2, FW // cell + 2), dtype=np.float32)
    low = cv2.resize(low, (FW, FH), interpolation=cv2.INTER_CUBIC) * cfg.webcam_desk_texture
    desk = base[None, None, :] + (ramp + low)[:, :, None]
    masks = []
    for _ in range(_count(rng, cfg.webcam_clutter)):
        mask = np.zeros((FH, FW), np.uint8)
        size = rng.uniform(*cfg.webcam_clutter_size) * FW
        cx, cy = rng.uniform(0, FW), rng.uniform(0, FH)
        shape = int(rng.integers(3))
        if shape == 0:  # box, book, phone
            side = size * rng.uniform(*cfg.webcam_clutter_aspect)
            rect = ((cx, cy), (size, side), rng.uniform(0, 180))
            corners = np.round(cv2.boxPoints(rect) * 16).astype(np.int32)
            cv2.fillPoly(mask, [corners], 255, cv2.LINE_AA, 4)
        elif shape == 1:  # cup, roll of tape
            centre = (int(cx * 16), int(cy * 16))
            cv2.circle(mask, centre, int(size / 2 * 16), 255, -1, cv2.LINE_AA, 4)
            if rng.random() < cfg.webcam_clutter_hole_probability:
                cv2.circle(mask, centre, int(size / 4 * 16), 0, -1, cv2.LINE_AA, 4)
        else:  # cable, pencil
            t = rng.uniform(0, math.pi)
            d = np.array([math.cos(t), math.sin(t)]) * size
            p0, p1 = np.array([cx, cy]) - d, np.array([cx, cy]) + d
            cv2.line(mask, tuple(int(v * 16) for v in p0), tuple(int(v * 16) for v in p1), 255,
                     _count(rng, cfg.webcam_clutter_line_width), cv2.LINE_AA, 4)
        color = _clutter_color(rng, cfg)
        ys, xs = np.nonzero(mask)
        if len(ys) == 0:
            continue
        sl = np.s_[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        a = mask[sl].astype(np.float32)[:, :, None] / 255.0
        k = cfg.webcam_clutter_shading
        shade = 1.0 + (yy[sl] / FH - 0.5)[:, :, None] * rng.uniform(-k, k)
        desk[sl] = desk[sl] * (1 - a) + (color * shade) * a
        masks.append(mask)
    return desk, masks


def _shadow(rng, cfg: SceneConfig) -> np.ndarray:
    FW, FH = cfg.webcam_size
    if rng.random() < cfg.webcam_shadow_gradient_probability:
        yy, xx = np.mgrid[0:FH, 0:FW].astype(np.float32)
        t = rng.uniform(0, 2 * math.pi)
        proj = np.cos(t) * (xx - FW / 2) + np.sin(t) * (yy - FH / 2)
        start = rng.uniform(*cfg.webcam_shadow_gradient_start) * max(FW, FH)
        width = rng.uniform(*cfg.webcam_shadow_gradient_width) * max(FW, FH)
        mask = np.clip((proj - start) / width, 0, 1)
    else:  # a soft-edged dark region (a hand, a head, the camera) over part of the frame
        mask = np.zeros((FH, FW), np.float32)
        c = np.array([rng.uniform(0, FW), rng.uniform(0, FH)])
        n = _count(rng, cfg.webcam_shadow_region_vertices)
        angles = np.sort(rng.uniform(0, 2 * math.pi, n))
        radii = rng.uniform(*cfg.webcam_shadow_region_radius, n) * max(FW, FH)
        poly = c + np.stack([np.cos(angles) * radii, np.sin(angles) * radii], 1)
        cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1.0)
        mask = cv2.GaussianBlur(mask, (0, 0), rng.uniform(*cfg.webcam_shadow_softness))
    return mask * rng.uniform(*cfg.webcam_shadow_strength)


def _make_webcam(rng, images, labels, cfg: SceneConfig) -> Scene | None:
    FW, FH = cfg.webcam_size
    quad = _sheet_quad(rng, cfg)
    sw = int(round((np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2))
    sh = int(round((np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2))
    src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
    Hm = cv2.getPerspectiveTransform(src, quad).astype(np.float64)

    ink_color = _pick(rng, cfg.webcam_ink_colors)
    strength = rng.uniform(*cfg.webcam_ink_strength)
    ink_rgb = tuple(255 - (255 - c) * strength for c in ink_color)
    pen = _count(rng, cfg.webcam_pen_width) if rng.random() < cfg.webcam_pen_probability else None
    renderer = _Renderer(images, cfg, pen, cfg.webcam_pen_width[0], cfg.webcam_pen_max_fraction)

    m = int(cfg.webcam_sheet_margin * min(sw, sh))
    area = (m, m, sw - m, sh - m)
    placed = _place_numbers(
        rng, images, labels, cfg, area, _count(rng, cfg.webcam_numbers), cfg.webcam_digits,
        cfg.webcam_digit_height, cfg.webcam_gap, cfg.webcam_separation, renderer,
    )
    if not placed:
        return None
    groups = [_number_inks(d, x, y, ink_rgb) for d, x, y in placed]
    occupied = [(x, y, d.width, d.height) for d, x, y in placed]
    loose: list[_Ink] = []
    clear = cfg.distractor_clearance

    def put(alpha: np.ndarray, color) -> None:
        h, w = alpha.shape
        spot = _free_spot(rng, w, h, area, occupied, clear, cfg.placement_tries)
        if spot is not None:
            loose.append(_Ink(alpha, spot[0], spot[1], color))
            occupied.append(loose[-1].rect)

    for _ in range(_count(rng, cfg.webcam_words)):
        put(_word(rng, cfg, cfg.webcam_word_height)[0], cfg.print_color)
    for _ in range(_count(rng, cfg.webcam_blots)):
        put(_blot(rng, cfg), ink_rgb)
    for _ in range(_count(rng, cfg.webcam_smudges)):
        put(_smudge(rng, cfg), cfg.smudge_color)
    for _ in range(_count(rng, cfg.webcam_line_pieces)):
        put(_line_piece(rng, cfg), _pick(rng, (ink_rgb, cfg.print_color)))

    sheet = _paper(rng, sw, sh, cfg.webcam_paper_level, cfg)
    for ink in loose + [i for g in groups for i in g]:
        _composite(sheet, ink)

    desk, clutter = _desk(rng, cfg)
    warped = cv2.warpPerspective(
        sheet, Hm, (FW, FH), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
    )
    cover = cv2.warpPerspective(np.ones((sh, sw), np.float32), Hm, (FW, FH), flags=cv2.INTER_LINEAR)
    frame = desk * (1.0 - cover[:, :, None]) + warped

    frame *= 1.0 - _shadow(rng, cfg)[:, :, None]
    frame *= rng.uniform(*cfg.webcam_channel_gain, 3).astype(np.float32)[None, None, :]
    mean = float(frame.mean())
    contrast = rng.uniform(*cfg.webcam_contrast)
    frame = mean + (frame - mean) * contrast + rng.uniform(*cfg.webcam_brightness)
    frame = cv2.GaussianBlur(frame.astype(np.float32), (0, 0), rng.uniform(*cfg.webcam_blur_sigma))
    noise = rng.uniform(*cfg.webcam_noise_sigma)
    frame += rng.standard_normal(frame.shape, dtype=np.float32) * noise
    image = _to_uint8(frame)
    if rng.random() < cfg.webcam_jpeg_probability:
        image = _jpeg(image, _count(rng, cfg.webcam_jpeg_quality))

    # Clutter boxes: each visible piece (not under the sheet or a later object) separately.
    hidden = cover >= 0.5
    clutter_boxes = []
    for mask in reversed(clutter):
        visible = ((mask > 127) & ~hidden).astype(np.uint8)
        hidden |= mask > 127
        n, _, stats, _ = cv2.connectedComponentsWithStats(visible, connectivity=8)
        for x, y, w, h, pixels in stats[1:]:
            if pixels >= cfg.webcam_clutter_min_pixels:
                clutter_boxes.append((int(x), int(y), int(w), int(h)))
    return _assemble("webcam", image, groups, loose, Hm, cfg, clutter_boxes)


_BUILDERS = {"drawing": _make_drawing, "scan": _make_scan, "webcam": _make_webcam}


def _extra_builder(kind: str):
    """The builder of an ``EXTRA_KINDS`` kind (its module builds on this one)."""
    from digit_app.data.touching_scenes import make_touching

    return {"touching": make_touching}[kind]
