"""Samples for the print detector: handwritten digits (0) against printed glyphs (1).

Both as the digit model sees its crops (``normalize_digit``, train/serve parity), in the
model's layout ``N x 32 x 32 x 1 float32``:

- handwriting: MNIST digits (most of them augmented: pen, ink, photo; more of them redrawn
  with a pen of constant width, as a mouse draws), real digits of the
  shared sets' training parts (UNIPEN pen strokes drawn with random pens, BHMSDS photos,
  Swiss digits; never their held-out writers and sites) and the style templates (European 1,
  crossed 7, slashed 0, open 4);
- print: digits and letters rendered from the installed fonts through a scanner
  (:mod:`digit_app.data.printed`).

The fonts are split by file: every ``FONT_VALIDATION_EVERY``-th one is kept for validation,
so the validation figures are on faces the detector never saw.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from digit_app.data import mnist, real
from digit_app.data.augment import DEFAULT_AUGMENT, augment_digit
from digit_app.data.printed import DEFAULT_PRINTED, PrintedConfig, font_paths, printed_digit, printed_letter
from digit_app.model.training_data import make_styles, pen_input
from digit_app.pipeline.normalize import DEFAULT_NORMALIZE, NormalizeConfig, normalize_digit

HANDWRITTEN, PRINTED = 0, 1
FONT_VALIDATION_EVERY = 5
#: The sources of samples, in the order they are drawn; ``printed-*`` are print.
SOURCES = ("printed-digit", "printed-letter", "mnist", "mouse", "unipen", "photos", "styles")
#: MNIST digits redrawn along their skeleton with a pen of constant width: drawn with a mouse,
#: the handwriting whose even strokes look most like type.
MOUSE = replace(DEFAULT_AUGMENT, source_weights=(("stroke", 1.0),))
#: Print as the detector meets it on pages: a fifth of it set at an angle (stamps, labels
#: stuck on askew), some digits with the full stop or comma of a date or amount.
DETECTOR_PRINTED = replace(DEFAULT_PRINTED, rotate_probability=0.2, digit_suffix_probability=0.15)


@dataclass(frozen=True)
class PrintDataConfig:
    """How many samples of each source one set holds (before ``scale``)."""

    printed_digits: int = 20000
    printed_letters: int = 10000
    mnist: int = 16000
    mouse: int = 8000
    unipen: int = 14000
    photos: int = 12000  # BHMSDS and Swiss digits, half each
    styles: int = 3000
    #: Share of the MNIST digits augmented (the others are drawn clean).
    mnist_augment_fraction: float = 0.7
    printed: PrintedConfig = DETECTOR_PRINTED

    def counts(self, scale: float) -> dict[str, int]:
        raw = (self.printed_digits, self.printed_letters, self.mnist, self.mouse, self.unipen,
               self.photos, self.styles)
        return {s: max(1, int(round(n * scale))) for s, n in zip(SOURCES, raw)}


@dataclass
class PrintSamples:
    x: np.ndarray  # N x 32 x 32 x 1 float32, ink 1 on 0
    y: np.ndarray  # N float32: 1 printed, 0 handwritten
    source: np.ndarray  # N str, one of SOURCES

    def __len__(self) -> int:
        return len(self.y)


def split_fonts(fonts: tuple[str, ...], validation: bool) -> tuple[str, ...]:
    """The training or the validation share of ``fonts`` (every ``FONT_VALIDATION_EVERY``-th
    file is for validation); all of them when there are too few to split."""
    if len(fonts) < FONT_VALIDATION_EVERY:
        return fonts
    return tuple(f for i, f in enumerate(fonts) if (i % FONT_VALIDATION_EVERY == 0) == validation)


def make_print_samples(
    mnist_images: np.ndarray,
    real_digits: real.RealDigits | None,
    fonts: tuple[str, ...],
    rng: np.random.Generator,
    scale: float = 1.0,
    cfg: PrintDataConfig = PrintDataConfig(),
    norm: NormalizeConfig = DEFAULT_NORMALIZE,
) -> PrintSamples:
    """One shuffled set: ``mnist_images`` (``N x 28 x 28 uint8``) and ``real_digits`` (None:
    MNIST alone) for handwriting, ``fonts`` for print, ``cfg``'s counts times ``scale``."""
    counts = cfg.counts(scale)
    if real_digits is None or len(real_digits.labels) == 0:
        counts["mnist"] += counts.pop("unipen") + counts.pop("photos")
    parts: dict[str, np.ndarray] = {}
    n = counts["printed-digit"]
    parts["printed-digit"] = _normalized((printed_digit(rng, cfg.printed, fonts)[0] for _ in range(n)), n, norm)
    n = counts["printed-letter"]
    parts["printed-letter"] = _normalized((printed_letter(rng, cfg.printed, fonts) for _ in range(n)), n, norm)
    pick = rng.integers(len(mnist_images), size=counts["mnist"])
    augment = rng.random(counts["mnist"]) < cfg.mnist_augment_fraction
    parts["mnist"] = _normalized((augment_digit(mnist_images[i], rng) if a else mnist_images[i]
                                  for i, a in zip(pick, augment)), len(pick), norm)
    pick = rng.integers(len(mnist_images), size=counts["mouse"])
    parts["mouse"] = _normalized((augment_digit(mnist_images[i], rng, MOUSE) for i in pick), len(pick), norm)
    if "unipen" in counts and real_digits is not None:
        pen = [i for i, s in enumerate(real_digits.strokes) if s is not None]
        photo = [i for i, s in enumerate(real_digits.strokes) if s is None]
        pick = rng.choice(pen, size=counts["unipen"]) if pen else np.zeros(0, int)
        parts["unipen"] = _stacked((pen_input(real_digits.strokes[i], rng, norm) for i in pick), len(pick))
        pick = rng.choice(photo, size=counts["photos"]) if photo else np.zeros(0, int)
        parts["photos"] = _normalized(real_digits.images[pick], len(pick), norm)
    parts["styles"] = make_styles(counts["styles"], rng, norm)[0]
    x = np.concatenate(list(parts.values()))
    source = np.concatenate([np.full(len(v), k) for k, v in parts.items()])
    y = np.char.startswith(source, "printed").astype(np.float32)
    order = rng.permutation(len(y))
    return PrintSamples(x[order], y[order], source[order])


