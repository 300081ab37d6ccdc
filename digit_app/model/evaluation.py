"""``digit-app evaluate``: accuracy on the MNIST test set, per-class precision/recall, confusion.

The test digits pass through ``normalize_digit`` exactly as crops do at run time. Two figures:
``accuracy`` is the standard MNIST measure, the best of the ten digit classes against the
label; ``accuracy_with_rejection`` takes all 11 outputs, so a digit the model calls "not a
digit" counts as an error (what the product reports when a test digit is fed to it as a crop).
The confusion matrix and per-class figures use all 11 outputs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digit_app.data import mnist
from digit_app.model.progress import progress_bar
from digit_app.model.training_data import normalize_clean
from digit_app.types import CLASS_NAMES, NOT_A_DIGIT, NUM_CLASSES

NORMALIZE_CHUNK = 500  # test digits normalized between two updates of the progress bar


@dataclass
class Evaluation:
    labels: np.ndarray  # N int, true classes
    predicted: np.ndarray  # N int
    probabilities: np.ndarray  # N x 11 float32
    inputs: np.ndarray  # N x 32 x 32 x 1 float32, what the model saw

    @classmethod
    def from_probabilities(cls, labels: np.ndarray, probabilities: np.ndarray,
                           inputs: np.ndarray) -> Evaluation:
        """The evaluation of a model's output (``N x 11``) on ``inputs`` against ``labels``."""
        return cls(labels, np.argmax(probabilities, axis=1), probabilities, inputs)

    @property
    def digit_predicted(self) -> np.ndarray:
        """N int: the most probable of the ten digit classes (rejection ignored)."""
        return np.argmax(self.probabilities[:, :NOT_A_DIGIT], axis=1)

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.digit_predicted == self.labels)) if len(self.labels) else 0.0

    @property
    def accuracy_with_rejection(self) -> float:
        return float(np.mean(self.predicted == self.labels)) if len(self.labels) else 0.0

    def confusion(self) -> np.ndarray:
        """``11 x 11 int``: rows true class, columns predicted class."""
        m = np.zeros((NUM_CLASSES, NUM_CLASSES), np.int64)
        np.add.at(m, (self.labels, self.predicted), 1)
        return m

    def per_class(self) -> list[dict]:
        m = self.confusion()
        rows = []
        for c in range(NUM_CLASSES):
            support = int(m[c].sum())
            predicted = int(m[:, c].sum())
            if support == 0 and predicted == 0:
                continue
            rows.append(
                {
                    "class": CLASS_NAMES[c],
                    "support": support,
                    "precision": round(m[c, c] / predicted, 4) if predicted else 0.0,
                    "recall": round(m[c, c] / support, 4) if support else 0.0,
                }
            )
        return rows

    def worst_mistakes(self, n: int = 64) -> np.ndarray:
        """Indexes of misclassified samples, most confident mistakes first."""
        wrong = np.flatnonzero(self.predicted != self.labels)
        conf = self.probabilities[wrong, self.predicted[wrong]]
        return wrong[np.argsort(-conf)][:n]

    def summary(self) -> dict:
        return {
            "dataset": "MNIST test",
            "samples": int(len(self.labels)),
            "accuracy": round(self.accuracy, 4),
            "errors": int(np.sum(self.digit_predicted != self.labels)),
            "accuracy_with_rejection": round(self.accuracy_with_rejection, 4),
            "rejected_as_not_digit": int(np.sum(self.predicted == NOT_A_DIGIT)),
            "per_class": self.per_class(),
            "confusion": self.confusion()[:10].tolist(),
        }


def evaluate_classifier(classifier, data_dir: Path | str | None = None, limit: int | None = None,
                        progress: bool | None = False) -> Evaluation:
    """Run a ``Classifier`` on the MNIST test split (or its first ``limit`` digits).

    ``progress``: a bar over the digits on standard error (True, False, or None: when standard
    error is a terminal) as they are normalized, then one batched model call as before."""
    split = mnist.load_split(mnist.find_data_dir(data_dir), "test")
    images, labels = split.images[:limit], split.labels[:limit].astype(np.int64)
    norm = classifier.info.normalize_config()
    x = np.empty((len(images), 32, 32, 1), np.float32)
    with progress_bar(total=len(images), progress=progress, desc="evaluate", unit="digit",
                      leave=False) as bar:
        for start in range(0, len(images), NORMALIZE_CHUNK):
            chunk = images[start : start + NORMALIZE_CHUNK]
            x[start : start + len(chunk)] = normalize_clean(chunk, norm)
            bar.update(len(chunk))
    return Evaluation.from_probabilities(labels, classifier.predict(x), x)
