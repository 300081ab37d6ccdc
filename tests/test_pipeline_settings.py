"""Each PipelineConfig field is described once (help, section, range or choices) and validated from that."""
from __future__ import annotations

import dataclasses
import math

import pytest

from digit_app.pipeline.config import POLARITIES, PipelineConfig
from digit_app.pipeline.normalize import NormalizeConfig
from digit_app.pipeline.settings import BASIC, CHOICES, HELP, RANGE, SECTION, check_settings, setting

FIELDS = dataclasses.fields(PipelineConfig)
NUMBERS = [f for f in FIELDS if type(f.default) in (int, float)]


def test_every_field_has_help_and_a_section():
    for f in FIELDS:
        assert f.metadata.get(HELP, "").strip(), f.name
        assert f.metadata.get(SECTION), f.name
    sections = list(dict.fromkeys(f.metadata[SECTION] for f in FIELDS))
    assert len(sections) == 9  # fields of one section sit together, sections do not interleave
    assert [f.metadata[SECTION] for f in FIELDS] == sorted((f.metadata[SECTION] for f in FIELDS),
                                                           key=sections.index)


def test_numbers_have_a_range_holding_their_default_and_strings_choices():
    assert len(NUMBERS) > 100
    for f in NUMBERS:
        lo, hi = f.metadata[RANGE]
        assert lo <= f.default <= hi, f.name
        assert lo >= 0, f.name  # every threshold is a size, a count or a fraction
    assert PipelineConfig.__dataclass_fields__["polarity"].metadata[CHOICES] == POLARITIES
    assert PipelineConfig.__dataclass_fields__["graph"].metadata.get(RANGE) is None
    assert PipelineConfig.__dataclass_fields__["normalize"].metadata.get(RANGE) is None


def test_former_special_checks_are_ranges():
    fields = PipelineConfig.__dataclass_fields__
    assert fields["work_side"].metadata[RANGE][0] == 8
    assert fields["cut_work_height"].metadata[RANGE][0] == 8
    assert fields["graph_max_pieces"].metadata[RANGE][0] == 1
    for name in ("min_confidence", "line_overlap", "min_contrast", "page_min_solidity", "outline_min_side_fill"):
        assert fields[name].metadata[RANGE] == (0, 1), name


def test_a_few_settings_are_basic():
    basic = [f.name for f in FIELDS if f.metadata.get(BASIC)]
    assert basic == ["polarity", "min_contrast", "min_height_px", "number_gap_rel", "read_printed",
                     "min_confidence"]


def test_defaults_are_unchanged():
    cfg = PipelineConfig()
    assert (cfg.work_side, cfg.polarity, cfg.min_confidence, cfg.max_candidates) == (160, "auto", 0.3, 400)
    assert cfg.speck_area_rel_image == 5e-6 and cfg.graph and not cfg.read_printed
    assert cfg.normalize == NormalizeConfig()


@pytest.mark.parametrize("f", NUMBERS, ids=lambda f: f.name)
def test_values_outside_the_range_raise_naming_the_field(f):
    lo, hi = f.metadata[RANGE]
    PipelineConfig(**{f.name: lo})
    PipelineConfig(**{f.name: hi})
    step = 1 if type(f.default) is int else (hi - lo) / 100
    for value in (lo - step, hi + step):
        with pytest.raises(ValueError, match=rf"^{f.name} must be in \[{lo}, {hi}\], got "):
            PipelineConfig(**{f.name: value})


def test_nan_and_unknown_choices_are_refused():
    with pytest.raises(ValueError, match="min_contrast"):
        PipelineConfig(min_contrast=math.nan)
    with pytest.raises(ValueError, match=r"polarity must be one of \('auto', 'dark', 'light'\), got 'sideways'"):
        PipelineConfig(polarity="sideways")
    with pytest.raises(ValueError, match="min_confidence must be in"):
        dataclasses.replace(PipelineConfig(), min_confidence=1.5)


def test_setting_builds_a_described_field():
    @dataclasses.dataclass(frozen=True)
    class Cfg:
        size: int = setting(3, help="How big.", section="Shape", range=(1, 9), basic=True)
        mode: str = setting("a", help="Which.", section="Shape", choices=("a", "b"))

        def __post_init__(self) -> None:
            check_settings(self)

    meta = Cfg.__dataclass_fields__["size"].metadata
    assert (meta[HELP], meta[SECTION], meta[RANGE], meta[BASIC]) == ("How big.", "Shape", (1, 9), True)
    assert Cfg().size == 3 and Cfg(size=9).size == 9
    with pytest.raises(ValueError, match=r"size must be in \[1, 9\], got 0"):
        Cfg(size=0)
    with pytest.raises(ValueError, match="mode must be one of"):
        Cfg(mode="c")
    with pytest.raises(ValueError, match="range"):
        setting(1.0, help="Upside down.", section="Shape", range=(2, 1))
