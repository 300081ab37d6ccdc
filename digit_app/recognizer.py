"""The public API: ``Recognizer`` turns an image into a ``Recognition`` (pipeline + model).

    rec = Recognizer.load()          # the shipped model; Recognizer.load(path) for another
    r = rec.recognize(image)         # numpy uint8, HxW or HxWx3 BGR
    r.digits, r.numbers

All crops of an image go through the model in one batched call; candidates the model is
unsure of get a segmentation graph (``digit_app.pipeline.segment``), scored in one more.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

import numpy as np

from digit_app.boxes import area, intersection_area, union_box
from digit_app.model.classifier import Classifier
from digit_app.model.helper_model import HelperModel
from digit_app.model.metadata import ModelError
from digit_app.model.pair_reader import DEFAULT_PAIR_MODEL, PairReader
from digit_app.model.print_detector import DEFAULT_PRINT_MODEL, PrintDetector
from digit_app.pipeline import PipelineConfig, find_candidates_and_writing, find_sheet, group_numbers
from digit_app.pipeline.binarize import check_image
from digit_app.pipeline.colour import in_colour, odd_ink
from digit_app.pipeline.components import touches_edge
from digit_app.pipeline.config import DEFAULT_CONFIG
from digit_app.pipeline.grouping import digits_in_context, lone_giants, lone_marks, marks_in_numbers
from digit_app.pipeline.printed import (
    HANDWRITING,
    PRINTED_DIGIT,
    hairlines,
    held_for_handwriting,
    held_for_print,
    not_held_for_handwriting,
    printed_glyphs,
    printed_kinds,
    small_printed_words,
)
from digit_app.pipeline.segment import Reading, read_candidates
from digit_app.pipeline.sides import edge_ones
from digit_app.pipeline.small import Placement, as_crop, crop_box, maybe_crop, place_small, whole_box
from digit_app.types import NOT_A_DIGIT, NUM_CLASSES, Box, Candidate, Digit, Number, Recognition

TOP_K = 3
log = logging.getLogger(__name__)


class Recognizer:
    """Pipeline settings plus a loaded model: images in, digits and numbers out.

    Not thread-safe: one per thread.

    Parameters
    ----------
    classifier : Classifier
        The loaded model (:meth:`Classifier.load`); :meth:`load` makes one.
    config : PipelineConfig, optional
        The pipeline's thresholds (default: ``PipelineConfig()``). Its ``normalize`` part is
        replaced by the model's own (recorded in its metadata): the crops must be normalized
        as the model was trained.
    print_detector : PrintDetector, optional
        Tells printed digits from handwritten ones (:mod:`digit_app.model.print_detector`);
        None reads without it (the word and line rules alone). Ignored when it was trained
        on crops normalized otherwise than the model's.
    pair_reader : PairReader, optional
        Reads two touching or overlapping digits together (:mod:`digit_app.model.pair_reader`)
        where column cuts cannot part them; None cuts only. Ignored, as ``print_detector``,
        when trained on crops normalized otherwise.

    Attributes
    ----------
    classifier : Classifier
    config : PipelineConfig
        The settings in use, with the model's normalization.
    print_detector : PrintDetector or None
    pair_reader : PairReader or None

    Examples
    --------
    A "1" drawn on a white 120 x 80 canvas, read by the shipped model:

    >>> import cv2
    >>> import numpy as np
    >>> canvas = np.full((120, 80), 255, np.uint8)
    >>> _ = cv2.line(canvas, (40, 20), (40, 100), color=0, thickness=6)
    >>> reading = Recognizer.load().recognize(canvas)
    >>> [(d.label, d.box) for d in reading.digits]
    [(1, (37, 17, 7, 87))]
    >>> [n.text for n in reading.numbers]
    ['1']
    """

    def __init__(self, classifier: Classifier, config: PipelineConfig | None = None,
                 print_detector: PrintDetector | None = None, pair_reader: PairReader | None = None):
        self.classifier = classifier
        # Normalization travels with the weights: the model's metadata decides it.
        base = config or PipelineConfig()
        self.config = replace(base, normalize=classifier.info.normalize_config())
        self.print_detector = _matching(print_detector, classifier)
        self.pair_reader = _matching(pair_reader, classifier)

    @classmethod
    def load(cls, path: str | Path | None = None, config: PipelineConfig | None = None,
             print_model: str | Path | None = DEFAULT_PRINT_MODEL,
             pair_model: str | Path | None = DEFAULT_PAIR_MODEL) -> Recognizer:
        """A recognizer reading with the model file ``path``.

        Parameters
        ----------
        path : str or Path, optional
            A ``.keras`` model with its ``.json`` metadata beside it (default: the shipped
            model, ``models/lenet.keras``). Its LiteRT form (``.tflite``) is used when there
            is one and LiteRT runs here, else TensorFlow (``$DIGIT_APP_BACKEND`` decides).
        config : PipelineConfig, optional
            The pipeline's thresholds (default: ``PipelineConfig()``).
        print_model : str or Path, optional
            The print detector (default: the shipped ``models/printed.keras``); None reads
            without one. One that is missing or damaged is left out with a warning on the
            log: the digits are still read.
        pair_model : str or Path, optional
            The pair reader (default: the shipped ``models/pairs.keras``); None, missing or
            damaged (a warning on the log): touching digits are only cut apart.

        Returns
        -------
        Recognizer

        Raises
        ------
        ModelError
            When the file is missing, damaged or not a digit model; the message names it.

        Examples
        --------
        >>> rec = Recognizer.load()
        >>> rec.model_name
        'lenet.keras'
        >>> Recognizer.load("no/such/model.keras")
        Traceback (most recent call last):
            ...
        digit_app.model.metadata.ModelError: no/such/model.keras: model file not found
        """
        return cls(Classifier.load(path), config, _optional(PrintDetector, print_model, "the print detector"),
                   _optional(PairReader, pair_model, "the pair reader"))

    @property
    def model_name(self) -> str:
        """The model file's name (``lenet.keras`` for the shipped model)."""
        return self.classifier.name

    def recognize(self, image: np.ndarray, config: PipelineConfig | None = None) -> Recognition:
        """Digits and numbers in one image.

        Parameters
        ----------
        image : numpy.ndarray
            ``H x W`` grey, ``H x W x 3`` BGR or ``H x W x 4`` BGRA, ``uint8`` (or bool);
            dark ink on light paper or the reverse.
        config : PipelineConfig, optional
            Settings for this image instead of ``self.config`` (the model's normalization
            is kept).

        Returns
        -------
        Recognition
            ``digits`` in reading order, ``numbers`` made of them, and every ``candidate``
            the model looked at; boxes are ``(x, y, w, h)`` in the image's pixels. A blank
            or zero-size image gives no digits.

        Raises
        ------
        ValueError
            For an array that is not such an image (wrong dtype, dimensions or channels).

        Examples
        --------
        >>> import cv2
        >>> import numpy as np
        >>> rec = Recognizer.load()
        >>> canvas = np.full((120, 200), 255, np.uint8)
        >>> _ = cv2.line(canvas, (40, 20), (40, 100), 0, 6)  # a 1
        >>> _ = cv2.polylines(canvas, [np.array([(110, 20), (160, 20), (125, 100)])], False, 0, 6)
        >>> reading = rec.recognize(canvas)  # a 7 beside it
        >>> [d.label for d in reading.digits], [n.text for n in reading.numbers]
        ([1, 7], ['17'])
        >>> reading.numbers[0].confidence > 0.5
        True
        >>> rec.recognize(np.full((50, 50), 255, np.uint8)).digits
        ()
        >>> rec.recognize(np.zeros((50, 50), np.float32))
        Traceback (most recent call last):
            ...
        ValueError: expected a uint8 (or bool) image, got dtype float32
        """
        return self.recognize_many([image], config)[0]

    def recognize_many(
        self, images: Sequence[np.ndarray], config: PipelineConfig | None = None
    ) -> list[Recognition]:
        """Several images, as :meth:`recognize` reads each, with one model call for all
        their crops and one more for the segmentation graphs of the candidates the model was
        unsure of, if any (faster than one call per image in batch jobs). Larger images of
        writing cropped to their ink on every edge, or with strokes too fat for a frame however
        cropped, are read both as they are and as crops, in the same batch
        (``tight_crop_max_side``, ``fat_crop_stroke_rel``); the other larger crops in which
        nothing was read are read once more together (``crop_retry_max_side``).

        Parameters
        ----------
        images : sequence of numpy.ndarray
            Images as :meth:`recognize` takes them; they may differ in size.
        config : PipelineConfig, optional
            As in :meth:`recognize`, for all of them.

        Returns
        -------
        list of Recognition
            One per image, in order.

        Raises
        ------
        ValueError
            For an array that is not an image.

        Examples
        --------
        >>> import cv2
        >>> import numpy as np
        >>> one = np.full((120, 80), 255, np.uint8)
        >>> _ = cv2.line(one, (40, 20), (40, 100), 0, 6)
        >>> readings = Recognizer.load().recognize_many([one, np.full((40, 40), 255, np.uint8)])
        >>> [[d.label for d in r.digits] for r in readings]
        [[1], []]
        """
        cfg = self._effective(config)
        # A small image (a data set's sample, a tight crop) is read on a square of its own
        # paper, enlarged if tiny (pipeline.small); its boxes are mapped back.
        checked = [check_image(image) for image in images]
        placed = [place_small(image, cfg) for image in checked]
        # A larger image of writing cropped to its ink on every edge, or with strokes too fat
        # for a frame however cropped (of either polarity, of any size up to the setting), is
        # read as a crop too, and that reading taken if its digits span the writing.
        found = [(k, box) for k, (image, (_, where)) in enumerate(zip(checked, placed))
                 if where is None and (box := crop_box(image, cfg)) is not None]
        crops = [k for k, _ in found]
        recs = self._read(placed + [place_small(checked[k], cfg, always=True) for k in crops], cfg)
        recs, as_crops = recs[:len(checked)], recs[len(checked):]
        crop_like = [j for j, k in enumerate(crops) if not _read_on_a_sheet(recs[k], checked[k], cfg)]
        _take_spanning(recs, [crops[j] for j in crop_like], [as_crops[j] for j in crop_like],
                       [found[j][1] for j in crop_like], cfg.crop_retry_min_span)
        read_as_crops = set(crops)
        # A larger tight crop, read as a frame, can lose its digit to the sheet finder and the
        # frame's edge rules: where nothing was read, it is read once more as a small image,
        # and taken if its digits span the crop (a frame's desk read so gives stray 1s).
        again = [k for k, (image, (_, where)) in enumerate(zip(checked, placed))
                 if where is None and not recs[k].digits and k not in read_as_crops
                 and maybe_crop(image, cfg)]
        if again:
            retried = self._read([place_small(checked[k], cfg, always=True) for k in again], cfg)
            _take_spanning(recs, again, retried, [whole_box(checked[k]) for k in again],
                           cfg.crop_retry_min_span)
        return recs

    def _read(self, placed: list[tuple[np.ndarray, Placement | None]], cfg: PipelineConfig
              ) -> list[Recognition]:
        """:meth:`recognize_many` of images as :func:`place_small` placed them."""
        images = [image for image, _ in placed]
        both = [find_candidates_and_writing(image, cfg if where is None else as_crop(image, cfg))
                for image, where in placed]
        pairs = self.pair_reader.predict if self.pair_reader is not None else None
        printer = self.print_detector.predict if self.print_detector is not None else None
        reads = read_candidates([cands for cands, _ in both], self.classifier.predict, cfg, pairs,
                                printer)
        prints = self._print_probs(reads, cfg)
        return [_placed_back(self._assemble(image, r, writing, cfg, p), where)
                for image, (_, writing), r, p, (_, where) in zip(images, both, reads, prints, placed)]

    def _print_probs(self, reads: list[list[Reading]], cfg: PipelineConfig) -> list[np.ndarray]:
        """Per image, the print probability of each reading the model accepts as a digit, and
        of each candidate it rejects whole (NaN for the others, and all NaN without a
        detector), in one detector call at most: the candidates read whole that the detector
        was asked about between the model's rounds keep that answer. A would-be printed word
        whose members the detector all holds for handwriting is a handwritten number with a
        digit the model could not read; the rejected pieces of a cut (a printed P's bowl) are
        no glyphs it knows."""
        out = [np.full(len(r), np.nan) for r in reads]
        if self.print_detector is None or cfg.print_glyph_threshold > 1:
            return out
        where = [(k, int(i)) for k, r in enumerate(reads)
                 for i in np.flatnonzero(_accepted(_probs(r), cfg) | ~np.array([x.piece for x in r], bool))]
        ask = []
        for k, i in where:
            if np.isnan(reads[k][i].print_prob):
                ask.append((k, i))
            else:  # asked between the model's rounds already
                out[k][i] = reads[k][i].print_prob
        if ask:
            probs = self.print_detector.predict(np.stack([reads[k][i].model_input for k, i in ask]))
            for (k, i), p in zip(ask, probs):
                out[k][i] = p
        return out

    def _effective(self, config: PipelineConfig | None) -> PipelineConfig:
        if config is None:
            return self.config
        return replace(config, normalize=self.config.normalize)

    @staticmethod
    def _assemble(image: np.ndarray, reads: list[Reading], writing: np.ndarray,
                  cfg: PipelineConfig, print_probs: np.ndarray | None = None) -> Recognition:
        """``writing``: boxes (n x 4) of the other writing of the image (letters too wide or
        too small to be candidates), for telling printed text from handwriting;
        ``print_probs``: the print detector's probability per reading (NaN: not looked at)."""
        h, w = image.shape[:2]
        probs = _probs(reads)
        ok = _accepted(probs, cfg)
        # Printed text is told among the readings and the other writing (as good as rejected
        # by the model).
        boxes = np.concatenate([np.array([r.box for r in reads], np.int64).reshape(-1, 4), writing])
        forced = np.array([r.forced for r in reads], bool)
        # Below the letters' floor, a reading is a letter's evidence all the same (for printed
        # words here, and for small writing below), even where it is accepted as a digit.
        sure = probs.max(axis=1)
        doubtful = sure < cfg.print_doubt_below
        rejected = np.concatenate([~ok | doubtful | forced | _unsure_print(probs, print_probs, cfg),
                                   np.ones(len(writing), bool)])
        strokes = np.concatenate([[r.stroke for r in reads], np.full(len(writing), np.nan)])
        cut = np.concatenate([[r.cut_from_rejected for r in reads], np.zeros(len(writing), bool)])
        pieces = np.array([r.piece for r in reads], bool)
        apart = np.array([not r.uncut for r in reads], bool)
        from_hand = np.array([r.cut_from_handwriting for r in reads], bool)
        kinds = printed_kinds(boxes, rejected, cfg, strokes, print_probs, cut, pieces, apart, from_hand)
        ones = ~_not_ones(probs)
        if print_probs is not None:
            # A printed digit is one the model reads as a digit.
            kinds = printed_glyphs(kinds, boxes, rejected, np.where(ok, print_probs, np.nan), cfg,
                                   strokes, ones)
        kinds = kinds[:len(reads)]
        printed = kinds != HANDWRITING
        shown = _readings(reads, ok & ~doubtful, print_probs, cfg, probs)
        # Hairlines, and doubtful digits cut by the image's edge, are never read.
        unread = (hairlines([r.stroke for r in reads], ok, cfg)
                  | _partly_in_view(boxes[:len(reads)], (h, w), probs, cfg))
        accepted = [i for i in shown if ok[i] and not unread[i] and (kinds[i] == HANDWRITING
                                                     or (cfg.read_printed and kinds[i] == PRINTED_DIGIT))]
        rescued = [i for i in _in_context(reads, probs, ok, kinds, print_probs, shown, accepted, cfg)
                   if not unread[i]]
        accepted = sorted(accepted + rescued)
        # Grouped once (again only when a mark was dropped): the numbers in reading order
        # give the digits' order too. Printed digits never join handwritten ones in a number
        # (a label's "7" before "1750").
        boxes_read = [reads[i].box for i in accepted]
        grouped = group_numbers(boxes_read, cfg)
        marks = (marks_in_numbers(boxes_read, cfg, grouped)
                 | lone_marks(boxes_read, [reads[i].stroke for i in accepted], cfg, grouped)
                 | edge_ones(image, boxes_read, ones[accepted], grouped, cfg))
        if print_probs is not None:
            marks |= small_printed_words(np.array([b[3] for b in boxes_read]), print_probs[accepted],
                                         sure[accepted], grouped, cfg) & ~printed[accepted]
        # Colour tells things in view and other inks from the writing. A canvas and a grey scan
        # have none (a canvas may hold a big digit beside small ones); printed digits asked for
        # (``read_printed``) are in another ink by nature.
        if len(boxes_read) > 1 and in_colour(image, cfg):
            odd = lone_giants(boxes_read, cfg, grouped) | odd_ink(image, boxes_read, grouped, cfg)
            marks |= odd & ~printed[accepted]
        if marks.any():
            accepted = [i for i, mark in zip(accepted, marks) if not mark]
            grouped = group_numbers([reads[i].box for i in accepted], cfg)
        groups = [part for g in grouped for part in _split_printed(g, printed[accepted])]
        order = [accepted[k] for g in groups for k in g]
        digits = tuple(_digit(reads[i].box, probs[i], bool(printed[i])) for i in order)
        index_of = {read_index: d for d, read_index in enumerate(order)}
        starts = np.cumsum([0] + [len(g) for g in groups])
        numbers = tuple(
            Number.of(digits, range(int(a), int(b))) for a, b in pairwise(starts)
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


def _probs(reads: list[Reading]) -> np.ndarray:
    """The readings' probabilities, ``N x 11 float32``."""
    return np.array([r.probs for r in reads], np.float32).reshape(-1, NUM_CLASSES)


def _placed_back(rec: Recognition, where: Placement | None) -> Recognition:
    """A reading of a small image's enlarged copy (:func:`place_small`) in the image's own
    pixels."""
    if where is None:
        return rec
    back = where.box_back
    rows, cols = where.shape
    return Recognition(cols, rows,
                       tuple(replace(d, box=back(d.box)) for d in rec.digits),
                       tuple(replace(n, box=back(n.box)) for n in rec.numbers),
                       tuple(replace(c, box=back(c.box)) for c in rec.candidates))


def _read_on_a_sheet(rec: Recognition, image: np.ndarray, cfg: PipelineConfig) -> bool:
    """Whether ``rec``, the reading of ``image`` (in colour) as a frame, holds digits, all
    shorter than ``crop_frame_digit_max_rel`` of the image (a crop's writing spans it), and a
    sheet of paper stands out in ``image`` (:func:`find_sheet`; a frame's digits are read on
    its sheet): a camera frame whose desk's clutter runs onto every edge, or a dark disk on
    the desk, not a crop of writing. Read as a crop, its desk's halves and the sheet are
    giant digits."""
    return (bool(rec.digits) and in_colour(image, cfg)
            and max(d.box[3] for d in rec.digits) < cfg.crop_frame_digit_max_rel * image.shape[0]
            and find_sheet(image, cfg) is not None)


def _take_spanning(recs: list[Recognition], which: Sequence[int], as_crops: Sequence[Recognition],
                   writing: Sequence[Box], share: float) -> None:
    """``recs[k]`` replaced by ``as_crops[j]``, the reading of image ``k = which[j]`` as a
    crop, where that reading's digits span ``writing[j]``, the box of its writing
    (:func:`_spans`)."""
    for k, rec, box in zip(which, as_crops, writing):
        if _spans(rec, box, share):
            recs[k] = rec


def _spans(rec: Recognition, box: Box, share: float) -> bool:
    """Whether ``rec`` has digits inside ``box`` (half of each digit's box or more) whose
    union box is at least ``share`` of ``box``'s width and of its height. Digits outside it
    do not count: a frame read as a crop of a dark disk on its desk reads the desk's lines
    round the disk, and the sheet beside it, as writing."""
    inside = [d.box for d in rec.digits if 2 * intersection_area(d.box, box) >= area(d.box)]
    if not inside:
        return False
    _, _, w, h = union_box(inside)
    return w >= share * box[2] and h >= share * box[3]


def _accepted(probs: np.ndarray, cfg: PipelineConfig) -> np.ndarray:
    """Per row of ``probs`` (N x 11), whether the model reads it as a digit, sure enough
    (bool N)."""
    labels = np.argmax(probs, axis=1)
    conf = probs[np.arange(len(probs)), labels]
    accepted: np.ndarray = (labels != NOT_A_DIGIT) & (conf >= cfg.min_confidence)
    return accepted


def _unsure_print(probs: np.ndarray, print_probs: np.ndarray | None,
                  cfg: PipelineConfig) -> np.ndarray:
    """Per reading (bool N): the model's best class has less than ``print_unsure_letter_max``
    (an unsure digit; a rejected reading is rejected anyway) and the print detector holds it for print
    (``print_glyph_threshold``): as good as a rejected letter when printed words are told."""
    if print_probs is None:
        return np.zeros(len(probs), bool)
    unsure: np.ndarray = ((probs.max(axis=1) < cfg.print_unsure_letter_max)
                          & held_for_print(np.asarray(print_probs), cfg))
    return unsure


Helper = TypeVar("Helper", bound=HelperModel)


def _in_context(reads: list[Reading], probs: np.ndarray, ok: np.ndarray, kinds: np.ndarray,
                print_probs: np.ndarray | None, shown: list[int], accepted: list[int],
                cfg: PipelineConfig) -> list[int]:
    """Indexes of the ``shown`` readings that the model rejected (``ok``: bool per reading)
    but that are read as digits in their number's context (:func:`digits_in_context`): the
    model called them "not a digit" with at most ``context_reject_max`` and their best digit
    has at least ``context_digit_min``; handwriting (``kinds``), read whole or from a cut of
    ink it did not reject whole, and not held for print by the detector (``print_probs``)."""
    if cfg.context_reject_max <= 0 or not accepted:
        return []
    pp = np.full(len(reads), np.nan) if print_probs is None else print_probs
    printish = not_held_for_handwriting(pp, cfg)
    maybe = np.zeros(len(reads), bool)
    for i in shown:
        r = reads[i]
        maybe[i] = (not ok[i] and kinds[i] == HANDWRITING and not r.forced and not r.cut_from_rejected
                    and not printish[i]
                    and probs[i, NOT_A_DIGIT] <= cfg.context_reject_max
                    and probs[i, :NOT_A_DIGIT].max() >= cfg.context_digit_min)
    if not maybe.any():
        return []
    read = np.zeros(len(reads), bool)
    read[accepted] = True
    boxes = np.array([r.box for r in reads], np.int64).reshape(-1, 4)
    return [int(i) for i in np.flatnonzero(digits_in_context(boxes, read, maybe, cfg, _not_ones(probs)))]


def _partly_in_view(boxes: np.ndarray, shape: tuple[int, int], probs: np.ndarray,
                    cfg: PipelineConfig) -> np.ndarray:
    """Per reading (bool N; ``boxes`` N x 4, ``probs`` N x 11): it touches the edge of an image
    (``shape``: rows, cols) at least twice its size, and the model is less sure of it than
    ``edge_min_confidence``. Cut by the edge of a camera frame, it is only partly in view (a
    tight crop of one digit, which touches its edges all round, is not)."""
    if cfg.edge_min_confidence <= 0 or not len(boxes):
        return np.zeros(len(boxes), bool)
    small = (2 * boxes[:, 2] <= shape[1]) & (2 * boxes[:, 3] <= shape[0])
    cut: np.ndarray = touches_edge(boxes, shape) & small & (probs.max(axis=1) < cfg.edge_min_confidence)
    return cut


def _not_ones(probs: np.ndarray) -> np.ndarray:
    """Per row of ``probs`` (N x 11), whether its best digit is not a 1 (bool N): a 1 alone
    vouches for no handwriting, as the l, I or i of a word read as 1."""
    ones: np.ndarray = np.argmax(probs[:, :NOT_A_DIGIT], axis=1) != 1
    return ones


def _matching(helper: Helper | None, classifier: Classifier) -> Helper | None:
    """``helper`` (the print detector or the pair reader), or None when it was trained on
    crops normalized otherwise than ``classifier``'s (said on the log)."""
    if helper is not None and not helper.expects(classifier.info.normalization):
        log.info("%s: trained on crops normalized otherwise than %s's; reading without it",
                 helper.path, classifier.name)
        return None
    return helper


def _optional(kind, path: str | Path | None, what: str):
    """The helper model ``kind`` (``PrintDetector`` or ``PairReader``) at ``path``; None (with
    a warning on the log naming ``what``) when it cannot be loaded: the digits are read
    without it."""
    if path is None:
        return None
    try:
        return kind.load(path)
    except ModelError as exc:
        log.warning("digit-app: warning: %s; reading without %s", exc, what)
        return None


def _readings(cands: list[Reading], ok: np.ndarray, print_probs: np.ndarray | None = None,
              cfg: PipelineConfig = DEFAULT_CONFIG, probs: np.ndarray | None = None) -> list[int]:
    """Indexes of the readings to report, in their order. Writing smaller than the
    image's digits (candidates sharing a ``neighbourhood``) is a word, not a number, when
    the model does not accept all of it as digits (``ok``): its digit-like letters (o, l,
    S) are dropped with the rest; but not a run of two or more digits side by side in it
    that the print detector all holds for handwriting (``print_probs``, one per reading,
    NaN where it did not look; below ``print_word_hand_max``): a small handwritten number
    written just after a printed label ("Goods 29874") shares the label's neighbourhood.
    ``probs``: the readings' probabilities (N x 11), if already at hand."""
    text = {c.neighbourhood for c, good in zip(cands, ok)
            if c.neighbourhood is not None and not good}
    kept = (set() if print_probs is None
            else _handwritten_runs(cands, ok, print_probs, text, cfg,
                                   _probs(cands) if probs is None else probs))
    return [i for i, c in enumerate(cands) if c.neighbourhood not in text or i in kept]


def _handwritten_runs(cands: list[Reading], ok: np.ndarray, print_probs: np.ndarray,
                      text: set[int], cfg: PipelineConfig, probs: np.ndarray) -> set[int]:
    """Readings of the ``text`` neighbourhoods in runs of at least two neighbours (left to
    right within their neighbourhood) that the model reads as digits (``ok``), not all of
    them 1s (:func:`_not_ones`), and the print detector holds for handwriting
    (``print_probs``; see :func:`_readings`); ``probs``: theirs (N x 11)."""
    hand = ok & held_for_handwriting(print_probs, cfg)
    not_one = _not_ones(probs)
    hoods: dict[int, list[int]] = {nb: [] for nb in text}
    for i, c in enumerate(cands):
        if c.neighbourhood in hoods:
            hoods[c.neighbourhood].append(i)
    kept: set[int] = set()
    for found in hoods.values():
        members = sorted(found, key=lambda i: cands[i].box[0])
        run: list[int] = []
        for i in [*members, -1]:
            if i >= 0 and hand[i]:
                run.append(i)
                continue
            if len(run) >= 2 and not_one[run].any():
                kept.update(run)
            run = []
    return kept


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
    label = int(np.argmax(digit_probs))  # a digit read in its number's context: its best digit
    return Digit(
        label=label,
        confidence=float(probs[label]),
        box=tuple(int(v) for v in box),  # type: ignore[arg-type]
        top=tuple((int(k), float(digit_probs[k])) for k in top),
        printed=printed,
    )
