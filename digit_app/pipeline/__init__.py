"""Pure numpy/OpenCV recognition pipeline (no Qt, no TensorFlow).

``find_candidates(image, cfg)`` gives digit crops in reading order, ``normalize_batch`` turns
their masks into model input, ``group_numbers(boxes, cfg)`` joins accepted digits into numbers,
``printed_kinds(boxes, rejected, cfg)`` tells printed text from handwriting, ``find_sheet(image,
cfg)`` the sheet of paper a camera frame is read on.
"""
from __future__ import annotations

from digit_app.pipeline.binarize import binarize, find_sheet
from digit_app.pipeline.config import PipelineConfig
from digit_app.pipeline.detect import CandidateCrop, find_candidates, find_candidates_and_writing
from digit_app.pipeline.grouping import group_numbers, reading_order
from digit_app.pipeline.normalize import NormalizeConfig, normalize_batch, normalize_digit
from digit_app.pipeline.printed import printed_kinds

__all__ = [
    "CandidateCrop",
    "NormalizeConfig",
    "PipelineConfig",
    "binarize",
    "find_candidates",
    "find_candidates_and_writing",
    "find_sheet",
    "group_numbers",
    "normalize_batch",
    "normalize_digit",
    "printed_kinds",
    "reading_order",
]
