"""File dialogs that remember the last folder (in the settings)."""
from __future__ import annotations

import os

from PySide6.QtWidgets import QFileDialog, QWidget

from digit_app.gui.settings_store import Store

LAST_DIR_KEY = "paths/last_dir"
IMAGE_FILTER = "Images and documents (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pdf);;All files (*)"
VIDEO_FILTER = "Videos (*.avi *.mp4 *.mkv *.mov *.webm *.mpg *.m4v);;All files (*)"
PNG_FILTER = "PNG image (*.png)"
EXPORT_FILTER = "JSON (*.json);;CSV (*.csv)"


def _start(store: Store, name: str = "") -> str:
    folder = store.get(LAST_DIR_KEY, os.path.expanduser("~"))
    return os.path.join(folder, name) if name else folder


def _remember(store: Store, path: str) -> str:
    if path:
        store.set(LAST_DIR_KEY, os.path.dirname(os.path.abspath(path)))
    return path


def open_file(parent: QWidget, store: Store, title: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, _start(store), filters)
    return _remember(store, path)


def save_file(parent: QWidget, store: Store, title: str, name: str, filters: str) -> tuple[str, str]:
    path, chosen = QFileDialog.getSaveFileName(parent, title, _start(store, name), filters)
    return _remember(store, path), chosen
