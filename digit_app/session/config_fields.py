"""Describing a settings dataclass for a generic form (no Qt).

Every ``float``, ``int``, ``bool`` and ``str`` field of a frozen config dataclass (such as
:class:`digit_app.pipeline.config.PipelineConfig`) becomes a :class:`FieldSpec`: a label, a
help text taken from the ``#:`` comments above the field in the source, a range and a step
for numbers, and choices for a string when its module lists them in a tuple constant.
Nested dataclasses and other types are left out.
"""
from __future__ import annotations

import dataclasses
import inspect
import math
import re
import sys
from dataclasses import dataclass
from typing import Any

_FIELD_LINE = re.compile(r"^\s*(\w+)\s*:")
_DOC_LINE = re.compile(r"^\s*#:\s?(.*)$")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: type  # float, int, bool or str
    default: Any
    label: str
    help: str = ""
    minimum: float = 0.0
    maximum: float = 1.0
    step: float = 0.01
    decimals: int = 2
    choices: tuple[str, ...] = ()


def humanize(name: str) -> str:
    """``min_height_rel_typical`` -> ``Min height rel typical``."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def field_docs(cls: type) -> dict[str, str]:
    """The ``#:`` comment block just above each field in the class source ('' if none)."""
    try:
        lines = inspect.getsource(cls).splitlines()
    except (OSError, TypeError):
        return {}
    docs: dict[str, str] = {}
    pending: list[str] = []
    previous = ""  # a field right below a documented one, with no comment, shares its text
    for line in lines:
        m = _DOC_LINE.match(line)
        if m:
            pending.append(m.group(1).strip())
            continue
        f = _FIELD_LINE.match(line)
        if f:
            previous = " ".join(pending) if pending else previous
            if previous:
                docs[f.group(1)] = previous
        elif not line.strip() or line.strip().startswith("#"):
            previous = ""
        pending = []
    return docs


def _choices(cls: type, default: str) -> tuple[str, ...]:
    module = sys.modules.get(cls.__module__)
    for value in vars(module).values() if module else ():
        if (isinstance(value, tuple) and value and all(isinstance(v, str) for v in value)
                and default in value):
            return value
    return ()


def _number_spec(kind: type, default: float) -> dict[str, Any]:
    if kind is int:
        return {"minimum": 0, "maximum": max(100, int(default) * 10), "step": 1, "decimals": 0}
    if 0 < default <= 1:
        magnitude = math.floor(math.log10(default))  # -1 for 0.1-0.9, -2 for 0.01-0.09, ...
        if magnitude >= -1:
            return {"minimum": 0.0, "maximum": max(1.0, default * 5), "step": 0.01, "decimals": 2}
        return {"minimum": 0.0, "maximum": default * 100, "step": 10.0 ** (magnitude - 1),
                "decimals": -magnitude + 2}
    maximum = max(10.0, float(default) * 10)
    return {"minimum": 0.0, "maximum": maximum, "step": 0.1, "decimals": 2}


def describe(config: Any) -> list[FieldSpec]:
    """A FieldSpec for each editable field of a config dataclass instance, in order."""
    if not dataclasses.is_dataclass(config):
        return []
    cls = type(config)
    docs = field_docs(cls)
    specs = []
    for f in dataclasses.fields(config):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            default = f.default_factory()  # type: ignore[misc]
        else:
            default = getattr(config, f.name)
        kind = type(default)
        if kind not in (bool, int, float, str):
            continue
        extra: dict[str, Any] = {}
        if kind in (int, float):
            extra = _number_spec(kind, default)
        elif kind is str:
            extra = {"choices": _choices(cls, default)}
        specs.append(FieldSpec(f.name, kind, default, humanize(f.name), docs.get(f.name, ""), **extra))
    return specs


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """A stored value (QSettings may give strings) converted to the field's type."""
    if spec.kind is bool:
        if isinstance(raw, str):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return bool(raw)
    return spec.kind(raw)


def defaults_of(config: Any) -> Any:
    """A fresh instance of the config's class with every default."""
    return type(config)()
