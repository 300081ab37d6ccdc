"""What a mode does when the user corrects its reading: relabel a digit, box a missed digit, undo.

:class:`CorrectionsController`, an object each :class:`~digit_app.gui.modes.base.ModeWidget`
owns (composition: the mode delegates to it, it asks the mode through a few hooks), keeps the
corrections a mode shows. Applying them to a reading is :mod:`digit_app.session.corrections`' job;
saving and undoing their samples is the :class:`~digit_app.gui.correcting.Corrector`'s.
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu

from digit_app.gui.correcting import Corrector, Entry, label_menu
from digit_app.gui.workers.jobs import BackgroundJobs
from digit_app.samples import SampleError, crop_box, model_input_for_box
from digit_app.session.corrections import (
    MATCH_IOU,
    CorrectedReading,
    Correction,
    apply_corrections,
    label_name,
    target_input,
)
from digit_app.session.geometry import iou
from digit_app.types import Box, Recognition

if TYPE_CHECKING:
    from digit_app.gui.modes.base import ModeWidget

BOX_TOOL_HINT = "Drag a box around the missed digit (Esc cancels)."


@dataclass(frozen=True)
class CorrectionTarget:
    """What a correction is about, captured when the user asked (the picture may move on).

    ``model_input`` is None for a box drawn by hand: it is made from ``image`` in a pool thread
    (binarizing a whole page takes a few tenths of a second)."""

    key: Any
    box: Box
    model_input: np.ndarray | None
    crop: np.ndarray
    read_as: int | None = None
    image: np.ndarray | None = None


class CorrectionsController(QObject):
    """The corrections of one mode, owned by it (``mode.correction_controller``).

    The reading a mode shows is the reader's (``mode.raw_recognition()``) with the user's
    corrections applied (:meth:`current_recognition`); each correction is saved as a sample
    through the :class:`Corrector` given to :meth:`attach_corrector`. The mode provides
    ``channel``, ``config``, ``selected``, the ``status`` and ``actions_changed`` signals,
    ``raw_recognition``, ``publish``, ``refresh_overlay``, ``select_digit``, ``show_message`` and
    the correction hooks of :class:`~digit_app.gui.modes.base.ModeWidget` (``correction_key``,
    ``correction_image``, ``prepare_correction``, ``start_box_tool``, ``corrections_changed``,
    ``correction_saved``).
    """

    def __init__(self, mode: ModeWidget):
        super().__init__(mode)
        self.mode = mode
        self.corrector: Corrector | None = None
        self.correction_menu: QMenu | None = None  # the last label popup (tests trigger its actions)
        self._corrections: dict[Any, list[Correction]] = {}
        self._corrections_version = 0
        self._reading_cache: dict[Any, tuple[Any, int, CorrectedReading | None]] = {}
        self._tokens = itertools.count(1)
        self._waiting: dict[int, tuple[CorrectionTarget, int, bool]] = {}  # token -> target, label, added
        self._jobs = BackgroundJobs(self)  # the model inputs of boxed digits (pure numpy/OpenCV)

    def invalidate(self) -> None:
        """The readings shown must be made again (numbers are regrouped with new settings)."""
        self._corrections_version += 1

    def forget(self) -> None:
        """Forget the corrections shown without telling the mode (it shows a new picture or
        document itself); the samples saved stay saved."""
        self._corrections.clear()
        self._corrections_version += 1

    # -- corrections ----------------------------------------------------------------------
    def attach_corrector(self, corrector: Corrector) -> None:
        self.corrector = corrector
        corrector.undone.connect(self._correction_undone)
        corrector.removed.connect(self._samples_removed)

    def finish_background(self) -> None:
        """Wait for the boxed digits being read (the window is closing)."""
        self._waiting.clear()
        self._jobs.wait()

    def reading(self, key: Any = None) -> CorrectedReading | None:
        """The reading of ``key`` (default: on screen) with the user's corrections applied."""
        key = self.mode.correction_key() if key is None else key
        raw = self.mode.raw_recognition(key)
        cached = self._reading_cache.get(key)
        if cached is not None and cached[0] is raw and cached[1] == self._corrections_version:
            return cached[2]
        shown = apply_corrections(raw, self._corrections.get(key, []), self.mode.config)
        self._reading_cache[key] = (raw, self._corrections_version, shown)
        return shown

    def current_recognition(self) -> Recognition | None:
        shown = self.reading()
        return shown.recognition if shown is not None else None

    def corrected_digits(self) -> dict[int, int | None]:
        """Digit index -> the reader's label (None if it had none) for the digits corrected."""
        shown = self.reading()
        return dict(shown.corrected) if shown is not None else {}

    def corrections(self, key: Any = None) -> list[Correction]:
        return list(self._corrections.get(self.mode.correction_key() if key is None else key, []))

    def clear_corrections(self) -> None:
        """Forget the corrections shown (new picture); the samples saved stay saved."""
        if any(self._corrections.values()):
            self._corrections.clear()
            self._corrections_changed()

    def target(self, kind: str, index: int) -> CorrectionTarget | None:
        """The digit (``kind`` "digit") or "?" crop (``"rejected"``) ``index`` of the reading on
        screen, with its crop and model input; None (and a message) if there is none."""
        rec, image = self.current_recognition(), self.mode.correction_image()
        found = target_input(rec, kind, index) if rec is not None else None
        if found is None or image is None:
            self.mode.status.emit("Nothing to correct there.")
            return None
        box, model_input = found
        read_as = None
        if kind == "digit" and rec is not None:  # the reader's own label, even if corrected since
            read_as = self.corrected_digits().get(index, rec.digits[index].label)
        return self._target(box, model_input, read_as, image)

    def _target(self, box: Box, model_input: np.ndarray | None, read_as: int | None,
                image: np.ndarray | None = None) -> CorrectionTarget | None:
        """``image``: the :meth:`correction_image` already at hand (None: get it now)."""
        if image is None:
            image = self.mode.correction_image()
        if image is None:
            return None
        crop = crop_box(image, box)
        if crop.size == 0:
            self.mode.show_message(f"The box {tuple(box)} lies outside the picture.")
            return None
        return CorrectionTarget(self.mode.correction_key(), box, model_input, crop, read_as,
                                image if model_input is None else None)

    def _pipeline_config(self):
        from digit_app.pipeline.config import PipelineConfig

        return self.mode.config if isinstance(self.mode.config, PipelineConfig) else None

    def correct(self, kind: str, index: int, label: int) -> bool:
        """Say that item ``index`` is ``label`` (0-9, or 10 = not a digit); saves a sample."""
        if not self.mode.prepare_correction():
            return False
        target = self.target(kind, index)
        return target is not None and self.save_correction(target, label)

    def correct_selected(self, label: int) -> bool:
        if self.mode.selected is None:
            self.mode.status.emit("Select a digit first: click its box.")
            return False
        return self.correct("digit", self.mode.selected, label)

    def show_correction_menu(self, kind: str, index: int, global_pos: QPoint | None = None) -> QMenu | None:
        """The label popup for a digit or "?" crop (right-click, or Correct… in the panel)."""
        if kind not in ("digit", "rejected"):
            return self._show_menu(self._background_menu(), global_pos)
        if not self.mode.prepare_correction():
            return None
        target = self.target(kind, index)
        if target is None:
            return None
        if kind == "digit":
            self.mode.select_digit(index)
        menu = label_menu(self.mode, lambda label: self.save_correction(target, label), read_as=target.read_as)
        return self._show_menu(menu, global_pos)

    def _background_menu(self) -> QMenu:
        menu = QMenu(self.mode)
        menu.addAction("Box a Missed Digit…", self.begin_box_missed)
        return menu

    def _show_menu(self, menu: QMenu, global_pos: QPoint | None) -> QMenu:
        if self.correction_menu is not None:
            self.correction_menu.deleteLater()
        self.correction_menu = menu
        menu.popup(global_pos if global_pos is not None else QCursor.pos())
        return menu

    def begin_box_missed(self) -> bool:
        """Start the "box a missed digit" tool."""
        if not self.mode.prepare_correction():
            self.mode.status.emit("There is no picture to box a digit on.")
            return False
        self.mode.start_box_tool()
        self.mode.status.emit(BOX_TOOL_HINT)
        return True

    def box_drawn(self, box: Box, global_pos: QPoint | None = None) -> QMenu | None:
        """A box was dragged with the box tool: ask for its label."""
        menu = label_menu(self.mode, lambda label: self.add_missed(box, label), title="The boxed digit is…")
        return self._show_menu(menu, global_pos)

    def add_missed(self, box: Box, label: int) -> bool:
        """A digit the reader missed, boxed by hand (image pixels), is ``label``. Its model input
        is made in the background; the sample is saved when it is ready (see :meth:`is_busy`)."""
        target = self._target(tuple(int(v) for v in box), None, None)  # type: ignore[arg-type]
        return target is not None and self.save_correction(target, label, added=True)

    def save_correction(self, target: CorrectionTarget, label: int, added: bool = False) -> bool:
        """Save ``target`` as ``label`` and show it at once; a correction of the same digit
        made before is replaced (its sample deleted)."""
        if self.corrector is None:
            return False
        if target.model_input is None:
            token = next(self._tokens)
            self._waiting[token] = (target, label, added)
            self._jobs.run_in_background(
                functools.partial(model_input_for_box, pipeline=self._pipeline_config()), target.image, target.box,
                on_done=functools.partial(self._input_done, token),
                on_error=lambda exc: self._input_failed(token, str(exc)), errors=(SampleError, ValueError))
            self.mode.status.emit("Reading the boxed digit…")
            return True
        old = [c for c in self._corrections.get(target.key, []) if iou(c.box, target.box) >= MATCH_IOU]
        try:
            entry = self.corrector.save(self.mode.channel, target.key, target.box, label, target.model_input,
                                        target.crop, added or any(c.added for c in old))
        except (SampleError, ValueError, OSError) as exc:
            self.mode.show_message(f"The correction could not be saved: {exc}")
            return False
        for c in old:
            self.corrector.discard(c.sample_id)
        self._corrections.setdefault(target.key, []).append(entry.correction)
        self.mode.correction_saved(entry)
        self._corrections_changed(select=target.box)
        self.mode.status.emit(f"Saved as “{label_name(label)}” in My handwriting. Undo: Ctrl+Z.")
        return True

    def is_busy(self) -> bool:
        """True while a boxed digit's model input is being made."""
        return bool(self._waiting)

    def _input_done(self, token: int, model_input: np.ndarray) -> None:
        waiting = self._waiting.pop(token, None)
        if waiting is not None:
            target, label, added = waiting
            self.save_correction(dataclasses.replace(target, model_input=model_input, image=None), label, added)

    def _input_failed(self, token: int, message: str) -> None:
        if self._waiting.pop(token, None) is not None:
            self.mode.show_message(f"Nothing saved: {message}.")

    def undo_correction(self) -> bool:
        """Undo the newest correction made in this mode (its sample is deleted)."""
        if self.corrector is None:
            return False
        try:
            entry = self.corrector.undo(self.mode.channel)
        except SampleError as exc:
            self.mode.show_message(f"The correction could not be undone: {exc}")
            return False
        if entry is None:
            return False
        self.mode.status.emit(f"Correction undone ({label_name(entry.correction.label)}).")
        return True

    def can_undo_correction(self) -> bool:
        return self.corrector is not None and self.corrector.can_undo(self.mode.channel)

    def _correction_undone(self, entry: Entry) -> None:
        if entry.channel != self.mode.channel:
            return
        kept = [c for c in self._corrections.get(entry.key, []) if c.sample_id != entry.correction.sample_id]
        self._corrections[entry.key] = kept
        self._corrections_changed()

    def _samples_removed(self, ids: set[str]) -> None:
        changed = False
        for key, items in self._corrections.items():
            kept = [c for c in items if c.sample_id not in ids]
            changed |= len(kept) != len(items)
            self._corrections[key] = kept
        if changed:
            self._corrections_changed()

    def _corrections_changed(self, select: Box | None = None) -> None:
        self._corrections_version += 1
        rec = self.current_recognition()
        if rec is not None and select is not None:
            overlaps = [iou(d.box, select) for d in rec.digits]
            best = max(range(len(overlaps)), key=overlaps.__getitem__) if overlaps else None
            self.mode.selected = best if best is not None and overlaps[best] >= MATCH_IOU else None
        if rec is not None and self.mode.selected is not None and self.mode.selected >= len(rec.digits):
            self.mode.selected = None
        self.mode.refresh_overlay()
        self.mode.publish()
        self.mode.corrections_changed()
        self.mode.actions_changed.emit()
