"""The ``webcam`` kind: a 640x480 frame of a sheet seen in perspective over a cluttered desk,
with a shadow, blur, sensor noise, a colour cast and low contrast."""
from __future__ import annotations

import math

import cv2
import numpy as np

from digit_app.data.scenes.config import SceneConfig, WebcamConfig
from digit_app.data.scenes.ink import Ink, composite, ink_color, jpeg, to_uint8
from digit_app.data.scenes.layout import FreeLayout, LoosePlacer, place_numbers
from digit_app.data.scenes.marks import blot, count, line_piece, pick, smudge, word
from digit_app.data.scenes.paper import paper
from digit_app.data.scenes.render import Pen, Renderer
from digit_app.data.scenes.truth import Box, Scene, assemble


def sheet_quad(rng: np.random.Generator, cfg: WebcamConfig) -> np.ndarray:
    """Corners (tl, tr, br, bl) of the sheet in the frame: ``4 x 2 float32``."""
    FW, FH = cfg.size
    a = float(pick(rng, cfg.sheet_aspects))
    pts = np.array([[-0.5, -a / 2], [0.5, -a / 2], [0.5, a / 2], [-0.5, a / 2]])
    k = rng.uniform(*cfg.keystone)
    far = int(rng.integers(4))  # which edge is farther from the camera
    if far == 0:
        pts[[0, 1], 0] *= 1 - k
    elif far == 1:
        pts[[2, 3], 0] *= 1 - k
    elif far == 2:
        pts[[0, 3], 1] *= 1 - k
    else:
        pts[[1, 2], 1] *= 1 - k
    pts += rng.uniform(-cfg.corner_jitter, cfg.corner_jitter, (4, 2)) * [1, a]
    t = math.radians(rng.uniform(-cfg.rotation_deg, cfg.rotation_deg))
    pts = pts @ np.array([[math.cos(t), math.sin(t)], [-math.sin(t), math.cos(t)]])
    pts -= pts.min(axis=0)
    bw, bh = pts.max(axis=0)
    m = cfg.frame_margin
    s = rng.uniform(*cfg.fill) * min((FW - 2 * m) / bw, (FH - 2 * m) / bh)
    pts *= s
    bw, bh = pts.max(axis=0)
    pts += [rng.uniform(m, FW - m - bw), rng.uniform(m, FH - m - bh)]
    return pts.astype(np.float32)


def _clutter_color(rng: np.random.Generator, cfg: WebcamConfig) -> np.ndarray:
    level = rng.uniform(*cfg.clutter_level)
    color = level + rng.normal(0, cfg.clutter_saturation, 3)
    return np.clip(color, 0, 255).astype(np.float32)


def _clutter_mask(rng: np.random.Generator, cfg: WebcamConfig) -> np.ndarray:
    """One object on the desk (a box, a cup or tape, a cable or pencil): ``FH x FW uint8``."""
    FW, FH = cfg.size
    mask = np.zeros((FH, FW), np.uint8)
    size = rng.uniform(*cfg.clutter_size) * FW
    cx, cy = rng.uniform(0, FW), rng.uniform(0, FH)
    shape = int(rng.integers(3))
    if shape == 0:  # box, book, phone
        side = size * rng.uniform(*cfg.clutter_aspect)
        rect = ((cx, cy), (size, side), rng.uniform(0, 180))
        corners = np.round(cv2.boxPoints(rect) * 16).astype(np.int32)
        cv2.fillPoly(mask, [corners], 255, cv2.LINE_AA, 4)
    elif shape == 1:  # cup, roll of tape
        centre = (int(cx * 16), int(cy * 16))
        cv2.circle(mask, centre, int(size / 2 * 16), 255, -1, cv2.LINE_AA, 4)
        if rng.random() < cfg.clutter_hole_probability:
            cv2.circle(mask, centre, int(size / 4 * 16), 0, -1, cv2.LINE_AA, 4)
    else:  # cable, pencil
        t = rng.uniform(0, math.pi)
        d = np.array([math.cos(t), math.sin(t)]) * size
        p0, p1 = np.array([cx, cy]) - d, np.array([cx, cy]) + d
        cv2.line(mask, (int(p0[0] * 16), int(p0[1] * 16)), (int(p1[0] * 16), int(p1[1] * 16)),
                 255, count(rng, cfg.clutter_line_width), cv2.LINE_AA, 4)
    return mask


