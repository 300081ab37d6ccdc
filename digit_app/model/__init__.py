"""LeNet definition, loading, batched inference (LiteRT, else TensorFlow), training and
evaluation. TensorFlow and Keras are imported only through :mod:`.quiet`."""
