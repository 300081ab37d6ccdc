"""Pure numpy/OpenCV recognition pipeline (no Qt, no TensorFlow).

``find_candidates(image, cfg)`` gives digit crops in reading order, ``normalize_batch`` turns
their masks into model input, ``group_numbers(boxes, cfg)`` joins accepted digits into numbers.
"""
from __future__ import annotations

from digit_app.pipeline.binarize import binarize
from digit_app.pipeline.config import PipelineConfig
from digit_app.pipeline.detect import CandidateCrop, find_candidates
from digit_app.pipeline.grouping import group_numbers, reading_order
from digit_app.pipeline.normalize import NormalizeConfig, normalize_batch, normalize_digit

__all__ = [
    "CandidateCrop",
    "NormalizeConfig",
    "PipelineConfig",
    "binarize",
    "find_candidates",
    "group_numbers",
    "normalize_batch",
    "normalize_digit",
    "reading_order",
]
