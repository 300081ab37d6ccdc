"""Describing a settings dataclass for a generic form (no Qt).

Every ``float``, ``int``, ``bool`` and ``str`` field of a frozen config dataclass (such as
:class:`digit_app.pipeline.config.PipelineConfig`) becomes a :class:`FieldSpec`, read from the
field's metadata written by :func:`digit_app.pipeline.settings.setting`: a label, a help text,
a range for numbers (with a step and a number of decimals derived from it), choices for a
string, a section and whether the form shows it by default. Nested dataclasses and other types
are left out.

A field without that metadata (a small config that does not describe itself) is shown by
default, without help, in no section, with a plain range: 0 to ten times its default (at
least 1 for a float, 100 for an int).
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from digit_app.pipeline.settings import BASIC, CHOICES, HELP, LABEL, RANGE, SECTION, range_error

MIN_DECIMALS = 2  # a float can always be set to a hundredth
MAX_DECIMALS = 10  # a spin box never shows more


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
    section: str = ""  # '' when the config names none
    basic: bool = True  # shown by default; False: under "Advanced"

    def error(self, value: Any) -> str | None:
        """Why ``value`` is outside this field's range or choices, or None when it is accepted."""
        metadata: dict[str, Any] = {}
        if self.kind in (int, float):
            metadata[RANGE] = (self.minimum, self.maximum)
        if self.choices:
            metadata[CHOICES] = self.choices
        return range_error(self.name, value, metadata)


def humanize(name: str) -> str:
    """``min_height_rel_typical`` -> ``Min height rel typical``."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _decimals_of(value: float) -> int:
    """The fewest decimals that write ``value`` exactly (at most MAX_DECIMALS)."""
    for decimals in range(MAX_DECIMALS + 1):
        if math.isclose(round(value, decimals), value, rel_tol=1e-9, abs_tol=1e-12):
            return decimals
    return MAX_DECIMALS


def number_spec(kind: type, default: float, lo: float, hi: float) -> dict[str, Any]:
    """Range, step and decimals of a number field accepting ``[lo, hi]``.

    A float steps by a hundredth of the range's order of magnitude, finer when the default is
    smaller than ten such steps; its decimals (two at least) show the step, the bounds and the
    default exactly (a spin box rounds what it shows, and would change a default it cannot write).
    """
    if kind is int:
        return {"minimum": int(lo), "maximum": int(hi), "step": 1, "decimals": 0}
    span = hi - lo
    step = 10.0 ** (math.floor(math.log10(span)) - 2) if span > 0 else 0.01
    if 0 < abs(default) < 10 * step:
        step = 10.0 ** (math.floor(math.log10(abs(default))) - 1)
    decimals = max(MIN_DECIMALS, *(_decimals_of(v) for v in (step, lo, hi, default)))
    return {"minimum": float(lo), "maximum": float(hi), "step": step, "decimals": decimals}


def _plain_range(kind: type, default: float) -> tuple[float, float]:
    """The range of a number field that names none (see the module's docstring)."""
    if kind is int:
        return 0, max(100, int(default) * 10)
    return 0.0, max(1.0, float(default) * 10)


def _default_of(f: dataclasses.Field[Any], config: Any) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return getattr(config, f.name)


def spec_of(name: str, default: Any, metadata: Mapping[str, Any]) -> FieldSpec | None:
    """The FieldSpec of one field from its default and metadata (None for a type a form cannot edit)."""
    kind = type(default)
    if kind not in (bool, int, float, str):
        return None
    extra: dict[str, Any] = {}
    if kind in (int, float):
        lo, hi = metadata.get(RANGE) or _plain_range(kind, default)
        extra = number_spec(kind, default, lo, hi)
    elif kind is str:
        extra = {"choices": tuple(metadata.get(CHOICES, ()))}
    described = HELP in metadata
    return FieldSpec(name, kind, default, metadata.get(LABEL) or humanize(name), metadata.get(HELP, ""),
                     section=metadata.get(SECTION, ""), basic=bool(metadata.get(BASIC)) if described else True,
                     **extra)


def describe(config: Any) -> list[FieldSpec]:
    """A FieldSpec for each editable field of a config dataclass instance, in order."""
    if not dataclasses.is_dataclass(config):
        return []
    specs = []
    for f in dataclasses.fields(config):
        spec = spec_of(f.name, _default_of(f, config), f.metadata)
        if spec is not None:
            specs.append(spec)
    return specs


def sections(specs: list[FieldSpec]) -> list[tuple[str, list[FieldSpec]]]:
    """The specs grouped by section, sections in the order they first appear."""
    groups: dict[str, list[FieldSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.section, []).append(spec)
    return list(groups.items())


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """A stored value (QSettings may give strings) converted to the field's type.

    Raises ValueError (naming the field) when it is not of that type or outside the field's
    range or choices: a value stored by an older version, or edited by hand, is refused alone.
    """
    if spec.kind is bool:
        if isinstance(raw, str):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return bool(raw)
    value = spec.kind(raw)
    error = spec.error(value)
    if error:
        raise ValueError(error)
    return value


def defaults_of(config: Any) -> Any:
    """A fresh instance of the config's class with every default."""
    return type(config)()
