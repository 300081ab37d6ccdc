"""What the digit model's helper models share: the print detector and the pair reader.

Each is a small net with its own files beside the digit model's: ``NAME.keras`` (training
artefact), ``NAME.tflite`` + ``NAME.lite.json`` (the reading path, no TensorFlow) and
``NAME.json`` (:class:`HelperInfo`: its kind, how it was trained, what it measured, and the
normalization of the crops it reads). A subclass of :class:`HelperModel` names the kind, the
crop shape and the outputs.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import numpy as np

from digit_app.model.classifier import MAX_BATCH, _backend, check_model_file, compiled, open_model
from digit_app.model.metadata import ModelError, from_fields, metadata_path, read_json_object


@dataclass
class HelperInfo:
    """What a helper model's ``.json`` records; subclasses set the defaults of the first three."""

    kind: str = ""
    input_shape: tuple[int, int, int] = (32, 32, 1)
    output: str = ""
    normalization: dict[str, Any] = field(default_factory=dict)
    parameters: int = 0
    training: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"


Info = TypeVar("Info", bound=HelperInfo)
Self = TypeVar("Self", bound="HelperModel")


def read_helper_info(info_type: type[Info], model_path: Path | str) -> Info:
    """The metadata beside a helper model of ``info_type``'s kind; ModelError naming the
    file when it is missing, not JSON, or another kind's."""
    kind = info_type().kind
    path = metadata_path(model_path)
    raw = read_json_object(path, f"{kind} metadata", Path(model_path).name)
    if raw.get("kind") != kind:
        raise ModelError(f"{path}: not the metadata of a {kind}")
    info = from_fields(info_type, raw, path, f"{kind} metadata")
    if not isinstance(info.normalization, dict):
        raise ModelError(f"{path}: malformed {kind} metadata (normalization)")
    return info


class HelperModel:
    """A loaded helper model: :meth:`outputs` maps a batch of crops to its rows of outputs."""

    INFO: ClassVar[type[HelperInfo]] = HelperInfo
    INPUT_SHAPE: ClassVar[tuple[int, int, int]] = (32, 32, 1)
    OUTPUTS: ClassVar[int] = 1
    DEFAULT: ClassVar[Path]

    def __init__(self, run, info: HelperInfo, path: Path | None = None):
        """``run``: a callable ``N x INPUT_SHAPE float32`` (N >= 1) -> ``N x OUTPUTS`` (a
        LiteRT runner, or a compiled TensorFlow function returning numpy)."""
        self._run = run
        self.info = info
        self.path = path

    @classmethod
    def load(cls: type[Self], path: Path | str | None = None, backend: str | None = None) -> Self:
        """The model file ``path`` (default: the shipped one), on LiteRT without TensorFlow
        where it runs, else TensorFlow, as :meth:`Classifier.load` decides. ModelError
        naming the file when it is missing, damaged or not of this kind."""
        choice = _backend(backend)
        path = Path(path) if path is not None else cls.DEFAULT
        check_model_file(path)
        info = read_helper_info(cls.INFO, path)
        runner, model = open_model(path, choice, cls.OUTPUTS, cls.INPUT_SHAPE)
        if runner is not None:
            return cls(runner, info, path)
        call = compiled(model)
        return cls(lambda b: call(b).numpy(), info, path)

    def expects(self, normalization: dict[str, Any]) -> bool:
        """Whether crops normalized as ``normalization`` (a digit model's) are what this
        model was trained on."""
        return all(normalization.get(k) == v for k, v in self.info.normalization.items())

    def outputs(self, batch: np.ndarray) -> np.ndarray:
        """``N x INPUT_SHAPE float32`` -> ``N x OUTPUTS float32``; N may be 0."""
        batch = np.asarray(batch, np.float32).reshape(-1, *self.INPUT_SHAPE)
        if len(batch) == 0:
            return np.zeros((0, self.OUTPUTS), np.float32)
        return np.concatenate([np.asarray(self._run(batch[i:i + MAX_BATCH])).reshape(-1, self.OUTPUTS)
                               for i in range(0, len(batch), MAX_BATCH)]).astype(np.float32)
