"""Real handwriting beyond MNIST: loading, MNIST layout, and held-out splits by writer or site.

Three shared sets (``../shared/data/<name>/``, each with a README giving format, licence,
attribution and checksums):

- ``unipen``: pen strokes of 151 writers at 9 sites (``unipen-digits.npz``). Each sample is a
  list of strokes, ``K x 2 float32`` points ``(x, y)`` in millimetres, y pointing down.
- ``bhmsds``: photographed paper digits, ``28 x 28`` dark ink on light paper, few writers.
- ``kensanata16``: Swiss digits (European 1 and 7), ``16 x 16`` dark ink on white.

Images come back as MNIST does: ``N x 28 x 28 uint8``, bright ink on black, the ink fitted into
20x20 keeping its aspect and centred by centre of mass (:func:`mnist_layout`).

Held out (never trained on, measured by ``digit-app evaluate --real``): whole UNIPEN sites
(:data:`HELD_OUT_SITES`), and for the two image sets, which name no writer, the last
:data:`HELD_OUT_FRACTION` of each class in the source's own file order (consecutive files come
from the same sheets, so a slice is closer to "other sheets" than a random draw).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

SETS = {
    "unipen": "unipen-digits.npz",
    "bhmsds": "bhmsds-digits.npz",
    "kensanata16": "kensanata16-digits.npz",
}
ENV_VAR = "DIGIT_APP_REAL_DATA"  # a folder holding unipen/, bhmsds/, kensanata16/
#: UNIPEN sites never trained on: CEDAR Buffalo (``cea``, ``ceb``, ``ced``) and UQTR Quebec.
HELD_OUT_SITES = ("cea", "ceb", "ced", "uqb")
HELD_OUT_FRACTION = 0.2
MNIST_BOX = 20  # MNIST fits the ink into 20x20 ...
MNIST_SIDE = 28  # ... and centres it in 28x28


class RealDataError(ValueError):
    """A real-data file is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class ImageSet:
    """Digits as MNIST-layout images; ``held_out`` marks the evaluation part."""

    name: str
    images: np.ndarray  # N x 28 x 28 uint8, bright ink on black
    labels: np.ndarray  # N uint8
    held_out: np.ndarray  # N bool

    def part(self, held_out: bool) -> ImageSet:
        keep = self.held_out == held_out
        return ImageSet(self.name, self.images[keep], self.labels[keep], self.held_out[keep])


@dataclass(frozen=True)
class StrokeSet:
    """UNIPEN digits as pen strokes; ``strokes[i]`` is a list of ``K x 2 float32`` (mm, y down)."""

    strokes: list[list[np.ndarray]]
    labels: np.ndarray  # N uint8
    site: np.ndarray  # N str
    writer: np.ndarray  # N str, "site/writer"
    held_out: np.ndarray  # N bool

    def part(self, held_out: bool) -> StrokeSet:
        idx = np.flatnonzero(self.held_out == held_out)
        return StrokeSet([self.strokes[i] for i in idx], self.labels[idx], self.site[idx],
                         self.writer[idx], self.held_out[idx])


def candidate_dirs(name: str, explicit: str | os.PathLike | None = None) -> list[Path]:
    """Where set ``name`` is looked for: ``explicit/name``, ``$DIGIT_APP_REAL_DATA/name``,
    ``../shared/data/name`` beside the working folder and beside the project."""
    if explicit:
        return [Path(explicit) / name]
    dirs: list[Path] = []
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]) / name)
    project_root = Path(__file__).resolve().parents[2]
    for base in (Path.cwd(), project_root):
        shared = (base / ".." / "shared" / "data" / name).resolve()
        if shared not in dirs:
            dirs.append(shared)
    return dirs


def _located(name: str, explicit: str | os.PathLike | None = None) -> Path | None:
    """The set's ``.npz`` file in the first of :func:`candidate_dirs` holding it, or None."""
    return next((d / SETS[name] for d in candidate_dirs(name, explicit)
                 if (d / SETS[name]).is_file()), None)


def find_file(name: str, explicit: str | os.PathLike | None = None) -> Path:
    """The set's ``.npz`` file, or RealDataError saying where it looked."""
    found = _located(name, explicit)
    if found is not None:
        return found
    where = "\n  ".join(str(d) for d in candidate_dirs(name, explicit))
    raise RealDataError(
        f"{SETS[name]} ({name}) not found. Looked in:\n  {where}\n"
        f"Pass --real-data DIR (a folder holding {name}/) or set ${ENV_VAR}."
    )


def all_found(explicit: str | os.PathLike | None = None) -> bool:
    """Whether every set's ``.npz`` file is where :func:`find_file` looks."""
    return all(_located(name, explicit) is not None for name in SETS)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_npz(path: Path, arrays: tuple[str, ...]) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [a for a in arrays if a not in data.files]
            if missing:
                raise RealDataError(f"{path}: missing arrays {', '.join(missing)}")
            return {a: data[a] for a in arrays}
    except (OSError, ValueError, EOFError) as exc:
        if isinstance(exc, RealDataError):
            raise
        raise RealDataError(f"{path}: not a readable .npz file ({exc})") from exc


