"""The views the modes and the main window are built from: the drawing canvas, the image view
and its overlay, the side panel, the settings panel, the "My handwriting" window, dialogs, and
small shared widgets (:mod:`.common`); :mod:`.convert` turns QImages into numpy arrays and back."""
