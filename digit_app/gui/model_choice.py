"""Which model reads: the shipped one (or the one given with ``--model``) or the one adapted to
the user's handwriting. The choice is kept in the settings; switching reloads the model in the
inference thread (the window never waits) and can be undone at any time.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from digit_app.gui.settings_store import Store
from digit_app.gui.workers.inference import STATE_ERROR, STATE_READY, InferenceService, RecognizerFactory

SHIPPED, ADAPTED = "shipped", "adapted"
CHOICE_KEY = "model/choice"
NAMES = {SHIPPED: "shipped model", ADAPTED: "adapted model"}

ModelLoader = Callable[[str], RecognizerFactory]


def adapted_path() -> Path:
    from digit_app.userdata import adapted_model_path

    return adapted_model_path()


class ModelChoice(QObject):
    """``changed(choice)`` when the choice changes; ``failed(message)`` when the adapted model
    cannot be loaded (the shipped one is then loaded back and chosen)."""

    changed = Signal(str)
    failed = Signal(str)

    def __init__(self, store: Store, inference: InferenceService, base_factory: RecognizerFactory,
                 loader: ModelLoader, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.inference = inference
        self.base_factory = base_factory
        self.loader = loader
        self._loading: str | None = None  # the choice being loaded
        self.active: str | None = None  # the choice of the model in use (once loaded)
        self.falling_back = False  # the adapted model failed; the shipped one is being loaded
        choice = store.get(CHOICE_KEY, SHIPPED)
        self._choice = choice if choice == ADAPTED and self.adapted_available() else SHIPPED
        inference.state_changed.connect(self._state)
        self._apply()

    def choice(self) -> str:
        return self._choice

    def adapted_available(self) -> bool:
        return adapted_path().is_file()

    def adapted_info(self) -> dict:
        """The ``training`` part of the adapted model's JSON (figures, date), or {}."""
        try:
            data = json.loads(adapted_path().with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        training = data.get("training") if isinstance(data, dict) else None
        return training if isinstance(training, dict) else {}

    def set_choice(self, choice: str) -> bool:
        """Use the shipped or the adapted model (reloaded even if already chosen: the file may
        be new). False if the adapted model does not exist."""
        if choice not in NAMES:
            raise ValueError(f"unknown model choice {choice!r}")
        if choice == ADAPTED and not self.adapted_available():
            self.failed.emit(f"There is no adapted model yet ({adapted_path()}).")
            return False
        self._choice = choice
        self.store.set(CHOICE_KEY, choice)
        self._apply()
        self.changed.emit(choice)
        return True

    def _apply(self) -> None:
        self._loading = self._choice
        factory = self.loader(str(adapted_path())) if self._choice == ADAPTED else self.base_factory
        self.inference.reload(factory)

    def _state(self, state: str, detail: str) -> None:
        if state == STATE_READY and self._loading is not None:
            self.active, self._loading = self._loading, None
            self.falling_back = False
        elif state == STATE_ERROR and self._loading == ADAPTED:
            self._loading = None
            self.falling_back = True
            self.failed.emit(f"The adapted model could not be loaded ({detail}); "
                             "back to the shipped model.")
            self.set_choice(SHIPPED)