def _stacked(inputs: Iterable[np.ndarray], n: int) -> np.ndarray:
    """The first ``n`` model inputs (``32 x 32 float32`` each) as ``n x 32 x 32 x 1``."""
    out = np.empty((n, 32, 32, 1), np.float32)
    for i, x in zip(range(n), inputs):
        out[i, :, :, 0] = x
    return out


def _normalized(crops: Iterable[np.ndarray], n: int, norm: NormalizeConfig) -> np.ndarray:
    """The first ``n`` ink crops (``H x W uint8``) as the model sees them."""
    return _stacked((normalize_digit(c, norm) for c in crops), n)


def load_print_sets(
    data_dir=None, real_dir=None, use_real: bool = True, seed: int = 0, scale: float = 1.0,
    cfg: PrintDataConfig = PrintDataConfig(), norm: NormalizeConfig = DEFAULT_NORMALIZE,
    validation_scale: float = 0.2,
) -> tuple[PrintSamples, PrintSamples, dict]:
    """Training and validation samples and what they were made of (for the metadata).

    Handwriting: MNIST's training split (its last 5,000 digits for validation) and the real
    sets' training parts (their own validation writers for validation); print: the training
    and validation shares of the fonts (:func:`split_fonts`)."""
    split = mnist.load_split(mnist.find_data_dir(data_dir), "train")
    images = split.images
    n_val = min(5000, len(images) // 5)
    rt = real.training_digits(real_dir, seed) if use_real else None
    fonts = font_paths()
    rng = np.random.default_rng(seed)
    train = make_print_samples(images[: len(images) - n_val], rt.train if rt else None,
                               split_fonts(fonts, False), rng, scale, cfg, norm)
    val = make_print_samples(images[len(images) - n_val:], rt.validation if rt else None,
                             split_fonts(fonts, True), rng, scale * validation_scale, cfg, norm)
    about = {
        "fonts": len(fonts),
        "validation_fonts": len(split_fonts(fonts, True)) if len(fonts) >= FONT_VALIDATION_EVERY else 0,
        "train_samples": _counts(train),
        "validation_samples": _counts(val),
        "real_data_sha256": rt.sha256 if rt else {},
    }
    return train, val, about


def _counts(s: PrintSamples) -> dict[str, int]:
    names, counts = np.unique(s.source, return_counts=True)
    return {str(k): int(v) for k, v in zip(names, counts)}
