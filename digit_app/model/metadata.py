"""The JSON that travels beside a ``.keras`` file: what the model expects and how good it is."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from digit_app import atomic
from digit_app.pipeline.normalize import DEFAULT_NORMALIZE, NormalizeConfig
from digit_app.types import CLASS_NAMES, NUM_CLASSES


class ModelError(RuntimeError):
    """A model file is missing, damaged or not a digit-app model; the message names the file."""


@dataclass
class ModelInfo:
    input_shape: tuple[int, int, int] = (32, 32, 1)
    classes: tuple[str, ...] = CLASS_NAMES
    normalization: dict[str, Any] = field(default_factory=lambda: asdict(DEFAULT_NORMALIZE))
    parameters: int = 0
    training: dict[str, Any] = field(default_factory=dict)  # command, data checksum, time, ...
    evaluation: dict[str, Any] = field(default_factory=dict)  # what `digit-app evaluate` measured
    evaluation_real: dict[str, Any] = field(default_factory=dict)  # `evaluate --real`: held-out writers
    evaluation_scenes: dict[str, Any] = field(default_factory=dict)  # `evaluate --scenes N`

    def normalize_config(self) -> NormalizeConfig:
        known = NormalizeConfig.__dataclass_fields__
        return NormalizeConfig(**{k: v for k, v in self.normalization.items() if k in known})

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=False) + "\n"


def metadata_path(model_path: Path | str) -> Path:
    """``models/lenet.keras`` -> ``models/lenet.json``."""
    return Path(model_path).with_suffix(".json")


def info_bytes(info: ModelInfo) -> bytes:
    """The file content of ``info``: :meth:`ModelInfo.to_json` with the platform's line ends."""
    return info.to_json().replace("\n", os.linesep).encode()


def write_info(model_path: Path | str, info: ModelInfo) -> Path:
    """Write the metadata beside a model, atomically; returns its path."""
    path = metadata_path(model_path)
    atomic.atomic_write(path, info_bytes(info))
    return path


def read_json_object(path: Path, what: str, beside: str) -> dict[str, Any]:
    """The JSON object in ``path``; ModelError naming it (as ``what``, e.g. "model metadata")
    when it is missing (it must sit beside ``beside``), not JSON, or not an object."""
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise ModelError(f"{path}: {what} not found (it must sit beside {beside})") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: {what} is not valid JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise ModelError(f"{path}: {what} must be a JSON object")
    return raw


_Info = TypeVar("_Info")


def from_fields(cls: type[_Info], raw: dict[str, Any], path: Path, what: str) -> _Info:
    """A ``cls`` dataclass from the fields of ``raw`` it knows (others are ignored: newer
    files may hold more); ModelError naming ``path`` when a field is malformed."""
    known = cls.__dataclass_fields__  # type: ignore[attr-defined]
    try:
        return cls(**{k: v for k, v in raw.items() if k in known})
    except TypeError as exc:
        raise ModelError(f"{path}: malformed {what} ({exc})") from exc


def read_info(model_path: Path | str) -> ModelInfo:
    """Read the metadata beside a model; ModelError if it is missing or malformed."""
    path = metadata_path(model_path)
    raw = read_json_object(path, "model metadata", "the .keras file")
    info = from_fields(ModelInfo, raw, path, "model metadata")
    try:
        info.input_shape = tuple(info.input_shape)  # type: ignore[assignment]
        info.classes = tuple(info.classes)
    except TypeError as exc:
        raise ModelError(f"{path}: malformed model metadata ({exc})") from exc
    if len(info.classes) != NUM_CLASSES:
        raise ModelError(f"{path}: expected {NUM_CLASSES} classes, metadata lists {len(info.classes)}")
    return info
