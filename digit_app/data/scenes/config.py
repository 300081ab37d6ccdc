"""Every size, count, probability and noise level of the scene generator.

``SceneConfig`` holds the settings shared by all kinds (digit rendering, distractors, printed
words, the layout's retry budgets) and one nested config per kind: ``drawing``, ``scan``,
``webcam`` (``touching``: ``TouchingConfig``). Ranges are ``(low, high)``; integer counts are
inclusive at both ends. Sizes are ``(width, height)`` in pixels. Colours are BGR.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2

from digit_app.data.strokes import StrokeConfig

KINDS = ("drawing", "scan", "webcam")
#: Kinds made on demand only (``--kinds``): strings of touching and broken digits, of MNIST
#: test digits (``digit_app.data.scenes.touching``) and of held-out UNIPEN writers' digits
#: (``touching_unipen``); the ``-legible`` ones overlap neighbours by a share of the narrower
#: digit's width, not of their mean width, so that no digit hides under its neighbour;
#: ``drawing-unipen``: the drawing canvas written by held-out UNIPEN writers.
EXTRA_KINDS = ("touching", "touching-unipen", "touching-legible", "touching-unipen-legible",
               "drawing-unipen")
#: Each legible kind and the kind it is a variant of.
LEGIBLE_KINDS = {"touching-legible": "touching", "touching-unipen-legible": "touching-unipen"}
ALL_KINDS = KINDS + EXTRA_KINDS
TRAIN_SPLIT_SIZE = 60000  # size of the MNIST training split, refused by make_scene
RULED_LINE_MODES = ("between", "baseline", "none")


@dataclass(frozen=True)
class DrawingConfig:
    """The ``drawing`` kind: the white drawing canvas, numbers in a constant-width pen."""

    size: tuple[int, int] = (500, 300)
    numbers: tuple[int, int] = (1, 3)
    digits: tuple[int, int] = (1, 4)
    digit_height: tuple[float, float] = (40.0, 200.0)
    stroke_width: tuple[int, int] = (2, 25)  # pen width, px
    stroke_max_fraction: float = 0.22  # pen width at most this part of the height
    gap: tuple[float, float] = (0.1, 0.5)  # between digits, in digit heights
    separation: float = 1.5  # between numbers, in digit heights
    margin: int = 4  # px between ink and the canvas edge


@dataclass(frozen=True)
class PaperConfig:
    """Light paper (scan pages, webcam sheets, touching strips): its yellowing and texture."""

    tint: float = 9.0  # yellowing: blue channel lowered up to this much
    tint_green: float = 0.4  # ... and green by this part of it
    texture: float = 1.5  # amplitude of the paper's low-frequency texture
    texture_scale: int = 18  # px per texture cell
    grain: float = 1.5  # per-pixel grain sigma


@dataclass(frozen=True)
class ScanConfig:
    """The ``scan`` kind: an A4 form at 150 dpi, handwriting in rows among printed matter."""

    size: tuple[int, int] = (1240, 1754)  # A4 at 150 dpi
    numbers: tuple[int, int] = (8, 20)
    digits: tuple[int, int] = (1, 5)
    digit_height: tuple[float, float] = (40.0, 90.0)
    gap: tuple[float, float] = (0.1, 0.5)
    margin: tuple[int, int] = (110, 130)  # page margins x, y
    row_pitch: tuple[float, float] = (125.0, 160.0)  # writing rows
    row_bottom: float = 20.0  # baseline above the bottom of its row, px
    row_indent: tuple[float, float] = (0.0, 260.0)  # first item of a row from the margin
    item_gap: tuple[float, float] = (80.0, 260.0)  # between items of one row
    word_probability: float = 0.6  # a printed word before a number
    word_height: tuple[int, int] = (16, 32)  # cap height of printed words, px
    extra_words: tuple[int, int] = (1, 5)  # words on their own (titles, headers)
    # Printed text in real fonts (digit_app.data.printed: the fonts installed on the machine).
    #: A number's label is printed in a font (else in a Hershey font, as ``words``) ...
    font_label_probability: float = 0.7
    #: ... with a cap height of this part of the digits' height (bold labels as tall as the
    #: handwriting), in a bold face this often, and these texts (printed numbers included).
    label_height_rel: tuple[float, float] = (0.4, 1.0)
    bold_probability: float = 0.5
    labels: tuple[str, ...] = (
        "Phone:", "Code:", "Page:", "Invoice", "Total:", "Date:", "Amount:", "Qty:", "Price",
        "Box 12", "No. 7", "Item 3:", "Page 1", "Ref. 2024:", "Room 101", "Week 52", "Order",
        "Customer No.", "Zip code", "Account", "Section 4", "Line 2:", "Goods", "Tel.",
    )
    #: A header in the top margin (a title, often with a number), and a page footer.
    header_probability: float = 0.8
    headers: tuple[str, ...] = (
        "ORDER FORM", "INVOICE No. 1047", "Delivery note 3", "TIME SHEET - WEEK 12",
        "Form 27-B", "Inventory 2024", "Section 4: Totals", "Questionnaire", "Receipt",
        "Bestellschein Nr. 88", "EXPENSES Q3", "Stock count",
    )
    header_height: tuple[float, float] = (24.0, 56.0)  # cap height, px
    footer_probability: float = 0.6
    footer_height: tuple[float, float] = (14.0, 26.0)
    #: A printed table taking some rows: ruled grid, printed header cells, printed row numbers.
    grid_probability: float = 0.5
    grid_rows: tuple[int, int] = (2, 3)
    grid_columns: tuple[int, int] = (3, 5)
    grid_width_rel: tuple[float, float] = (0.45, 0.75)  # of the page width
    grid_headers: tuple[str, ...] = ("Item", "Qty", "Price", "Code", "Unit", "Total", "No.",
                                          "Date", "Hours", "Room")
    #: Check boxes (empty or ticked) in the free space, their side in px.
    checkboxes: tuple[int, int] = (0, 4)
    checkbox_side: tuple[int, int] = (18, 48)
    checkbox_tick_probability: float = 0.4
    #: Rubber stamps: printed capitals in a frame, rotated, in red or blue.
    stamp_probability: float = 0.35
    stamps: tuple[str, ...] = ("PAID", "RECEIVED", "APPROVED", "COPY", "PAID 12.03.",
                                    "No. 4471", "CHECKED 2")
    stamp_height: tuple[float, float] = (20.0, 40.0)  # cap height, px
    stamp_rotation_deg: float = 15.0
    stamp_colors: tuple[tuple[int, int, int], ...] = ((60, 50, 190), (170, 80, 40))
    ink_colors: tuple[tuple[int, int, int], ...] = (
        (32, 28, 28),  # black
        (90, 42, 24),  # blue-black
        (70, 38, 30),
    )
    ink_strength: tuple[float, float] = (0.8, 1.0)
    paper_level: tuple[float, float] = (236.0, 252.0)
    ruled_line_mode: str = "random"  # "between", "baseline", "none" or "random"
    ruled_line_modes: tuple[str, ...] = ("between", "baseline")  # drawn from if random
    ruled_between_probability: float = 0.35  # each gap between rows gets a line
    ruled_baseline_probability: float = 1.0  # each row's baseline gets a line
    ruled_min_lines: int = 2
    ruled_inset: tuple[float, float] = (0.0, 60.0)  # line ends from the page edge
    line_colors: tuple[tuple[int, int, int], ...] = ((205, 170, 140), (160, 160, 160))
    line_strength: tuple[float, float] = (0.45, 0.85)
    line_thickness: tuple[int, int] = (1, 3)
    table_probability: float = 0.4
    table_rows: tuple[int, int] = (2, 6)
    table_thickness: tuple[int, int] = (2, 3)
    table_inset: tuple[float, float] = (0.3, 0.7)  # sides from the edge, of the margin
    blots: tuple[int, int] = (1, 5)
    smudges: tuple[int, int] = (0, 3)
    line_pieces: tuple[int, int] = (1, 4)
    edge_clearance: int = 30  # distractors stay this far from the page edge
    rotation_deg: float = 1.5
    blur_sigma: tuple[float, float] = (0.0, 0.6)
    blur_min_sigma: float = 0.2  # below this no blur is applied
    jpeg_quality: tuple[int, int] = (60, 90)


@dataclass(frozen=True)
class WebcamConfig:
    """The ``webcam`` kind: a sheet seen in perspective over a cluttered desk."""

    size: tuple[int, int] = (640, 480)
    numbers: tuple[int, int] = (1, 4)
    digits: tuple[int, int] = (1, 4)
    # on the flat sheet; perspective makes it about 30-100 px in the frame
    digit_height: tuple[float, float] = (34.0, 88.0)
    gap: tuple[float, float] = (0.18, 0.5)
    separation: float = 1.5
    sheet_margin: float = 0.06  # of the sheet's shorter side
    fill: tuple[float, float] = (0.6, 0.95)  # sheet extent / frame extent
    sheet_aspects: tuple[float, ...] = (1.414, 0.707, 1.294, 0.773)  # height / width
    rotation_deg: float = 7.0
    keystone: tuple[float, float] = (0.0, 0.22)  # far edge shortened by this part
    corner_jitter: float = 0.03  # of the sheet size
    frame_margin: int = 3  # px between the sheet and the frame edge
    pen_probability: float = 0.4  # constant-width pen/marker instead of MNIST greys
    pen_width: tuple[int, int] = (3, 10)
    pen_max_fraction: float = 0.18
    ink_colors: tuple[tuple[int, int, int], ...] = (
        (30, 28, 28),
        (95, 45, 25),
        (140, 60, 30),  # blue ballpoint
    )
    ink_strength: tuple[float, float] = (0.85, 1.0)
    paper_level: tuple[float, float] = (225.0, 250.0)
    words: tuple[int, int] = (0, 2)
    word_height: tuple[int, int] = (12, 24)
    blots: tuple[int, int] = (0, 3)
    smudges: tuple[int, int] = (0, 1)
    line_pieces: tuple[int, int] = (0, 2)
    desk_colors: tuple[tuple[int, int, int], ...] = (
        (120, 160, 200),  # light wood
        (50, 75, 110),  # dark wood
        (140, 140, 138),  # grey laminate
        (205, 208, 210),  # white desk
        (45, 45, 48),  # black desk
    )
    desk_jitter: float = 15.0
    desk_gradient: float = 40.0  # grey levels of light falloff across the desk
    desk_texture: float = 6.0  # amplitude of the desk's blotchy texture
    desk_texture_scale: int = 40  # px per texture cell
    clutter_level: tuple[float, float] = (20.0, 235.0)
    clutter_saturation: float = 25.0  # spread of the channels around the grey level
    clutter: tuple[int, int] = (2, 6)
    clutter_size: tuple[float, float] = (0.08, 0.35)  # of the frame width
    clutter_min_pixels: int = 40  # clutter less visible than this is not recorded
    clutter_aspect: tuple[float, float] = (0.3, 1.0)  # boxes: short / long side
    clutter_line_width: tuple[int, int] = (3, 12)  # cables, pencils
    clutter_hole_probability: float = 0.5  # a round object is a ring (tape, cup)
    clutter_shading: float = 0.3  # brightness change across an object
    shadow_strength: tuple[float, float] = (0.15, 0.5)
    shadow_softness: tuple[float, float] = (15.0, 60.0)  # blur sigma of a shadow edge
    shadow_gradient_probability: float = 0.5  # linear gradient, else a soft region
    shadow_gradient_start: tuple[float, float] = (-0.3, 0.2)  # of the frame size
    shadow_gradient_width: tuple[float, float] = (0.2, 0.8)  # of the frame size
    shadow_region_vertices: tuple[int, int] = (4, 7)
    shadow_region_radius: tuple[float, float] = (0.2, 0.6)  # of the frame size
    blur_sigma: tuple[float, float] = (0.5, 1.5)
    noise_sigma: tuple[float, float] = (2.0, 6.0)
    channel_gain: tuple[float, float] = (0.88, 1.12)
    contrast: tuple[float, float] = (0.55, 0.9)
    brightness: tuple[float, float] = (-20.0, 15.0)
    jpeg_probability: float = 0.5
    jpeg_quality: tuple[int, int] = (70, 95)


@dataclass(frozen=True)
class TouchingConfig:
    """The ``touching`` kind: a strip holding one or two strings of touching digits."""

    size: tuple[int, int] = (720, 260)  # width, height of the strip
    numbers: tuple[int, int] = (1, 2)
    digits: tuple[int, int] = (2, 8)
    digit_height: tuple[float, float] = (40.0, 80.0)
    touching_share: tuple[float, float] = (0.3, 0.6)  # of the neighbour pairs, per scene
    touching_overlap: tuple[float, float] = (0.0, 0.3)  # beyond touching, of the mean width
    #: ... or of the narrower digit's width (the legible kinds: a narrow 1 beside a 0 is
    #: never swallowed by it, as people read it even when written fast).
    overlap_of_narrower: bool = False
    apart_gap: tuple[float, float] = (0.08, 0.35)  # other neighbours, in digit heights
    broken_probability: float = 0.12  # per digit
    broken_band: tuple[float, float] = (0.6, 1.2)  # width of the gap cut, in pen widths
    pen_probability: float = 0.5  # else ink on paper (MNIST greys)
    pen_width: tuple[float, float] = (0.06, 0.14)  # of the digit height
    cheque_probability: float = 0.4
    guilloche_curves: tuple[int, int] = (6, 14)
    guilloche_strength: tuple[float, float] = (0.08, 0.22)
    guilloche_colors: tuple[tuple[int, int, int], ...] = (
        (200, 170, 140), (150, 200, 160), (190, 160, 200))
    printed_line_strength: tuple[float, float] = (0.5, 0.9)
    number_separation: float = 0.5  # between the two numbers' lines, in digit heights
    margin: int = 16
    paper_blur: tuple[float, float] = (0.0, 0.7)
    jpeg_quality: tuple[int, int] = (70, 92)


@dataclass(frozen=True)
class SceneConfig:
    """The settings shared by every kind, and one nested config per kind."""

    # --- shared: digits -------------------------------------------------------------------
    grey_ink_range: tuple[float, float] = (0.08, 0.6)  # MNIST grey (0-1): no ink .. full ink
    grey_pad: int = 2  # MNIST pixels of margin kept around the crop before upscaling
    max_digit_aspect: float = 1.5  # a digit's ink is at most this many heights wide
    digit_scale_jitter: tuple[float, float] = (0.92, 1.08)  # per digit, around the number's
    digit_baseline_jitter: tuple[float, float] = (-0.05, 0.04)  # of the height, + is lower
    # cropping (ink_level) and skeletons of the pen digits
    strokes: StrokeConfig = field(default_factory=StrokeConfig)
    trim_level: float = 0.02  # alpha below which a rendered mask is cropped away
    truth_level: float = 0.35  # of an element's peak alpha: visible ink for its truth box
    shrink_on_failure: float = 0.88  # a number that does not fit retries this much smaller
    placement_tries: int = 40  # positions tried for a word, blot or line before giving up
    layout_attempts: int = 10  # free layouts of numbers redone with a lower height cap
    number_tries: int = 4  # sizes tried per number within one layout
    positions_per_draft: int = 25  # positions tried for a number at one size
    scene_attempts: int = 20  # whole scenes retried if truth boxes end up overlapping
    #: Folder holding ``unipen/`` for the ``touching-unipen`` kind (None: where
    #: ``digit_app.data.real`` looks by default).
    real_dir: str | None = None

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

    # --- the paper of scans, webcam sheets and touching strips; then one config per kind ---
    paper: PaperConfig = PaperConfig()
    drawing: DrawingConfig = DrawingConfig()
    scan: ScanConfig = ScanConfig()
    webcam: WebcamConfig = WebcamConfig()
    touching: TouchingConfig = TouchingConfig()


DEFAULT_SCENE_CONFIG = SceneConfig()
DEFAULT_TOUCHING = DEFAULT_SCENE_CONFIG.touching
