"""Image -> ink mask (uint8, ink = 255): grey, polarity, illumination flattening, threshold.

The same code serves a clean drawing canvas, a scanned page and a webcam frame: the paper
brightness is estimated on a small copy (grey closing, kernel relative to the image size) and
divided out, so shadows and gradients vanish; the threshold is Otsu's on the flattened
darkness, kept above the paper noise and a minimum contrast, so a blank page stays blank.
"""
from __future__ import annotations

import cv2
import numpy as np

from digit_app.pipeline.components import label
from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.page import fill_outside, find_page

_CHANNELS = (1, 3, 4)
#: Quantization floors, in grey levels: a noise estimate of 0 on a synthetic image must not
#: make one level of difference count as ink.
_MIN_SIGMA = 1.0
_MIN_TAIL = 2.0
#: How many sigmas from its centre a Gaussian blur still moves a pixel (OpenCV's kernel for
#: 8-bit images reaches 3; one more to be safe).
_BLUR_REACH_SIGMAS = 4
#: A normal distribution's standard deviation over its median absolute deviation.
MAD_TO_SIGMA = 1.4826


def check_image(image: object) -> np.ndarray:
    """Validate an input image; return it as a C-contiguous uint8 array (bool -> 0/255).

    Raises ``ValueError`` unless it is a 2-D (HxW) or 3-D (HxWxC, C in 1/3/4) array of
    dtype uint8 or bool. Zero-size arrays pass (callers return nothing for them).
    """
    if not isinstance(image, np.ndarray):
        raise ValueError(f"expected a numpy array, got {type(image).__name__}")
    if image.ndim not in (2, 3):
        raise ValueError(
            f"expected an HxW or HxWxC image, got an array with {image.ndim} dimensions "
            f"(shape {image.shape})"
        )
    if image.dtype == np.bool_:
        image = image.astype(np.uint8) * 255
    elif image.dtype != np.uint8:
        raise ValueError(f"expected a uint8 (or bool) image, got dtype {image.dtype}")
    if image.ndim == 3 and image.shape[2] not in _CHANNELS:
        raise ValueError(
            f"expected 1, 3 (BGR) or 4 (BGRA) channels, got {image.shape[2]} (shape {image.shape})"
        )
    return np.ascontiguousarray(image)


def to_gray(image: np.ndarray) -> np.ndarray:
    """HxW, HxWx1, HxWx3 (BGR) or HxWx4 (BGRA, alpha dropped) uint8/bool -> HxW uint8."""
    image = check_image(image)
    if image.ndim == 2:
        return image
    channels = image.shape[2]
    if channels == 1:
        return np.ascontiguousarray(image[:, :, 0])
    if image.size == 0:
        return np.zeros(image.shape[:2], np.uint8)
    code = cv2.COLOR_BGR2GRAY if channels == 3 else cv2.COLOR_BGRA2GRAY
    return cv2.cvtColor(image, code)


def _odd(n: float) -> int:
    n = max(1, int(round(n)))
    return n if n % 2 else n + 1


