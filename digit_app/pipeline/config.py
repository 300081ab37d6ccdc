"""Every threshold of the detection pipeline, in one frozen dataclass.

Sizes are never pixel constants tuned to one resolution: they are fractions of the image
size, of the estimated stroke width, or of the *typical height* (the area-weighted median
height of the ink components, i.e. the size of the digits in this image). The only pixel
values are a compute resolution (``work_side``) and a legibility floor (``min_height_px``).

Each field is described once, by :func:`~digit_app.pipeline.settings.setting`: its help text,
the range (or choices) it accepts, the section of the pipeline it belongs to and whether a
settings form shows it by default. Validation and the GUI's settings form read that.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from digit_app.pipeline.normalize import NormalizeConfig
from digit_app.pipeline.settings import check_settings, setting, setting_metadata

POLARITIES = ("auto", "dark", "light")

# The sections of the pipeline, in the order its steps run (titles of the settings form's groups).
BINARIZATION = "Binarization"
PAGE = "The sheet in a webcam frame"
COMPONENTS = "Components and filters"
SCALE = "The size of the digits around each piece"
MERGE = "Merging broken strokes"
SEGMENTATION = "Segmentation by recognition"
GROUPING = "Grouping into numbers"
PRINTED = "Printed text and frames"
RESULTS = "Results"

# Help shared by neighbouring fields that one sentence describes together.
_PAGE_MIN_SHARPNESS_HELP = (
    "... counting only sharp ones: at least this part of the step across a window "
    "``page_sharp_radius`` pixels of the work copy around (a shadow's edge is soft).")
_RIM_MIN_SHARE_HELP = (
    "Ink touching the edge of the sheet with at least this share of it within "
    "``rim_reach_strokes`` stroke widths of that edge runs along it (the sheet's own edge, "
    "a cable lying across it): not writing.")
_PAGE_MIN_AREA_REL_HELP = (
    "The sheet is used only if it covers at least / at most this fraction of the frame ...")
_MIN_HEIGHT_REL_TYPICAL_HELP = (
    "Candidate height limits relative to the typical height.")
_GRAPH_STRING_MIN_HEIGHT_REL_HELP = (
    "... except, with ``graph`` on, for a piece at least this fraction of the typical "
    "height tall and at most ``graph_string_max_aspect`` heights wide: a string of "
    "touching digits, which the segmentation graph cuts.")
_SCALE_MIN_REL_HELP = (
    "... and when it is not below this fraction of the image's, nor shorter than "
    "``scale_min_rel_stroke`` of its own stroke widths (a dot, a speck, a dash standing "
    "alone is not a size of its own).")
_MERGE_SMALL_REL_HELP = (
    "A small piece (long side below this fraction of the typical height: a dot, a faint "
    "dash) joins a neighbour within ``merge_link_rel`` typical heights in both directions ...")
_MERGE_MAX_HEIGHT_REL_HELP = (
    "A merged group may not be taller than this multiple of the typical height (or of its "
    "tallest piece, if taller), nor wider than ``merge_max_width_rel`` typical heights (or "
    "times its own height, if taller and of one digit: the bar of a 5 drawn apart, running "
    "wide to the right).")
_GRAPH_MIN_WIDTH_REL_HELP = (
    "A candidate wider than this many times its height (or ``graph_height_rel_line`` of "
    "the typical height around it, if taller) may hold touching digits: it is cut before "
    "the model call.")
_GRAPH_MAX_GROUP_WIDTH_REL_HELP = (
    "... and is at most this many heights wide, and at least this fraction of the "
    "region's height tall (a stroke's end cut off is no digit).")
_CUT_BAND_REL_HELP = (
    "... and a cut path strays at most this fraction of the height from its start. It "
    "costs ``cut_stroke_cost`` per stroke it enters, ``cut_ink_cost`` per ink pixel (up "
    "to ``cut_centre_pull`` of that less in the middle of a stroke) and "
    "``cut_straightness`` per column away from its start, each row.")
_PRINT_MIN_LETTERS_HELP = (
    "A word is this many letters or more, of which this many (or half) are rejected by "
    "the model (2 keeps a handwritten number with one rejected digit from being a word, "
    "but misses more printed words: on generated scans 1 read more numbers exactly).")
_PRINT_SPACE_REL_HELP = (
    "A printed digit lies at most this many of the word's capital heights from it (a word "
    "space; a monospaced font's is nearly one) on its baseline (``print_align_rel``), and "
    "is as tall as its capitals (digits of a font are) within this fraction of them; so is "
    "a letter spaced apart, as tall as the capitals or the small letters (the i and o of "
    "\"Section\" in a monospaced font). Handwriting beside a label is rarely of its height "
    "and baseline both.")
_PRINT_ASCENDER_REL_HELP = (
    "A word whose tallest letter on the baseline is less than this many times its shortest "
    "is of small letters alone (x-height, about this fraction of the capitals' height).")
_PRINT_TYPE_HELP = (
    "A word set like type is print however its letters read (an italic \"Line\" read 1 1 1 7, "
    "a lone \"SUM\" whose U and M are cut into 1s), when the print detector holds one of its "
    "members for print. Small letters: at least print_type_min_glyphs of its members, and "
    "print_type_share of them, stand on one baseline with their tops on its cap line or on an "
    "x-height line (print_type_x_height_min to print_type_x_height_max of the capitals' height "
    "above the baseline), print_type_min_small on the latter. Capitals: print_type_min_glyphs "
    "glyphs at least (pieces cut apart that abut make one), all on the baseline and the cap "
    "line, one read whole held for print. Lines within print_type_tol of the median height (a "
    "pixel at least): a hand never sets its strokes so. Such a word needs no letter the model "
    "rejects when print_type_min_cut of its members were cut apart. A tolerance of 0 turns it "
    "off.")
_OUTLINE_MIN_SIDE_FILL_HELP = (
    "A candidate whose ink runs along all four sides of its box (within "
    "``outline_band_rel`` of its shorter side from each), over this share of each side, is "
    "a frame (a check box, a table cell), never a digit: a round 0 covers about 70%.")


@dataclass(frozen=True)
class PipelineConfig:
    # ---- binarization (binarize.py) -------------------------------------------------------
    work_side: int = setting(
        160, section=BINARIZATION, range=(8, 2048),
        help="Short side, in pixels, of the downscaled copy used to estimate the paper background "
             "and the polarity. A compute resolution (illumination is smooth), not a threshold.")
    small_image_max_side: int = setting(
        256, section=BINARIZATION, range=(0, 100000),
        help="An image no longer than this on its longer side (a data set's 28 x 28 sample, a digit "
             "cut out of a page) is laid in the middle of a square of its own paper, enlarged if "
             "small, before it is read: at its own size a small one's strokes are a pixel or two "
             "wide, and a tight crop's ink touches the edges, where a camera frame's cut-off "
             "digits are dropped (a camera's smallest frame, 320 x 240, stays a frame). 0: never. "
             "Held-out samples as their files are: BHMSDS (28 x 28) 0.978 -> 0.989 read right, "
             "kensanata16 (16 x 16) 0.817 -> 0.988; MNIST digits cropped to their ink, 160 px "
             "tall, 0.43 -> 0.98 ...")
    small_image_target_side: int = setting(
        112, section=BINARIZATION, range=(1, 4096),
        help="... by the largest whole factor that keeps its longer side at most this (a 28 px "
             "sample 4 times: 3 times read 0.1-0.7 points fewer of the BHMSDS files and tight "
             "MNIST crops; a 64 px image stays as it is) ...")
    small_image_margin_rel: float = setting(
        0.3, section=BINARIZATION, range=(0, 10),
        help="... with a margin of this fraction of that side all round ...")
    small_image_rim_contrast: int = setting(
        60, section=BINARIZATION, range=(0, 255),
        help="... unless it needs no enlarging and no pixel on its rim is this many grey levels "
             "off its paper: a page already (the CLI read 64 x 64 images of one digit with a "
             "margin at 144 per s padded, about 200 per s as they are).")
    small_image_grain_min_side: int = setting(
        24, section=BINARIZATION, range=(1, 100000),
        help="A small image with sensor noise on its paper (a phone's photo of pencil in dim "
             "light; ``denoise_noise_level``, measured along its edges) is smoothed as a camera "
             "frame is (``denoise_sigma_px``) before its own paper is laid round it: measured "
             "over that clean paper, its noise looked small to the threshold, which took the "
             "grain for ink (held-out BHMSDS photos in pencil with noise of 18 grey levels, saved "
             "as JPEG: 0.465 -> 0.985 read right, ``benchmarks/bench_grain.py``). Not judged on an "
             "image narrower than this (px): a digit cut to its ink shows no paper, only the "
             "faint edge of its strokes.")
    crop_retry_max_side: int = setting(
        1024, section=BINARIZATION, range=(0, 100000),
        help="An image no longer than this on its longer side, larger than a small image, with "
             "dark ink on its rim and lighter paper, in which nothing is read as it is, is read "
             "once more as a small image (on a square of its paper): a tight crop of a digit, read "
             "as a frame, loses its ink to the sheet finder and the frame's edge rules. 0: never. "
             "Read right, cropped to their ink: MNIST digits 300 px tall 0.47 -> 0.91, held-out "
             "UNIPEN digits drawn 300 px tall (12 px pen) 0.916 -> 0.957, 400 px (4 px pen) "
             "0.939 -> 0.973, 800 px (8 px pen) 0.950 -> 0.974 ...")
    tight_crop_max_side: int = setting(
        4096, section=BINARIZATION, range=(0, 100000),
        help="An image larger than a small image and no longer than this, whose ink runs onto "
             "all four of its edges (cropped to its ink, whatever its polarity), is read both as "
             "it is and as a small image; the second reading is taken if its digits span it "
             "(``crop_retry_min_span``). 0: never. MNIST digits cropped at their visible ink, read "
             "right: 300 px tall light on dark 0.288 -> 0.978, 1,200 px tall dark on light 0.450 "
             "-> 0.978 (``benchmarks/bench_crops.py --ink-level 127``); 1 of 100 generated webcam "
             "frames has ink on all four edges, no scan or drawing.")
    tight_crop_rim_contrast: int = setting(
        60, section=BINARIZATION, range=(0, 255),
        help="... ink on an edge: a pixel this many grey levels off the paper.")
    fat_crop_stroke_rel: float = setting(
        0.1, section=BINARIZATION, range=(0, 1),
        help="An image larger than a small image and no longer than ``tight_crop_max_side``, holding "
             "a few pieces of ink (``fat_crop_max_pieces``) whose strokes are at least this fraction "
             "of its short side wide, and, if the ink is light, no sheet on a desk, is writing "
             "cropped (with a margin, or to its ink with faint edges): read both as it is and as a "
             "small image, the second reading taken if its digits span the ink "
             "(``crop_retry_min_span``). The paper estimate (``background_kernel_rel``) hollows out "
             "such strokes: MNIST digits cropped with a margin of 3-50% and read as frames were read "
             "right 0.99-1.0 with strokes up to 0.13 of the short side, 0.94 at 0.13-0.16, 0.79 at "
             "0.16-0.2.")
    fat_crop_bar_aspect: float = setting(
        2.0, section=BINARIZATION, range=(0, 100),
        help="... (light ink whose largest piece has no hole and is at least this many times as "
             "long as wide is a stroke, a fat 1, whatever the sheet finder makes of it: a sheet of "
             "paper is not so narrow, and holds the holes of its writing) ...")
    fat_crop_max_pieces: int = setting(
        12, section=BINARIZATION, range=(0, 1000),
        help="... at most this many pieces of ink (a number, not a page). 0: never.")
    crop_retry_min_span: float = setting(
        0.75, section=BINARIZATION, range=(0, 1),
        help="... and that reading is taken only if its digits together span at least this "
             "fraction of the image's width and of its height (a tight crop's ink does; a camera "
             "frame's desk and edges, read so, gave stray 1s: 100 webcam frames at 320 x 240 painted "
             "empty gave 12 false digits before, 32 with the second reading taken whatever it "
             "spans and whatever the ink's polarity, 14 with this check, 12 with both; 640 x 480 "
             "frames 20 before and after).")
    crop_frame_digit_max_rel: float = setting(
        0.5, section=BINARIZATION, range=(0, 1),
        help="A picture in colour whose reading as a frame holds digits all shorter than this "
             "fraction of its height, on a sheet of paper that stands out in it (``find_sheet``), "
             "is a camera frame and not read as a crop, even with ink on every edge: read as a "
             "crop, its desk's halves and the sheet were giant digits (300 webcam frames of each "
             "of twelve seeds: 3 frames, 7 more numbers read exactly and 8 non-digits fewer; "
             "crops of digits, ``bench_crops.py``, read the same). 0: never.")
    background_kernel_rel: float = setting(
        0.2, section=BINARIZATION, range=(0, 1),
        help="Size of the grey closing that estimates the paper brightness, as a fraction of the "
             "image's short side. Must exceed the widest stroke (a 40 px pen on a 300 px canvas is "
             "0.13) and stay small enough to follow webcam shadows and gradients.")
    polarity_kernel_rel: float = setting(
        0.25, section=BINARIZATION, range=(0, 1),
        help="Box filter used as the local reference when detecting polarity, fraction of short side.")
    polarity_tail_sigmas: float = setting(
        3.0, section=BINARIZATION, range=(0, 20),
        help="Residuals beyond this many robust standard deviations make the tails whose weight "
             "decides the polarity (ink is one heavy tail, paper noise is symmetric).")
    polarity: str = setting(
        "auto", section=BINARIZATION, choices=POLARITIES, basic=True, label="Ink colour",
        help='"auto" detects dark-on-light vs light-on-dark; "dark" / "light" force the ink polarity.')
    min_contrast: float = setting(
        0.12, section=BINARIZATION, range=(0, 1), basic=True, label="Faintest ink (contrast)",
        help="Ink must be at least this much darker than the local paper (fraction of the paper "
             "brightness, after illumination flattening). Protects blank pages from noise.")
    noise_sigmas: float = setting(
        4.0, section=BINARIZATION, range=(0, 20),
        help="... and darker than the paper by this many robust standard deviations of paper noise.")
    max_threshold: float = setting(
        0.45, section=BINARIZATION, range=(0, 1),
        help="The Otsu threshold is clamped to at most this darkness (fraction of full scale), so "
             "faint handwriting next to black print is not thresholded away.")
    hysteresis_low_rel: float = setting(
        0.6, section=BINARIZATION, range=(0, 1),
        help="Hysteresis, on a sheet found in a camera frame (page.py): pixels darker than this "
             "fraction of the threshold (above the paper, and beyond the paper noise) are ink too "
             "where they touch ink above it. 1 disables.")
    denoise_noise_level: float = setting(
        0.02, section=BINARIZATION, range=(0, 1),
        help="A Gaussian denoise is applied before thresholding when the paper noise (robust sigma, "
             "fraction of full scale) exceeds this (webcam frames); clean canvases skip it.")
    denoise_sigma_px: float = setting(
        1.0, section=BINARIZATION, range=(0, 10),
        help="... with this sigma in pixels: sensor noise is per pixel whatever the resolution.")

    # ---- the sheet in a webcam frame (page.py) ---------------------------------------------
    page_ink_kernel_rel: float = setting(
        0.04, section=PAGE, range=(0, 1),
        help="Grey closing that erases ink and thin lines before looking for the sheet's edge, "
             "fraction of the work copy's short side.")
    page_min_step: float = setting(
        0.08, section=PAGE, range=(0, 1),
        help="No sheet is looked for when the (ink-free) brightness varies by less than this "
             "fraction of full scale across the frame: the page fills the image.")
    page_edge_rel: float = setting(
        0.15, section=PAGE, range=(0, 1),
        help="A step of the ink-free brightness between neighbours larger than this fraction of "
             "its range across the frame is an edge (the sheet's border); shadows are softer.")
    page_edge_rel_retry: float = setting(
        0.07, section=PAGE, range=(0, 1),
        help="When no sheet stands out at that step, steps this faint are tried once more (a dark "
             "object on the desk widens the range, and a pale sheet on a pale desk then has a "
             "border fainter than the step; 0 turns the second look off) ...")
    page_min_sharpness: float = setting(
        0.5, section=PAGE, range=(0, 1),
        help=_PAGE_MIN_SHARPNESS_HELP)
    page_sharp_radius: int = setting(
        4, section=PAGE, range=(0, 32),
        help=_PAGE_MIN_SHARPNESS_HELP)
    rim_min_share: float = setting(
        0.9, section=PAGE, range=(0, 1),
        help=_RIM_MIN_SHARE_HELP)
    rim_reach_strokes: float = setting(
        2.0, section=PAGE, range=(0, 20),
        help=_RIM_MIN_SHARE_HELP)
    page_background_kernel_rel: float = setting(
        0.08, section=PAGE, range=(0, 1),
        help="Background kernel (as ``background_kernel_rel``) used on a sheet found in a frame: "
             "smaller, to follow the edges of shadows cast across the sheet.")
    page_edge_grow: int = setting(
        2, section=PAGE, range=(0, 32),
        help="Edges are thickened by this many pixels of the work copy (a compute resolution) to "
             "close gaps in the sheet's border; the page keeps this far from its edge.")
    page_neck_rel: float = setting(
        0.06, section=PAGE, range=(0, 1),
        help="Strips of the found region narrower than this fraction of the work copy's short side "
             "are cut off (a leak onto the desk through a gap in the sheet's border).")
    page_min_side_px: int = setting(
        96, section=PAGE, range=(0, 100000),
        help="An image whose short side is below this (px) is a crop of some writing, not a frame "
             "with a desk around a sheet: the whole image is the page (no search; a 64x64 digit "
             "image spent 0.75 of its 2.6 ms looking for a sheet).")
    page_min_area_rel: float = setting(
        0.1, section=PAGE, range=(0, 1),
        help=_PAGE_MIN_AREA_REL_HELP)
    page_max_area_rel: float = setting(
        0.9, section=PAGE, range=(0, 1),
        help=_PAGE_MIN_AREA_REL_HELP)
    page_min_blank: float = setting(
        0.6, section=PAGE, range=(0, 1),
        help="... and at least this fraction of it is blank paper (not holes: ink, words) ...")
    page_min_solidity: float = setting(
        0.85, section=PAGE, range=(0, 1),
        help="... and it fills at least this fraction of its convex hull (a sheet is convex) ...")
    page_notch_min_paper: float = setting(
        0.6, section=PAGE, range=(0, 1.01),
        help="A notch between the sheet found and its convex hull is added to it when at least "
             "this fraction of it is paper (ink written against the sheet's edge); an object "
             "lying over the edge is not (above 1: no notch is added for being paper) ...")
    page_notch_small_rel: float = setting(
        0.03, section=PAGE, range=(0, 1),
        help="... but a notch smaller than this fraction of the sheet found is added whatever it "
             "holds: a digit near the edge or a shadow's edge carved it out of the sheet, and a "
             "sheet is convex (0: none). On 300 webcam frames of seeds 3, 7 and 11, numbers read "
             "exactly rose 0.942 -> 0.948, 0.935 -> 0.936 and 0.942 -> 0.948; non-digits went "
             "8 -> 9, 8 -> 9 and 21 -> 20 (an object over the edge now read in a small notch).")
    page_notch_shade_min: float = setting(
        0.75, section=PAGE, range=(0, 1),
        help="In colour, a notch's pixel is paper too when it is the paper in other light: its "
             "grey at least this fraction of the lit paper's (page_bright_percentile) ...")
    page_notch_shade_max: float = setting(
        1.03, section=PAGE, range=(1, 2),
        help="... and at most this multiple of it (a shadow across the sheet pulls its mean down, "
             "and the lit paper in a notch stands above it; the sheet in a notch of a piece of "
             "desk taken for the page stands brighter still) ...")
    page_notch_shade_tolerance_rel: float = setting(
        0.5, section=PAGE, range=(0, 1),
        help="... and each of its colours the paper's scaled by the same factor as its grey, "
             "within this fraction of the edge step (a shadow darkens all colours alike; an "
             "object lying over the edge differs in hue). On 300 webcam frames of seeds 3, 5, "
             "7, 11, 13, 17, 19, 23, 29 and 31, 20 more numbers read exactly (a digit near "
             "a shadowed edge of the sheet no longer cut out), none lost, non-digits the same.")
    page_max_alike_outside: float = setting(
        0.5, section=PAGE, range=(0, 1),
        help="... and no more than this fraction of the frame around it has its brightness and "
             "colour (within the edge step): paper all around is a loop of ink (a big 0), not a "
             "sheet on a desk.")
    page_min_desk_at_edge: float = setting(
        0.15, section=PAGE, range=(0, 1),
        help="... and at least this share of the frame's edge is desk: outside it and unlike its "
             "paper (with paper all along the edge, the \"desk\" is a broad stroke across a canvas) ...")
    page_bright_percentile: float = setting(
        90.0, section=PAGE, range=(0, 100),
        help="Of the convex regions, the sheet is the brightest at this percentile of its blank "
             "paper's grey (a shadow across the sheet darkens part of it, not all) ...")
    page_max_brighter_outside: float = setting(
        1.0, section=PAGE, range=(0, 100),
        help="... and no larger part of the frame than this multiple of its area, outside it, is "
             "brighter than it by more than the edge step (the sheet is the brightest flat thing in "
             "view: a region outshone is a piece of desk).")

    # ---- components and filters (components.py) ------------------------------------------
    speck_area_rel_image: float = setting(
        5e-6, section=COMPONENTS, range=(0, 0.001),
        help="Specks: components with an area below this fraction of the image area ...")
    speck_area_rel_stroke: float = setting(
        0.2, section=COMPONENTS, range=(0, 10),
        help="... or below this multiple of the squared stroke width are noise (a dot of a dotted "
             "stroke is about 0.8 stroke widths squared) ...")
    paper_dot_area_rel_stroke: float = setting(
        0.6, section=COMPONENTS, range=(0, 10),
        help="... and so are pieces below this multiple where ``paper_dot_min_count`` or more of "
             "them are: the printed dots of dotted paper, smaller than the pen's (a decimal "
             "point, a disc of the pen's width, is about 0.8; a dash of a thinner stroke beside a "
             "fat digit about 0.4, lost on such paper). Left in, they set the typical height and "
             "joined the digits: numbers on dots 25 px apart read 0.21 -> 0.95 exactly "
             "(benchmarks/bench_paper.py); a lone photographed digit on them 0.39 at 0.35, "
             "0.96 at 0.6 (``--photos --single``: its strokes are thinner next to the dots) ...")
    paper_dot_min_count: int = setting(
        20, section=COMPONENTS, range=(1, 1_000_000),
        help="... (a digit's stray dots and fragments are a few).")
    line_length_rel_image: float = setting(
        0.1, section=COMPONENTS, range=(0, 1),
        help="A ruled line / table border is a straight run at least this fraction of the image "
             "width (horizontal) or height (vertical) ...")
    line_length_rel_height: float = setting(
        6.0, section=COMPONENTS, range=(0, 50),
        help="... and at least this many typical digit heights (so a '1' or a '7' bar never is one).")
    line_across_min_aspect: float = setting(
        2.0, section=COMPONENTS, range=(0, 100),
        help="... or a thin horizontal run across ``line_span_rel`` of the ink's width, this many "
             "times longer than its piece of ink is tall and reaching a stroke width past the "
             "writing on it at both ends, where two or more rows span the ink: a line of ruled "
             "paper in a crop only a few digits wide (the bar of a 4 is no longer than the digit "
             "is tall; a line struck through a number is one row) ...")
    line_grid_min_crossings: int = setting(
        3, section=COMPONENTS, range=(1, 1000),
        help="... or, in ruling, a thin run crossing at least this many of the lines erased across "
             "it: a grid's column in an image too short for the column to be that long (a number "
             "cropped from squared paper) ...")
    line_grid_min_share: float = setting(
        0.8, section=COMPONENTS, range=(0, 1),
        help="... and at least this fraction of the lines passing where it runs: a grid's column "
             "crosses every row; a digit's stroke on small squares crosses as many lines as that, "
             "but few of them.")
    line_float_reach: float = setting(
        3.0, section=COMPONENTS, range=(0, 100),
        help="A straight run with an end this many run tolerances (about a stroke width each) "
             "short of its component's edge and of every line across it, and no ink in line "
             "beyond it for half as far, is a digit's stroke on the paper's lines (a 1 on squared "
             "or ruled paper), not a line, however long.")
    line_keep_thicker_px: int = setting(
        2, section=COMPONENTS, range=(0, 100),
        help="Erasing a line keeps the ink where it is this many pixels thicker across the line "
             "than the line itself: a stroke lying along it (the bar of a 7 on a grid's row, the "
             "upright of a 1 on a column). 0: only strokes crossing it are mended ...")
    line_keep_max_thickness_rel: float = setting(
        0.5, section=COMPONENTS, range=(0, 100),
        help="... when the line is at most this many stroke widths thick: a hairline (the grid of "
             "squared paper) under a pen. A rule as thick as the writing varies as much as a stroke "
             "lying on it would thicken it.")
    line_min_elongation: float = setting(
        8.0, section=COMPONENTS, range=(0, 100),
        help="A component this many times wider than tall and a line length long is a ruled line, "
             "left out when estimating the typical height.")
    border_min_elongation: float = setting(
        6.0, section=COMPONENTS, range=(0, 100),
        help="A straight bar left between two erased ruling lines (the side of a form's box, a table "
             "column rule) is a border, not a \"1\", when it is this many times taller than wide and "
             "touches an erased line at both ends.")
    line_span_rel: float = setting(
        0.9, section=COMPONENTS, range=(0, 1),
        help="A single run (or runs end to end) this fraction of the image side long is ruling by "
             "itself; shorter runs count as ruling only when they run in parallel in one "
             "component (ruled paper, a grid).")
    line_parallel_overlap: float = setting(
        0.5, section=COMPONENTS, range=(0, 1),
        help="Two runs of one component are parallel (a grid, ruled paper) when they overlap along "
             "their length by this fraction of the shorter; runs end to end are one bent stroke "
             "(a tall '1' drawn with a wobble), not ruling.")
    line_parallel_min_gap: float = setting(
        5.0, section=COMPONENTS, range=(0, 100),
        help="... at least this many stroke widths apart: closer, they are one stroke gone over "
             "twice (a '1' drawn up and down) ...")
    line_parallel_min_aspect: float = setting(
        2.5, section=COMPONENTS, range=(0, 100),
        help="... and parallel runs in one direction only are ruling when the shorter is this many "
             "times longer than their component's extent across them (ruled paper, a table's rows); "
             "the uprights of a '4' or the sides of a '0' are about as far apart as they are long. "
             "Parallel runs in both directions (a box) are ruling whatever their length.")
    line_box_reach_strokes: float = setting(
        2.0, section=COMPONENTS, range=(0, 100),
        help="... and so are two parallel runs that a run across them joins at the same end of both, "
             "within this many stroke widths: three sides of a form's box whose fourth runs along "
             "the sheet's edge.")
    digit_min_height_rel_stroke: float = setting(
        3.0, section=COMPONENTS, range=(0, 20),
        help="No digit is shorter than this many stroke widths (a '0' is two strokes and a hole): "
             "a component shorter than ``line_length_rel_height`` such heights holds no line and "
             "is not examined (a digit drawn with a broad pen on a canvas costs nothing).")
    line_max_components: int = setting(
        64, section=COMPONENTS, range=(0, 10000),
        help="At most this many components are examined for lines (the longest); more is texture "
             "or noise, and bounds the time such an image can take.")
    underline_min_width_rel: float = setting(
        0.7, section=COMPONENTS, range=(0, 1),
        help="A thin horizontal run along the bottom of a piece of writing, at least this "
             "fraction of its width, under ink at least a digit's least height tall and reaching "
             "a stroke width past that ink on both sides (the bases of touching 2s do not), is a "
             "line drawn under a number and touching it ...")
    underline_min_length_rel: float = setting(
        1.5, section=COMPONENTS, range=(0, 100),
        help="... when it is at least this many typical digit heights long and two pieces of "
             "writing stand on it once it is gone (a number's underline); it is erased, the "
             "strokes crossing it mended ...")
    underline_alone_min_length_rel: float = setting(
        2.5, section=COMPONENTS, range=(0, 100),
        help="... or this many, with one piece on it (an underline touching one digit of its "
             "number; a held-out 2's long foot was 2.1 of its height without it).")
    line_skew: float = setting(
        0.035, section=COMPONENTS, range=(0, 1),
        help="Slope tolerated in a ruled line (scanner skew, a webcam held askew), rise over run: "
             "0.035 is 2 degrees.")
    min_height_rel_typical: float = setting(
        0.3, section=COMPONENTS, range=(0, 1),
        help=_MIN_HEIGHT_REL_TYPICAL_HELP)
    max_height_rel_typical: float = setting(
        4.0, section=COMPONENTS, range=(0, 20),
        help=_MIN_HEIGHT_REL_TYPICAL_HELP)
    edge_max_height_rel_typical: float = setting(
        1.5, section=COMPONENTS, range=(0, 20),
        help="A candidate touching the image's edge is seen cut off: taller than this many typical "
             "heights of the image, it is part of something larger (the edge of a desk or of a "
             "sheet, a cable), not a digit. On 300 webcam frames of each of seeds 1, 3 and 4 this "
             "took the non-digits reported from 1.5-1.9% to 1.2-1.5% and lost no digit; drawings "
             "and scans read the same.")
    edge_bar_min_elongation: float = setting(
        4.0, section=COMPONENTS, range=(0, 100),
        help="... and so is a straight bar this many times longer than wide touching the edge (a "
             "sheet's or a frame's border running out of the picture), upright or slanted ...")
    edge_bar_min_fill: float = setting(
        0.5, section=COMPONENTS, range=(0, 1.01),
        help="... a slanted one when its ink fills this fraction of its rotated rectangle (above 1: "
             "upright bars only). On 300 webcam frames (seed 3) 0.3-0.7 took the non-digits from "
             "1.18% to 1.02% and lost no number; drawings, scans and touching digits read the same.")
    stick_min_lean_deg: float = setting(
        45.0, section=COMPONENTS, range=(0, 90.01),
        help="A straight bar leaning this many degrees or more from upright ... (above 90: "
             "none) ...")
    stick_min_elongation: float = setting(
        9.0, section=COMPONENTS, range=(0, 1000),
        help="... and this many times longer than wide is a pen, a stick or a cable on the desk, "
             "or a rule, not a 1: of the 1135 MNIST test 1s, the straight ones leaning 44 degrees "
             "or more are at most 7.4 times longer than wide; drawn with a thin pen, a 1 leaning "
             "44 degrees was 9.5 (drawings, seed 3), and the pens lying in webcam frames lean "
             "46-59 degrees, 9.9-24 times longer than wide.")
    ring_min_roundness: float = setting(
        0.97, section=COMPONENTS, range=(0, 1.01),
        help="A loop whose outline and hole are both circles, ellipses fitted to them at least "
             "this many times as wide as long, is a ring lying on the desk, not a 0 (above 1: "
             "none): rings are drawn round, and of 1331 written zeros (MNIST test, held-out "
             "UNIPEN and BHMSDS) one had both above 0.95, none above 0.97.")
    max_pieces_in_loop: int = setting(
        1, section=COMPONENTS, range=(0, 20),
        help="A candidate with more than this many separate pieces of ink inside a loop of its "
             "largest piece (eyes and a mouth in a circle: a face) is a drawing, not a digit: no digit "
             "is written with two separate marks inside a loop (one is the dotted zero). Pieces "
             "smaller than the speck area do not count.")
    min_height_rel_image: float = setting(
        0.008, section=COMPONENTS, range=(0, 1),
        help="Candidate height floor relative to the image's longer side (2.4 mm on any A4 scan).")
    min_height_px: int = setting(
        6, section=COMPONENTS, range=(0, 1000), basic=True, label="Smallest digit (pixels)",
        help="Absolute legibility floor: nothing shorter than this is readable at any resolution.")
    max_aspect: float = setting(
        2.5, section=COMPONENTS, range=(0, 20),
        help="Widest accepted width/height ratio (a minus sign or underline is wider) ...")
    graph_string_min_height_rel: float = setting(
        0.8, section=COMPONENTS, range=(0, 10),
        help=_GRAPH_STRING_MIN_HEIGHT_REL_HELP)
    graph_string_max_aspect: float = setting(
        10.0, section=COMPONENTS, range=(0, 100),
        help=_GRAPH_STRING_MIN_HEIGHT_REL_HELP)
    min_ink_ratio: float = setting(
        0.01, section=COMPONENTS, range=(0, 1),
        help="Minimum fill fraction of the box (ink pixels / box area) ...")
    min_ink_stroke_rel: float = setting(
        0.03, section=COMPONENTS, range=(0, 1),
        help="... counting the ink as if its strokes were at least this fraction of the box's "
             "height wide: a digit drawn with a 1 px line 700 px tall fills 0.75% of its box, "
             "and is a digit all the same (0: the fill as it is).")
    solid_thickness_rel: float = setting(
        3.0, section=COMPONENTS, range=(0, 1000),
        help="The typical height leaves out solid shapes: pieces whose thickness (ink area over "
             "width plus height) is this many times the pieces' usual one (their height-weighted "
             "median), a dark object in a camera frame whose ink outweighs the digits'. On 300 "
             "webcam frames (seed 3) numbers read exactly 0.915 -> 0.921, non-digits 1.02% -> "
             "0.90%; real digits, drawings, scans and touching digits read the same.")
    blob_ink_ratio: float = setting(
        0.9, section=COMPONENTS, range=(0, 1),
        help="A box filled above this fraction ...")
    blob_min_squareness: float = setting(
        0.45, section=COMPONENTS, range=(0, 1),
        help="... whose short/long side ratio exceeds this is a blot, not a digit (a '1' is thin).")

    # ---- the size of the digits around each piece (scale.py) ------------------------------
    scale_link_rel: float = setting(
        1.0, section=SCALE, range=(0, 10),
        help="Pieces closer than this fraction of the shorter one's height are neighbours; a group "
             "of neighbours (a number, a line of writing) has its own typical height, so a small "
             "number drawn beside a big one is judged by its own size.")
    scale_link_max_ratio: float = setting(
        1.5, section=SCALE, range=(0, 20),
        help="... and of similar heights, the taller at most this many times the shorter (a printed "
             "word written just before a number is a neighbourhood of its own).")
    scale_own_ratio: float = setting(
        2.0, section=SCALE, range=(0, 20),
        help="Such a group is judged by its own size only when it is this many times smaller or "
             "larger than the image's typical height: the numbers on one page vary that much and "
             "are judged together ...")
    scale_min_rel: float = setting(
        0.1, section=SCALE, range=(0, 1),
        help=_SCALE_MIN_REL_HELP)
    scale_min_rel_stroke: float = setting(
        2.0, section=SCALE, range=(0, 20),
        help=_SCALE_MIN_REL_HELP)
    scale_crowd_rel: float = setting(
        0.5, section=SCALE, range=(0, 10),
        help="... nor when other writing lies closer than this fraction of its typical height "
             "(it may be the fragments of a broken digit, of unequal sizes) ...")
    scale_max_extent_rel: float = setting(
        1.5, section=SCALE, range=(0, 20),
        help="... nor when it is taller than this many times its typical height (pieces stacked: "
             "one digit broken in two, not a line of writing).")

    # ---- merging broken strokes (merge.py) -------------------------------------------------
    merge_min_x_overlap: float = setting(
        0.15, section=MERGE, range=(0, 1),
        help="Stacked pieces merge when their horizontal overlap is at least this fraction of the "
             "narrower width, when the shorter is a fragment (a 5's bar, often wider than its body "
             "and drawn last, shifted to the right of it). 0.5 -> 0.15: on 300 generated scans "
             "numbers exact 0.9677 -> 0.9707 (seed 3: nine numbers had been cut in two at a 5 "
             "whose bar was left out) and 0.9682 -> 0.9695 (seed 7); held-out UNIPEN pen 0.9824 -> "
             "0.9829, mouse 0.9698 -> 0.9718, kensanata16 0.9832 -> 0.9882")
    merge_min_x_overlap_solid: float = setting(
        0.8, section=MERGE, range=(0, 1),
        help="... or this fraction when both are digit-tall (the two strokes of a 4 overlap wholly; "
             "a slanted '1' under the bar of the next '7' only partly) ...")
    merge_max_vgap_rel: float = setting(
        0.35, section=MERGE, range=(0, 10),
        help="... and their vertical gap is at most this fraction of the taller piece.")
    dash_min_aspect: float = setting(
        4.0, section=MERGE, range=(0, 1000),
        help="A piece this many times wider than tall is a dash; one under the rest of a "
             "candidate, reaching past both its sides (an underline, or a 1's foot), is read "
             "with the candidate and without it (``underline_keep_margin``). Held-out UNIPEN "
             "digits underlined by hand, read right: 0.789 -> 0.976 drawn with a mouse (2 px "
             "line, 320 px tall), 0.643 -> 0.961 with a pen (8 px, 120 px tall); not underlined, "
             "the same (``benchmarks/bench_underlined.py --every 1``).")
    underline_keep_margin: float = setting(
        0.1, section=MERGE, range=(0, 1),
        help="... the dash is kept only when the model is this much surer of a digit with it "
             "(a 7 underlined reads as a European 1 with its foot almost as surely as 7).")
    stray_max_height_rel: float = setting(
        0.6, section=MERGE, range=(0, 10),
        help="A piece of a candidate shorter than this fraction of its tallest piece, wholly above "
             "or below it, is a stray (a printed label's letter over or under a digit, or a 5's "
             "detached hat): the candidate is read with and without its strays "
             "(``stray_drop_margin``). 0 disables.")
    stray_drop_margin: float = setting(
        0.2, section=MERGE, range=(0, 1),
        help="... the strays are dropped only when the model is this much surer of a digit "
             "without them.")
    stray_min_gap_rel: float = setting(
        0.12, section=MERGE, range=(0, 10),
        help="A stray lies at least this fraction of the tallest piece's height away from it: "
             "a stroke broken by the threshold (a 6's loop, a blotted 3's lower half) leaves a "
             "narrower gap (at most 0.1 on the generated scenes and held-out sets; labels stood "
             "0.15 or more).")
    stray_body_min_rel: float = setting(
        0.5, section=MERGE, range=(0, 1),
        help="... and only when the tallest piece is at least this fraction of the candidate's "
             "height: a digit whose ink broke into fragments (a dotted 3) has no main stroke.")
    stray_stem_max_aspect: float = setting(
        0.4, section=MERGE, range=(0, 10),
        help="A tallest piece at most this fraction as wide as tall is a stem, and a piece over it "
             "no wider than ``stray_dot_max_width_rel`` of it is the dot of a printed i or j, no "
             "stray (without its dot, an i reads 1).")
    stray_dot_max_width_rel: float = setting(
        1.5, section=MERGE, range=(0, 10),
        help="... (the widest such dot, as a fraction of the stem's width).")
    merge_fragment_rel: float = setting(
        0.75, section=MERGE, range=(0, 10),
        help="A piece at least this fraction of the typical height tall is \"solid\" (a digit): "
             "a link through a small piece never joins two groups holding solid pieces.")
    merge_small_rel: float = setting(
        0.4, section=MERGE, range=(0, 10),
        help=_MERGE_SMALL_REL_HELP)
    merge_link_rel: float = setting(
        0.12, section=MERGE, range=(0, 10),
        help=_MERGE_SMALL_REL_HELP)
    merge_period_low_rel: float = setting(
        0.6, section=MERGE, range=(0, 1),
        help="... unless it lies beside the neighbour with its top below this fraction of the "
             "neighbour's height (a decimal point or a comma, which stays separate).")
    merge_max_height_rel: float = setting(
        1.5, section=MERGE, range=(0, 20),
        help=_MERGE_MAX_HEIGHT_REL_HELP)
    merge_max_width_rel: float = setting(
        1.4, section=MERGE, range=(0, 20),
        help=_MERGE_MAX_HEIGHT_REL_HELP)

    # ---- segmentation by recognition (cuts.py, graph.py, segment.py) -----------------------
    graph: bool = setting(
        True, section=SEGMENTATION,
        help="Touching digits are cut apart and broken ones joined by a graph of pieces scored by "
             "the model (LeCun et al. 1998, section V). False reads every candidate as found.")
    graph_min_width_rel: float = setting(
        0.9, section=SEGMENTATION, range=(0, 10),
        help=_GRAPH_MIN_WIDTH_REL_HELP)
    graph_height_rel_line: float = setting(
        0.75, section=SEGMENTATION, range=(0, 10),
        help=_GRAPH_MIN_WIDTH_REL_HELP)
    graph_unsure_confidence: float = setting(
        0.8, section=SEGMENTATION, range=(0, 1),
        help="A candidate the model reads below this confidence, or as \"not a digit\", gets a graph "
             "with its close neighbours (a broken digit's pieces; touching narrow digits) ...")
    graph_print_skip: float = setting(
        0.9, section=SEGMENTATION, range=(0, 1.01),
        help="... unless the print detector holds it for print with at least this probability "
             "(a printed word is not cut into digits; above 1: the detector is not asked). 0.9 "
             "and 0.95 gave the same readings on 300 generated scans, 0.99 nine non-digits more ...")
    graph_print_page_min: int = setting(
        5, section=SEGMENTATION, range=(1, 1000),
        help="... on a page where it holds at least this many candidates so: a form. It may take "
             "a few touching handwritten pairs for print (up to 4 on 300 pages of generated "
             "touching strings; each of 300 generated scans holds 13 or more such glyphs).")
    graph_print_all_min: int = setting(
        1, section=SEGMENTATION, range=(0, 1000),
        help="... and in a word of candidates linked letter to letter where it so holds every "
             "candidate the model is unsure of, at least this many, and none for handwriting: a "
             "printed label alone, or beside a handwritten number, whose letters the model "
             "rejects whole (\"ITEM\" cut read 1 1 1 1, \"Name\" 1 1 1 7 7, the N of \"NO.\" 1 1 1). "
             "0: never. 1 against 2, with the two settings below: of 200 labels cut out alone "
             "(bench_form_fields.py) 0.105 -> 0.095 gave digits ...")
    graph_print_all_max_aspect: float = setting(
        1.6, section=SEGMENTATION, range=(0, 10),
        help="... each of them at most this many times as wide as tall: one letter or two, as the "
             "detector knows them (it holds touching handwritten digits for print too). An m is "
             "1.45 times as wide as tall in the median font of the detector's validation share, "
             "1.67 at the 90th percentile: at 1.4, \"Name\" in DejaVu Sans was cut, 1 1 1 2 1 1 7 7; "
             "1.4 -> 1.6 took labels alone giving digits 0.095 -> 0.085 (bench_form_fields.py) ...")
    graph_print_all_min_size: int = setting(
        2, section=SEGMENTATION, range=(0, 1000),
        help="... in a word of this many members at least: a lone piece of ink held for print may "
             "be touching handwritten digits (at 1, a touching \"916\" and \"24\" were lost among "
             "600 generated touching pages; the pair reader knows pairs only) ...")
    graph_print_bar_max_aspect: float = setting(
        0.3, section=SEGMENTATION, range=(0, 10),
        help="... where a member at most this many times as wide as tall (a bar: an l, I or i, or a "
             "1; or its ink a straight bar so slim in its rotated rectangle: an italic I) undoes "
             "no word, doubted or held for handwriting: the detector cannot tell a "
             "printed bar from a written one "
             "(the i of \"Hint\" and \"Invoice\", held for handwriting, read 1; of 300 labels alone or "
             "beside a number, 29 -> 25 gave digits) ...")
    graph_print_all_pair_max: float = setting(
        0.5, section=SEGMENTATION, range=(0, 1.01),
        help="... and none of those the model is unsure of read by the pair reader as two whole "
             "digits with this probability or more (the touching \"71\" and \"77\" of a "
             "handwritten 7177, held for print by the detector; printed letters read 0.0-0.08, "
             "touching handwritten pairs 0.86-1.0), other than 11: two bars touching are as "
             "much the \"il\" or \"ll\" of an italic \"till\" or \"Mill\". Above 1: the pair "
             "reader is not asked.")
    graph_unsure_min_height_rel: float = setting(
        0.4, section=SEGMENTATION, range=(0, 10),
        help="... when it is at least this fraction of the typical height around it tall (the "
             "angle of a 4 drawn in two strokes, stopping short of the upright) ...")
    graph_unsure_cut_width_rel: float = setting(
        0.7, section=SEGMENTATION, range=(0, 10),
        help="... in which it and each neighbour wider than this many times its height are cut.")
    graph_keep_sure_width_rel: float = setting(
        1.5, section=SEGMENTATION, range=(0, 10),
        help="A wide candidate the model reads whole as a digit at ``graph_unsure_confidence`` or "
             "more stays whole unless it is wider than this many times its height: single digits "
             "are drawn that wide, two digits rarely narrower.")
    graph_join_gap_rel: float = setting(
        0.3, section=SEGMENTATION, range=(0, 10),
        help="Neighbours on its line closer than this fraction of the height join its graph.")
    graph_stacked_overlap: float = setting(
        0.5, section=SEGMENTATION, range=(0, 1.01),
        help="... and a candidate wide enough to be cut on its own joins such a graph when it "
             "lies over or under the other, overlapping across this fraction of the narrower "
             "one's width (the bottom stroke of a 2 or 3 that came apart); above 1: never.")
    graph_lone_pair_overlap: float = setting(
        0.3, section=SEGMENTATION, range=(0, 1.01),
        help="An image's only two candidates get a graph, however sure the model is of each, when "
             "one lies over the other, overlapping across this fraction of the narrower one's "
             "width (a digit drawn in two strokes: the loops of an 8, the angle and upright of a "
             "4; nothing else in the image tells its height) ...; above 1: never. On held-out "
             "UNIPEN mouse digits 0.9769 -> 0.9784, pen 0.9854 -> 0.9859.")
    graph_lone_pair_aspect: float = setting(
        1.25, section=SEGMENTATION, range=(0, 10),
        help="... when together they are at most this many times as wide as tall (a 1 over the "
             "long bar of its foot is no digit of two strokes) ...")
    graph_lone_pair_gap_rel: float = setting(
        0.03, section=SEGMENTATION, range=(0, 1),
        help="... or when their ink comes within this fraction of the taller one's height (a "
             "thin line's 9 whose upright just missed its loop: a pen of ordinary width would "
             "have joined them); 0: never ...")
    graph_lone_pair_join_cost: float = setting(
        0.0, section=SEGMENTATION, range=(0, 10),
        help="... and reading them as one digit costs this much more than a digit (in place of "
             "``graph_join_cost``: two digits stacked on two lines are as unlikely as one digit "
             "of two strokes, so the model alone decides).")
    graph_max_pieces: int = setting(
        5, section=SEGMENTATION, range=(1, 10),
        help="A digit is made of 1 to this many pieces (the cuts are dense, up to "
             "``cut_max_per_height`` per height: a wide 0 or 8 spans 4 pieces, a 5 whose long hat "
             "was cut in three spans 5), or of up to this many whole candidates however many "
             "pieces they were cut into ...")
    graph_force_digit_min: float = setting(
        0.05, section=SEGMENTATION, range=(0, 1.01),
        help="A digit of a graph's path that the model calls \"not a digit\" but that stands "
             "between two digits it read on that path is read as its best digit when that has at "
             "least this probability (a digit whose cut left a neighbour's stroke on it); above "
             "1: never. Printed-word rules still count it as rejected.")
    graph_max_group_width_rel: float = setting(
        1.3, section=SEGMENTATION, range=(0, 10),
        help=_GRAPH_MAX_GROUP_WIDTH_REL_HELP)
    graph_min_height_rel: float = setting(
        0.55, section=SEGMENTATION, range=(0, 1),
        help=_GRAPH_MAX_GROUP_WIDTH_REL_HELP)
    graph_digit_cost: float = setting(
        0.25, section=SEGMENTATION, range=(0, 10),
        help="Cost (in nats, as -log p) of every digit on a path: two pieces the model reads as "
             "digits must beat the whole by this much to split it.")
    graph_join_cost: float = setting(
        0.5, section=SEGMENTATION, range=(0, 10),
        help="Cost added to a digit made of pieces of different candidates: "
             "joining what the finder kept apart needs the model's clear support.")
    graph_cut_overlap_strokes: float = setting(
        1.0, section=SEGMENTATION, range=(0, 10),
        help="A digit cut out of a candidate is read twice: with the other side's ink within "
             "this many stroke widths of its cut (two digits touching along a stroke share it) "
             "and without it (digits that overlap keep their neighbour's stroke out); the "
             "reading surer of a digit counts. 0: once, without.")
    graph_pairs: bool = setting(
        True, section=SEGMENTATION,
        help="Runs of a cut candidate's pieces as wide as two digits are also read whole as two "
             "digits by the pair reader (models/pairs.keras), when there is one: digits whose "
             "strokes cross cannot be cut apart. False: column cuts only.")
    graph_pair_min_width_rel: float = setting(
        0.6, section=SEGMENTATION, range=(0, 10),
        help="A run read as a pair is at least this many times the height wide ...")
    graph_pair_max_width_rel: float = setting(
        1.8, section=SEGMENTATION, range=(0, 10),
        help="... at most this many ...")
    graph_pair_max_pieces: int = setting(
        10, section=SEGMENTATION, range=(1, 30),
        help="... and made of at most this many pieces.")
    graph_pair_cost: float = setting(
        0.25, section=SEGMENTATION, range=(0, 10),
        help="Cost (nats) of two digits read together, in place of their two digit costs. At "
             "``graph_digit_cost`` a pair costs what one digit does, and the reading surer of "
             "itself wins: one digit by the model, or two by the pair reader (two overlapping "
             "digits can look like one to the model; the pair reader was trained on single "
             "digits, triples and wrong cuts as \"not a pair\").")
    cut_margin_rel: float = setting(
        0.05, section=SEGMENTATION, range=(0, 0.5),
        help="Cuts keep this fraction of the height from either side of a candidate ...")
    cut_min_separation_rel: float = setting(
        0.08, section=SEGMENTATION, range=(0, 1),
        help="... are at least this fraction of the height apart ...")
    cut_step_ratio: float = setting(
        0.35, section=SEGMENTATION, range=(0, 1),
        help="... where the ink's vertical projection falls or rises to this fraction of its value "
             "two columns away (the side of a tall stroke), or at its minima and the contour's "
             "valleys and peaks ...")
    cut_max_per_height: float = setting(
        2.5, section=SEGMENTATION, range=(0, 20),
        help="... at most this many per height of width ...")
    cut_band_rel: float = setting(
        0.15, section=SEGMENTATION, range=(0, 1),
        help=_CUT_BAND_REL_HELP)
    cut_stroke_cost: float = setting(
        1.0, section=SEGMENTATION, range=(0, 10),
        help=_CUT_BAND_REL_HELP)
    cut_ink_cost: float = setting(
        0.05, section=SEGMENTATION, range=(0, 10),
        help=_CUT_BAND_REL_HELP)
    cut_centre_pull: float = setting(
        0.5, section=SEGMENTATION, range=(0, 1),
        help=_CUT_BAND_REL_HELP)
    cut_straightness: float = setting(
        0.01, section=SEGMENTATION, range=(0, 1),
        help=_CUT_BAND_REL_HELP)
    cut_work_height: int = setting(
        48, section=SEGMENTATION, range=(8, 512),
        help="Cuts are looked for on a copy of the candidate at most this many pixels tall (a "
             "compute resolution: the path's cost loops over the rows).")

    # ---- grouping into numbers (grouping.py) -----------------------------------------------
    line_overlap: float = setting(
        0.5, section=GROUPING, range=(0, 1),
        help="Two boxes are on the same text line when their vertical overlap is at least this "
             "fraction of the shorter one.")
    number_gap_rel: float = setting(
        0.8, section=GROUPING, range=(0, 10), basic=True, label="Gap inside a number (× height)",
        help="Neighbours on a line belong to one number when the gap between them is below this "
             "fraction of their mean height.")
    number_min_height_rel: float = setting(
        0.45, section=GROUPING, range=(0, 1),
        help="A digit shorter than this fraction of the tallest digit of its number is a mark, not "
             "a digit (a full stop, a comma, specks of the paper beside a 1): it is dropped and "
             "the number read without it (0: never).")
    lone_mark_height_rel: float = setting(
        0.5, section=GROUPING, range=(0, 1),
        help="A digit standing alone (a number of one digit) shorter than this fraction of the "
             "median height of the page's digits, and drawn with a stroke at least "
             "lone_mark_min_stroke_rel of its width, is a blot or a speck, not a digit: it is "
             "dropped (0: never) ...")
    lone_mark_min_stroke_rel: float = setting(
        0.35, section=GROUPING, range=(0, 1),
        help="... (a digit's strokes need room apart; a small digit drawn with the page's pen "
             "stays) ...")
    lone_blot_height_rel: float = setting(
        0.6, section=GROUPING, range=(0, 1),
        help="... or, when round (below), shorter than this fraction (a blot of ink on a sheet seen by "
             "a webcam, read 8 or 6: on 300 frames of seeds 3, 5 and 11, non-digits 7 -> 5, "
             "21 -> 18 and 14 -> 13, and no digit lost on frames, scans and drawings; without the "
             "roundness, two short 1s were lost) ...")
    lone_blot_max_aspect: float = setting(
        2.5, section=GROUPING, range=(0, 100),
        help="... round: less than this many times as tall as wide (a 1 is a bar, and a bar's "
             "stroke is all its width) ...")
    lone_mark_min_digits: int = setting(
        5, section=GROUPING, range=(2, 1000),
        help="... when the page holds at least this many digits.")
    lone_speck_height_rel: float = setting(
        0.4, section=GROUPING, range=(0, 1),
        help="On a page of fewer digits, a round lone mark shorter than this fraction of their "
             "median height is a speck of ink when drawn solid (below): too small and too full "
             "for a digit's strokes (blots read 8 beside two or three digits in webcam frames; on "
             "300 frames of seeds 5 and 11, non-digits 18 -> 16 and 13 -> 12, and no digit lost on "
             "frames, scans and drawings). 0: never ...")
    lone_speck_min_stroke_rel: float = setting(
        0.4, section=GROUPING, range=(0, 1),
        help="... solid: drawn with a stroke at least this fraction of its width (a filled disc "
             "measures 0.5; true digits below half their page's median height, on generated "
             "pages of three or four digits, 0.11-0.38) ...")
    lone_speck_min_digits: int = setting(
        3, section=GROUPING, range=(2, 1000),
        help="... on a page of at least this many digits, the speck counted.")
    lone_giant_height_rel: float = setting(
        3.0, section=GROUPING, range=(0, 100),
        help="In a colour picture (a camera's view, see ``colour_min_difference``), a digit standing "
             "alone at least this many times as tall as the median of the other digits is a thing "
             "in view, not writing: a ring or a cup on the desk, the corner of a dark object or a "
             "shadow where the sheet was not found and the whole frame is read (0: never). On 300 "
             "webcam frames of seeds 5, 7 and 11, non-digits 18 -> 13, 9 -> 8 and 13 -> 12, and no "
             "digit lost; the tallest handwritten lone digits stood 2.7 times the others. A canvas "
             "is grey: drawings hold lone digits 3.5 times as tall as the rest ...")
    lone_giant_min_others: int = setting(
        2, section=GROUPING, range=(1, 1000),
        help="... when at least this many other digits are read.")
    ink_colour_min_distance: float = setting(
        18.0, section=GROUPING, range=(0, 255),
        help="In a colour picture, a digit standing alone whose ink's chroma (a* and b* of CIE "
             "L*a*b*, OpenCV's 8-bit scale) lies at least this far from the median of the other "
             "digits' is not the page's writing: a black printed glyph among blue handwriting, a "
             "red stamp's digit, a stick or a box on the desk (colour.py). 0: never. A lone digit "
             "written with another pen (a red mark among blue ones) is dropped too. On 200 "
             "generated scans of seeds 3 and 7, non-digits 26 -> 19 and 30 -> 21; on 300 webcam "
             "frames of seeds 3, 5, 7 and 11, 5 -> 4, 11 -> 8, 8 -> 6 and 11 -> 9; no digit lost "
             "on scans, frames, drawings and touching strings. So is the first or last digit of a "
             "longer number whose other digits are in the pen's colour (a ring on the desk read 0 "
             "beside a written number, a printed glyph run into a handwritten one); a number all "
             "in another ink stays ...")
    ink_colour_min_others: int = setting(
        3, section=GROUPING, range=(1, 1000),
        help="... when at least this many other digits are read ...")
    ink_colour_max_spread: float = setting(
        8.0, section=GROUPING, range=(0, 255),
        help="... and written with one pen: their median distance from their median chroma is at "
             "most this (a digit of a generated frame lies a median 1, at the 90th percentile 4, "
             "from the others' median) ...")
    ink_colour_dark_share: float = setting(
        0.25, section=GROUPING, range=(0.01, 1),
        help="... the colour of a digit's ink being the mean of the darkest this share of the "
             "pixels of its box (the strokes, not the paper between them).")
    colour_min_difference: float = setting(
        0.5, section=GROUPING, range=(0, 255),
        help="A picture is in colour when its channels differ by at least this many grey levels "
             "on average (blue from green plus green from red). A drawing on a canvas or a grey "
             "scan differs by none; generated webcam frames by 10 or more.")
    colour_sample_step: int = setting(
        8, section=GROUPING, range=(1, 64),
        help="... measured on every this many pixels across and down (the answer of a 640 x 480 "
             "frame in a few microseconds).")
    edge_side_contrast: float = setting(
        0.5, section=GROUPING, range=(0, 100),
        help="A 1 standing alone whose background left and right of it differ by at least "
             "this fraction of the contrast inside its box is the edge of something dark (a "
             "sheet's border, a ring, a shadow), not a stroke on paper: it is dropped (0: "
             "never). True lone 1s measured at most 0.19, edges read as 1 0.61-2.3 (generated "
             "webcam frames of seeds 3, 5, 7, 11, 13, 17 and scans of seeds 3 and 7) ...")
    edge_side_width_rel: float = setting(
        0.5, section=GROUPING, range=(0, 10),
        help="... the background being a strip beside the box this fraction of its width "
             "wide ...")
    edge_side_height_rel: float = setting(
        0.17, section=GROUPING, range=(0, 10),
        help="... or this fraction of its height, or edge_side_min_px, whichever is widest ...")
    edge_side_min_px: int = setting(
        3, section=GROUPING, range=(1, 100),
        help="... (pixels) ...")
    edge_side_ink_share: float = setting(
        0.25, section=GROUPING, range=(0.01, 0.5),
        help="... and the contrast inside the box that between the mean of its lightest and "
             "of its darkest this share of pixels (either polarity).")
    context_reject_max: float = setting(
        0.8, section=GROUPING, range=(0, 1),
        help="A handwritten candidate the model calls \"not a digit\" with at most this "
             "probability is read as its best digit when it stands in a number beside digits "
             "the model read (an odd 9 among the digits of a number); 0: never.")
    context_digit_min: float = setting(
        0.1, section=GROUPING, range=(0, 1),
        help="... when that digit has at least this probability ...")
    context_height_rel: float = setting(
        0.75, section=GROUPING, range=(0, 10),
        help="... and the candidate is at least this fraction of the tallest digit of its "
             "number (a dot, a comma or a dash beside a number is no digit) ...")
    context_max_height_rel: float = setting(
        1.5, section=GROUPING, range=(0, 100),
        help="... and at most this many times as tall (nor is a shadow around it).")

    # ---- printed text and frames (printed.py, components.py) -------------------------------
    read_printed: bool = setting(
        False, section=PRINTED, basic=True, label="Read printed digits too",
        help="Report printed digits (labels, page numbers, table headers) too, marked as printed; "
             "by default only handwriting is read.")
    print_letter_gap_rel: float = setting(
        0.4, section=PRINTED, range=(0, 10),
        help="Neighbouring letters of a printed word: a gap below this fraction of the shorter one's "
             "height (letter spacing, wide in a monospaced font) ...")
    print_min_height_ratio: float = setting(
        0.45, section=PRINTED, range=(0, 1),
        help="... the shorter at least this fraction of the taller (x-height against capitals) ...")
    print_align_rel: float = setting(
        0.06, section=PRINTED, range=(0, 1),
        help="... and a baseline or a top line in common within this fraction of the height.")
    print_figure_drop_rel: float = setting(
        0.35, section=PRINTED, range=(0, 1),
        help="A digit after a printed word may also hang from its x-height line below its "
             "baseline by up to this fraction of its capitals' height: an old-style figure (the 4 "
             "of \"Section 4\" in Garamond; 0: figures stand on the baseline).")
    print_max_tilt_deg: float = setting(
        20.0, section=PRINTED, range=(0, 45),
        help="... or, of one height, on a line rotated by at most this many degrees (a rubber "
             "stamp, a skewed page; 0: upright lines only).")
    print_tilt_height_rel: float = setting(
        0.2, section=PRINTED, range=(0, 1),
        help="... and on such a line, glyphs whose heights differ by up to this fraction of the "
             "taller, their centres on the line: a glyph turned by 20 degrees has a box taller "
             "by a third of its width, and the letters of a stamp differ in width (0: one height). "
             "On 100 scans (seeds 3 and 7) non-digits 0.96% -> 0.84% and 1.27% -> 1.15%, numbers "
             "read exactly unchanged; real handwriting beside labels read the same.")
    print_min_letters: int = setting(
        2, section=PRINTED, range=(0, 20),
        help=_PRINT_MIN_LETTERS_HELP)
    print_min_rejected: int = setting(
        1, section=PRINTED, range=(0, 20),
        help=_PRINT_MIN_LETTERS_HELP)
    print_space_rel: float = setting(
        1.2, section=PRINTED, range=(0, 10),
        help=_PRINT_SPACE_REL_HELP)
    print_height_tol: float = setting(
        0.2, section=PRINTED, range=(0, 1),
        help=_PRINT_SPACE_REL_HELP)
    print_run_spread: float = setting(
        1.0, section=PRINTED, range=(0, 1),
        help="Digits so found side by side must be set like type: heights and baselines within "
             "this fraction of the capitals' height (handwritten digits vary more). 1 turns it off: "
             "on generated scans (seed 3, 40 pages) 0.06-0.25 kept printed digits read (non-digits "
             "5.9% -> 7.3-9.5%) and lost more numbers than it saved.")
    print_ascender_rel: float = setting(
        1.15, section=PRINTED, range=(0, 10),
        help=_PRINT_ASCENDER_REL_HELP)
    print_x_height_rel: float = setting(
        0.7, section=PRINTED, range=(0, 1),
        help=_PRINT_ASCENDER_REL_HELP)
    print_type_tol: float = setting(
        0.04, section=PRINTED, range=(0, 1),
        help=_PRINT_TYPE_HELP)
    print_type_min_glyphs: int = setting(
        3, section=PRINTED, range=(1, 50),
        help=_PRINT_TYPE_HELP)
    print_type_share: float = setting(
        0.75, section=PRINTED, range=(0, 1),
        help=_PRINT_TYPE_HELP)
    print_type_x_height_min: float = setting(
        0.5, section=PRINTED, range=(0, 1),
        help=_PRINT_TYPE_HELP)
    print_type_x_height_max: float = setting(
        0.82, section=PRINTED, range=(0, 1),
        help=_PRINT_TYPE_HELP)
    print_type_min_small: int = setting(
        2, section=PRINTED, range=(1, 50),
        help="... and at least this many of its members stand on the x-height line: one short glyph "
             "beside taller ones is no line of small letters (a label's capital beside taller "
             "handwriting run into it).")
    print_type_min_cut: int = setting(
        2, section=PRINTED, range=(1, 50),
        help=_PRINT_TYPE_HELP)
    hand_stroke_min_rel: float = setting(
        0.2, section=PRINTED, range=(0, 1),
        help="A digit read with a stroke thinner than this fraction of the median stroke of the digits "
             "read on the page is a hairline of a thin font, a stamp's letter or a box's side, not "
             "a digit written with the page's pens (0: never) ...")
    hand_stroke_min_count: int = setting(
        4, section=PRINTED, range=(1, 1000),
        help="... when at least this many digits give that median.")
    print_stroke_ratio: float = setting(
        1.25, section=PRINTED, range=(0, 10),
        help="... and of the word's stroke width within this ratio (one font) ...")
    print_max_steps: int = setting(
        6, section=PRINTED, range=(0, 50),
        help="... found in at most this many steps from the word (\"Room 101\": three).")
    print_grow_over_pieces: bool = setting(
        True, section=PRINTED,
        help="On a page with a printed word the print detector confirms, a printed word grows over "
             "digits cut out of a piece of ink even when the detector holds them for handwriting: "
             "what it says of a piece of a cut glyph is no evidence (the p of an italic \"Zip\" cut "
             "apart from its i).")
    print_word_hand_max: float = setting(
        0.2, section=PRINTED, range=(0, 1),
        help="A would-be printed word whose candidates (digits and rejected pieces) the print "
             "detector all holds for print with less than this probability is handwriting (touching "
             "digits cut into pieces, a digit the model could not read), and a digit it holds so "
             "is never a label's printed digit; 0 turns this off.")
    print_hand_link_max: float = setting(
        0.2, section=PRINTED, range=(0, 1),
        help="A digit read whole that the print detector holds for print with less than this "
             "probability is no letter of the printed word beside it when set off from it by more "
             "than print_hand_space_ratio letter spaces (a handwritten number written right after "
             "a label's colon; on 300 generated scans numbers exact 0.9670 -> 0.9677 (seed 3) "
             "and 0.9673 -> 0.9682 (seed 7), non-digits 54 -> 54 and 57 -> 58); 0 turns this off ...")
    print_hand_space_ratio: float = setting(
        2.5, section=PRINTED, range=(0, 100),
        help="... this many times the word's median gap between letters (taken as at least "
             "print_hand_space_floor of the shorter letter's height ...")
    print_hand_space_floor: float = setting(
        0.1, section=PRINTED, range=(0, 10),
        help="... : print sets its letters evenly, and letters that touch have no gap to measure).")
    print_word_needs_print: bool = setting(
        True, section=PRINTED,
        help="On a page holding no printed word that the detector confirms (a drawing, a strip of "
             "touching digits), a would-be printed word with two digits read or more, of which it "
             "holds no member read whole for print (print_glyph_threshold or more), is handwriting: "
             "a handwritten number with a piece the model rejected. A piece cut out of touching ink "
             "is no evidence (on 300 touching-unipen strips of seed 3, digits with a touching "
             "neighbour read right 0.874 -> 0.893). So is a pair of one digit it holds for "
             "handwriting and a piece the model rejected (a marker's \"01\" whose open 0 it "
             "doubts: on 300 drawings of seed 7, digits found 0.9887 -> 0.9943).")
    print_word_hand_share: float = setting(
        0.75, section=PRINTED, range=(0, 1),
        help="... when at least this share of the word's members are candidates (the other writing "
             "of a word, too wide or too small to be a digit, is print).")
    print_word_hand_digits: float = setting(
        0.75, section=PRINTED, range=(0, 1.01),
        help="A would-be printed word is handwriting too when the model reads at least this share "
             "of its members as digits (two at least) and the print detector holds all of those for "
             "handwriting, whatever it says of the pieces the model rejected (above 1: never).")
    print_cut_min: float = setting(
        0.5, section=PRINTED, range=(0, 1.01),
        help="On a page with printed words, a digit cut out of ink the model rejected whole (the N "
             "of a bold \"No.\" cut into 1s) is a rejected letter when the print detector holds "
             "it for print with at least this probability (above 1: never).")
    print_piece_min: float = setting(
        0.97, section=PRINTED, range=(0, 1.01),
        help="... and so is any other digit cut out of a piece of ink that it holds for print with "
             "at least this probability (the G and d of a bold \"Goods\" whose letters touch, "
             "cut into 6 0 0 6 1 5; above 1: never).")
    print_unsure_letter_max: float = setting(
        0.6, section=PRINTED, range=(0, 1),
        help="A digit the model reads with less confidence than this and the print detector holds "
             "for print (print_glyph_threshold) counts as a rejected letter in finding printed "
             "words: the touching \"al\" of a printed \"Total\" read as a 6 (0: never).")
    print_doubt_below: float = setting(
        0.4, section=PRINTED, range=(0, 1),
        help="A reading the model is less sure of than this counts as rejected in finding printed "
             "words and small writing (a neighbourhood of letters), even where ``min_confidence`` "
             "reads it as a digit: those rules were tuned with this floor, and a letter the model "
             "takes for a digit at 0.35 is still a letter. On 300 generated scans with "
             "``min_confidence`` 0.3: 60 -> 57 non-digits (seed 100) and 57 -> 56 (seed 7), "
             "numbers read exactly unchanged.")
    print_glyph_threshold: float = setting(
        0.9, section=PRINTED, range=(0, 1.01),
        help="A candidate the print detector (models/printed.keras) holds for print with at least "
             "this probability is a printed digit, when other writing stands on its line "
             "(above 1: the detector is not used). 0.9 rather than 0.97: on 100 generated scans "
             "(seed 3) non-digits 1.85% -> 1.71%, numbers read exactly unchanged, and on real "
             "handwriting beside labels (benchmarks/bench_print_detector.py) one digit more of "
             "about 450 marked printed, numbers read exactly unchanged.")
    small_word_height_rel: float = setting(
        0.6, section=PRINTED, range=(0, 1),
        help="A number of two digits or more, all shorter than this fraction of the median height "
             "of the digits read, of which the print detector holds one for print "
             "(print_glyph_threshold), is a short printed word when the model is less sure of its "
             "digits than small_word_confidence_max on average: \"Due\" read 126, \"NET\" 149 in "
             "a camera frame, where blur leaves the detector sure of a letter or two and no other "
             "printed word stands beside it (300 webcam frames of each of twelve seeds: 14 "
             "non-digits fewer, no number lost; 0: never) ...")
    small_word_confidence_max: float = setting(
        0.9, section=PRINTED, range=(0, 1),
        help="... the model's mean confidence in its digits below this.")
    print_glyph_run_min: float = setting(
        0.4, section=PRINTED, range=(0, 1.01),
        help="... and the detector holds every digit of its run (below) for print with at least "
             "this probability (a printed \"2024\" whose 2 looks less typeset; a stamped "
             "\"12.03.\" whose 1 scores 0.44) ...")
    print_glyph_reach: float = setting(
        50.0, section=PRINTED, range=(0, 1000),
        help="... within this many of its heights from it (a label's digit may sit far from the "
             "label's word, at the end of a dotted leader) ...")
    print_glyph_run_gap: float = setting(
        0.6, section=PRINTED, range=(0, 10),
        help="... and it holds every digit of the candidate's run for print: digits side by side "
             "on the line, at most this many heights apart ...")
    print_glyph_ones_min_sure: int = setting(
        2, section=PRINTED, range=(0, 20),
        help="... where a digit read as 1 counts as held for print, whatever the detector holds, "
             "in a run with this many digits it holds for print surely (a 1 is a plain bar in "
             "most faces: the detector cannot tell it from a handwritten one; the stamped \"4471\" "
             "read 1 at 0.22; 0: never) ...")
    print_glyph_split_min: int = setting(
        2, section=PRINTED, range=(0, 20),
        help="A run is also parted where a digit the detector holds for print meets one it holds "
             "for handwriting (below print_word_hand_max): a part of at least this many digits, each "
             "held for print with print_glyph_threshold, is printed (a label's \"101\" with the "
             "handwritten \"85\" written just after it; 0: runs are never parted).")
    print_glyph_label_gap: float = setting(
        2.5, section=PRINTED, range=(0, 100),
        help="A digit parted alone from the handwriting beside it is printed when the detector "
             "holds it for print with print_glyph_label_min and a printed word's letter stands "
             "at most this many of its heights before or after it, on its line (the 1 of \"Page "
             "1\" with a handwritten number written right after it, the Z of \"Zip code\" read 2, "
             "the 7 of a \"No.  7\" set two spaces on; 0: never). 1.5 -> 2.5 with "
             "print_glyph_label_stroke_ratio 1.25 -> 1.35: on 300 generated scans (seed 3) "
             "numbers read exactly 0.9657 -> 0.9662 and non-digits "
             "88 -> 84, on 100 (seed 7) 0.9665 -> 0.9672 and 40 -> 38; real handwriting beside "
             "and below labels (benchmarks/bench_print_detector.py) read the same ...")
    print_glyph_label_min: float = setting(
        0.97, section=PRINTED, range=(0, 1.01),
        help="... the probability it needs for that.")
    print_glyph_label_stroke_ratio: float = setting(
        1.35, section=PRINTED, range=(1, 10),
        help="... of the digit's stroke width within this ratio (one font: a round letter's "
             "stroke measures wider than a straight digit's, the o of a bold \"No.\" 1.3 times "
             "its 7's) ...")
    print_alike_rel: float = setting(
        0.06, section=PRINTED, range=(0, 1),
        help="A digit the detector holds for handwriting is print when it stands beside a printed "
             "digit set exactly like it: its top and height within this fraction of that digit's "
             "height (type sets a number's digits alike; the detector may hold one of them, the "
             "slashed 0 of a monospace \"2024\", for handwriting; 0: never) ...")
    print_alike_gap_rel: float = setting(
        0.32, section=PRINTED, range=(0, 10),
        help="... at most this many of its heights away (letter spacing: handwriting written after "
             "a printed number stands a word space away) ...")
    print_alike_stroke_ratio: float = setting(
        1.25, section=PRINTED, range=(1, 10),
        help="... and its stroke width within this ratio of that digit's.")
    print_glyph_line_overlap: float = setting(
        0.3, section=PRINTED, range=(0, 1),
        help="... overlapping its rows by at least this fraction of its height.")
    outline_min_side_fill: float = setting(
        0.85, section=PRINTED, range=(0, 1),
        help=_OUTLINE_MIN_SIDE_FILL_HELP)
    outline_band_rel: float = setting(
        0.08, section=PRINTED, range=(0, 0.5),
        help=_OUTLINE_MIN_SIDE_FILL_HELP)

    # ---- results (used by the caller) ------------------------------------------------------
    min_confidence: float = setting(
        0.3, section=RESULTS, range=(0, 1), basic=True, label="Unsure below (confidence)",
        help="Model confidence below which a candidate is rejected (\"?\"). 0.4 was chosen for one "
             "net on generated scenes (seed 100, not the reported ones): the most numbers read "
             "exactly in every kind, no more non-digits than 0.6 (the model's own \"not a digit\" "
             "class rejects those). The two-net mean is flatter where its nets disagree: at 0.3, on "
             "3,952 real digits neither net trained on and that are not held out (BHMSDS, "
             "kensanata16, UNIPEN writers of both nets' validation), 5 more read right and 2 more "
             "wrong (0.25: the same as 0.3); on the seed-100 scenes the same numbers read exactly, "
             "with 2 more non-digits of 11,830 on scans and 1 of 1,876 on webcam frames.")
    edge_min_confidence: float = setting(
        0.7, section=RESULTS, range=(0, 1),
        help="A digit touching the edge of an image at least twice its size is only partly in view "
             "(cut by a camera frame's edge): it is read only when the model is at least this sure "
             "of it (0: as any other).")
    max_candidates: int = setting(
        400, section=RESULTS, range=(0, 10000),
        help="At most this many candidates per image (the most digit-sized ones are kept).")
    normalize: NormalizeConfig = field(
        default_factory=NormalizeConfig,
        metadata=setting_metadata(section=RESULTS, help="Crop normalization handed to ``normalize_batch``."))

    def __post_init__(self) -> None:
        check_settings(self)


DEFAULT_CONFIG = PipelineConfig()
