"""Printed glyphs rendered from real fonts: letters for "not a digit", and printed digits.

On a form the ink that is not the user's handwriting is mostly print: labels ("Phone:",
"Invoice", "Page"), headers, table captions. The model learns what printed letters look like
from glyphs rendered with Pillow (FreeType) from the fonts installed on the machine, at the
size of handwriting in a crop, bold, light, condensed, serif, sans, mono and italic, touching
their neighbours as bold print does, and through a scanner (blur, threshold, slight skew).

Ink crops are ``H x W uint8``, ink 255 on 0 (as ``augment_digit`` and ``make_negative``
return); ``digit_app.model.printed_data`` passes them through ``normalize_digit`` (train/serve
parity) for training.

Fonts: every ``.ttf`` / ``.otf`` under the usual font folders of Linux, macOS and Windows
(``scripts/install-system-deps.sh`` installs a few dozen Debian ``fonts-*`` families), less
symbol, math and calligraphic faces and fonts without Latin letters; Pillow's own built-in
font when nothing else is found, so the generator works everywhere.
"""
from __future__ import annotations

import os
import string
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digit_app.data.augment import ink_mask

FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    os.path.join(os.environ.get("WINDIR", "C:/Windows"), "Fonts"),
)
FONT_SUFFIXES = (".ttf", ".otf")
#: Faces that are not print of a form's labels: symbols, dingbats, math, and calligraphic
#: or handwriting-like faces (whose digits are handwriting to the model).
EXCLUDED_FONTS = ("symbol", "dingbat", "d050000l", "math", "emoji", "z003", "chancery",
                  "script", "hand", "comic", "icons", "awesome")

#: Letters whose printed shape no handwritten digit shares; the model may safely learn
#: them as "not a digit".
SAFE_LETTERS = "ACDEFHKMNPRTUVWXYacdefhkmnprtuvwxy"
#: Printed letters that look like a digit once cut out and normalized (o/O/Q like 0, g/q like
#: 9, S/s like 5, Z/z like 2, b/G like 6, B like 8). Learned as "not a digit" they also teach
#: the model to reject round 0s and plain 9s of handwriting: see ``confusable_weight``.
#: Never drawn: I, i, l, j, J and bar-like marks (| ! / \\ ( ) , ' "), which normalization
#: makes a plain bar, the shape of a handwritten 1; and ?, close to a 2.
CONFUSABLE_LETTERS = "BGOQSZbgoqsz"
PUNCTUATION = ":;.-&%#@*+="
#: What follows a printed digit, touching it, in dates and amounts.
DIGIT_SUFFIXES = ".,"


@dataclass(frozen=True)
class PrintedConfig:
    #: Character classes drawn for "not a digit", with their weights.
    safe_weight: float = 0.65
    punctuation_weight: float = 0.1
    #: Digit-like letters (``CONFUSABLE_LETTERS``): 0 leaves them out of training; the word
    #: and line level of the pipeline tells such letters from digits by their neighbours.
    confusable_weight: float = 0.25
    #: Share of samples that are two or three characters touching (bold print, tight
    #: kerning: "rn", "ff", "Th" come out as one connected piece).
    cluster_probability: float = 0.25
    #: Font size in pixels (the em): a glyph's ink is then 8-50 px tall, the sizes at
    #: which print is found on a 150-300 dpi scan and a webcam frame.
    size_range: tuple[int, int] = (14, 64)
    #: Horizontal squeeze (condensed print) and stretch.
    x_scale_range: tuple[float, float] = (0.7, 1.2)
    #: Probability of faking bold with a stroke around the glyph, and its width (em share).
    fake_bold_probability: float = 0.2
    fake_bold_rel: float = 0.04
    #: Scanner or camera: skew (degrees), blur sigma (em share) before the threshold.
    skew_deg: float = 2.0
    blur_rel_max: float = 0.025
    #: Share of glyphs turned further, by up to ``rotate_deg`` either way: print set at an
    #: angle (a rubber stamp, a label stuck on askew, a page held tilted to a camera).
    rotate_probability: float = 0.0
    rotate_deg: float = 15.0
    #: Share of printed digits followed by a full stop or a comma touching them ("12.03.",
    #: "1,250"), as they are cut from dates and amounts.
    digit_suffix_probability: float = 0.0
    #: Where the blurred glyph is cut (grey level): low thickens, high thins the strokes.
    threshold_range: tuple[int, int] = (90, 170)
    #: A "not a digit" crop this many times taller than wide is a bar, a "1" to the model
    #: (a dot or a dash of some fonts, a letter squeezed): drawn again.
    bar_min_elongation: float = 2.5
    #: Characters that make printed digits (the labels are their digit values).
    digits: str = string.digits