def mnist_layout(ink: np.ndarray, level: int = 40) -> np.ndarray:
    """A grey digit with bright ink (``H x W uint8``) in MNIST's layout: the ink above ``level``
    cropped, fitted into 20x20 keeping its aspect, centred by centre of mass in ``28 x 28``."""
    out = np.zeros((MNIST_SIDE, MNIST_SIDE), np.uint8)
    pts = cv2.findNonZero((ink > level).astype(np.uint8))
    if pts is None:
        return out
    x, y, w, h = cv2.boundingRect(pts)
    crop = ink[y : y + h, x : x + w]
    scale = MNIST_BOX / max(w, h)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    box = cv2.resize(crop, (nw, nh), interpolation=interp)
    m = cv2.moments(box.astype(np.float32))
    cx, cy = (m["m10"] / m["m00"], m["m01"] / m["m00"]) if m["m00"] > 0 else (nw / 2, nh / 2)
    x0 = min(max(int(round(MNIST_SIDE / 2 - cx)), 0), MNIST_SIDE - nw)
    y0 = min(max(int(round(MNIST_SIDE / 2 - cy)), 0), MNIST_SIDE - nh)
    out[y0 : y0 + nh, x0 : x0 + nw] = box
    return out


def _tail_of_each_class(labels: np.ndarray, order: np.ndarray, fraction: float) -> np.ndarray:
    """True for the last ``fraction`` of each class when sorted by ``order``."""
    held = np.zeros(len(labels), bool)
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        idx = idx[np.argsort(order[idx], kind="stable")]
        held[idx[len(idx) - int(round(fraction * len(idx))) :]] = True
    return held


def paper_to_ink(images: np.ndarray) -> np.ndarray:
    """Dark ink on light paper -> bright ink on black, the paper level taken per image."""
    paper = np.percentile(images.reshape(len(images), -1), 90, axis=1)[:, None, None]
    ink = np.clip((paper - images.astype(np.float32)) * 255.0 / np.maximum(paper, 1.0), 0, 255)
    return ink.astype(np.uint8)


#: The order of the files in each image set's source (consecutive files, same sheets).
_FILE_ORDER = {"bhmsds": "ids", "kensanata16": "source_index"}


def load_photos(name: str, explicit: str | os.PathLike | None = None) -> ImageSet:
    """An image set as distributed (``N x h x w uint8``, dark ink on light paper), with its
    held-out part: the last 20% of each class in file order."""
    path = find_file(name, explicit)
    d = _load_npz(path, ("images", "labels", _FILE_ORDER[name]))
    held = _tail_of_each_class(d["labels"], d[_FILE_ORDER[name]], HELD_OUT_FRACTION)
    return ImageSet(name, d["images"], d["labels"].astype(np.uint8), held)


def load_bhmsds(explicit: str | os.PathLike | None = None) -> ImageSet:
    """BHMSDS in MNIST layout (held out as :func:`load_photos`)."""
    s = load_photos("bhmsds", explicit)
    ink = paper_to_ink(s.images)
    images = np.stack([mnist_layout(im) for im in ink]) if len(ink) else ink
    return ImageSet(s.name, images, s.labels, s.held_out)


def load_kensanata(explicit: str | os.PathLike | None = None) -> ImageSet:
    """kensanata16 (16x16, faint and small) upscaled smoothly into MNIST layout (held out as
    :func:`load_photos`)."""
    s = load_photos("kensanata16", explicit)
    ink = paper_to_ink(s.images)
    big = [cv2.resize(im, None, fx=4, fy=4, interpolation=cv2.INTER_CUBIC) for im in ink]
    images = np.stack([mnist_layout(_stretch(im)) for im in big]) if big else np.zeros((0, 28, 28), np.uint8)
    return ImageSet(s.name, images, s.labels, s.held_out)


def _stretch(ink: np.ndarray) -> np.ndarray:
    """Faint ink brought to full contrast (its brightest pixels to 255)."""
    peak = float(np.percentile(ink, 99.5))
    return np.clip(ink.astype(np.float32) * 255.0 / max(peak, 1.0), 0, 255).astype(np.uint8)


