"""The LeNet network: conv, pool, conv, pool, dense, dense, output (11 classes).

Input ``N x 32 x 32 x 1 float32`` in [0, 1] (bright ink on black, from ``normalize_digit``);
output ``N x 11`` softmax probabilities, class 10 meaning "not a digit".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from digit_app.model.quiet import import_keras
from digit_app.pipeline.normalize import MODEL_SIDE
from digit_app.types import NUM_CLASSES

keras: Any = import_keras()  # a module, typed Any: Keras has no type information
layers = keras.layers


@dataclass(frozen=True)
class LeNetConfig:
    conv1_filters: int = 32
    conv2_filters: int = 48  # 64 trains 1.2-1.6x slower on this CPU: bench_train_step.py
    kernel: int = 5
    dense1: int = 128  # 96 before the real handwriting sets joined MNIST
    dense2: int = 64
    dropout: float = 0.3
    num_classes: int = NUM_CLASSES


def build_lenet(cfg: LeNetConfig = LeNetConfig(), name: str = "lenet") -> keras.Model:
    """LeNet-5 layout, modernized with batch normalization and dropout (about 203k parameters);
    ``name``: the model's (apart for each member of an ensemble)."""
    inputs = keras.Input(shape=(MODEL_SIDE, MODEL_SIDE, 1), name="digit")
    x = layers.Conv2D(cfg.conv1_filters, cfg.kernel, use_bias=False, name="c1")(inputs)
    x = layers.BatchNormalization(name="c1_bn")(x)
    x = layers.ReLU()(x)
    x = layers.MaxPooling2D(name="s2")(x)
    x = layers.Conv2D(cfg.conv2_filters, cfg.kernel, use_bias=False, name="c3")(x)
    x = layers.BatchNormalization(name="c3_bn")(x)
    x = layers.ReLU()(x)
    x = layers.MaxPooling2D(name="s4")(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(cfg.dropout)(x)
    x = layers.Dense(cfg.dense1, use_bias=False, name="f5")(x)
    x = layers.BatchNormalization(name="f5_bn")(x)
    x = layers.ReLU()(x)
    x = layers.Dropout(cfg.dropout)(x)
    x = layers.Dense(cfg.dense2, activation="relu", name="f6")(x)
    outputs = layers.Dense(cfg.num_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name=name)
