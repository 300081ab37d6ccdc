"""Making scenes: one of a kind from the MNIST test split, deterministic in its generator."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from digit_app.data.scenes.config import (
    ALL_KINDS,
    DEFAULT_SCENE_CONFIG,
    LEGIBLE_KINDS,
    TRAIN_SPLIT_SIZE,
    SceneConfig,
)
from digit_app.data.scenes.drawing import make_drawing
from digit_app.data.scenes.drawing_unipen import make_drawing_unipen
from digit_app.data.scenes.scan import make_scan
from digit_app.data.scenes.touching import make_touching
from digit_app.data.scenes.touching_unipen import make_touching_unipen
from digit_app.data.scenes.truth import Scene
from digit_app.data.scenes.webcam import make_webcam

#: Builds one scene from (rng, images, labels, cfg), or None when its layout failed (retried).
Builder = Callable[[np.random.Generator, np.ndarray, np.ndarray, SceneConfig], "Scene | None"]

BUILDERS: dict[str, Builder] = {
    "drawing": make_drawing,
    "scan": make_scan,
    "webcam": make_webcam,
    "touching": make_touching,
    "touching-unipen": make_touching_unipen,
    "drawing-unipen": make_drawing_unipen,
}


def _legible(kind: str) -> Builder:
    """The builder of a legible touching kind: its base kind's, overlapping by a share of the
    narrower digit's width, its scenes named for ``kind``."""
    base = BUILDERS[LEGIBLE_KINDS[kind]]

    def build(rng: np.random.Generator, images: np.ndarray, labels: np.ndarray,
              cfg: SceneConfig) -> Scene | None:
        scene = base(rng, images, labels, replace(cfg, touching=replace(cfg.touching, overlap_of_narrower=True)))
        return None if scene is None else replace(scene, kind=kind)

    return build


BUILDERS.update({kind: _legible(kind) for kind in LEGIBLE_KINDS})


def load_test_digits(data_dir: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST test split (images ``N x 28 x 28 uint8``, labels ``N uint8``)."""
    from digit_app.data.mnist import find_data_dir, load_split

    split = load_split(find_data_dir(data_dir), "test")
    return split.images, split.labels


def make_scene(
    kind: str,
    images: np.ndarray,
    labels: np.ndarray,
    rng: np.random.Generator,
    cfg: SceneConfig = DEFAULT_SCENE_CONFIG,
) -> Scene:
    """One scene of ``kind`` from MNIST test ``images``/``labels``; deterministic in ``rng``."""
    if kind not in ALL_KINDS:
        raise ValueError(f"unknown scene kind {kind!r}; expected one of {', '.join(ALL_KINDS)}")
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
        raise ValueError(f"images must be N x 28 x 28 uint8, got {images.shape} {images.dtype}")
    if len(images) != len(labels) or len(images) == 0:
        raise ValueError(f"{len(images)} images but {len(labels)} labels")
    if len(images) == TRAIN_SPLIT_SIZE:
        raise ValueError(
            "scenes are built from the MNIST test split only (got 60000 images, the training "
            "split); use load_test_digits()"
        )
    build = BUILDERS[kind]
    for _ in range(cfg.scene_attempts):
        scene = build(rng, images, labels, cfg)
        if scene is not None:
            return scene
    raise RuntimeError(f"could not lay out a {kind} scene in {cfg.scene_attempts} attempts")


def make_scenes(
    kind: str,
    n: int,
    images: np.ndarray,
    labels: np.ndarray,
    seed: int = 0,
    cfg: SceneConfig = DEFAULT_SCENE_CONFIG,
) -> list[Scene]:
    """``n`` scenes; scene ``i`` depends only on ``seed`` and ``i`` (not on ``n``)."""
    seeds = np.random.SeedSequence([seed, ALL_KINDS.index(kind) if kind in ALL_KINDS else 0])
    return [
        make_scene(kind, images, labels, np.random.default_rng(s), cfg)
        for s in seeds.spawn(n)
    ]