def load_unipen(explicit: str | os.PathLike | None = None, include_suspect: bool = False) -> StrokeSet:
    """UNIPEN digits as strokes in millimetres (y down); the README's 25 suspect samples (a lone
    dot, two glyphs) are left out unless asked for. Held out: :data:`HELD_OUT_SITES`."""
    path = find_file("unipen", explicit)
    d = _load_npz(path, ("label", "org", "writer", "sample_offsets", "stroke_offsets", "points",
                         "x_res", "y_res", "suspect"))
    so, ko, pts = d["sample_offsets"], d["stroke_offsets"], d["points"].astype(np.float32)
    n = len(d["label"])
    if len(so) != n + 1 or so[-1] > len(ko) - 1 or ko[-1] > len(pts):
        raise RealDataError(f"{path}: offsets do not match the arrays (damaged file?)")
    keep = np.ones(n, bool) if include_suspect else ~d["suspect"].astype(bool)
    strokes: list[list[np.ndarray]] = []
    for i in np.flatnonzero(keep):
        scale = np.array([1.0 / d["x_res"][i], -1.0 / d["y_res"][i]], np.float32)
        strokes.append([pts[ko[k] : ko[k + 1]] * scale for k in range(so[i], so[i + 1])])
    site = d["org"][keep].astype(str)
    writer = np.char.add(np.char.add(site, "/"), d["writer"][keep].astype(str))
    held = np.isin(site, HELD_OUT_SITES)
    return StrokeSet(strokes, d["label"][keep].astype(np.uint8), site, writer, held)


#: UNIPEN digits as MNIST-layout images: drawn 80 px tall with an 8 px pen (MNIST's stroke
#: is about a tenth of its digit height), then fitted like MNIST.
STROKE_IMAGE_HEIGHT = 80
STROKE_IMAGE_PEN = 8
VALIDATION_FRACTION = 0.1  # of each set's training part, by writer (UNIPEN) or file order
BHMSDS_TRAIN_LIMIT = 6000  # few writers: more of them would pull the model to their style
KENSANATA_REPEAT = 2  # small, and the only European 1s and 7s: shown twice per epoch


def stroke_image(strokes: list[np.ndarray]) -> np.ndarray:
    """A pen digit as a ``28 x 28 uint8`` MNIST-layout image."""
    from digit_app.data.pen import render_strokes

    return mnist_layout(render_strokes(strokes, STROKE_IMAGE_HEIGHT, STROKE_IMAGE_PEN))


@dataclass
class RealDigits:
    """Real digits for training or validation, in one list: ``strokes[i]`` is None for the
    image sets' digits."""

    images: np.ndarray  # N x 28 x 28 uint8
    labels: np.ndarray  # N uint8
    strokes: list
    source: np.ndarray  # N str: unipen, bhmsds, kensanata16

    def take(self, idx: np.ndarray) -> RealDigits:
        return RealDigits(self.images[idx], self.labels[idx], [self.strokes[i] for i in idx],
                          self.source[idx])

    @classmethod
    def join(cls, parts: list[RealDigits]) -> RealDigits:
        return cls(np.concatenate([p.images for p in parts]), np.concatenate([p.labels for p in parts]),
                   [s for p in parts for s in p.strokes], np.concatenate([p.source for p in parts]))


@dataclass
class RealTraining:
    train: RealDigits
    validation: RealDigits
    sha256: dict[str, str]  # file name -> checksum


def _image_digits(s: ImageSet, idx: np.ndarray, repeat: int = 1) -> RealDigits:
    idx = np.tile(idx, repeat)
    return RealDigits(s.images[idx], s.labels[idx], [None] * len(idx), np.full(len(idx), s.name))


def _stroke_digits(s: StrokeSet, idx: np.ndarray) -> RealDigits:
    images = np.stack([stroke_image(s.strokes[i]) for i in idx]) if len(idx) else np.zeros((0, 28, 28), np.uint8)
    return RealDigits(images, s.labels[idx], [s.strokes[i] for i in idx], np.full(len(idx), "unipen"))


def training_digits(explicit: str | os.PathLike | None = None, seed: int = 0) -> RealTraining:
    """The training parts of the three sets (never their held-out parts), a validation slice of
    each (UNIPEN: whole writers), and the files' checksums."""
    rng = np.random.default_rng(seed)
    uni = load_unipen(explicit)
    writers = np.unique(uni.writer[~uni.held_out])
    val_writers = rng.choice(writers, size=max(1, int(round(VALIDATION_FRACTION * len(writers)))), replace=False)
    uni_val = np.isin(uni.writer, val_writers) & ~uni.held_out
    uni_train = ~uni.held_out & ~uni_val
    train, val = [_stroke_digits(uni, np.flatnonzero(uni_train))], [_stroke_digits(uni, np.flatnonzero(uni_val))]
    for s, limit, repeat in ((load_bhmsds(explicit), BHMSDS_TRAIN_LIMIT, 1),
                             (load_kensanata(explicit), None, KENSANATA_REPEAT)):
        inside = np.flatnonzero(~s.held_out)
        is_val = _tail_of_each_class(s.labels[inside], inside, VALIDATION_FRACTION)
        tr = inside[~is_val]
        if limit is not None and len(tr) > limit:
            tr = np.sort(rng.choice(tr, size=limit, replace=False))
        train.append(_image_digits(s, tr, repeat))
        val.append(_image_digits(s, inside[is_val]))
    sums = {SETS[n]: sha256(find_file(n, explicit)) for n in SETS}
    return RealTraining(RealDigits.join(train), RealDigits.join(val), sums)
