"""Several digit nets read as one: a Keras model whose output is the mean of its members'
probabilities.

Members trained from different seeds make different mistakes, so their mean is right more
often than any one of them (issue 12 allows "an ensemble of a few small LeNets"). It is one
``.keras`` file with one LiteRT pair, so reading runs every member on a batch in one call and
nothing else in the application needs to know.

Input ``N x 32 x 32 x 1 float32``; output ``N x 11`` probabilities (class 10 "not a digit").
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from digit_app.model.quiet import import_keras
from digit_app.pipeline.normalize import MODEL_SIDE

if TYPE_CHECKING:
    from digit_app.model.lenet import LeNetConfig

MEMBER_PREFIX = "member"  # member0, member1, ...: the nets inside an ensemble
ENSEMBLE_NAME = "lenet_ensemble"


def member_name(index: int) -> str:
    return f"{MEMBER_PREFIX}{index}"


def build_ensemble(members: Sequence[Any]) -> Any:
    """One Keras model averaging the softmax outputs of the Keras models ``members`` (at least
    two, each ``N x 32 x 32 x 1`` to ``N x 11``, named apart: see :func:`member_name`)."""
    if len(members) < 2:
        raise ValueError(f"an ensemble needs two members or more, got {len(members)}")
    keras: Any = import_keras()
    inputs = keras.Input(shape=(MODEL_SIDE, MODEL_SIDE, 1), name="digit")
    mean = keras.layers.Average(name="mean")([member(inputs) for member in members])
    return keras.Model(inputs, mean, name=ENSEMBLE_NAME)


def build_lenet_ensemble(count: int, cfg: LeNetConfig | None = None) -> Any:
    """``count`` fresh LeNets (``cfg``, default the usual) as one ensemble, to take trained
    weights."""
    # Here, not at the top: lenet imports Keras on import, and adaptation's cheap checks
    # (the GUI asks them) import this module for all_layers.
    from digit_app.model.lenet import LeNetConfig, build_lenet

    cfg = cfg or LeNetConfig()
    return build_ensemble([build_lenet(cfg, name=member_name(k)) for k in range(count)])


def members_of(model: Any) -> list[Any]:
    """The nets whose mean ``model`` is (their order kept), or ``[model]`` for a single net."""
    found = [layer for layer in model.layers if layer.name.startswith(MEMBER_PREFIX)
             and hasattr(layer, "layers")]
    return found if model.name == ENSEMBLE_NAME and found else [model]


def all_layers(model: Any) -> list[Any]:
    """Every layer of ``model``, the members' layers in place of the members."""
    out: list[Any] = []
    for layer in model.layers:
        out.extend(all_layers(layer) if hasattr(layer, "layers") else [layer])
    return out
