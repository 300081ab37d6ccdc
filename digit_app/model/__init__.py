"""LeNet definition, loading, batched inference, training and evaluation (TensorFlow/Keras)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter quiet