DEFAULT_PRINTED = PrintedConfig()


def _usable_font(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in FONT_SUFFIXES and not any(x in name for x in EXCLUDED_FONTS)


def _draws_latin(font: ImageFont.FreeTypeFont) -> bool:
    """True when the font gives "A", "B", "5" and "7" distinct shapes (a font without them
    draws the same empty box for each)."""
    masks = [np.asarray(font.getmask(ch)) for ch in "AB57"]
    shapes = {(m.size, m.tobytes()) for m in masks}
    return all(m.size and m.any() for m in masks) and len(shapes) == len(masks)


@cache
def font_paths(dirs: tuple[str, ...] = FONT_DIRS) -> tuple[str, ...]:
    """The usable font files under ``dirs`` (sorted; one per file name), possibly empty."""
    found: dict[str, str] = {}
    for d in dirs:
        root = Path(os.path.expanduser(d))
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if not _usable_font(path) or path.name in found:
                continue
            try:
                font = ImageFont.truetype(str(path), 32)
            except OSError:  # unreadable or not a font FreeType knows
                continue
            if _draws_latin(font):
                found[path.name] = str(path)
    return tuple(sorted(found.values()))


@lru_cache(maxsize=4096)
def _font(path: str | None, size: int) -> ImageFont.FreeTypeFont:
    if path is None:
        # Pillow's built-in scalable font: a FreeTypeFont when given a size (the stubs also allow
        # the old bitmap font, which Pillow returns only when built without FreeType).
        return ImageFont.load_default(size)  # type: ignore[return-value]
    return ImageFont.truetype(path, size)


def _pick_font(rng: np.random.Generator, fonts: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont:
    return _font(fonts[rng.integers(len(fonts))] if fonts else None, size)


def _is_bold(font: ImageFont.FreeTypeFont) -> bool:
    style = (font.getname()[1] or "").lower()
    return any(w in style for w in ("bold", "black", "heavy", "demi", "extra"))


def _degrade(glyph: np.ndarray, rng: np.random.Generator, cfg: PrintedConfig,
             size: int) -> np.ndarray:
    """Squeeze, skew, blur and threshold a grey glyph image (bright ink on 0)."""
    sx = rng.uniform(*cfg.x_scale_range)
    h, w = glyph.shape
    turn = cfg.rotate_deg if rng.random() < cfg.rotate_probability else cfg.skew_deg
    angle = np.deg2rad(rng.uniform(-turn, turn))
    c, s = np.cos(angle), np.sin(angle)
    m = np.array([[sx * c, -s, 0.0],
                  [sx * s, c, 0.0]])
    out_w = int(np.ceil(w * sx * abs(c) + h * abs(s))) + 2
    out_h = int(np.ceil(h * abs(c) + w * sx * abs(s))) + 2
    m[:, 2] = [out_w / 2, out_h / 2] - m[:, :2] @ [w / 2, h / 2]
    glyph = cv2.warpAffine(glyph, m, (out_w, out_h), flags=cv2.INTER_LINEAR)
    sigma = rng.uniform(0, cfg.blur_rel_max) * size
    if sigma > 0.3:
        glyph = cv2.GaussianBlur(glyph, (0, 0), sigma)
    return ink_mask(glyph, int(rng.integers(*cfg.threshold_range)))


def _pieces(mask: np.ndarray) -> int:
    return cv2.connectedComponents(mask, connectivity=8)[0] - 1


def render_text(text: str, font: ImageFont.FreeTypeFont, rng: np.random.Generator,
                cfg: PrintedConfig = DEFAULT_PRINTED, spacing: float = 0.0) -> np.ndarray:
    """``text`` printed in ``font`` as an ink crop (``H x W uint8``, 255 on 0, trimmed to
    the ink), through a random squeeze, fake bold, skew, blur and threshold; empty (0 x 0)
    when that broke the print into more pieces than it has (a glyph no longer itself).

    ``spacing`` moves each character after the first by that share of the em (negative:
    the characters overlap, as tight bold print touches)."""
    size = int(font.size)
    bold = 0
    if not _is_bold(font) and rng.random() < cfg.fake_bold_probability:
        bold = int(round(cfg.fake_bold_rel * size))
    pad = size // 2 + bold
    advance = [font.getlength(ch) for ch in text]
    width = int(sum(advance) + abs(spacing) * size * len(text)) + 2 * pad
    img = Image.new("L", (max(width, 1), 2 * size + 2 * pad), 0)
    draw = ImageDraw.Draw(img)
    x = float(pad)
    for ch, adv in zip(text, advance):
        draw.text((x, pad), ch, fill=255, font=font, stroke_width=bold, stroke_fill=255)
        x += adv + spacing * size
    glyph = np.asarray(img)
    mask = _degrade(glyph, rng, cfg, size)
    pts = cv2.findNonZero(mask)
    if pts is None or _pieces(mask) > _pieces(ink_mask(glyph)):
        return mask[:0, :0]
    x0, y0, bw, bh = cv2.boundingRect(pts)
    return mask[y0:y0 + bh, x0:x0 + bw]


def _letter_text(rng: np.random.Generator, cfg: PrintedConfig) -> str:
    pools = (SAFE_LETTERS, PUNCTUATION, CONFUSABLE_LETTERS)
    weights = np.array([cfg.safe_weight, cfg.punctuation_weight, cfg.confusable_weight])
    n = int(rng.integers(2, 4)) if rng.random() < cfg.cluster_probability else 1
    out = []
    for _ in range(n):
        pool = pools[rng.choice(len(pools), p=weights / weights.sum())]
        out.append(pool[rng.integers(len(pool))])
    return "".join(out)


def printed_letter(rng: np.random.Generator, cfg: PrintedConfig = DEFAULT_PRINTED,
                   fonts: tuple[str, ...] | None = None) -> np.ndarray:
    """One printed "not a digit" ink crop (``H x W uint8``): a letter or a punctuation
    mark, or two or three of them touching, in a random font, size and style."""
    fonts = font_paths() if fonts is None else fonts
    while True:
        text = _letter_text(rng, cfg)
        font = _pick_font(rng, fonts, int(rng.integers(*cfg.size_range)))
        spacing = -rng.uniform(0.02, 0.12) if len(text) > 1 else 0.0
        crop = render_text(text, font, rng, cfg, spacing)
        if crop.size and crop.shape[0] < cfg.bar_min_elongation * crop.shape[1]:
            return crop


def printed_digit(rng: np.random.Generator, cfg: PrintedConfig = DEFAULT_PRINTED,
                  fonts: tuple[str, ...] | None = None) -> tuple[np.ndarray, int]:
    """One printed digit: its ink crop (``H x W uint8``) and its value 0-9."""
    fonts = font_paths() if fonts is None else fonts
    while True:
        ch = cfg.digits[rng.integers(len(cfg.digits))]
        font = _pick_font(rng, fonts, int(rng.integers(*cfg.size_range)))
        suffix = DIGIT_SUFFIXES[rng.integers(len(DIGIT_SUFFIXES))] \
            if rng.random() < cfg.digit_suffix_probability else ""
        crop = render_text(ch + suffix, font, rng, cfg, -0.05 if suffix else 0.0)
        if crop.size:
            return crop, int(ch)


def font_with_cap_height(path: str | None, cap: float) -> ImageFont.FreeTypeFont:
    """The font at ``path`` (None: Pillow's built-in) sized so that a capital H is about
    ``cap`` pixels tall."""
    probe = _font(path, 100)
    _, top, _, bottom = probe.getbbox("H")
    return _font(path, max(4, int(round(100 * cap / max(bottom - top, 1)))))


def text_alpha(text: str, font: ImageFont.FreeTypeFont) -> tuple[np.ndarray, int]:
    """``text`` printed in ``font``, anti-aliased: its alpha (``h x w float32`` in [0, 1],
    trimmed to the ink) and the y of the text's baseline in it."""
    left, top, right, bottom = font.getbbox(text, anchor="ls")
    w, h = int(right - left) + 2, int(bottom - top) + 2
    img = Image.new("L", (max(w, 1), max(h, 1)), 0)
    ImageDraw.Draw(img).text((1 - left, 1 - top), text, fill=255, font=font, anchor="ls")
    alpha = np.asarray(img, np.float32) / 255.0
    return alpha, int(1 - top)


def print_text(page: np.ndarray, text: str, font_path: str | None, cap: float, x: int,
               baseline: int) -> tuple[int, int, int, int]:
    """Print ``text`` in black on ``page`` (``H x W x 3`` BGR, or ``H x W``, ``uint8``,
    changed in place) in the font file ``font_path`` with capitals ``cap`` px tall, from
    column ``x`` with its baseline on row ``baseline``; its box ``(x, y, w, h)``."""
    alpha, base = text_alpha(text, font_with_cap_height(font_path, cap))
    h, w = alpha.shape
    y = baseline - base
    region = page[y:y + h, x:x + w].astype(np.float32)
    cover = alpha if page.ndim == 2 else alpha[:, :, None]
    page[y:y + h, x:x + w] = (region * (1 - cover)).astype(np.uint8)
    return x, y, w, h
