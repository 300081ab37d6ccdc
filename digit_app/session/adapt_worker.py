"""The child process that adapts the model (no Qt here: the child never imports PySide6).

:func:`work` is the target of a ``multiprocessing`` "spawn" process started by
:class:`digit_app.gui.workers.adapt_runner.AdaptRunner`. It calls the adapt function (by default
:func:`digit_app.adaptation.adapt`), sends ``("progress", step, total, message)`` messages
on a queue while it runs, and ends with exactly one of ``("done", AdaptReport)``,
``("cancelled",)``, ``("refused", message)`` (too few samples: a result, worded for the user,
without the folder's path) or ``("error", message)``. Cancelling sets an event that the adapt
function's ``should_stop()`` reads. Training in its own process keeps TensorFlow and its
threads out of the GUI process (no GIL contention with the window, no TensorFlow calls from
Qt threads).
"""
from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from digit_app.model.quiet import set_tensorflow_environment

#: The function the child calls, as "module:attribute" (tests give a quick stand-in).
ADAPT_FUNCTION = "digit_app.adaptation:adapt"
#: The child runs at a lower priority so that the window stays responsive on small machines.
CHILD_NICENESS = 5
#: Exceptions whose message is meant for the user as it is (the others get their type name).
USER_ERRORS = {"SampleError", "ModelError", "MnistError", "FileNotFoundError", "ValueError"}


@dataclass(frozen=True)
class AdaptReport:
    """The outcome of an adaptation, as figures (accuracies in [0, 1], time in seconds)."""

    kept: bool
    reason: str
    user_before: float
    user_after: float
    held_out: int
    trained_on: int
    mnist_before: float
    mnist_after: float
    seconds: float
    mnist_test: int = 0

    @classmethod
    def from_outcome(cls, outcome: Any) -> AdaptReport:
        """From an :class:`~digit_app.adaptation.AdaptOutcome` (or anything with its fields)."""
        def num(name: str) -> float:
            return float(getattr(outcome, name, 0.0) or 0.0)

        return cls(
            kept=bool(outcome.kept), reason=str(getattr(outcome, "reason", "")),
            user_before=num("user_before"), user_after=num("user_after"),
            held_out=int(num("held_out")), trained_on=int(num("trained_on")),
            mnist_before=num("mnist_before"), mnist_after=num("mnist_after"), seconds=num("seconds"),
            mnist_test=int(num("mnist_test")),
        )

    def headline(self) -> str:
        if self.kept:
            return "Adapted model kept: it reads your handwriting better."
        return f"Adapted model not kept: {self.reason}." if self.reason else "Adapted model not kept."

    def figures(self) -> list[tuple[str, str, str]]:
        """Rows (what, before, after) for a table."""
        return [
            (f"Your samples, cross-validated ({self.held_out})", f"{100 * self.user_before:.1f}%",
             f"{100 * self.user_after:.1f}%"),
            (f"MNIST test ({self.mnist_test or 'all'} digits)", f"{100 * self.mnist_before:.2f}%",
             f"{100 * self.mnist_after:.2f}%"),
        ]

    def one_line(self) -> str:
        return (f"your samples (cross-validated) {100 * self.user_before:.1f}% → {100 * self.user_after:.1f}%, "
                f"MNIST {100 * self.mnist_before:.2f}% → {100 * self.mnist_after:.2f}%, "
                f"trained on {self.trained_on} samples in {self.seconds:.0f} s")


def readiness(samples: int) -> str:
    """Why adapting cannot start with ``samples`` samples ('' when it can; see
    :func:`digit_app.adaptation.readiness`)."""
    from digit_app.adaptation import readiness as adapt_readiness  # not at start-up: it imports the pipeline

    return adapt_readiness(samples)


def resolve(reference: str) -> Callable[..., Any]:
    """``"package.module:function"`` -> the function."""
    module, _, name = reference.partition(":")
    if not module or not name:
        raise ValueError(f"expected 'module:function', got {reference!r}")
    return getattr(importlib.import_module(module), name)


def describe_error(exc: BaseException) -> str:
    text = str(exc).strip()
    if type(exc).__name__ in USER_ERRORS and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _without_folder(text: str, folder: Any) -> str:
    """``text`` without the ``<samples folder>: `` its message starts with (the window says
    which samples it means)."""
    prefix = f"{folder}: " if folder else ""
    return text[len(prefix):] if prefix and text.startswith(prefix) else text


def work(function: str, kwargs: dict[str, Any], queue: Any, stop: Any) -> None:
    """Child entry point: run ``function(**kwargs, progress=..., should_stop=...)``."""
    set_tensorflow_environment()  # before anything in the child imports TensorFlow
    with contextlib.suppress(AttributeError, OSError):  # not on this platform: run at normal priority
        os.nice(CHILD_NICENESS)

    def progress(step: int, total: int, message: str) -> None:
        queue.put(("progress", int(step), int(total), str(message)))

    try:
        outcome = resolve(function)(**kwargs, progress=progress, should_stop=stop.is_set)
        report = AdaptReport.from_outcome(outcome)
    except BaseException as exc:  # everything goes back to the window as a message
        if stop.is_set() or type(exc).__name__ == "AdaptCancelled":
            queue.put(("cancelled",))
        elif type(exc).__name__ == "SampleError":
            queue.put(("refused", _without_folder(describe_error(exc), kwargs.get("samples"))))
        else:
            queue.put(("error", describe_error(exc)))
        return
    queue.put(("done", report))
