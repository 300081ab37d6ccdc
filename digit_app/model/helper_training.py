"""Training a helper model (the print detector, the pair reader) one epoch at a time, on
samples made once or made anew for each epoch, keeping the weights of the epoch with the
lowest validation loss."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class KeptEpoch:
    """What :func:`fit_keeping_best` found: the best epoch (1-based), its weights, and each
    epoch's figures (``loss``, ``val_loss``, then the validation metrics)."""

    epoch: int = 0
    loss: float = np.inf
    weights: list | None = None
    history: list[dict[str, Any]] = field(default_factory=list)


Samples = tuple[np.ndarray, np.ndarray]


def fit_keeping_best(model: Any, train: Samples | Callable[[int], Samples], val: Samples,
                     epochs: int, batch_size: int, log: Callable[[str], None],
                     figures: Callable[[Any], dict[str, float]] | None = None) -> KeptEpoch:
    """Fit the compiled Keras ``model`` on ``train`` (``x``, ``y``; or ``train(epoch)``, the
    samples of each 0-based epoch) ``epochs`` times, each time measuring it on ``val``: its
    loss, its compiled metrics (``val_`` + name) and ``figures(model)``, if given (rounded to
    4 places)."""
    best = KeptEpoch()
    for epoch in range(epochs):
        x, y = train(epoch) if callable(train) else train
        fit = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=True)
        measured = model.evaluate(*val, batch_size=512, verbose=0, return_dict=True)
        loss = float(measured.pop("loss"))
        got = {f"val_{name}": round(float(value), 4) for name, value in measured.items()}
        got.update(figures(model) if figures else {})
        best.history.append({"epoch": epoch + 1, "loss": round(float(fit.history["loss"][-1]), 4),
                             "val_loss": round(loss, 4), **got})
        log(f"epoch {epoch + 1}/{epochs}: val_loss {loss:.4f}"
            + "".join(f", {name.replace('_', ' ')} {value:.4f}" for name, value in got.items()))
        if loss < best.loss:
            best.epoch, best.loss, best.weights = epoch + 1, loss, model.get_weights()
    return best
