"""A setting of a config dataclass, described once: its meaning, bounds and place in a form.

``setting(default, help=..., section=..., range=(lo, hi))`` is a ``dataclasses.field`` whose
metadata carries the description; :func:`check_settings` validates an instance against it and
``digit_app.session.config_fields`` builds the settings form from it. The metadata keys are the
constants below (plain strings, so readers need not import this module).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

HELP = "help"  # str: what the setting means (the documentation)
SECTION = "section"  # str: the group it belongs to (a part of the pipeline)
RANGE = "range"  # (lo, hi): the values accepted, both included; numbers only
CHOICES = "choices"  # tuple[str, ...]: the values accepted; strings only
BASIC = "basic"  # bool: shown by default in a settings form (else under "Advanced")
LABEL = "label"  # str: a plain name for the form ('' = derived from the field's name)

_T = TypeVar("_T")


def setting_metadata(*, help: str, section: str, range: tuple[float, float] | None = None,
                     choices: tuple[str, ...] = (), basic: bool = False, label: str = "") -> dict[str, Any]:
    """The metadata of one setting (see the keys above)."""
    if range is not None and not range[0] <= range[1]:
        raise ValueError(f"range must be (lo, hi) with lo <= hi, got {range!r}")
    metadata: dict[str, Any] = {HELP: help, SECTION: section, BASIC: basic, LABEL: label}
    if range is not None:
        metadata[RANGE] = range
    if choices:
        metadata[CHOICES] = choices
    return metadata


def setting(default: _T, *, help: str, section: str, range: tuple[float, float] | None = None,
            choices: tuple[str, ...] = (), basic: bool = False, label: str = "") -> _T:
    """A dataclass field with ``default`` whose metadata describes it (see :func:`setting_metadata`)."""
    metadata = setting_metadata(help=help, section=section, range=range, choices=choices, basic=basic,
                                label=label)
    return dataclasses.field(default=default, metadata=metadata)


def range_error(name: str, value: object, metadata: Mapping[str, Any]) -> str | None:
    """Why ``value`` is refused by the setting's range or choices, or None when it is accepted.

    A number outside ``range`` (or NaN) and a string not among ``choices`` are refused.
    """
    if CHOICES in metadata and value not in metadata[CHOICES]:
        return f"{name} must be one of {metadata[CHOICES]}, got {value!r}"
    if RANGE in metadata and not isinstance(value, bool) and isinstance(value, (int, float)):
        lo, hi = metadata[RANGE]
        if not lo <= value <= hi:  # also refuses NaN, which compares false
            return f"{name} must be in [{lo}, {hi}], got {value!r}"
    return None


def check_settings(config: Any) -> None:
    """Raise ValueError naming the first field of a config dataclass outside its range or choices."""
    for f in dataclasses.fields(config):
        error = range_error(f.name, getattr(config, f.name), f.metadata)
        if error:
            raise ValueError(error)
