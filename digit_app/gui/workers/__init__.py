"""Background work off the GUI thread: the inference thread that owns the model
(:mod:`.inference`), the camera thread (:mod:`.camera`), and the runner of the child process
that adapts the model (:mod:`.adapt_runner`). Each reports back to the GUI thread by Qt signals."""
