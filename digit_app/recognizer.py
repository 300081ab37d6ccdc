"""The public API: ``Recognizer`` turns an image into a ``Recognition`` (pipeline + model).

    rec = Recognizer.load()          # the shipped model; Recognizer.load(path) for another
    r = rec.recognize(image)         # numpy uint8, HxW or HxWx3 BGR
    r.digits, r.numbers

All crops of an image go through the model in one batched call; candidates the model is
unsure of get a segmentation graph (``digit_app.pipeline.segment``), scored in one more.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Sequence

import numpy as np

from digit_app.model.classifier import Classifier
from digit_app.pipeline import PipelineConfig, find_candidates_and_writing, group_numbers
from digit_app.pipeline.printed import HANDWRITING, PRINTED_DIGIT, printed_kinds
from digit_app.pipeline.segment import Reading, read_candidates
from digit_app.types import NOT_A_DIGIT, NUM_CLASSES, Box, Candidate, Digit, Number, Recognition

TOP_K = 3


class Recognizer:
    """Pipeline settings plus a loaded model. Not thread-safe: one per thread."""

    def __init__(self, classifier: Classifier, config: PipelineConfig | None = None):
        self.classifier = classifier
        # Normalization travels with the weights: the model's metadata decides it.
        base = config or PipelineConfig()
        self.config = replace(base, normalize=classifier.info.normalize_config())

    @classmethod
    def load(cls, path: str | Path | None = None, config: PipelineConfig | None = None) -> "Recognizer":
        """Load a model (default: the shipped one). Raises ModelError with the path on failure."""
        return cls(Classifier.load(path), config)

    @property
    def model_name(self) -> str:
        return self.classifier.name

    def recognize(self, image: np.ndarray, config: PipelineConfig | None = None) -> Recognition:
        """Digits and numbers in one image (``HxW`` or ``HxWx3`` BGR ``uint8``)."""
        return self.recognize_many([image], config)[0]

    def recognize_many(
        self, images: Sequence[np.ndarray], config: PipelineConfig | None = None
    ) -> list[Recognition]:
        """Several images with a single model call for all their crops (batch jobs), and
        one more for the graphs of the candidates the model was unsure of, if any."""
        cfg = self._effective(config)
        both = [find_candidates_and_writing(image, cfg) for image in images]
        reads = read_candidates([cands for cands, _ in both], self.classifier.predict, cfg)
        return [self._assemble(image, r, writing, cfg)
                for image, (_, writing), r in zip(images, both, reads)]

    def _effective(self, config: PipelineConfig | None) -> PipelineConfig:
        if config is None:
            return self.config
        return replace(config, normalize=self.config.normalize)

    @staticmethod
    def _assemble(image: np.ndarray, reads: list[Reading], writing: np.ndarray,
                  cfg: PipelineConfig) -> Recognition:
        """``writing``: boxes (n x 4) of the other writing of the image (letters too wide or
        too small to be candidates), for telling printed text from handwriting."""
        h, w = image.shape[:2]
        probs = np.array([r.probs for r in reads], np.float32).reshape(-1, NUM_CLASSES)
        labels = np.argmax(probs, axis=1) if len(probs) else np.zeros(0, int)
        conf = probs[np.arange(len(probs)), labels] if len(probs) else np.zeros(0)
        ok = (labels != NOT_A_DIGIT) & (conf >= cfg.min_confidence)
        # Printed text is told among the readings and the other writing (as good as rejected
        # by the model).
        boxes = np.concatenate([np.array([r.box for r in reads], np.int64).reshape(-1, 4), writing])
        rejected = np.concatenate([~ok, np.ones(len(writing), bool)])
        strokes = np.concatenate([[r.stroke for r in reads], np.full(len(writing), np.nan)])
        kinds = printed_kinds(boxes, rejected, cfg, strokes)[:len(reads)]
        printed = kinds != HANDWRITING
        shown = _readings(reads, ok)
        accepted = [i for i in shown if ok[i] and (kinds[i] == HANDWRITING
                                                   or (cfg.read_printed and kinds[i] == PRINTED_DIGIT))]
        # Grouped once: the numbers in reading order give the digits' order too. Printed
        # digits never join handwritten ones in a number (a label's "7" before "1750").
        groups = [part for g in group_numbers([reads[i].box for i in accepted], cfg)
                  for part in _split_printed(g, printed[accepted])]
        order = [accepted[k] for g in groups for k in g]
        digits = tuple(_digit(reads[i].box, probs[i], bool(printed[i])) for i in order)
        index_of = {read_index: d for d, read_index in enumerate(order)}
        starts = np.cumsum([0] + [len(g) for g in groups])
        numbers = tuple(
            Number.of(digits, range(int(a), int(b))) for a, b in zip(starts[:-1], starts[1:])
        )
        candidates = tuple(
            Candidate(
                box=reads[i].box,
                probabilities=tuple(float(p) for p in probs[i]),
                accepted=i in index_of,
                digit_index=index_of.get(i),
                model_input=reads[i].model_input,
                printed=bool(printed[i]),
            )
            for i in shown
        )
        return Recognition(w, h, digits, numbers, candidates)


def _readings(cands: list[Reading], ok: np.ndarray) -> list[int]:
    """Indexes of the readings to report, in their order. Writing smaller than the
    image's digits (candidates sharing a ``neighbourhood``) is a word, not a number, when
    the model does not accept all of it as digits (``ok``): its digit-like letters (o, l,
    S) are dropped with the rest."""
    text = {c.neighbourhood for c, good in zip(cands, ok)
            if c.neighbourhood is not None and not good}
    return [i for i, c in enumerate(cands) if c.neighbourhood not in text]


def _split_printed(group: tuple[int, ...], printed: np.ndarray) -> list[tuple[int, ...]]:
    """``group`` (indexes into ``printed``) cut where it passes from print to handwriting."""
    parts: list[list[int]] = []
    for k in group:
        if parts and printed[parts[-1][-1]] == printed[k]:
            parts[-1].append(k)
        else:
            parts.append([k])
    return [tuple(p) for p in parts]


def _digit(box: Box, probs: np.ndarray, printed: bool = False) -> Digit:
    digit_probs = probs[:NOT_A_DIGIT]
    top = np.argsort(-digit_probs)[:TOP_K]
    label = int(np.argmax(probs))
    return Digit(
        label=label,
        confidence=float(probs[label]),
        box=tuple(int(v) for v in box),  # type: ignore[arg-type]
        top=tuple((int(k), float(digit_probs[k])) for k in top),
        printed=printed,
    )
