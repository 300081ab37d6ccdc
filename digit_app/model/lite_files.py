"""The LiteRT form of a model file, kept beside it: ``lenet.keras`` -> ``lenet.tflite`` plus
``lenet.lite.json``, written by ``digit-app train``, ``adapt`` and ``export-lite``.

The JSON names the SHA-256 of the ``.keras`` file the flatbuffer was converted from and of the
flatbuffer itself, so reading (:func:`runner_for`) checks, without TensorFlow, that the pair
is whole and belongs to the model. A missing, damaged or mismatched pair is converted again
into the user cache folder (``lite/`` in ``$DIGIT_APP_CACHE`` or the platform's cache) where
TensorFlow is installed, and refused with one line naming the file where it is not.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from digit_app import atomic, userdata
from digit_app.model import lite
from digit_app.model.metadata import ModelError
from digit_app.types import NUM_CLASSES

log = logging.getLogger(__name__)

LITE_SUFFIX = ".tflite"
LITE_INFO_SUFFIX = ".lite.json"
EXPORT_COMMAND = "digit-app export-lite"


class LiteFileError(ValueError):
    """A LiteRT file that is missing, damaged or made from another model; says which and why."""

    def __init__(self, path: Path, problem: str, missing: bool = False):
        super().__init__(f"{path}: {problem}")
        self.missing = missing


@dataclass(frozen=True)
class LiteInfo:
    """What ``<model>.lite.json`` records about ``<model>.tflite``."""

    source: str  # the .keras file name it was converted from
    source_sha256: str
    sha256: str  # of the .tflite file
    bytes: int
    converter: str  # "tensorflow 2.21.0"
    command: str  # how to make it again


def lite_path(model_path: Path | str) -> Path:
    """``models/lenet.keras`` -> ``models/lenet.tflite``."""
    return Path(model_path).with_suffix(LITE_SUFFIX)


def lite_info_path(model_path: Path | str) -> Path:
    """``models/lenet.keras`` -> ``models/lenet.lite.json``."""
    path = Path(model_path)
    return path.with_name(path.stem + LITE_INFO_SUFFIX)


def sha256_of(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def export_command(model_path: Path | str) -> str:
    """The command that writes the LiteRT pair of ``model_path`` (relative to the current
    folder when inside it; no ``--model`` for the shipped model)."""
    from digit_app.model.classifier import DEFAULT_MODEL

    path = Path(model_path).absolute()
    if path == DEFAULT_MODEL:
        return EXPORT_COMMAND
    if path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())
    return f"{EXPORT_COMMAND} --model {path}"


def lite_files(model, model_path: Path, source_sha256: str,
               beside: Path | None = None) -> list[tuple[Path, bytes]]:
    """The Keras ``model`` (saved as ``model_path``, whose SHA-256 is ``source_sha256``)
    converted: ``[(tflite path, flatbuffer), (json path, its metadata)]``, flatbuffer first,
    named after ``beside`` (default ``model_path``). Needs TensorFlow."""
    flatbuffer = lite.convert(model)
    info = LiteInfo(
        source=model_path.name, source_sha256=source_sha256,
        sha256=hashlib.sha256(flatbuffer).hexdigest(), bytes=len(flatbuffer),
        converter=lite.converter_version(), command=export_command(model_path),
    )
    text = json.dumps(asdict(info), indent=2) + "\n"
    beside = beside or model_path
    return [(lite_path(beside), flatbuffer), (lite_info_path(beside), text.encode())]


def export(model, model_path: Path | str) -> list[Path]:
    """Write the LiteRT pair beside ``model_path`` (already saved from the Keras ``model``);
    the files written, flatbuffer first."""
    model_path = Path(model_path)
    files = lite_files(model, model_path, sha256_of(model_path))
    atomic.write_all(files)
    return [path for path, _ in files]


def save_trained(build: Callable[[], Any], weights: Any, out: Path | str) -> tuple[Any, list[Path]]:
    """A trained net saved from a fresh, uncompiled copy (``build()`` with ``weights``, as
    Keras's ``get_weights`` gives them: the file then holds no optimizer state and is smaller)
    as ``out`` (``.keras``, its folder made if need be), with its LiteRT pair beside it:
    ``(the copy, the LiteRT files, flatbuffer first)``."""
    out = Path(out)
    final = build()
    final.set_weights(weights)
    out.parent.mkdir(parents=True, exist_ok=True)
    final.save(out)
    return final, export(final, out)


def read_verified(model_path: Path, source_sha256: str) -> bytes:
    """The flatbuffer beside ``model_path`` after checking it against its JSON and the
    model's checksum; LiteFileError otherwise."""
    flat_path, info_path = lite_path(model_path), lite_info_path(model_path)
    try:
        flatbuffer = flat_path.read_bytes()
    except FileNotFoundError:
        raise LiteFileError(flat_path, "no LiteRT model", missing=True) from None
    except OSError as exc:
        raise LiteFileError(flat_path, f"unreadable ({exc.strerror})") from exc
    try:
        info = json.loads(info_path.read_text())
        recorded_source, recorded = str(info["source_sha256"]), str(info["sha256"])
    except FileNotFoundError:
        raise LiteFileError(info_path, f"missing (it records what {flat_path.name} was made from)") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LiteFileError(info_path, f"damaged LiteRT metadata ({exc})") from exc
    if recorded_source != source_sha256:
        raise LiteFileError(flat_path, f"made from another model file (source SHA-256 "
                            f"{recorded_source[:12]}..., {model_path.name} has {source_sha256[:12]}...)")
    if hashlib.sha256(flatbuffer).hexdigest() != recorded:
        raise LiteFileError(flat_path, "damaged (its SHA-256 differs from the one in "
                            f"{info_path.name})")
    return flatbuffer


def _runner(model_path: Path, source_sha256: str) -> lite.LiteRunner:
    flatbuffer = read_verified(model_path, source_sha256)
    try:
        return lite.LiteRunner(flatbuffer)
    except (ValueError, RuntimeError) as exc:
        raise LiteFileError(lite_path(model_path), f"damaged ({exc})") from exc


def cache_stand_in(source_sha256: str) -> Path:
    """A model path in the cache whose LiteRT pair is the conversion of the model with this
    checksum (the ``.keras`` itself is never written there)."""
    return userdata.cache_dir() / "lite" / f"{source_sha256[:32]}.keras"


def tensorflow_available() -> bool:
    return importlib.util.find_spec("tensorflow") is not None


def runner_for(model_path: Path, outputs: int = NUM_CLASSES,
               input_shape: tuple[int, int, int] = (32, 32, 1)) -> lite.LiteRunner | None:
    """A LiteRT runner of the ``.keras`` file ``model_path`` (``input_shape`` crops to
    ``outputs`` values: the digit model's by default), read from the pair beside it, or
    from the cache, or converted into the cache (TensorFlow). None when LiteRT cannot run
    here. ModelError, with the file and the way out, when the pair is unusable and there is no
    TensorFlow to convert the model, or when the model file is damaged."""
    digest = sha256_of(model_path)
    cached = cache_stand_in(digest)
    try:
        try:
            return _runner(model_path, digest)
        except LiteFileError as exc:
            beside = exc
        try:
            runner = _runner(cached, digest)
        except LiteFileError:
            runner = None
    except ImportError as exc:  # LiteRT installed but unusable on this platform
        log.info("LiteRT cannot run here (%s); using TensorFlow", exc)
        return None
    _warn(beside, model_path, "using a conversion in the cache" if runner else "converting it again")
    if runner is not None:
        return runner
    if not tensorflow_available():
        raise ModelError(f"{beside}; TensorFlow is not installed to convert {model_path} again: "
                         f"run `{export_command(model_path)}` where it is")
    return _convert_into_cache(model_path, cached, digest, outputs, input_shape)


def _warn(problem: LiteFileError, model_path: Path, action: str) -> None:
    if not problem.missing:
        log.warning("digit-app: warning: %s; %s (to mend it: %s)", problem, action,
                    export_command(model_path))


def _convert_into_cache(model_path: Path, cached: Path, digest: str, outputs: int,
                        input_shape: tuple[int, int, int]) -> lite.LiteRunner | None:
    from digit_app.model.classifier import load_keras_model

    model = load_keras_model(model_path, outputs, input_shape)  # ModelError when the .keras file is damaged
    try:
        files = lite_files(model, model_path, digest, beside=cached)
        runner = lite.LiteRunner(files[0][1])
    except Exception as exc:  # a model the converter or LiteRT refuses
        log.info("LiteRT cannot run %s (%s); using TensorFlow", model_path, exc)
        return None
    try:
        atomic.write_all(files)
    except OSError as exc:  # a read-only cache only costs the conversion next time
        log.info("LiteRT model not cached at %s: %s", cached, exc)
    return runner
