"""The choice between a candidate and its reading without an underline or without strays
(pipeline.alternatives)."""
from __future__ import annotations

import numpy as np
import pytest

from digit_app.pipeline import PipelineConfig
from digit_app.pipeline.alternatives import choose
from digit_app.pipeline.detect import CandidateCrop
from digit_app.pipeline.strays import without_strays
from digit_app.pipeline.underline import without_underline

CFG = PipelineConfig()


@pytest.mark.parametrize("without, piece", [
    (without_underline, [80, 160, 100, 10]),  # a line under the digit, past both its sides
    (without_strays, [90, 10, 80, 20]),       # a word over it
])
def test_a_candidate_without_its_alternative_s_pieces_keeps_its_other_pieces(without, piece):
    labels = np.zeros((200, 200), np.int32)
    labels[50:150, 100:160] = 1
    x, y, w, h = piece
    labels[y:y + h, x:x + w] = 2
    boxes = np.array([[100, 50, 60, 100], piece])
    top, bottom = min(y, 50), max(y + h, 150)
    cand = CandidateCrop((80, top, 100, bottom - top), ((labels[top:bottom, 80:180] > 0) * 255).astype(np.uint8))
    alt = without(cand, labels, [1, 2], boxes, CFG)
    assert alt is not None and alt.box == (100, 50, 60, 100)
    assert alt.mask.shape == (100, 60) and (alt.mask == 255).all()
    assert alt.without_underline is None and alt.without_strays is None
    assert without(cand, labels, [1, 2], boxes[:1].repeat(2, axis=0), CFG) is None  # nothing to drop


def _probs(sure: float, label: int) -> np.ndarray:
    row = np.full(11, (1 - sure) / 10, np.float32)
    row[label] = sure
    return row


@pytest.mark.parametrize("kind, whole, alternative, takes", [
    ("underline", 0.90, 0.60, False),  # a 1 with its foot: clearly surer with it
    ("underline", 0.96, 0.95, True),   # a 7 underlined reads as a 1 with a foot almost as surely
    ("underline", 0.40, 0.95, True),
    ("strays", 0.52, 0.95, True),      # "Item" over a 0 made it a 6
    ("strays", 0.90, 0.95, False),     # a 5 with its hat: hardly less sure of a digit with it
    ("strays", 0.60, 0.75, False),     # not clearly surer without
])
def test_an_underline_goes_unless_clearly_surer_with_it_and_strays_only_when_clearly_surer_without(
        kind, whole, alternative, takes):
    mask = np.full((20, 10), 255, np.uint8)
    alt = CandidateCrop((0, 0, 10, 10), mask[:10])
    cand = CandidateCrop((0, 0, 10, 20), mask, **{f"without_{kind}": alt})
    plain = CandidateCrop((30, 0, 10, 20), mask)
    calls = []

    def predict(x: np.ndarray) -> np.ndarray:
        calls.append(len(x))
        return np.stack([_probs(whole, 1), _probs(alternative, 7)])

    chosen = choose([[plain, cand], []], predict, CFG)
    assert chosen[0][0] is plain and chosen[1] == []
    assert chosen[0][1] is (alt if takes else cand)
    assert calls == [2]  # whole and alternative in one call
    assert choose([[plain]], predict, CFG) == [[plain]] and calls == [2]  # no call without one
