"""The desktop app (PySide6). Everything Qt of the app lives in this package and nowhere else
(its developer tools, :mod:`.devtools`, drive it for screenshots: they import Qt, so they
live here too, apart from the modes, widgets and workers a user runs).

Start it with ``digit-app`` (``digit_app.gui.app.run``). Threads: the GUI thread paints; a
camera thread reads frames (:mod:`.workers.camera`); one inference thread owns the model and always
works on the newest request (:mod:`.workers.inference`); adapting the model to the user's samples
runs in a child process (:mod:`.workers.adapt_runner`); one-shot jobs (opening a document, reading
a page) run in a thread pool through :mod:`.workers.jobs`. The Qt-free state and logic the windows work on
(tracking, geometry, reading, corrections, documents, export, config fields, and the adapting
child's entry point) live in :mod:`digit_app.session`.
"""
