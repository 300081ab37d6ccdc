"""Typed access to QSettings (INI files store everything as strings)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from digit_app.gui.style import APP_NAME, ORGANIZATION


def open_settings(path: str | Path | None = None) -> QSettings:
    """The app's settings: an INI file at ``path``, or the user's config folder by default."""
    if path is not None:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APP_NAME)


class Store:
    """Reads values back with the type of their default; never raises on a bad stored value."""

    def __init__(self, settings: QSettings):
        self.qsettings = settings

    def get(self, key: str, default: Any) -> Any:
        raw: Any = self.qsettings.value(key, None)  # whatever type was stored
        if raw is None:
            return default
        try:
            if isinstance(default, bool):
                if isinstance(raw, str):
                    return raw.strip().lower() in ("1", "true", "yes", "on")
                return bool(raw)
            if isinstance(default, int):
                return int(float(raw))
            if isinstance(default, float):
                return float(raw)
            if isinstance(default, list):
                if isinstance(raw, str):
                    return [raw] if raw else []
                return [str(v) for v in raw]
            if isinstance(default, QByteArray):
                return raw if isinstance(raw, QByteArray) else default
            return type(default)(raw) if default is not None else raw
        except (TypeError, ValueError):
            return default

    def set(self, key: str, value: Any) -> None:
        self.qsettings.setValue(key, value)

    def remove(self, key: str) -> None:
        self.qsettings.remove(key)

    def keys(self, group: str) -> list[str]:
        self.qsettings.beginGroup(group)
        try:
            return list(self.qsettings.childKeys())
        finally:
            self.qsettings.endGroup()

    def sync(self) -> str | None:
        """Write the settings to disk (Qt replaces the file atomically, so a failure keeps the
        settings saved before); one sentence naming the folder when they could not be written."""
        self.qsettings.sync()
        if self.qsettings.status() != QSettings.Status.AccessError:
            return None
        folder = Path(self.qsettings.fileName()).parent
        return (f"Cannot save the settings in {folder}: the folder is not writable or the disk "
                f"is full; the settings saved before are kept.")
