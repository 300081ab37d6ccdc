"""The desktop app (PySide6). Everything Qt lives in this package and nowhere else.

Start it with ``digit-app`` (``digit_app.gui.app.run``). Threads: the GUI thread paints; a
camera thread reads frames (:mod:`.camera`); one inference thread owns the model and always
works on the newest request (:mod:`.inference`). The modules :mod:`.tracking`,
:mod:`.geometry`, :mod:`.reading`, :mod:`.config_fields`, :mod:`.documents`, :mod:`.export`
and :mod:`.demo_recognizer` import no Qt, so this ``__init__`` must not either.
"""
