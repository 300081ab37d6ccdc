"""Training-time augmentation: one MNIST digit to the ink mask a real source would give.

Everything works on ``H x W uint8`` images with bright ink on black. The result of
``augment_digit`` is an ink mask crop that the training code feeds to ``normalize_digit``,
the same function the recognition pipeline applies to the crops it finds.

Sources simulated (``AugmentConfig.source_weights``):
- ``clean``: the MNIST digit itself (upscaled, thresholded).
- ``pen``: the MNIST shape cut hard-edged and made thinner or thicker, as a felt pen draws it.
- ``stroke``: the digit's skeleton redrawn with a round pen of constant width, thin to thick,
  as a mouse draws it on the canvas (``digit_app.data.strokes``, as the scene generator does).
- ``paper``: ink on paper through a scanner: blur, noise, light JPEG-like softness.
- ``webcam``: low contrast, uneven light, blur, noise and slight perspective.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from digit_app.data.strokes import StrokeConfig, Strokes, digit_strokes, draw_pen

UPSCALE = 2  # MNIST 28x28 -> 56x56 before any geometry, so that edges stay smooth
BORDER = 6  # room for rotation and shear around the upscaled digit
INK_LEVEL = 127
#: Stroke tracing for the "stroke" source: coarser than the scenes' (cheaper, as smooth).
AUGMENT_STROKES = StrokeConfig(work_scale=2)


@dataclass(frozen=True)
class AugmentConfig:
    rotation_deg: float = 12.0
    shear: float = 0.25
    scale_range: tuple[float, float] = (0.85, 1.15)  # independent x/y: aspect changes
    perspective: float = 0.06  # corner jitter as a fraction of the side (webcam only)
    elastic_probability: float = 0.35
    elastic_alpha: float = 4.0  # displacement in pixels of the upscaled (56x56) digit
    elastic_sigma: float = 3.5
    thickness_probability: float = 0.5
    thickness_max_radius: int = 3  # erode/dilate radius range in upscaled pixels
    pen_threshold_range: tuple[int, int] = (60, 200)  # where a hard-edged pen stroke is cut
    blur_sigma_max: float = 1.6
    noise_sigma_max: float = 0.12  # of the ink/paper contrast
    contrast_range: tuple[float, float] = (0.25, 1.0)
    stroke_height: int = 56  # px the skeleton is scaled to before the pen draws it
    stroke_width_range: tuple[float, float] = (0.02, 0.24)  # pen width, of the digit height
    strokes: StrokeConfig = AUGMENT_STROKES
    source_weights: tuple[tuple[str, float], ...] = (
        ("clean", 0.3),
        ("pen", 0.15),
        ("stroke", 0.2),
        ("paper", 0.15),
        ("webcam", 0.2),
    )


DEFAULT_AUGMENT = AugmentConfig()


def upscale(digit28: np.ndarray) -> np.ndarray:
    """``28 x 28 uint8`` -> ``68 x 68 uint8`` (56x56 plus a border), smooth edges."""
    big = cv2.resize(digit28, None, fx=UPSCALE, fy=UPSCALE, interpolation=cv2.INTER_CUBIC)
    return cv2.copyMakeBorder(big, BORDER, BORDER, BORDER, BORDER, cv2.BORDER_CONSTANT, value=0)


def ink_mask(img: np.ndarray, level: int = INK_LEVEL) -> np.ndarray:
    """``uint8`` mask: 255 where ``img`` is above ``level``, 0 elsewhere."""
    return np.where(img > level, 255, 0).astype(np.uint8)


def random_linear(rng: np.random.Generator, cfg: AugmentConfig) -> np.ndarray:
    """A random 2x2 map: rotation, shear and independent x/y scale."""
    angle = np.deg2rad(rng.uniform(-cfg.rotation_deg, cfg.rotation_deg))
    sx, sy = rng.uniform(*cfg.scale_range, size=2)
    shear = rng.uniform(-cfg.shear, cfg.shear)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return rot @ np.array([[1.0, shear], [0.0, 1.0]]) @ np.diag([sx, sy])


def random_affine(img: np.ndarray, rng: np.random.Generator, cfg: AugmentConfig) -> np.ndarray:
    h, w = img.shape
    lin = random_linear(rng, cfg)
    centre = np.array([w / 2, h / 2])
    m = np.hstack([lin, (centre - lin @ centre)[:, None]])
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)


def random_perspective(img: np.ndarray, rng: np.random.Generator, amount: float) -> np.ndarray:
    h, w = img.shape
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    dst = src + rng.uniform(-amount, amount, size=(4, 2)).astype(np.float32) * [w, h]
    return cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst.astype(np.float32)), (w, h))


def elastic(img: np.ndarray, rng: np.random.Generator, alpha: float, sigma: float) -> np.ndarray:
    """Simard-style elastic distortion: a smoothed random displacement field."""
    h, w = img.shape
    dx = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma)
    dy = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma)
    norm = max(float(np.abs(dx).max()), float(np.abs(dy).max()), 1e-6)
    dx, dy = dx * alpha / norm, dy * alpha / norm
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(img, xs + dx, ys + dy, cv2.INTER_LINEAR, borderValue=0)


def change_thickness(mask: np.ndarray, radius: int) -> np.ndarray:
    """Dilate (radius > 0) or erode (radius < 0) an ink mask by a disc."""
    if radius == 0:
        return mask
    r = abs(radius)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    out = cv2.dilate(mask, kernel) if radius > 0 else cv2.erode(mask, kernel)
    return out if np.count_nonzero(out) > 0.2 * np.count_nonzero(mask) else mask


def _pen(ink: np.ndarray, rng: np.random.Generator, cfg: AugmentConfig) -> np.ndarray:
    """A hard-edged stroke, thin to thick, as a mouse or a felt pen draws it."""
    level = int(rng.integers(*cfg.pen_threshold_range))
    mask = ink_mask(ink, level)
    radius = int(rng.integers(-1, cfg.thickness_max_radius + 1))
    return change_thickness(mask, radius)


def photo_ink(ink: np.ndarray, rng: np.random.Generator, cfg: AugmentConfig, webcam: bool) -> np.ndarray:
    """Render ink on paper, degrade it like a scan or a webcam, then binarize back (Otsu)."""
    if webcam:
        ink = random_perspective(ink, rng, cfg.perspective)
    h, w = ink.shape
    contrast = rng.uniform(*cfg.contrast_range) if webcam else rng.uniform(0.6, 1.0)
    paper = rng.uniform(0.6, 1.0)
    img: np.ndarray = paper - contrast * paper * (ink.astype(np.float32) / 255.0)
    if webcam:
        gx, gy = rng.uniform(-0.2, 0.2, size=2)
        ramp = np.add.outer(np.linspace(-gy, gy, h), np.linspace(-gx, gx, w)).astype(np.float32)
        img = img * (1.0 + ramp)
    sigma = rng.uniform(0.3, cfg.blur_sigma_max if webcam else cfg.blur_sigma_max / 2)
    img = cv2.GaussianBlur(img, (0, 0), sigma)
    img = img + rng.normal(0, rng.uniform(0, cfg.noise_sigma_max) * contrast * paper, img.shape)
    grey: np.ndarray = np.clip(img * 255, 0, 255).astype(np.uint8)
    # Flatten the light as the recognition pipeline does: divide by the paper's brightness,
    # estimated by a max filter wider than a stroke.
    paper_level = cv2.GaussianBlur(cv2.dilate(grey, np.ones((15, 15), np.uint8)), (0, 0), 5)
    grey = cv2.divide(grey, np.maximum(paper_level, 1), scale=255)
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Keep the largest blobs only, as the component finder would (noise specks go away).
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n > 2:
        areas = stats[1:, cv2.CC_STAT_AREA]
        keep = 1 + np.flatnonzero(areas >= 0.08 * areas.max())
        mask = np.where(np.isin(labels, keep), 255, 0).astype(np.uint8)
    return mask


def _stroke(strokes: Strokes, rng: np.random.Generator, cfg: AugmentConfig) -> np.ndarray:
    """The skeleton, randomly rotated/sheared/scaled, redrawn with a constant-width pen."""
    pts = strokes.points @ random_linear(rng, cfg).T
    pts = pts - pts.min(axis=0)
    pts *= cfg.stroke_height / max(float(pts[:, 1].max()), 1.0)
    width = max(1, int(round(rng.uniform(*cfg.stroke_width_range) * cfg.stroke_height)))
    return ink_mask(draw_pen(strokes, pts, width))


def augment_digit(
    digit28: np.ndarray, rng: np.random.Generator, cfg: AugmentConfig = DEFAULT_AUGMENT
) -> np.ndarray:
    """One MNIST digit (``28 x 28 uint8``) -> an augmented ink crop (``H x W uint8``)."""
    names = [n for n, _ in cfg.source_weights]
    weights = np.array([p for _, p in cfg.source_weights])
    source = names[rng.choice(len(names), p=weights / weights.sum())]
    if source == "stroke":
        strokes = digit_strokes(digit28, cfg.strokes)
        if strokes is not None:
            return _stroke(strokes, rng, cfg)
    ink = random_affine(upscale(digit28), rng, cfg)
    if rng.random() < cfg.elastic_probability:
        ink = elastic(ink, rng, cfg.elastic_alpha, cfg.elastic_sigma)
    if source == "pen":
        return _pen(ink, rng, cfg)
    if source in ("paper", "webcam"):
        return photo_ink(ink, rng, cfg, webcam=source == "webcam")
    mask = ink_mask(ink)
    if rng.random() < cfg.thickness_probability:
        radius = int(rng.integers(-cfg.thickness_max_radius, cfg.thickness_max_radius + 1))
        mask = change_thickness(mask, radius)
    return mask