def desk(rng: np.random.Generator, cfg: WebcamConfig) -> tuple[np.ndarray, list[np.ndarray]]:
    """A desk background with clutter (``FH x FW x 3 float32``) and the clutter objects' masks
    (``FH x FW uint8``, in drawing order)."""
    FW, FH = cfg.size
    base = np.asarray(pick(rng, cfg.desk_colors), np.float32)
    base = base + rng.uniform(-cfg.desk_jitter, cfg.desk_jitter, 3).astype(np.float32)
    yy, xx = np.mgrid[0:FH, 0:FW].astype(np.float32)
    t = rng.uniform(0, 2 * math.pi)
    g = cfg.desk_gradient
    ramp = (np.cos(t) * xx / FW + np.sin(t) * yy / FH) * rng.uniform(-g, g)
    cell = cfg.desk_texture_scale
    low = rng.standard_normal((FH // cell + 2, FW // cell + 2), dtype=np.float32)
    low = cv2.resize(low, (FW, FH), interpolation=cv2.INTER_CUBIC) * cfg.desk_texture
    frame = base[None, None, :] + (ramp + low)[:, :, None]
    masks = []
    for _ in range(count(rng, cfg.clutter)):
        mask = _clutter_mask(rng, cfg)
        color = _clutter_color(rng, cfg)
        ys, xs = np.nonzero(mask)
        if len(ys) == 0:
            continue
        sl = np.s_[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        a = mask[sl].astype(np.float32)[:, :, None] / 255.0
        k = cfg.clutter_shading
        shade = 1.0 + (yy[sl] / FH - 0.5)[:, :, None] * rng.uniform(-k, k)
        frame[sl] = frame[sl] * (1 - a) + (color * shade) * a
        masks.append(mask)
    return frame, masks


def shadow(rng: np.random.Generator, cfg: WebcamConfig) -> np.ndarray:
    """How much light a shadow takes away, per pixel: ``FH x FW float32`` in [0, 1)."""
    FW, FH = cfg.size
    if rng.random() < cfg.shadow_gradient_probability:
        yy, xx = np.mgrid[0:FH, 0:FW].astype(np.float32)
        t = rng.uniform(0, 2 * math.pi)
        proj = np.cos(t) * (xx - FW / 2) + np.sin(t) * (yy - FH / 2)
        start = rng.uniform(*cfg.shadow_gradient_start) * max(FW, FH)
        width = rng.uniform(*cfg.shadow_gradient_width) * max(FW, FH)
        mask = np.clip((proj - start) / width, 0, 1)
    else:  # a soft-edged dark region (a hand, a head, the camera) over part of the frame
        mask = np.zeros((FH, FW), np.float32)
        c = np.array([rng.uniform(0, FW), rng.uniform(0, FH)])
        n = count(rng, cfg.shadow_region_vertices)
        angles = np.sort(rng.uniform(0, 2 * math.pi, n))
        radii = rng.uniform(*cfg.shadow_region_radius, n) * max(FW, FH)
        poly = c + np.stack([np.cos(angles) * radii, np.sin(angles) * radii], 1)
        cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1.0)
        mask = cv2.GaussianBlur(mask, (0, 0), rng.uniform(*cfg.shadow_softness))
    return mask * rng.uniform(*cfg.shadow_strength)


def _camera(rng: np.random.Generator, frame: np.ndarray, cfg: WebcamConfig) -> np.ndarray:
    """What the camera makes of the lit ``frame`` (float32 BGR): colour cast, low contrast,
    blur, sensor noise and sometimes JPEG; ``H x W x 3 uint8``."""
    frame *= rng.uniform(*cfg.channel_gain, 3).astype(np.float32)[None, None, :]
    mean = float(frame.mean())
    contrast = rng.uniform(*cfg.contrast)
    frame = mean + (frame - mean) * contrast + rng.uniform(*cfg.brightness)
    blurred: np.ndarray = cv2.GaussianBlur(frame.astype(np.float32), (0, 0),
                                           rng.uniform(*cfg.blur_sigma))
    noise = rng.uniform(*cfg.noise_sigma)
    blurred += rng.standard_normal(blurred.shape, dtype=np.float32) * noise
    image = to_uint8(blurred)
    if rng.random() < cfg.jpeg_probability:
        image = jpeg(image, count(rng, cfg.jpeg_quality))
    return image


def _clutter_boxes(clutter: list[np.ndarray], cover: np.ndarray, min_pixels: int) -> list[Box]:
    """Each visible piece of clutter (not under the sheet ``cover`` or a later object)."""
    hidden = cover >= 0.5
    boxes = []
    for mask in reversed(clutter):
        visible = ((mask > 127) & ~hidden).astype(np.uint8)
        hidden |= mask > 127
        _, _, stats, _ = cv2.connectedComponentsWithStats(visible, connectivity=8)
        for x, y, w, h, pixels in stats[1:]:
            if pixels >= min_pixels:
                boxes.append((int(x), int(y), int(w), int(h)))
    return boxes


def make_webcam(
    rng: np.random.Generator, images: np.ndarray, labels: np.ndarray, cfg: SceneConfig
) -> Scene | None:
    """One webcam frame (``480 x 640 x 3 uint8``), or None when its layout failed."""
    wc = cfg.webcam
    FW, FH = wc.size
    quad = sheet_quad(rng, wc)
    sw = int(round((np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2))
    sh = int(round((np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2))
    src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
    Hm = cv2.getPerspectiveTransform(src, quad).astype(np.float64)

    ink_rgb = ink_color(pick(rng, wc.ink_colors), rng.uniform(*wc.ink_strength))
    pen = Pen(count(rng, wc.pen_width), wc.pen_width[0], wc.pen_max_fraction) \
        if rng.random() < wc.pen_probability else None
    renderer = Renderer(images, cfg, pen)

    m = int(wc.sheet_margin * min(sw, sh))
    area = (m, m, sw - m, sh - m)
    spec = FreeLayout(wc.digits, wc.digit_height, wc.gap, wc.separation)
    placed = place_numbers(rng, labels, renderer, area, count(rng, wc.numbers), spec, cfg)
    if not placed:
        return None
    groups = [draft.inks(x, y, ink_rgb) for draft, x, y in placed]
    placer = LoosePlacer(rng, area, [(x, y, d.width, d.height) for d, x, y in placed],
                         cfg.distractor_clearance, cfg.placement_tries)
    for _ in range(count(rng, wc.words)):
        placer.put(word(rng, cfg, wc.word_height)[0], cfg.print_color)
    for _ in range(count(rng, wc.blots)):
        placer.put(blot(rng, cfg), ink_rgb)
    for _ in range(count(rng, wc.smudges)):
        placer.put(smudge(rng, cfg), cfg.smudge_color)
    for _ in range(count(rng, wc.line_pieces)):
        placer.put(line_piece(rng, cfg), pick(rng, (ink_rgb, cfg.print_color)))
    loose: list[Ink] = placer.placed

    sheet = paper(rng, sw, sh, wc.paper_level, cfg.paper)
    for ink in loose + [i for g in groups for i in g]:
        composite(sheet, ink)

    background, clutter = desk(rng, wc)
    warped = cv2.warpPerspective(
        sheet, Hm, (FW, FH), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
    )
    cover = cv2.warpPerspective(np.ones((sh, sw), np.float32), Hm, (FW, FH), flags=cv2.INTER_LINEAR)
    frame = background * (1.0 - cover[:, :, None]) + warped
    frame *= 1.0 - shadow(rng, wc)[:, :, None]
    image = _camera(rng, frame, wc)
    boxes = _clutter_boxes(clutter, cover, wc.clutter_min_pixels)
    return assemble("webcam", image, groups, loose, Hm, cfg, boxes, sheet=quad)
