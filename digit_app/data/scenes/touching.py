"""The ``touching`` scene kind: strings of 2-8 digits written fast, where neighbours touch or
overlap and some digits are broken (issue 13, segmentation by recognition).

A scene is a strip of paper or a canvas (``TouchingConfig.size``) holding one or two numbers.
Each number is drawn with a constant-width pen (MNIST skeletons redrawn, as the drawing
kind does) or as ink on paper (MNIST greys, as the scan kind); ``touching_share`` of the
neighbour pairs are pushed together until their ink touches, then overlapped by up to
``touching_overlap`` of their mean width (of the narrower's with ``overlap_of_narrower``: the
``touching-legible`` kind); ``broken_probability`` of the digits lose a thin band
of ink across a stroke (an open 4, a 5 whose hat floats). ``cheque_probability`` of the
scenes are cheque-like: a light guilloche pattern behind the writing and a printed line
under it. Paper scenes are blurred a little and go through JPEG.

Truth digits carry ``touching``: whether their ink touches a neighbour's. MNIST **test**
digits only, like every scene kind.
"""
from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from digit_app.boxes import union_box
from digit_app.data.scenes.config import DEFAULT_TOUCHING, SceneConfig, TouchingConfig
from digit_app.data.scenes.ink import Color, Ink, composite, ink_box, jpeg, to_uint8, trim
from digit_app.data.scenes.marks import count, pick
from digit_app.data.scenes.paper import paper
from digit_app.data.scenes.render import ChooseFn, Pen, Renderer, RenderFn
from digit_app.data.scenes.truth import Scene, TruthDigit, TruthNumber

__all__ = ["DEFAULT_TOUCHING", "KIND", "TouchingConfig", "break_stroke", "make_touching", "touch_offset",
           "touching_scene"]

KIND = "touching"
#: A drafted number: its digits' alphas and their offsets (x, y) from its top-left corner.
Digits = tuple[list[np.ndarray], list[int], list[int]]
#: The render function of a scene: given ``(pen_mode, pen width px, digit height px)``.
RenderFor = Callable[[bool, float, float], RenderFn]




