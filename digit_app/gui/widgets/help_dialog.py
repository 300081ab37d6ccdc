"""Help ▸ How to Use: what each mode does and every keyboard shortcut, in one small window."""
from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

USAGE = (
    ("Draw", "Draw digits anywhere with the mouse, a pen or a finger: the reading updates while "
             "you draw. Load an image onto the canvas with Open."),
    ("Camera", "Choose a camera, a video file or a stream URL in Source and press Enter or Start. "
               "Drag a Region to read only part of the picture; Freeze holds a picture, Snapshot "
               "saves it with its reading."),
    ("Document", "Open, drop or paste a scan or a PDF: every number found is boxed and listed; "
                 "Export saves them as CSV or JSON."),
    ("Correcting", "Right-click a digit (or use Correct it in the side panel) and pick the right "
                   "one: it is saved as a sample of your handwriting. Handwriting ▸ Adapt to My "
                   "Handwriting fine-tunes the model on your samples."),
)
#: Keys that are not menu actions.
OTHER_KEYS = (
    ("Freeze / go live (Camera)", "Space"),
    ("Start the source typed (Camera)", "Enter"),
    ("Cancel drawing a box", "Esc"),
    ("Correct a digit", "Right-click"),
)


def action_shortcuts(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(name, keys) of every action that has a shortcut, in the order given."""
    rows = []
    for action in actions:
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…"), keys))
    return rows


def help_html(shortcuts: list[tuple[str, str]]) -> str:
    parts = ["<h3>How to use</h3>"]
    parts += [f"<p><b>{escape(name)}</b>: {escape(text)}</p>" for name, text in USAGE]
    parts.append("<h3>Keyboard shortcuts</h3><table cellspacing='0' cellpadding='3'>")
    parts += [f"<tr><td>{escape(name)}</td><td><b>{escape(keys)}</b></td></tr>"
              for name, keys in list(shortcuts) + list(OTHER_KEYS)]
    parts.append("</table>")
    return "".join(parts)


class HelpDialog(QDialog):
    """Usage and shortcuts; not modal, so the app can be tried with it open."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("How to use")
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(help_html(action_shortcuts(actions)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(520, 600)
