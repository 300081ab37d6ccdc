"""The three modes, each a page of the main window's stack: :mod:`.draw`, :mod:`.camera` and
:mod:`.document`, on the shared :mod:`.base` (:class:`~.base.ModeWidget`: actions, status, the
side panel's reading) and :mod:`.corrections` (correcting what a mode read)."""
