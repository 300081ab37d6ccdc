"""How well the product reads real people's digits it never trained on: ``digit-app evaluate --real``.

The held-out parts of the shared real sets (``digit_app.data.real``: whole UNIPEN sites, the
last fifth of each BHMSDS and kensanata16 class) are shown to a ``Recognizer`` as a user would
bring them, one digit per image:

- ``unipen-pen``: the pen strokes drawn on a white canvas, 120 px tall with an 8 px pen;
- ``unipen-mouse``: the same strokes 320 px tall with a 2 px line (a thin mouse stroke);
- ``bhmsds``: the photographed digit, enlarged 4x, on its own paper;
- ``kensanata16``: the scanned Swiss digit, enlarged 6x, on its own paper;
- ``bhmsds-file``, ``kensanata16-file``: the same digits as their data set's files hold them
  (28 x 28 and 16 x 16 grey, the ink up to the edge), as a user opens such a file.

A sample is read right when the reading is exactly its digit; "no digit" when nothing is
reported (nothing found, or found and rejected as not a digit or unsure); wrong otherwise
(another digit, or several). Images are ``H x W x 3 uint8`` BGR.

Where a person audited a set's held-out labels (:mod:`digit_app.data.label_audit`), each of its
sources also reports what it reads right among the digits whose label the person confirms, and
among the unambiguous ones: the raw figure counts a digit that is plainly a 6 but labelled 0 as
a miss when read 6.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from digit_app.data import label_audit, real
from digit_app.data.label_audit import AMBIGUOUS, OTHER, Disputed
from digit_app.data.pen import render_strokes
from digit_app.model.progress import progress_bar
from digit_app.types import NOT_A_DIGIT

#: Targets of the product's specification: share read right, per source family.
TARGETS = {"unipen-pen": 0.985, "unipen-mouse": 0.985, "bhmsds": 0.99, "kensanata16": 0.97,
           "bhmsds-file": 0.99, "kensanata16-file": 0.97}
MAX_NO_DIGIT_RATE = 0.01
PEN_STYLES = {"unipen-pen": (120, 8), "unipen-mouse": (320, 2)}  # digit height, pen width (px)
CANVAS_MARGIN = 0.4  # white space around a drawn digit, of its height
PHOTO_SCALE = {"bhmsds": 4, "kensanata16": 6}
PHOTO_MARGIN = 0.3  # paper around a photographed digit, of its side
BATCH = 64  # images read with one model call


@dataclass
class SourceReport:
    source: str
    samples: int = 0
    right: int = 0
    no_digit: int = 0  # nothing reported at all
    rejected: int = 0  # of those: a candidate was there, judged not a digit
    unsure: int = 0  # of those: a candidate was there, below min_confidence
    seconds: float = 0.0
    confusions: Counter = field(default_factory=Counter)  # (truth, reading) -> count
    audited: bool = False  # the set's labels were audited (label_audit): disputed are counted
    disputed: Counter = field(default_factory=Counter)  # kind -> samples
    disputed_right: Counter = field(default_factory=Counter)  # kind -> of those, read as labelled

    def add(self, label: int, rec, dispute: Disputed | None = None) -> None:
        self.samples += 1
        if dispute is not None:
            self.disputed[dispute.kind] += 1
        text = "".join(str(d.label) for d in rec.digits)
        if text == str(label):
            self.right += 1
            if dispute is not None:
                self.disputed_right[dispute.kind] += 1
            return
        if not rec.digits:
            self.no_digit += 1
            if any(int(np.argmax(c.probabilities)) == NOT_A_DIGIT for c in rec.candidates):
                self.rejected += 1
            elif rec.candidates:
                self.unsure += 1
            text = "-"
        self.confusions[(str(label), text)] += 1

    def to_dict(self) -> dict:
        n = max(self.samples, 1)
        return {
            "source": self.source,
            "samples": self.samples,
            "accuracy": round(self.right / n, 4),
            "no_digit_rate": round(self.no_digit / n, 4),
            "rejected_as_not_digit": self.rejected,
            "unsure": self.unsure,
            "wrong_rate": round((self.samples - self.right - self.no_digit) / n, 4),
            "target_accuracy": TARGETS.get(self.source),
            "ms_per_image": round(self.seconds * 1e3 / n, 2),
            "top_confusions": [
                {"truth": t, "read": r, "count": c} for (t, r), c in self.confusions.most_common(10)
            ],
            "labels_audited": self._audited() if self.audited else None,
        }

    def _audited(self) -> dict:
        """Read right among the samples whose label a person confirms (all but the
        ``other`` ones), and among the unambiguous ones (all but ``other`` and ``ambiguous``)."""
        out: dict = {}
        samples, right = self.samples, self.right
        for kind, name in ((OTHER, "confirmed"), (AMBIGUOUS, "unambiguous")):
            samples -= self.disputed[kind]
            right -= self.disputed_right[kind]
            out[f"disputed_{kind}"] = self.disputed[kind]
            out[f"accuracy_{name}"] = round(right / max(samples, 1), 4)
        return out


def canvas_image(strokes: list[np.ndarray], height: int, pen: int) -> np.ndarray:
    """Strokes drawn dark on a white canvas, ``height`` px tall: ``H x W x 3 uint8``."""
    ink = render_strokes(strokes, height, pen)
    m = int(CANVAS_MARGIN * height)
    page = 255 - cv2.copyMakeBorder(ink, m, m, m, m, cv2.BORDER_CONSTANT, value=0)
    return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)


def photo_image(grey: np.ndarray, scale: int) -> np.ndarray:
    """A small photographed digit (dark on light ``h x w uint8``) enlarged on its own paper."""
    big = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    paper = int(np.percentile(grey, 90))
    m = int(PHOTO_MARGIN * max(big.shape))
    page = cv2.copyMakeBorder(big, m, m, m, m, cv2.BORDER_CONSTANT, value=paper)
    return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)


@dataclass(frozen=True)
class HeldOutPart:
    """One source's held-out samples as :func:`held_out_parts` shows them: ``samples`` yields
    ``(image, label)``, ``indexes`` the index of each in its set's held-out part, and
    ``file_sha256`` is that set's file's checksum (for its label audit)."""

    source: str
    samples: Iterator[tuple[np.ndarray, int]]
    indexes: np.ndarray
    file_sha256: str


def held_out_parts(real_dir=None, limit: int | None = None) -> Iterator[HeldOutPart]:
    """Per source, its held-out samples, at most ``limit`` (spread over the whole held-out
    part)."""
    uni = real.load_unipen(real_dir).part(held_out=True)
    uni_sum = real.sha256(real.find_file("unipen", real_dir))
    idx = spread(len(uni.labels), limit)
    for source, (height, pen) in PEN_STYLES.items():
        yield HeldOutPart(source, ((canvas_image(uni.strokes[i], height, pen), int(uni.labels[i])) for i in idx),
                          idx, uni_sum)
    for name, scale in PHOTO_SCALE.items():
        photos = real.load_photos(name, real_dir).part(held_out=True)
        photo_sum = real.sha256(real.find_file(name, real_dir))
        pick = spread(len(photos.labels), limit)
        yield HeldOutPart(name, ((photo_image(photos.images[i], scale), int(photos.labels[i])) for i in pick),
                          pick, photo_sum)
        yield HeldOutPart(f"{name}-file", ((photos.images[i], int(photos.labels[i])) for i in pick),
                          pick, photo_sum)


def spread(n: int, limit: int | None) -> np.ndarray:
    """Indexes of at most ``limit`` of ``n`` samples, spread evenly over them (all: None)."""
    if limit is None or limit >= n:
        return np.arange(n)
    return np.linspace(0, n - 1, limit).round().astype(int)


def evaluate_real(
    recognizer, real_dir=None, limit: int | None = None,
    progress: Callable[[str], None] | None = None,
    bar: bool | None = False,
) -> list[SourceReport]:
    """Read every held-out sample of every source; one report per source. ``bar``: a progress
    bar per source on standard error (True, False, or None: when that is a terminal)."""
    reports = []
    for part in held_out_parts(real_dir, limit):
        disputed = label_audit.disputes(part.source, part.file_sha256)
        report = SourceReport(part.source, audited=disputed is not None)
        batch: list[tuple[np.ndarray, int, Disputed | None]] = []
        items = progress_bar(part.samples, progress=bar, desc=part.source, unit="digit", leave=False)
        for (image, label), index in zip(items, part.indexes):
            dispute = disputed.get(int(index)) if disputed else None
            if dispute is not None and dispute.label != label:
                raise real.RealDataError(
                    f"{part.source}: the label audit (digit_app/data/label_audit.py) says held-out digit "
                    f"{index} is labelled {dispute.label}, the data file says {label}")
            batch.append((image, label, dispute))
            if len(batch) == BATCH:
                _read(recognizer, batch, report)
                batch = []
        if batch:
            _read(recognizer, batch, report)
        reports.append(report)
        if progress:
            progress(format_report(report))
    return reports


def _read(recognizer, batch: list[tuple[np.ndarray, int, Disputed | None]], report: SourceReport) -> None:
    t0 = time.perf_counter()
    recs = recognizer.recognize_many([image for image, _, _ in batch])
    report.seconds += time.perf_counter() - t0
    for (_, label, dispute), rec in zip(batch, recs):
        report.add(label, rec, dispute)


def summary(reports: list[SourceReport]) -> dict:
    """All sources together, each weighted by its samples (a data set's digit shown in two forms
    counts twice)."""
    n = sum(r.samples for r in reports)
    return {
        "samples": n,
        "accuracy": round(sum(r.right for r in reports) / max(n, 1), 4),
        "no_digit_rate": round(sum(r.no_digit for r in reports) / max(n, 1), 4),
        "target_no_digit_rate": MAX_NO_DIGIT_RATE,
    }


def figures_of(reports: list[SourceReport]) -> dict:
    """What ``evaluate --real`` prints as JSON and records in the model's metadata."""
    return {"sources": [r.to_dict() for r in reports], "all": summary(reports)}


def format_report(report: SourceReport) -> str:
    d = report.to_dict()
    top = ", ".join(f"{c['truth']}->{c['read']} x{c['count']}" for c in d["top_confusions"][:5])
    target = f" (target {d['target_accuracy']:.3f})" if d["target_accuracy"] else ""
    audit = d["labels_audited"]
    if audit:
        target += (f" | labels a person confirms {audit['accuracy_confirmed']:.4f} "
                   f"({audit['disputed_other']} disputed), unambiguous {audit['accuracy_unambiguous']:.4f}")
    return (f"{d['source']:>16}: {d['samples']} digits | read right {d['accuracy']:.4f}{target} | "
            f"no digit {d['no_digit_rate']:.4f} ({d['rejected_as_not_digit']} not a digit, "
            f"{d['unsure']} unsure) | wrong {d['wrong_rate']:.4f} | {d['ms_per_image']:.1f} ms/image"
            + (f" | {top}" if top else ""))
