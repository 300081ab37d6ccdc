"""Colours, sizes and timings of the GUI, named once."""
from __future__ import annotations

from PySide6.QtGui import QColor

from digit_app.session.reading import LEVEL_CORRECTED, LEVEL_HIGH, LEVEL_LOW, LEVEL_MEDIUM

APP_NAME = "digit-app"
ORGANIZATION = "digit-app"
WINDOW_TITLE = "Digit reader"
ADAPTED_WINDOW_TITLE = "Adapted to your handwriting"  # shown as "… — Digit reader"
DEFAULT_WINDOW_SIZE = (1280, 800)
# Below it the READ numbers, the selected digit and the mode's buttons would be cut off (the
# layouts' own minimum width is about 990 px); fits a 1024x768 screen.
MIN_WINDOW_SIZE = (1000, 640)
SIDE_PANEL_WIDTH = 330

# Overlay colours by confidence level (boxes and label backgrounds).
LEVEL_COLOURS = {
    LEVEL_HIGH: QColor(22, 163, 74),  # green: sure
    LEVEL_MEDIUM: QColor(217, 119, 6),  # amber: read, but not sure
    LEVEL_LOW: QColor(220, 38, 38),  # red: "?"
    LEVEL_CORRECTED: QColor(15, 118, 110),  # dark teal, tag marked ✓: corrected by the user
}
NUMBER_COLOUR = QColor(37, 99, 235)  # blue dashed box around a number of several digits
SELECTION_COLOUR = QColor(147, 51, 234)  # purple outline of the selected digit / number
REGION_COLOUR = QColor(14, 165, 233)  # camera region of interest
LABEL_TEXT_COLOUR = QColor(255, 255, 255)
ACCENT_COLOUR = QColor(37, 99, 235)
MUTED_TEXT_COLOUR = QColor(100, 116, 139)
BAR_BACKGROUND = QColor(226, 232, 240)
VIEW_BACKGROUND = QColor(71, 85, 105)
CANVAS_PAPER = QColor(255, 255, 255)
CANVAS_INK = QColor(17, 24, 39)
ERROR_BANNER_STYLE = "background:#fee2e2; color:#7f1d1d; border:1px solid #fca5a5; border-radius:4px;"
INFO_BANNER_STYLE = "background:#e0f2fe; color:#0c4a6e; border:1px solid #7dd3fc; border-radius:4px;"

# Sizes (screen pixels / points).
BOX_PEN_WIDTH = 2.0
SELECTED_PEN_WIDTH = 3.5
LABEL_FONT_PX = 15
LABEL_PADDING = 3
MIN_TAGGED_BOX_PX = 14  # digit boxes smaller than this on screen get no label tag
BIG_READING_PT = 34
MODEL_INPUT_VIEW_SIDE = 128
CLICK_SLOP_PX = 4  # a press that moves less than this is a click, not a drag

# Draw mode.
CANVAS_SIZE = (1200, 720)  # drawing surface in image pixels, shown scaled to the widget
DEFAULT_PEN_WIDTH = 14
PEN_WIDTH_RANGE = (2, 60)
DRAW_THROTTLE_MS = 120  # recognition while drawing, at most this often

# Views.
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.05, 32.0)

# Camera mode.
CAMERA_INDEXES_PROBED = 4  # indexes offered when the OS cannot list cameras

# Document mode.
MAX_RECENT_FILES = 8
DOCUMENT_SPLIT = (520, 200)  # page view / results table heights at first start