def work_copy(gray: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Downscale by the smallest integer factor that brings the short side to at most
    ``cfg.work_side`` (never upscale; integer factors take OpenCV's fast area path).
    ``H x W`` grey or ``H x W x 3`` BGR ``uint8``; the result has the same channels."""
    h, w = gray.shape[:2]
    factor = -(-min(h, w) // cfg.work_side)
    if factor < 2:
        return gray
    size = (max(1, w // factor), max(1, h // factor))
    return cv2.resize(gray[: size[1] * factor, : size[0] * factor], size,
                      interpolation=cv2.INTER_AREA)


def _hist_median(hist: np.ndarray) -> int:
    c = np.cumsum(hist)
    return int(np.searchsorted(c, c[-1] / 2.0))


def _polarity_of_small(small: np.ndarray, cfg: PipelineConfig) -> str:
    k = _odd(cfg.polarity_kernel_rel * min(small.shape))
    local = cv2.blur(small, (k, k), borderType=cv2.BORDER_REFLECT)
    # Residual to the local mean, shifted to 0..510 and histogrammed (no per-pixel sorting).
    r = cv2.subtract(small, local, dtype=cv2.CV_16S)
    hist = np.bincount((r.ravel() + 255).astype(np.intp), minlength=511).astype(np.float64)
    levels = np.arange(511)
    med = _hist_median(hist)
    dev = np.bincount(np.abs(levels - med), weights=hist, minlength=511)
    sigma = MAD_TO_SIGMA * _hist_median(dev)
    # Ink lives in one long tail of the residual, paper noise in both.
    thr = max(cfg.polarity_tail_sigmas * sigma, _MIN_TAIL)
    d = levels - med
    dark = float(hist @ np.maximum(-d - thr, 0))
    light = float(hist @ np.maximum(d - thr, 0))
    return "light" if light > dark else "dark"


def detect_polarity(gray: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> str:
    """``"dark"`` for dark ink on light paper (also the answer for a blank image), else
    ``"light"``. Compares the two tails of the difference to a local mean, so gradients
    and shadows do not matter, only which side the sparse strokes stand out on."""
    gray = to_gray(gray)
    if gray.size == 0:
        return "dark"
    return _polarity_of_small(work_copy(gray, cfg), cfg)


def flatten_illumination(
    gray: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG, small: np.ndarray | None = None,
    kernel_rel: float | None = None,
) -> np.ndarray:
    """Dark ink on paper -> the same with the paper brought to 255 everywhere.

    The paper brightness is a grey closing (erases dark strokes narrower than the kernel) on
    a small copy, lightly smoothed and scaled back up; the image is divided by it. ``small``
    may pass the precomputed ``work_copy(gray)``; ``kernel_rel`` overrides
    ``cfg.background_kernel_rel``.
    """
    h, w = gray.shape
    if gray.size == 0:
        return np.copy(gray, order="C")
    if small is None:
        small = work_copy(gray, cfg)
    sh, sw = small.shape
    rel = cfg.background_kernel_rel if kernel_rel is None else kernel_rel
    k = _odd(rel * min(sh, sw))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    # Closing, not a plain max filter: erases strokes narrower than the kernel but keeps the
    # edge of a shadow where it is, so the paper in the shadow is divided by its own level.
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
    b = _odd(k / 4)
    bg = cv2.blur(bg, (b, b), borderType=cv2.BORDER_REPLICATE)
    if bg.shape != gray.shape:
        bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    # (gray + 1) / (bg + 1): a black image divided by a black background is paper, not ink.
    # (dtype given: OpenCV would take a 4x1 image for a scalar and refuse the sum.)
    one = cv2.CV_8U
    return cv2.divide(cv2.add(gray, 1, dtype=one), cv2.add(bg, 1, dtype=one), scale=255)


def _otsu(hist: np.ndarray) -> int:
    total = hist.sum()
    if total <= 0:
        return 0
    p = hist / total
    omega = np.cumsum(p)
    mu = np.cumsum(p * np.arange(hist.size))
    denom = omega * (1.0 - omega)
    with np.errstate(divide="ignore", invalid="ignore"):
        between = np.where(denom > 1e-12, (mu[-1] * omega - mu) ** 2 / denom, 0.0)
    return int(np.argmax(between))


def _sheet_of(image: np.ndarray, cfg: PipelineConfig
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(grey image, its work copy, the sheet found on the work copy or None); ``image``
    checked."""
    image = check_image(image)
    gray = to_gray(image)
    if gray.size == 0:
        return gray, gray, None
    small = work_copy(gray, cfg)
    # A sheet of paper seen over a desk: only the sheet can hold ink, and a bright sheet
    # means dark ink, whatever the desk around it makes the tails of the frame look like.
    colour = None
    if image.ndim == 3 and image.shape[2] >= 3:
        colour = work_copy(np.ascontiguousarray(image[:, :, :3]), cfg)
    page = find_page(small, cfg, colour) if cfg.polarity != "light" else None
    return gray, small, page


def _full_size(page: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The work copy's sheet ``page`` (0/255) at the image's ``shape`` (rows, columns), 0/255."""
    h, w = shape[:2]
    full = cv2.resize(page, (w, h), interpolation=cv2.INTER_LINEAR)
    _, full = cv2.threshold(full, 127, 255, cv2.THRESH_BINARY)
    return full


def _darkness_and_page(image: np.ndarray, cfg: PipelineConfig) -> tuple[np.ndarray, np.ndarray | None]:
    gray, small, page = _sheet_of(image, cfg)
    if gray.size == 0:
        return gray.copy(), None
    if page is not None:
        polarity = "dark"
    else:
        polarity = cfg.polarity if cfg.polarity != "auto" else _polarity_of_small(small, cfg)
    if polarity == "light":
        gray = cv2.bitwise_not(gray)
        small = cv2.bitwise_not(small)
    if page is None:
        return cv2.bitwise_not(flatten_illumination(gray, cfg, small)), None
    # A camera's view of a sheet: shadows are the hard part, and the strokes are thin next
    # to the frame, so a smaller kernel follows the shadows closer.
    k = _odd(cfg.background_kernel_rel * min(small.shape))
    small = fill_outside(small, page, k)
    dark = cv2.bitwise_not(flatten_illumination(gray, cfg, small, cfg.page_background_kernel_rel))
    full = _full_size(page, gray.shape)
    return cv2.bitwise_and(dark, dark, mask=full), full


def ink_darkness(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Flattened darkness of the ink: 0 on paper, up to 255 for full-contrast ink. In a frame
    showing a sheet of paper over a desk (see :mod:`page`), 0 outside the sheet."""
    return _darkness_and_page(image, cfg)[0]


def threshold_darkness(dark: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG,
                       region: np.ndarray | None = None) -> np.ndarray:
    """Darkness (0 = paper) -> ink mask 0/255, no speck removal. ``region`` (0/255), if
    given, is where the paper is: its statistics alone set the threshold, and ``dark`` must
    be 0 outside it (ink is only looked for in its box)."""
    if dark.size == 0:
        return np.zeros(dark.shape, np.uint8)
    if region is not None:
        # The sheet's box, widened by the reach of the denoising blur, holds all the ink: a
        # sheet seen small in a frame leaves the rest blank, and the result is the same.
        rows, cols = dark.shape
        x, y, w, h = cv2.boundingRect(region)
        reach = int(np.ceil(_BLUR_REACH_SIGMAS * cfg.denoise_sigma_px)) + 1
        x0, y0 = max(x - reach, 0), max(y - reach, 0)
        x1, y1 = min(x + w + reach, cols), min(y + h + reach, rows)
        if w and h and (x1 - x0) * (y1 - y0) < dark.size:
            mask = np.zeros(dark.shape, np.uint8)
            mask[y0:y1, x0:x1] = _threshold(dark[y0:y1, x0:x1], cfg, region[y0:y1, x0:x1])
            return mask
    return _threshold(dark, cfg, region)


def _threshold(dark: np.ndarray, cfg: PipelineConfig, region: np.ndarray | None) -> np.ndarray:
    hist = cv2.calcHist([dark], [0], region, [256], [0, 256]).ravel().astype(np.float64)
    paper = _hist_median(hist)
    levels = np.arange(256)
    dev_hist = np.bincount(np.abs(levels - paper), weights=hist, minlength=256)
    sigma = MAD_TO_SIGMA * _hist_median(dev_hist)
    if sigma > cfg.denoise_noise_level * 255:
        dark = cv2.GaussianBlur(dark, (0, 0), cfg.denoise_sigma_px)
        hist = cv2.calcHist([dark], [0], region, [256], [0, 256]).ravel().astype(np.float64)
        paper = _hist_median(hist)
        dev_hist = np.bincount(np.abs(levels - paper), weights=hist, minlength=256)
        sigma = MAD_TO_SIGMA * _hist_median(dev_hist)
    floor = paper + max(cfg.min_contrast * 255.0, cfg.noise_sigmas * max(sigma, _MIN_SIGMA))
    ceil = max(cfg.max_threshold * 255.0, floor)
    t = min(max(float(_otsu(hist)), floor), ceil)
    if t >= 255:
        return np.zeros(dark.shape, np.uint8)
    _, mask = cv2.threshold(dark, int(t), 255, cv2.THRESH_BINARY)
    # Hysteresis, in a camera's view of a sheet (``region`` given): fainter ink (a blurred
    # thin join, a light end of a stroke) is kept where it is connected to ink above the
    # threshold, so strokes do not break apart. Not on scans and canvases: there a faint
    # ruled line touching a digit would grow into it.
    low = max(paper + cfg.hysteresis_low_rel * (t - paper),
              paper + cfg.noise_sigmas * max(sigma, _MIN_SIGMA))
    if region is not None and int(low) < int(t):
        mask = _grow_into(mask, dark, int(low))
    return mask


def _grow_into(seed: np.ndarray, dark: np.ndarray, low: int) -> np.ndarray:
    """The connected parts of ``dark > low`` holding a pixel of ``seed`` (0/255)."""
    _, weak = cv2.threshold(dark, low, 255, cv2.THRESH_BINARY)
    # Only the box around the faint ink is labelled (it holds the seed, as low < seed level).
    x, y, w, h = cv2.boundingRect(weak)
    if w == 0 or h == 0:
        return seed
    n, labels = cv2.connectedComponents(weak[y:y + h, x:x + w], connectivity=8,
                                        ltype=cv2.CV_32S)
    if n < 2:
        return seed
    lut = np.zeros(max(n, 256), np.uint8)
    lut[labels[seed[y:y + h, x:x + w] > 0]] = 255
    lut[0] = 0
    out = np.zeros_like(seed)
    if n <= 256:  # a byte per label: OpenCV's table lookup, several times faster
        out[y:y + h, x:x + w] = cv2.LUT(labels.astype(np.uint8), lut[:256])
    else:
        out[y:y + h, x:x + w] = np.take(lut, np.asarray(labels))
    return out


def threshold_ink(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Image -> raw ink mask (0/255), before speck removal."""
    return ink_and_page(image, cfg)[0]


def ink_and_page(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG
                 ) -> tuple[np.ndarray, np.ndarray | None]:
    """Image -> (raw ink mask, the sheet found in a camera frame or None), both ``H x W``
    uint8 0/255. Ink is only looked for on the sheet when there is one."""
    dark, page = _darkness_and_page(image, cfg)
    return threshold_darkness(dark, cfg, page), page


def find_sheet(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray | None:
    """The sheet of paper the reading keeps to in a camera frame (``H x W`` uint8 0/255, the
    image's size; see :mod:`page`), or None when the whole image is read (a canvas, a scan,
    a frame where no sheet stands out)."""
    gray, _, page = _sheet_of(image, cfg)
    return None if page is None else _full_size(page, gray.shape)


_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
_SQUARE = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))


def estimate_stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of an ink mask: 2 * ink area / boundary length, the boundary length
    being the mean of the 8- and 4-connected boundary pixel counts (one undercounts slanted
    edges, the other overcounts them; their mean is within ~10% at any angle)."""
    area = cv2.countNonZero(mask) if mask.size else 0
    if area == 0:
        return 0.0
    outside = cv2.BORDER_CONSTANT  # beyond the mask is no ink
    b8 = area - cv2.countNonZero(cv2.erode(mask, _SQUARE, borderType=outside, borderValue=0))
    b4 = area - cv2.countNonZero(cv2.erode(mask, _CROSS, borderType=outside, borderValue=0))
    return 4.0 * area / max(b8 + b4, 1)


def speck_area(shape: tuple[int, ...], stroke: float, cfg: PipelineConfig = DEFAULT_CONFIG,
               areas: np.ndarray | None = None) -> float:
    """Components with fewer ink pixels than this are noise. Given the components' ink
    ``areas``, also ``paper_dot_area_rel_stroke`` times the squared ``stroke`` where
    ``paper_dot_min_count`` or more of them are between the two: the printed dots of
    dotted paper."""
    least = max(cfg.speck_area_rel_image * shape[0] * shape[1], cfg.speck_area_rel_stroke * stroke**2)
    dots = cfg.paper_dot_area_rel_stroke * stroke**2
    if areas is None or dots <= least:
        return least
    if np.count_nonzero((areas >= least) & (areas < dots)) >= cfg.paper_dot_min_count:
        return float(dots)
    return least


def remove_specks(mask: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Drop connected components smaller than :func:`speck_area` (given their areas, as
    the reading does: the printed dots of dotted paper go too)."""
    if mask.size == 0 or cv2.countNonZero(mask) == 0:
        return np.copy(mask, order="C")
    comps = label(mask)
    areas = comps.stats[:, 4]
    small = areas < speck_area(mask.shape, estimate_stroke_width(mask), cfg, areas[1:])
    small[0] = True  # background stays background
    keep = np.where(small, 0, 255).astype(np.uint8)
    return np.take(keep, comps.labels)


def binarize(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """The ink of an image as a mask: 255 where there is ink, 0 on the paper.

    The polarity (dark ink on light paper or the reverse) is detected unless ``cfg.polarity``
    sets it, the paper's brightness (shadows, gradients) is divided out, the darkness is
    thresholded (Otsu, kept above the paper's noise) and specks are removed. In a camera
    frame showing a sheet of paper, only the sheet can hold ink.

    Parameters
    ----------
    image : numpy.ndarray
        ``H x W``, ``H x W x 1``, ``H x W x 3`` (BGR) or ``H x W x 4`` (BGRA); ``uint8`` or
        bool.
    cfg : PipelineConfig, optional
        The pipeline's thresholds (default: ``DEFAULT_CONFIG``).

    Returns
    -------
    numpy.ndarray
        ``H x W uint8``, 0 or 255. All 0 for a blank page.

    Raises
    ------
    ValueError
        For arrays that are not images (see :func:`check_image`).

    Examples
    --------
    >>> import cv2
    >>> import numpy as np
    >>> canvas = np.full((120, 80), 255, np.uint8)
    >>> _ = cv2.line(canvas, (40, 20), (40, 100), color=0, thickness=6)
    >>> mask = binarize(canvas)
    >>> mask.shape, mask.dtype, np.unique(mask).tolist()
    ((120, 80), dtype('uint8'), [0, 255])
    >>> cv2.boundingRect(mask)  # (x, y, w, h) of the ink
    (37, 17, 7, 87)
    >>> bool(binarize(255 - canvas).any())  # light ink on dark paper: the same stroke
    True
    >>> int(binarize(np.full((120, 80), 255, np.uint8)).max())  # blank
    0
    """
    return remove_specks(threshold_ink(image, cfg), cfg)
