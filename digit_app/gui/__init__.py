"""The desktop app (PySide6). Everything Qt lives in this package and nowhere else.

Start it with ``digit-app`` (``digit_app.gui.app.run``). Threads: the GUI thread paints; a
camera thread reads frames (:mod:`.camera`); one inference thread owns the model and always
works on the newest request (:mod:`.inference`); adapting the model to the user's samples
runs in a child process (:mod:`.adapt_runner`). The modules :mod:`.tracking`, :mod:`.geometry`,
:mod:`.reading`, :mod:`.corrections`, :mod:`.config_fields`, :mod:`.documents`, :mod:`.export`,
:mod:`.demo_recognizer` and :mod:`.adapt_worker` (the child's entry point) import no Qt, so this
``__init__`` must not either.
"""