def _profiles(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: first and last ink column (``w`` and ``-1`` in empty rows)."""
    w = ink.shape[1]
    has = ink.any(axis=1)
    first = np.where(has, ink.argmax(axis=1), w)
    last = np.where(has, w - 1 - ink[:, ::-1].argmax(axis=1), -1)
    return first, last


def touch_offset(a: np.ndarray, b: np.ndarray, dy: int) -> int:
    """Smallest x offset of ``b`` (bool mask) from ``a``'s left edge at which, shifted
    down by ``dy`` rows, its ink touches ``a``'s (8-connected) without overlapping it."""
    _, last_a = _profiles(a)
    first_b, _ = _profiles(b)
    ha, hb = a.shape[0], b.shape[0]
    best = None
    for y in range(max(0, dy), min(ha, dy + hb)):
        if last_a[y] < 0 or first_b[y - dy] >= b.shape[1]:
            continue
        need = int(last_a[y]) + 1 - int(first_b[y - dy])
        best = need if best is None else max(best, need)
    return a.shape[1] if best is None else best


def break_stroke(alpha: np.ndarray, pen: float, rng: np.random.Generator,
                 band: tuple[float, float]) -> np.ndarray:
    """The digit ``alpha`` (``H x W float32``) with a thin band of ink cut out across it at a
    random place and angle, ``band`` pen widths wide: an open 4, a 5 whose hat floats."""
    h, w = alpha.shape
    ys, xs = np.nonzero(alpha > 0.5)
    if len(ys) == 0:
        return alpha
    k = int(rng.integers(len(ys)))
    angle = rng.uniform(0, np.pi)
    d = np.array([np.cos(angle), np.sin(angle)]) * max(h, w)
    c = np.array([xs[k], ys[k]], float)
    cut = np.zeros((h, w), np.uint8)
    width = max(2, int(round(rng.uniform(*band) * pen)))
    cv2.line(cut, tuple(int(v) for v in c - d), tuple(int(v) for v in c + d), 1, width)
    # Only a short stretch of the line: one stroke is cut, not the whole digit in two.
    keep = np.zeros((h, w), np.uint8)
    cv2.circle(keep, (int(c[0]), int(c[1])), int(1.5 * width + pen), 1, -1)
    return alpha * (1 - (cut & keep)).astype(np.float32)


def _guilloche(h: int, w: int, rng: np.random.Generator, cfg: TouchingConfig) -> np.ndarray:
    """A light pattern of interlaced sine curves (alpha, float32)."""
    img = np.zeros((h, w), np.uint8)
    xs = np.arange(0, w, 2, dtype=np.float64)
    for _ in range(int(rng.integers(cfg.guilloche_curves[0], cfg.guilloche_curves[1] + 1))):
        amp = rng.uniform(0.1, 0.4) * h
        period = rng.uniform(0.1, 0.5) * w
        phase = rng.uniform(0, 2 * np.pi)
        mid = rng.uniform(0.3, 0.7) * h
        ys = mid + amp * np.sin(2 * np.pi * xs / period + phase) * np.cos(xs / w * np.pi + phase)
        pts = np.stack([xs, ys], 1).astype(np.int32)
        cv2.polylines(img, [pts], False, 255, 1, cv2.LINE_AA)
    return img.astype(np.float32) / 255.0 * rng.uniform(*cfg.guilloche_strength)


def _number(rng: np.random.Generator, picks: np.ndarray, height: float, render: RenderFn, pen: float,
            cfg: TouchingConfig, scfg: SceneConfig) -> Digits:
    """Alphas and offsets of one number's digits ``picks``, ``height`` px tall, neighbours
    touching or apart."""
    alphas = []
    for idx in picks:
        h = height * rng.uniform(*scfg.digit_scale_jitter)
        alpha, _, _ = trim(render(int(idx), h), scfg.trim_level)
        if rng.random() < cfg.broken_probability:
            alpha = break_stroke(alpha, pen, rng, cfg.broken_band)
        alphas.append(alpha)
    share = rng.uniform(*cfg.touching_share)
    xs, ys = [0], [0]
    for k in range(1, len(alphas)):
        a, b = alphas[k - 1], alphas[k]
        # b's bottom near a's (dy: b's top below a's top)
        dy = a.shape[0] - b.shape[0] + int(round(rng.uniform(-0.04, 0.04) * height))
        if rng.random() < share:
            width = (min(a.shape[1], b.shape[1]) if cfg.overlap_of_narrower
                     else (a.shape[1] + b.shape[1]) / 2)
            dx = touch_offset(a > 0.5, b > 0.5, dy)
            dx -= int(round(rng.uniform(*cfg.touching_overlap) * width))
            dx = max(dx, int(round(a.shape[1] - cfg.touching_overlap[1] * width)))
        else:
            dx = a.shape[1] + int(round(rng.uniform(*cfg.apart_gap) * height))
        xs.append(xs[-1] + dx)
        ys.append(ys[k - 1] + dy)
    top = min(ys)
    return alphas, xs, [y - top for y in ys]


def _touches(digits: Digits, k: int, j: int) -> bool:
    """Whether digit ``k``'s ink touches digit ``j``'s (8-connected)."""
    alphas, xs, ys = digits
    a, b = alphas[k] > 0.5, alphas[j] > 0.5
    x0, y0 = min(xs[k], xs[j]), min(ys[k], ys[j])
    x1 = max(xs[k] + a.shape[1], xs[j] + b.shape[1])
    y1 = max(ys[k] + a.shape[0], ys[j] + b.shape[0])
    ma = np.zeros((y1 - y0, x1 - x0), np.uint8)
    mb = np.zeros_like(ma)
    ma[ys[k] - y0:ys[k] - y0 + a.shape[0], xs[k] - x0:xs[k] - x0 + a.shape[1]] = a
    mb[ys[j] - y0:ys[j] - y0 + b.shape[0], xs[j] - x0:xs[j] - x0 + b.shape[1]] = b
    return bool((cv2.dilate(ma, np.ones((3, 3), np.uint8)) & mb).any())


def _lay_out(rng: np.random.Generator, choose: ChooseFn, height: float, render: RenderFn, pen: float,
            cfg: TouchingConfig, scfg: SceneConfig) -> list[tuple[np.ndarray, Digits]]:
    """One or two numbers one under the other, each at a random x: their digits ``picks``
    and drafts placed on the strip (stops at the first number that does not fit)."""
    W, H = cfg.size
    placed = []
    n_numbers = count(rng, cfg.numbers)
    y = cfg.margin + int(rng.integers(0, 12))
    for _ in range(n_numbers):
        picks = choose(rng, count(rng, cfg.digits))
        alphas, xs, ys = _number(rng, picks, height, render, pen, cfg, scfg)
        width = max(x + a.shape[1] for a, x in zip(alphas, xs))
        tall = max(yy + a.shape[0] for a, yy in zip(alphas, ys))
        if width > W - 2 * cfg.margin or y + tall > H - cfg.margin:
            break
        x = cfg.margin + int(rng.integers(0, W - 2 * cfg.margin - width + 1))
        placed.append((picks, (alphas, [x + v for v in xs], [y + v for v in ys])))
        y += tall + int(cfg.number_separation * height)
    return placed


def _cheque(rng: np.random.Generator, page: np.ndarray, placed: list[tuple[np.ndarray, Digits]],
            cfg: TouchingConfig, scfg: SceneConfig) -> None:
    """A guilloche pattern behind the writing and a printed line under each number."""
    W, H = cfg.size
    composite(page, Ink(_guilloche(H, W, rng, cfg), 0, 0, pick(rng, cfg.guilloche_colors)))
    for _, (alphas, _, ys) in placed:
        base = max(yy + a.shape[0] for a, yy in zip(alphas, ys)) + int(rng.integers(2, 8))
        if base < H - 2:
            line = np.zeros((H, W), np.float32)
            strength = rng.uniform(*cfg.printed_line_strength)
            line[base:base + int(rng.integers(1, 3)), cfg.margin // 2:W - cfg.margin // 2] = strength
            composite(page, Ink(line, 0, 0, pick(rng, scfg.scan.line_colors)))


def make_touching(rng: np.random.Generator, images: np.ndarray, labels: np.ndarray,
                  scfg: SceneConfig, cfg: TouchingConfig | None = None) -> Scene | None:
    """One ``touching`` scene (``H x W x 3 uint8``; ``cfg`` None: ``scfg.touching``) of MNIST
    test digits, or None when its numbers do not fit (the caller retries)."""

    def render_for(pen_mode: bool, pen: float, height: float) -> RenderFn:
        renderer = Renderer(images, scfg, Pen(int(round(pen)), 2, 0.25) if pen_mode else None)
        return renderer.for_height(height)

    def choose(r: np.random.Generator, n: int) -> np.ndarray:
        return r.integers(0, len(images), size=n)

    return touching_scene(rng, labels, choose, render_for, scfg, cfg, KIND)


def touching_scene(rng: np.random.Generator, labels: np.ndarray, choose: ChooseFn,
                   render_for: RenderFor, scfg: SceneConfig, cfg: TouchingConfig | None = None,
                   kind: str = KIND) -> Scene | None:
    """One scene of touching strings (``H x W x 3 uint8``) of the digits ``choose`` picks
    (indexes into ``labels``) and ``render_for`` draws, or None when its numbers do not fit."""
    cfg = scfg.touching if cfg is None else cfg
    W, H = cfg.size
    pen_mode = rng.random() < cfg.pen_probability
    height = rng.uniform(*cfg.digit_height)
    pen = max(2.0, rng.uniform(*cfg.pen_width) * height)
    placed = _lay_out(rng, choose, height, render_for(pen_mode, pen, height), pen, cfg, scfg)
    if not placed:
        return None
    color: Color
    page: np.ndarray
    if pen_mode:
        page = np.full((H, W, 3), 255.0, np.float32)
        color = (0.0, 0.0, 0.0)
    else:
        page = paper(rng, W, H, scfg.scan.paper_level, scfg.paper)
        c = pick(rng, scfg.scan.ink_colors)
        color = (float(c[0]), float(c[1]), float(c[2]))
    if rng.random() < cfg.cheque_probability:
        _cheque(rng, page, placed, cfg, scfg)
    digits: list[TruthDigit] = []
    numbers: list[TruthNumber] = []
    for picks, drafted in placed:
        alphas, xs, ys = drafted
        start = len(digits)
        for k, (idx, a, x, yy) in enumerate(zip(picks, alphas, xs, ys)):
            composite(page, Ink(a, x, yy, color, int(labels[idx])))
            box = ink_box(Ink(a, x, yy, color), None, (W, H), scfg.truth_level)
            if box is None:
                return None
            touching = any(_touches(drafted, k, j) for j in (k - 1, k + 1) if 0 <= j < len(alphas))
            digits.append(TruthDigit(int(labels[idx]), box, touching))
        members = tuple(range(start, len(digits)))
        text = "".join(str(digits[i].label) for i in members)
        numbers.append(TruthNumber(text, union_box([digits[i].box for i in members]), members))
    if not pen_mode:
        sigma = rng.uniform(*cfg.paper_blur)
        if sigma > scfg.scan.blur_min_sigma:
            page = cv2.GaussianBlur(page, (0, 0), sigma)
    image = to_uint8(page)
    if not pen_mode:
        image = jpeg(image, count(rng, cfg.jpeg_quality))
    image.setflags(write=False)
    return Scene(kind, image, tuple(digits), tuple(numbers), ())
