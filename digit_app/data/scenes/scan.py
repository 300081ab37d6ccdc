"""The ``scan`` kind: an A4 form page at 150 dpi with handwritten numbers in rows among
printed matter (labels, header and footer, a table, check boxes, a stamp), ruled lines, a table
border and stains; slightly rotated, blurred and through JPEG."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from digit_app.data.scenes.config import RULED_LINE_MODES, ScanConfig, SceneConfig
from digit_app.data.scenes.ink import Color, Ink, Rect, composite, ink_color, jpeg, to_uint8, trim
from digit_app.data.scenes.layout import LoosePlacer
from digit_app.data.scenes.marks import (
    blot,
    checkbox,
    count,
    font_text,
    line,
    line_piece,
    pick,
    smudge,
    stamp,
    word,
)
from digit_app.data.scenes.paper import paper
from digit_app.data.scenes.render import Draft, Renderer, RenderFn, Spacing, draft_number
from digit_app.data.scenes.truth import Scene, assemble


@dataclass
class Rows:
    """The page's writing rows: where each starts and has its baseline, and what went in."""

    pitch: float
    top: list[float]
    baseline: list[float]
    # x where the next item of the row may start (the rows' indents are drawn later)
    cursor: list[float] = field(default_factory=list)
    used: list[bool] = field(init=False)  # holds handwriting
    ink_top: list[float] = field(init=False)  # extent of the ink written in the row
    ink_bottom: list[float] = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.top)
        self.used = [False] * n
        self.ink_top = [math.inf] * n
        self.ink_bottom = [-math.inf] * n

    def __len__(self) -> int:
        return len(self.top)

    def take(self, r: int, top: float, bottom: float) -> None:
        """Row ``r`` holds ink from ``top`` to ``bottom``."""
        self.ink_top[r] = min(self.ink_top[r], top)
        self.ink_bottom[r] = max(self.ink_bottom[r], bottom)

    def boundary(self, r: int, cfg: ScanConfig) -> float:
        """A y between row r-1 and row r (r = 0 .. len) that no written ink crosses."""
        if r == 0:
            above = self.top[0]
        else:
            above = self.ink_bottom[r - 1] if self.used[r - 1] else self.baseline[r - 1]
        if r < len(self):
            below = self.ink_top[r] if self.used[r] else self.baseline[r] - cfg.digit_height[1] / 2
        else:
            below = self.top[-1] + self.pitch + cfg.row_bottom
        if r == 0:
            above = min(above, below - 2 * cfg.row_bottom)
        return (above + below) / 2


@dataclass
class Page:
    """What has been put on the flat page so far, by layer."""

    groups: list[list[Ink]] = field(default_factory=list)  # handwritten numbers' digits
    words: list[Ink] = field(default_factory=list)  # printed text
    lines: list[Ink] = field(default_factory=list)  # ruled lines, table borders and grids
    occupied: list[Rect] = field(default_factory=list)  # kept clear of loose elements


