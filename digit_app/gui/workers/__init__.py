"""Background work off the GUI thread: the inference thread that owns the model
(:mod:`.inference`), the camera thread (:mod:`.camera`), and the runner of the child process
that adapts the model (:mod:`.adapt_runner`), and the one helper for one-shot jobs in a thread pool
(:mod:`.jobs`: opening a document, reading a page, a boxed digit's model input). Each reports back
to the GUI thread by Qt signals."""
