"""Reading MNIST from the four standard gzipped IDX files, with validation and clear errors.

Images come back as ``N x 28 x 28 uint8`` (white ink on black, as distributed), labels as
``N uint8``.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
ENV_VAR = "DIGIT_APP_MNIST"
IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049
IMAGE_SIDE = 28


class MnistError(ValueError):
    """A data file is missing, truncated or corrupt; the message names the file."""


@dataclass(frozen=True)
class Split:
    images: np.ndarray  # N x 28 x 28 uint8
    labels: np.ndarray  # N uint8


def _read_gz(path: Path) -> bytes:
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise MnistError(f"{path}: not a readable gzip file ({exc})") from exc


def parse_idx(raw: bytes, path: Path | str, expect_magic: int) -> np.ndarray:
    """Parse decompressed IDX bytes; checks magic, dimensions and length against the header."""
    ndim = 3 if expect_magic == IMAGE_MAGIC else 1
    header_len = 4 + 4 * ndim
    if len(raw) < header_len:
        raise MnistError(f"{path}: truncated IDX header ({len(raw)} bytes)")
    magic = struct.unpack(">i", raw[:4])[0]
    if magic != expect_magic:
        raise MnistError(f"{path}: bad IDX magic number {magic}, expected {expect_magic}")
    dims = struct.unpack(f">{ndim}i", raw[4:header_len])
    if ndim == 3 and dims[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        raise MnistError(f"{path}: images are {dims[1]}x{dims[2]}, expected 28x28")
    expected = int(np.prod(dims))
    body = len(raw) - header_len
    if body != expected:
        kind = "truncated" if body < expected else "has trailing bytes"
        raise MnistError(f"{path}: {kind}: header promises {expected} bytes of data, found {body}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(dims)


def read_idx(path: Path | str, expect_magic: int) -> np.ndarray:
    """Read one gzipped IDX file. Raises FileNotFoundError or MnistError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: MNIST file not found")
    return parse_idx(_read_gz(path), path, expect_magic)


def default_cache_dir() -> Path:
    """MNIST's folder in the user cache folder (:func:`digit_app.userdata.cache_dir`)."""
    from digit_app.userdata import cache_dir

    return cache_dir() / "mnist"


def candidate_dirs(explicit: str | os.PathLike | None = None) -> list[Path]:
    """Where MNIST is looked for, in order: explicit path, $DIGIT_APP_MNIST, ../shared, cache."""
    dirs: list[Path] = []
    if explicit:
        return [Path(explicit)]
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]))
    project_root = Path(__file__).resolve().parents[2]
    for base in (Path.cwd(), project_root):
        shared = (base / ".." / "shared" / "data" / "mnist").resolve()
        if shared not in dirs:
            dirs.append(shared)
    dirs.append(default_cache_dir())
    return dirs


def find_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The first candidate directory that holds all four files, or a clear MnistError."""
    looked = candidate_dirs(explicit)
    for d in looked:
        if all((d / name).is_file() for name in FILES.values()):
            return d
    where = "\n  ".join(str(d) for d in looked)
    raise MnistError(
        "MNIST not found. Looked in:\n  "
        + where
        + "\nPut the four files ("
        + ", ".join(FILES.values())
        + f") in one of these folders, or pass --data DIR, or set ${ENV_VAR}."
    )


def load_split(data_dir: Path, split: str) -> Split:
    """``split`` is "train" or "test"."""
    images = read_idx(data_dir / FILES[f"{split}_images"], IMAGE_MAGIC)
    labels = read_idx(data_dir / FILES[f"{split}_labels"], LABEL_MAGIC)
    if len(images) != len(labels):
        raise MnistError(
            f"{data_dir}: {split} split has {len(images)} images but {len(labels)} labels"
        )
    if labels.size and labels.max() > 9:
        raise MnistError(f"{data_dir / FILES[f'{split}_labels']}: label {labels.max()} out of 0-9")
    return Split(images, labels)


def checksum(data_dir: Path) -> dict[str, str]:
    """sha256 of the decompressed bytes of each file (as listed in the data set's README)."""
    return {
        name: hashlib.sha256(_read_gz(data_dir / name)).hexdigest() for name in FILES.values()
    }
