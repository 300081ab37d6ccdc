"""Saving corrections as samples of the user's handwriting, and undoing them.

One :class:`Corrector` serves every mode: it writes each correction to the
:class:`~digit_app.samples.SampleStore` and keeps the undo history (newest last). The modes
keep the corrections they show; the "My handwriting" view tells the corrector when it deleted
or imported samples so that everyone stays in step.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QWidget

from digit_app.samples import SampleError, SampleStore
from digit_app.session.corrections import Correction
from digit_app.types import NOT_A_DIGIT, Box

#: Keyboard accelerators of the label menu: the digit keys, and N for "not a digit".
NOT_A_DIGIT_TEXT = "&Not a digit"


@dataclass(frozen=True)
class Entry:
    """A saved correction: made in mode ``channel``, on ``key`` (the page in Document mode)."""

    channel: str
    key: Any
    correction: Correction


class Corrector(QObject):
    """Emits ``saved(entry)``, ``undone(entry)``, ``removed(ids)`` (samples deleted elsewhere)
    and ``changed()`` whenever the set of samples changed."""

    saved = Signal(object)
    undone = Signal(object)
    removed = Signal(object)  # set of sample ids
    changed = Signal()

    def __init__(self, store: SampleStore | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._history: list[Entry] = []

    @property
    def store(self) -> SampleStore:
        if self._store is None:
            self._store = SampleStore()  # the user data folder ($DIGIT_APP_DATA in tests)
        return self._store

    def save(self, channel: str, key: Any, box: Box, label: int, model_input: np.ndarray,
             crop: np.ndarray, added: bool = False) -> Entry:
        """Store a sample and remember it for undo. SampleError / ValueError if it cannot be saved."""
        sample = self.store.add(model_input, crop, label, channel)
        box = (int(box[0]), int(box[1]), int(box[2]), int(box[3]))
        entry = Entry(channel, key, Correction(box, label, sample.id, added))
        self._history.append(entry)
        self.saved.emit(entry)
        self.changed.emit()
        return entry

    def last(self, channel: str | None = None) -> Entry | None:
        for entry in reversed(self._history):
            if channel is None or entry.channel == channel:
                return entry
        return None

    def can_undo(self, channel: str | None = None, sample_id: str | None = None) -> bool:
        if sample_id is not None:
            return any(e.correction.sample_id == sample_id for e in self._history)
        return self.last(channel) is not None

    def undo(self, channel: str | None = None, sample_id: str | None = None) -> Entry | None:
        """Remove the newest correction (of ``channel``, or the one of ``sample_id``) and its
        sample; None when there is none. SampleError if the store cannot be written."""
        entry = None
        for e in reversed(self._history):
            if (sample_id is not None and e.correction.sample_id == sample_id) or (
                    sample_id is None and (channel is None or e.channel == channel)):
                entry = e
                break
        if entry is None:
            return None
        with contextlib.suppress(KeyError):  # already deleted in the "My handwriting" view
            self.store.remove(entry.correction.sample_id)
        self._history.remove(entry)
        self.undone.emit(entry)
        self.changed.emit()
        return entry

    def discard(self, sample_id: str) -> None:
        """A correction replaced by a newer one on the same digit: its sample goes, silently."""
        self._history = [e for e in self._history if e.correction.sample_id != sample_id]
        with contextlib.suppress(KeyError):
            self.store.remove(sample_id)
        self.removed.emit({sample_id})
        self.changed.emit()

    def samples_removed(self, ids: Iterable[str]) -> None:
        """Samples were deleted outside (the gallery): forget them everywhere."""
        ids = set(ids)
        self._history = [e for e in self._history if e.correction.sample_id not in ids]
        self.removed.emit(ids)
        self.changed.emit()

    def samples_added(self) -> None:
        """Samples came from outside (an import, an undone delete)."""
        self.changed.emit()


def label_menu(parent: QWidget, on_label: Callable[[int], object], title: str = "It is…",
               read_as: int | None = None) -> QMenu:
    """A popup of the 11 classes (keys 0-9, N for "not a digit"); ``on_label(label)`` on a pick.

    ``read_as``, the reader's label, is marked so that the user sees what is being corrected.
    """
    menu = QMenu(parent)
    menu.setObjectName("correction_menu")
    menu.setToolTipsVisible(True)
    header = menu.addAction(title)
    header.setEnabled(False)
    for label in range(NOT_A_DIGIT):
        action = menu.addAction(f"&{label}" + ("   (as read)" if label == read_as else ""))
        action.setData(label)
    menu.addSeparator()
    action = menu.addAction(NOT_A_DIGIT_TEXT)
    action.setData(NOT_A_DIGIT)
    action.setToolTip("Not a digit: a letter, a mark, a piece of a line…")

    def picked(action) -> None:
        menu.close()  # (a user's click closes it anyway; a programmatic trigger does not)
        if action.data() is not None:
            on_label(int(action.data()))

    menu.triggered.connect(picked)
    return menu


def menu_action(menu: QMenu, label: int):
    """The action of ``label`` in a :func:`label_menu` (for tests and scripts)."""
    for action in menu.actions():
        if action.data() == label:
            return action
    raise KeyError(label)


__all__ = ["Corrector", "Entry", "SampleError", "label_menu", "menu_action"]
