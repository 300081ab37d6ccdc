"""The GUI's Qt-free state and logic: what the windows show, kept apart from how they show it.

The views in :mod:`digit_app.gui` hold Qt widgets; this package holds the data and rules they
work on, and imports no Qt (import-linter's "Qt only in digit_app.gui" contract checks it):

* :mod:`.reading` - what a reading shows (confidence levels, number texts, overlay items);
* :mod:`.geometry` - boxes: overlap, hit tests, label placement, offsets;
* :mod:`.tracking` - steadying camera readings across frames, scene cuts;
* :mod:`.corrections` - the user's corrections applied to a reading;
* :mod:`.documents` - opened documents and their pages (read when needed);
* :mod:`.document` - Document mode's state: the document open, its pages' readings, the page
  shown, which late answers to ignore (:class:`~.document.DocumentSession`);
* :mod:`.camera` - a Camera mode run: frames counted and timed, the frame and reading shown,
  tracks, cuts in the video (:class:`~.camera.CameraRun`);
* :mod:`.export` - saving results as CSV/JSON;
* :mod:`.config_fields` - the pipeline settings as typed, documented fields;
* :mod:`.adapt_worker` - the child process that adapts the model (it must never import Qt).

The Document and Camera modes each hold one state object (``mode.session``, ``mode.run``) and
refresh their widgets from it: the model has no Qt, the Qt layer reads it.

It sits below :mod:`digit_app.gui` and may use the recognizer, the pipeline and the types.
"""