def _rows(rng: np.random.Generator, cfg: ScanConfig) -> Rows:
    """Writing rows of one pitch filling the page between its top and bottom margins."""
    H = cfg.size[1]
    my = cfg.margin[1]
    pitch = rng.uniform(*cfg.row_pitch)
    n_rows = int((H - 2 * my) // pitch)
    top = [my + i * pitch for i in range(n_rows)]
    baseline = [t + pitch - cfg.row_bottom for t in top]
    return Rows(pitch, top, baseline)


def _ruled_line_mode(rng: np.random.Generator, cfg: ScanConfig) -> str:
    """The page's ruling: ``cfg.ruled_line_mode``, or one of ``ruled_line_modes`` if random."""
    mode = cfg.ruled_line_mode
    if mode == "random":
        mode = pick(rng, cfg.ruled_line_modes)
    if mode not in RULED_LINE_MODES:
        raise ValueError(f"scan.ruled_line_mode {mode!r}: expected one of {RULED_LINE_MODES}")
    return mode


def _grid_rows(rng: np.random.Generator, rows: Rows, cfg: ScanConfig) -> list[int]:
    """The rows a printed table takes (maybe none); no handwriting goes there."""
    if rng.random() >= cfg.grid_probability:
        return []
    k = count(rng, cfg.grid_rows)
    if len(rows) < k + 2:
        return []
    r0 = int(rng.integers(0, len(rows) - k + 1))
    for r in range(r0, r0 + k):
        rows.cursor[r] = float(cfg.size[0])
    return list(range(r0, r0 + k))


def _label(rng: np.random.Generator, height: float, cfg: SceneConfig) -> tuple[np.ndarray, int] | None:
    """A printed label before a number of digits ``height`` tall (alpha, baseline), or None."""
    scan = cfg.scan
    if rng.random() >= scan.word_probability:
        return None
    if rng.random() < scan.font_label_probability:
        return font_text(rng, pick(rng, scan.labels), height * rng.uniform(*scan.label_height_rel),
                         scan.bold_probability)
    return word(rng, cfg, scan.word_height)


@dataclass(frozen=True)
class _Item:
    """A number to write, with its label: where it fits."""

    draft: Draft
    label: tuple[np.ndarray, int] | None
    label_gap: float
    lift: float
    gaps: list[float]  # before it, per row
    fits: list[int]  # rows it fits in


def _fit_item(rng: np.random.Generator, labels: np.ndarray, render: RenderFn, rows: Rows,
              cfg: SceneConfig) -> _Item:
    """A number drafted (with a label sometimes) and the rows it fits in; dropping the label,
    then digits, until it fits somewhere or is one digit."""
    scan = cfg.scan
    n = count(rng, scan.digits)
    h = rng.uniform(*scan.digit_height)
    label = _label(rng, h, cfg)
    label_gap = rng.uniform(*cfg.word_gap) * h
    lift = rng.uniform(*cfg.word_lift)
    spacing = Spacing(scan.gap, scan.digit_height)
    right = scan.size[0] - scan.margin[0]
    while True:
        draft = draft_number(rng, rng.integers(0, len(labels), size=n),
                             labels, h, spacing, render, cfg)
        item_w = draft.width + (label[0].shape[1] + label_gap if label is not None else 0)
        gaps = [rng.uniform(*scan.item_gap) if used else 0.0 for used in rows.used]
        fits = [r for r in range(len(rows)) if rows.cursor[r] + gaps[r] + item_w <= right]
        if fits or (n == 1 and label is None):
            return _Item(draft, label, label_gap, lift, gaps, fits)
        if label is not None:
            label = None
        else:
            n -= 1


def _write_numbers(rng: np.random.Generator, labels: np.ndarray, render: RenderFn, rows: Rows,
                   ink: Color, page: Page, cfg: SceneConfig) -> None:
    """Handwritten numbers, some after a printed label, put one after another into rows."""
    for _ in range(count(rng, cfg.scan.numbers)):
        item = _fit_item(rng, labels, render, rows, cfg)
        if not item.fits:
            continue
        r = int(pick(rng, item.fits))
        x = rows.cursor[r] + item.gaps[r]
        if item.label is not None:
            alpha, base = item.label
            wy = int(round(rows.baseline[r] - item.lift - base))
            page.words.append(Ink(alpha, int(round(x)), wy, cfg.print_color))
            page.occupied.append(page.words[-1].rect)
            rows.take(r, wy, wy + alpha.shape[0])
            x += alpha.shape[1] + item.label_gap
        draft = item.draft
        top = int(round(rows.baseline[r] - draft.baseline))
        page.groups.append(draft.inks(int(round(x)), top, ink))
        page.occupied.append((int(round(x)), top, draft.width, draft.height))
        rows.take(r, top, top + draft.height)
        rows.cursor[r] = x + draft.width
        rows.used[r] = True


def _hline(y: float, x0: float, length: float, thickness: int, strength: float, color: Color,
           trim_level: float) -> Ink:
    """A horizontal line ``length`` px long from x0, centred on y."""
    alpha = trim(line(length, 0.0, thickness, strength), trim_level)[0]
    return Ink(alpha, int(round(x0)), int(round(y - alpha.shape[0] / 2)), color)


def _vline(x: float, y0: float, y1: float, thickness: int, color: Color, trim_level: float) -> Ink:
    """A vertical line from y0 to y1 centred on x, full strength."""
    alpha = trim(line(y1 - y0, 90.0, thickness, 1.0), trim_level)[0]
    return Ink(alpha, int(round(x - alpha.shape[1] / 2)), int(round(y0)), color)


def _ruled_lines(rng: np.random.Generator, mode: str, rows: Rows, cfg: SceneConfig) -> tuple[list[Ink], Color]:
    """Ruled lines spanning the page (between the rows or at their baselines), off the
    digits; and their colour."""
    scan = cfg.scan
    color = pick(rng, scan.line_colors)
    thickness = count(rng, scan.line_thickness)
    strength = rng.uniform(*scan.line_strength)
    n_rows = len(rows)
    if mode == "between":
        p = scan.ruled_between_probability
        ys = [rows.boundary(r, scan) for r in range(1, n_rows) if rng.random() < p]
        if len(ys) < scan.ruled_min_lines:
            k = min(scan.ruled_min_lines, n_rows - 1)
            chosen = sorted(rng.choice(np.arange(1, n_rows), k, replace=False))
            ys = [rows.boundary(r, scan) for r in chosen]
    elif mode == "baseline":
        p = scan.ruled_baseline_probability
        ys = [rows.baseline[r] for r in range(n_rows) if rng.random() < p]
    else:
        ys = []
    lines = []
    for y in ys:
        inset = rng.uniform(*scan.ruled_inset)
        x1 = scan.size[0] - inset
        lines.append(_hline(y, inset, x1 - inset, thickness, strength, color, cfg.trim_level))
    return lines, color


def _table_border(rng: np.random.Generator, rows: Rows, cfg: SceneConfig) -> list[Ink]:
    """Sometimes a printed frame around some rows, between their ink."""
    scan = cfg.scan
    if rng.random() >= scan.table_probability:
        return []
    n = min(count(rng, scan.table_rows), len(rows))
    r0 = int(rng.integers(0, len(rows) - n + 1))
    y0, y1 = rows.boundary(r0, scan), rows.boundary(r0 + n, scan)
    mx, W = scan.margin[0], scan.size[0]
    x0 = mx * rng.uniform(*scan.table_inset)
    x1 = W - mx * rng.uniform(*scan.table_inset)
    t = count(rng, scan.table_thickness)
    color = cfg.print_color
    return [_hline(y0, x0, x1 - x0, t, 1.0, color, cfg.trim_level),
            _hline(y1, x0, x1 - x0, t, 1.0, color, cfg.trim_level),
            _vline(x0, y0, y1, t, color, cfg.trim_level),
            _vline(x1, y0, y1, t, color, cfg.trim_level)]


def _grid(rng: np.random.Generator, cfg: SceneConfig, ys: list[float], pitch: float,
          page: Page) -> Rect:
    """A printed table between the heights ``ys`` (one more than its rows): ruled grid,
    printed column headers in the first row and printed row numbers in the first column.
    Returns its rectangle."""
    scan = cfg.scan
    W = scan.size[0]
    width = W * rng.uniform(*scan.grid_width_rel)
    x0 = rng.uniform(scan.margin[0] * 0.5, W - scan.margin[0] * 0.5 - width)
    cols = count(rng, scan.grid_columns)
    xs = [x0 + width * k / cols for k in range(cols + 1)]
    t = count(rng, scan.table_thickness)
    color = cfg.print_color
    for y in ys:
        page.lines.append(_hline(y, x0, width, t, 1.0, color, cfg.trim_level))
    for x in xs:
        page.lines.append(_vline(x, ys[0], ys[-1], t, color, cfg.trim_level))
    cap = pitch * rng.uniform(0.15, 0.3)
    for r in range(len(ys) - 1):
        for c in range(cols):
            if r == 0:
                text = pick(rng, scan.grid_headers)
            elif c == 0:
                text = str(r)
            else:
                continue
            alpha, _ = font_text(rng, text, cap, scan.bold_probability)
            h, w = alpha.shape
            if w < xs[c + 1] - xs[c] - 2 * t - 4 and h < ys[r + 1] - ys[r] - 2 * t - 4:
                x = xs[c] + t + rng.uniform(2, xs[c + 1] - xs[c] - 2 * t - w - 2)
                y = (ys[r] + ys[r + 1] - h) / 2
                page.words.append(Ink(alpha, int(round(x)), int(round(y)), color))
    return (x0, ys[0], width, ys[-1] - ys[0])


def _header_and_footer(rng: np.random.Generator, page: Page, cfg: SceneConfig) -> None:
    """A printed title in the top margin and a page number in the bottom one, each sometimes."""
    scan = cfg.scan
    W, H = scan.size
    mx, my = scan.margin
    for band, chance, height in (((20.0, my - 8.0), scan.header_probability, scan.header_height),
                                 ((H - my + 10.0, H - 20.0), scan.footer_probability,
                                  scan.footer_height)):
        if rng.random() < chance:
            text = pick(rng, scan.headers) if band[0] < my else f"Page {count(rng, (1, 9))}"
            alpha, _ = font_text(rng, text, rng.uniform(*height), scan.bold_probability)
            h, w = alpha.shape
            if h < band[1] - band[0] and w < W - 2 * mx:
                y = int(rng.uniform(band[0], band[1] - h))
                page.words.append(Ink(alpha, int(rng.uniform(mx, W - mx - w)), y, cfg.print_color))


def _loose_marks(rng: np.random.Generator, placer: LoosePlacer, ink: Color, line_color: Color,
                 cfg: SceneConfig) -> None:
    """Words on their own, check boxes, a stamp, blots, smudges and pieces of lines, each at
    a free spot (or left out)."""
    scan = cfg.scan
    for _ in range(count(rng, scan.extra_words)):
        placer.put(word(rng, cfg, scan.word_height)[0], cfg.print_color)
    for _ in range(count(rng, scan.checkboxes)):
        layers = checkbox(rng, cfg, ink)
        placer.put(*layers[0])
        placed = placer.placed
        if len(layers) > 1 and placed and placed[-1].alpha is layers[0][0]:  # the tick goes in it
            placed.append(Ink(layers[1][0], placed[-1].x, placed[-1].y, layers[1][1]))
    if rng.random() < scan.stamp_probability:
        placer.put(stamp(rng, cfg), pick(rng, scan.stamp_colors))
    for _ in range(count(rng, scan.blots)):
        placer.put(blot(rng, cfg), ink)
    for _ in range(count(rng, scan.smudges)):
        placer.put(smudge(rng, cfg), cfg.smudge_color)
    for _ in range(count(rng, scan.line_pieces)):
        placer.put(line_piece(rng, cfg), pick(rng, (line_color, ink, cfg.print_color)))


def _scanner(rng: np.random.Generator, page: np.ndarray, cfg: ScanConfig) -> tuple[np.ndarray, np.ndarray]:
    """The flat ``page`` (float32 BGR) as scanned: slightly rotated, blurred sometimes, through
    JPEG. Returns the ``H x W x 3 uint8`` image and the 3x3 page-to-image transform."""
    W, H = cfg.size
    angle = rng.uniform(-cfg.rotation_deg, cfg.rotation_deg)
    M = np.vstack([cv2.getRotationMatrix2D((W / 2, H / 2), angle, 1.0), [0, 0, 1]])
    page = cv2.warpAffine(
        page, M[:2], (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    sigma = rng.uniform(*cfg.blur_sigma)
    if sigma > cfg.blur_min_sigma:
        page = cv2.GaussianBlur(page, (0, 0), sigma)
    return jpeg(to_uint8(page), count(rng, cfg.jpeg_quality)), M


def make_scan(
    rng: np.random.Generator, images: np.ndarray, labels: np.ndarray, cfg: SceneConfig
) -> Scene | None:
    """One scanned form (``1754 x 1240 x 3 uint8``), or None when nothing could be written."""
    scan = cfg.scan
    W, H = scan.size
    mx = scan.margin[0]
    rows = _rows(rng, scan)
    mode = _ruled_line_mode(rng, scan)
    ink = ink_color(pick(rng, scan.ink_colors), rng.uniform(*scan.ink_strength))
    render = Renderer(images, cfg).for_height(0.0)
    rows.cursor = [mx + rng.uniform(*scan.row_indent) for _ in range(len(rows))]
    grid_rows = _grid_rows(rng, rows, scan)
    page = Page()
    _write_numbers(rng, labels, render, rows, ink, page, cfg)
    if not page.groups:
        return None

    page.lines, line_color = _ruled_lines(rng, mode, rows, cfg)
    page.lines += _table_border(rng, rows, cfg)
    e = scan.edge_clearance
    placer = LoosePlacer(rng, (e, e, W - e, H - e), page.occupied, cfg.distractor_clearance,
                         cfg.placement_tries)
    if grid_rows:
        ys = [rows.boundary(r, scan) for r in grid_rows + [grid_rows[-1] + 1]]
        page.occupied.append(_grid(rng, cfg, ys, rows.pitch, page))
    _header_and_footer(rng, page, cfg)
    _loose_marks(rng, placer, ink, line_color, cfg)

    flat = paper(rng, W, H, scan.paper_level, cfg.paper)
    distractor_inks = page.lines + page.words + placer.placed
    for item in distractor_inks + [i for g in page.groups for i in g]:
        composite(flat, item)
    image, M = _scanner(rng, flat, scan)
    return assemble("scan", image, page.groups, distractor_inks, M, cfg)
