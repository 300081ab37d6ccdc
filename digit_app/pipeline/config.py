"""Every threshold of the detection pipeline, in one frozen dataclass.

Sizes are never pixel constants tuned to one resolution: they are fractions of the image
size, of the estimated stroke width, or of the *typical height* (the area-weighted median
height of the ink components, i.e. the size of the digits in this image). The only pixel
values are a compute resolution (``work_side``) and a legibility floor (``min_height_px``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from digit_app.pipeline.normalize import NormalizeConfig

POLARITIES = ("auto", "dark", "light")


@dataclass(frozen=True)
class PipelineConfig:
    # ---- binarization (binarize.py) -------------------------------------------------------
    #: Short side, in pixels, of the downscaled copy used to estimate the paper background
    #: and the polarity. A compute resolution (illumination is smooth), not a threshold.
    work_side: int = 160
    #: Size of the grey closing that estimates the paper brightness, as a fraction of the
    #: image's short side. Must exceed the widest stroke (a 40 px pen on a 300 px canvas is
    #: 0.13) and stay small enough to follow webcam shadows and gradients.
    background_kernel_rel: float = 0.2
    #: Box filter used as the local reference when detecting polarity, fraction of short side.
    polarity_kernel_rel: float = 0.25
    #: Residuals beyond this many robust standard deviations make the tails whose weight
    #: decides the polarity (ink is one heavy tail, paper noise is symmetric).
    polarity_tail_sigmas: float = 3.0
    #: "auto" detects dark-on-light vs light-on-dark; "dark" / "light" force the ink polarity.
    polarity: str = "auto"
    #: Ink must be at least this much darker than the local paper (fraction of the paper
    #: brightness, after illumination flattening). Protects blank pages from noise.
    min_contrast: float = 0.12
    #: ... and darker than the paper by this many robust standard deviations of paper noise.
    noise_sigmas: float = 4.0
    #: The Otsu threshold is clamped to at most this darkness (fraction of full scale), so
    #: faint handwriting next to black print is not thresholded away.
    max_threshold: float = 0.45
    #: Hysteresis, on a sheet found in a camera frame (page.py): pixels darker than this
    #: fraction of the threshold (above the paper, and beyond the paper noise) are ink too
    #: where they touch ink above it. 1 disables.
    hysteresis_low_rel: float = 0.6
    #: A Gaussian denoise is applied before thresholding when the paper noise (robust sigma,
    #: fraction of full scale) exceeds this (webcam frames); clean canvases skip it.
    denoise_noise_level: float = 0.02
    #: ... with this sigma in pixels: sensor noise is per pixel whatever the resolution.
    denoise_sigma_px: float = 1.0

    # ---- the sheet in a webcam frame (page.py) ---------------------------------------------
    #: Grey closing that erases ink and thin lines before looking for the sheet's edge,
    #: fraction of the work copy's short side.
    page_ink_kernel_rel: float = 0.04
    #: No sheet is looked for when the (ink-free) brightness varies by less than this
    #: fraction of full scale across the frame: the page fills the image.
    page_min_step: float = 0.08
    #: A step of the ink-free brightness between neighbours larger than this fraction of
    #: its range across the frame is an edge (the sheet's border); shadows are softer.
    page_edge_rel: float = 0.15
    #: When no sheet stands out at that step, steps this faint are tried once more (a dark
    #: object on the desk widens the range, and a pale sheet on a pale desk then has a
    #: border fainter than the step; 0 turns the second look off) ...
    page_edge_rel_retry: float = 0.07
    #: ... counting only sharp ones: at least this part of the step across a window
    #: ``page_sharp_radius`` pixels of the work copy around (a shadow's edge is soft).
    page_min_sharpness: float = 0.5
    page_sharp_radius: int = 4
    #: Ink touching the edge of the sheet with at least this share of it within
    #: ``rim_reach_strokes`` stroke widths of that edge runs along it (the sheet's own edge,
    #: a cable lying across it): not writing.
    rim_min_share: float = 0.9
    rim_reach_strokes: float = 2.0
    #: Background kernel (as ``background_kernel_rel``) used on a sheet found in a frame:
    #: smaller, to follow the edges of shadows cast across the sheet.
    page_background_kernel_rel: float = 0.08
    #: Edges are thickened by this many pixels of the work copy (a compute resolution) to
    #: close gaps in the sheet's border; the page keeps this far from its edge.
    page_edge_grow: int = 2
    #: Strips of the found region narrower than this fraction of the work copy's short side
    #: are cut off (a leak onto the desk through a gap in the sheet's border).
    page_neck_rel: float = 0.06
    #: An image whose short side is below this (px) is a crop of some writing, not a frame
    #: with a desk around a sheet: the whole image is the page (no search; a 64x64 digit
    #: image spent 0.75 of its 2.6 ms looking for a sheet).
    page_min_side_px: int = 96
    #: The sheet is used only if it covers at least / at most this fraction of the frame ...
    page_min_area_rel: float = 0.1
    page_max_area_rel: float = 0.9
    #: ... and at least this fraction of it is blank paper (not holes: ink, words) ...
    page_min_blank: float = 0.6
    #: ... and it fills at least this fraction of its convex hull (a sheet is convex) ...
    page_min_solidity: float = 0.85
    #: ... and no more than this fraction of the frame around it has its brightness and
    #: colour (within the edge step): paper all around is a loop of ink (a big 0), not a
    #: sheet on a desk.
    page_max_alike_outside: float = 0.5
    #: ... and at least this share of the frame's edge is desk: outside it and unlike its
    #: paper (with paper all along the edge, the "desk" is a broad stroke across a canvas) ...
    page_min_desk_at_edge: float = 0.15
    #: ... and no larger part of the frame than this multiple of its area, outside it, is
    #: brighter than it by more than the edge step (the sheet is the brightest flat thing in
    #: view: a region outshone is a piece of desk).
    page_max_brighter_outside: float = 1.0

    # ---- components and filters (components.py) ------------------------------------------
    #: Specks: components with an area below this fraction of the image area ...
    speck_area_rel_image: float = 5e-6
    #: ... or below this multiple of the squared stroke width are noise (a dot of a dotted
    #: stroke is about 0.8 stroke widths squared).
    speck_area_rel_stroke: float = 0.2
    #: A ruled line / table border is a straight run at least this fraction of the image
    #: width (horizontal) or height (vertical) ...
    line_length_rel_image: float = 0.1
    #: ... and at least this many typical digit heights (so a '1' or a '7' bar never is one).
    line_length_rel_height: float = 6.0
    #: A component this many times wider than tall and a line length long is a ruled line,
    #: left out when estimating the typical height.
    line_min_elongation: float = 8.0
    #: A straight bar left between two erased ruling lines (the side of a form's box, a table
    #: column rule) is a border, not a "1", when it is this many times taller than wide and
    #: touches an erased line at both ends.
    border_min_elongation: float = 6.0
    #: A single run this fraction of the image side long is ruling by itself; shorter runs
    #: count as ruling only when two or more run in parallel in one component (a grid).
    line_span_rel: float = 0.9
    #: No digit is shorter than this many stroke widths (a '0' is two strokes and a hole):
    #: a component shorter than ``line_length_rel_height`` such heights holds no line and
    #: is not examined (a digit drawn with a broad pen on a canvas costs nothing).
    digit_min_height_rel_stroke: float = 3.0
    #: At most this many components are examined for lines (the longest); more is texture
    #: or noise, and bounds the time such an image can take.
    line_max_components: int = 64
    #: Slope tolerated in a ruled line (scanner skew, a webcam held askew), rise over run:
    #: 0.035 is 2 degrees.
    line_skew: float = 0.035
    #: Candidate height limits relative to the typical height.
    min_height_rel_typical: float = 0.3
    max_height_rel_typical: float = 4.0
    #: A candidate touching the image's edge is seen cut off: taller than this many typical
    #: heights of the image, it is part of something larger (the edge of a desk or of a
    #: sheet, a cable), not a digit. On 300 webcam frames of each of seeds 1, 3 and 4 this
    #: took the non-digits reported from 1.5-1.9% to 1.2-1.5% and lost no digit; drawings
    #: and scans read the same.
    edge_max_height_rel_typical: float = 1.5
    #: ... and so is a straight bar this many times longer than wide touching the edge (a
    #: sheet's or a frame's border running out of the picture).
    edge_bar_min_elongation: float = 4.0
    #: A candidate with more than this many separate pieces of ink inside a loop of its
    #: largest piece (eyes and a mouth in a circle: a face) is a drawing, not a digit: no digit
    #: is written with two separate marks inside a loop (one is the dotted zero). Pieces
    #: smaller than the speck area do not count.
    max_pieces_in_loop: int = 1
    #: Candidate height floor relative to the image's longer side (2.4 mm on any A4 scan).
    min_height_rel_image: float = 0.008
    #: Absolute legibility floor: nothing shorter than this is readable at any resolution.
    min_height_px: int = 6
    #: Widest accepted width/height ratio (a minus sign or underline is wider) ...
    max_aspect: float = 2.5
    #: ... except, with ``graph`` on, for a piece at least this fraction of the typical
    #: height tall and at most ``graph_string_max_aspect`` heights wide: a string of
    #: touching digits, which the segmentation graph cuts.
    graph_string_min_height_rel: float = 0.8
    graph_string_max_aspect: float = 10.0
    #: Minimum fill fraction of the box (ink pixels / box area).
    min_ink_ratio: float = 0.01
    #: A box filled above this fraction ...
    blob_ink_ratio: float = 0.9
    #: ... whose short/long side ratio exceeds this is a blot, not a digit (a '1' is thin).
    blob_min_squareness: float = 0.45

    # ---- the size of the digits around each piece (scale.py) ------------------------------
    #: Pieces closer than this fraction of the shorter one's height are neighbours; a group
    #: of neighbours (a number, a line of writing) has its own typical height, so a small
    #: number drawn beside a big one is judged by its own size.
    scale_link_rel: float = 1.0
    #: ... and of similar heights, the taller at most this many times the shorter (a printed
    #: word written just before a number is a neighbourhood of its own).
    scale_link_max_ratio: float = 1.5
    #: Such a group is judged by its own size only when it is this many times smaller or
    #: larger than the image's typical height: the numbers on one page vary that much and
    #: are judged together ...
    scale_own_ratio: float = 2.0
    #: ... and when it is not below this fraction of the image's, nor shorter than
    #: ``scale_min_rel_stroke`` of its own stroke widths (a dot, a speck, a dash standing
    #: alone is not a size of its own).
    scale_min_rel: float = 0.1
    scale_min_rel_stroke: float = 2.0
    #: ... nor when other writing lies closer than this fraction of its typical height
    #: (it may be the fragments of a broken digit, of unequal sizes) ...
    scale_crowd_rel: float = 0.5
    #: ... nor when it is taller than this many times its typical height (pieces stacked:
    #: one digit broken in two, not a line of writing).
    scale_max_extent_rel: float = 1.5

    # ---- merging broken strokes (merge.py) -------------------------------------------------
    #: Stacked pieces merge when their horizontal overlap is at least this fraction of the
    #: narrower width, when the shorter is a fragment (a 5's bar, often wider than its body)
    merge_min_x_overlap: float = 0.5
    #: ... or this fraction when both are digit-tall (the two strokes of a 4 overlap wholly;
    #: a slanted '1' under the bar of the next '7' only partly) ...
    merge_min_x_overlap_solid: float = 0.8
    #: ... and their vertical gap is at most this fraction of the taller piece.
    merge_max_vgap_rel: float = 0.35
    #: A piece at least this fraction of the typical height tall is "solid" (a digit):
    #: a link through a small piece never joins two groups holding solid pieces.
    merge_fragment_rel: float = 0.75
    #: A small piece (long side below this fraction of the typical height: a dot, a faint
    #: dash) joins a neighbour within ``merge_link_rel`` typical heights in both directions ...
    merge_small_rel: float = 0.4
    merge_link_rel: float = 0.12
    #: ... unless it lies beside the neighbour with its top below this fraction of the
    #: neighbour's height (a decimal point or a comma, which stays separate).
    merge_period_low_rel: float = 0.6
    #: A merged group may not be taller than this multiple of the typical height (or of its
    #: tallest piece, if taller), nor wider than ``merge_max_width_rel`` typical heights.
    merge_max_height_rel: float = 1.5
    merge_max_width_rel: float = 1.4

    # ---- segmentation by recognition (cuts.py, graph.py, segment.py) -----------------------
    #: Touching digits are cut apart and broken ones joined by a graph of pieces scored by
    #: the model (LeCun et al. 1998, section V). False reads every candidate as found.
    graph: bool = True
    #: A candidate wider than this many times its height (or ``graph_height_rel_line`` of
    #: the typical height around it, if taller) may hold touching digits: it is cut before
    #: the model call.
    graph_min_width_rel: float = 0.9
    graph_height_rel_line: float = 0.75
    #: A candidate the model reads below this confidence, or as "not a digit", gets a graph
    #: with its close neighbours (a broken digit's pieces; touching narrow digits) ...
    graph_unsure_confidence: float = 0.8
    #: ... when it is at least this fraction of the typical height around it tall ...
    graph_unsure_min_height_rel: float = 0.5
    #: ... and is cut too when wider than this many times its height.
    graph_unsure_cut_width_rel: float = 0.7
    #: A wide candidate the model reads whole as a digit at ``graph_unsure_confidence`` or
    #: more stays whole unless it is wider than this many times its height: single digits
    #: are drawn that wide, two digits rarely narrower.
    graph_keep_sure_width_rel: float = 1.5
    #: Neighbours on its line closer than this fraction of the height join its graph.
    graph_join_gap_rel: float = 0.3
    #: A digit is made of 1 to this many pieces ...
    graph_max_pieces: int = 3
    #: ... and is at most this many heights wide, and at least this fraction of the
    #: region's height tall (a stroke's end cut off is no digit).
    graph_max_group_width_rel: float = 1.3
    graph_min_height_rel: float = 0.55
    #: Cost (in nats, as -log p) of every digit on a path: two pieces the model reads as
    #: digits must beat the whole by this much to split it.
    graph_digit_cost: float = 0.25
    #: Cost added to a digit made of pieces of different candidates:
    #: joining what the finder kept apart needs the model's clear support.
    graph_join_cost: float = 0.5
    #: A digit cut out of a candidate takes the other side's ink within this many stroke
    #: widths of its cut too (two digits touching along a stroke share it).
    graph_cut_overlap_strokes: float = 1.0
    #: Cuts keep this fraction of the height from either side of a candidate ...
    cut_margin_rel: float = 0.05
    #: ... are at least this fraction of the height apart ...
    cut_min_separation_rel: float = 0.08
    #: ... where the ink's vertical projection falls or rises to this fraction of its value
    #: two columns away (the side of a tall stroke), or at its minima and the contour's
    #: valleys and peaks ...
    cut_step_ratio: float = 0.35
    #: ... at most this many per height of width ...
    cut_max_per_height: float = 2.5
    #: ... and a cut path strays at most this fraction of the height from its start. It
    #: costs ``cut_stroke_cost`` per stroke it enters, ``cut_ink_cost`` per ink pixel (up
    #: to ``cut_centre_pull`` of that less in the middle of a stroke) and
    #: ``cut_straightness`` per column away from its start, each row.
    cut_band_rel: float = 0.15
    cut_stroke_cost: float = 1.0
    cut_ink_cost: float = 0.05
    cut_centre_pull: float = 0.5
    cut_straightness: float = 0.01
    #: Cuts are looked for on a copy of the candidate at most this many pixels tall (a
    #: compute resolution: the path's cost loops over the rows).
    cut_work_height: int = 48

    # ---- grouping into numbers (grouping.py) -----------------------------------------------
    #: Two boxes are on the same text line when their vertical overlap is at least this
    #: fraction of the shorter one.
    line_overlap: float = 0.5
    #: Neighbours on a line belong to one number when the gap between them is below this
    #: fraction of their mean height.
    number_gap_rel: float = 0.8

    # ---- printed text and frames (printed.py, components.py) -------------------------------
    #: Report printed digits (labels, page numbers, table headers) too, marked as printed;
    #: by default only handwriting is read.
    read_printed: bool = False
    #: Neighbouring letters of a printed word: a gap below this fraction of the shorter one's
    #: height (letter spacing, wide in a monospaced font) ...
    print_letter_gap_rel: float = 0.4
    #: ... the shorter at least this fraction of the taller (x-height against capitals) ...
    print_min_height_ratio: float = 0.45
    #: ... and a baseline or a top line in common within this fraction of the height.
    print_align_rel: float = 0.06
    #: A word is this many letters or more, of which this many (or half) are rejected by
    #: the model (2 keeps a handwritten number with one rejected digit from being a word,
    #: but misses more printed words: on generated scans 1 read more numbers exactly).
    print_min_letters: int = 2
    print_min_rejected: int = 1
    #: A printed digit lies at most this many of the word's capital heights from it (a word
    #: space; a monospaced font's is nearly one) on its baseline (``print_align_rel``), and
    #: is as tall as its capitals (digits of a font are) within this fraction of them; so is
    #: a letter spaced apart, as tall as the capitals or the small letters (the i and o of
    #: "Section" in a monospaced font). Handwriting beside a label is rarely of its height
    #: and baseline both.
    print_space_rel: float = 1.2
    print_height_tol: float = 0.2
    #: Digits so found side by side must be set like type: heights and baselines within
    #: this fraction of the capitals' height (handwritten digits vary more). 1 turns it off:
    #: on generated scans (seed 3, 40 pages) 0.06-0.25 kept printed digits read (non-digits
    #: 5.9% -> 7.3-9.5%) and lost more numbers than it saved.
    print_run_spread: float = 1.0
    #: A word whose tallest letter on the baseline is less than this many times its shortest
    #: is of small letters alone (x-height, about this fraction of the capitals' height).
    print_ascender_rel: float = 1.15
    print_x_height_rel: float = 0.7
    #: ... and of the word's stroke width within this ratio (one font) ...
    print_stroke_ratio: float = 1.25
    #: ... found in at most this many steps from the word ("Room 101": three).
    print_max_steps: int = 6
    #: A candidate whose ink runs along all four sides of its box (within
    #: ``outline_band_rel`` of its shorter side from each), over this share of each side, is
    #: a frame (a check box, a table cell), never a digit: a round 0 covers about 70%.
    outline_min_side_fill: float = 0.85
    outline_band_rel: float = 0.08

    # ---- used by the caller -----------------------------------------------------------------
    #: Model confidence below which a candidate is rejected ("?"). Chosen on generated scenes
    #: (seed 100, not the reported ones): 0.4 read the most numbers exactly in every kind,
    #: with no more non-digits than 0.6 (the model's own "not a digit" class rejects those).
    min_confidence: float = 0.4
    #: At most this many candidates per image (the most digit-sized ones are kept).
    max_candidates: int = 400
    #: Crop normalization handed to ``normalize_batch``.
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)

    def __post_init__(self) -> None:
        if self.polarity not in POLARITIES:
            raise ValueError(f"polarity must be one of {POLARITIES}, got {self.polarity!r}")
        if self.work_side < 8:
            raise ValueError(f"work_side must be >= 8, got {self.work_side}")
        if self.graph_max_pieces < 1:
            raise ValueError(f"graph_max_pieces must be >= 1, got {self.graph_max_pieces}")
        if self.cut_work_height < 8:
            raise ValueError(f"cut_work_height must be >= 8, got {self.cut_work_height}")
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (int, float)) and not value >= 0:  # also rejects NaN
                raise ValueError(f"{f.name} must be a non-negative number, got {value!r}")
        for name in ("min_confidence", "line_overlap", "merge_min_x_overlap",
                     "merge_min_x_overlap_solid", "min_ink_ratio",
                     "blob_ink_ratio", "blob_min_squareness", "min_contrast", "max_threshold",
                     "page_min_area_rel", "page_max_area_rel", "page_min_blank",
                     "page_min_solidity", "page_max_alike_outside", "page_min_desk_at_edge",
                     "page_min_sharpness", "rim_min_share", "outline_min_side_fill"):
            if getattr(self, name) > 1:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)!r}")


DEFAULT_CONFIG = PipelineConfig()
