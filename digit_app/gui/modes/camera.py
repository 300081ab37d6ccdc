"""Camera mode: a live picture (device, video file or stream URL) with steady boxes and labels."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from digit_app import atomic
from digit_app.gui import style
from digit_app.gui.modes.base import CAN_OPEN, CAN_SAVE, CAN_UNDO, CAN_ZOOM, ModeWidget
from digit_app.gui.settings_store import Store
from digit_app.gui.widgets import dialogs
from digit_app.gui.widgets.common import MessageBar
from digit_app.gui.widgets.convert import bgr_to_qimage, png_bytes
from digit_app.gui.widgets.image_view import ImageView
from digit_app.gui.widgets.overlay import render_annotated
from digit_app.gui.workers.camera import (
    CameraConfig,
    CameraThread,
    Source,
    available_cameras,
    describe_source,
    open_capture,
    parse_source,
)
from digit_app.gui.workers.inference import InferenceService, Result
from digit_app.session import export
from digit_app.session.camera import CameraRun
from digit_app.session.reading import overlay_items
from digit_app.types import Recognition

SOURCE_KEY = "camera/source"
RECENT_SOURCES_KEY = "camera/recent_sources"
MAX_RECENT_SOURCES = 5
CAMERA_ITEM = re.compile(r"^\s*camera\s+(\d+)\s*$", re.IGNORECASE)
PLACEHOLDER = "Choose a camera, a video file or a stream URL, then press Start."
FROZEN_FOR_CORRECTING = ("Picture frozen while you correct it; press Space or Freeze to go live "
                         "again.")


def source_from_text(text: str) -> Source:
    m = CAMERA_ITEM.match(text)
    return int(m.group(1)) if m else parse_source(text)


def source_to_text(source: Source) -> str:
    return f"Camera {source}" if isinstance(source, int) else str(source)


class CameraMode(ModeWidget):
    channel = "camera"
    open_dialog_title = "Open a video file"
    open_dialog_filter = dialogs.VIDEO_FILTER
    title = "Camera"
    open_label = "&Open Video File…"
    save_label = "&Save Snapshot…"
    open_short = "Video File"
    save_short = "Snapshot"

    def __init__(self, inference: InferenceService, store: Store, parent: QWidget | None = None):
        super().__init__(inference, store, parent)
        self._thread: CameraThread | None = None
        # Frames counted, the frame and reading shown, tracks, cuts (Qt-free, tested without a window).
        self.run = CameraRun()
        self._frame_image = QImage()
        self._resume = False  # restart when the mode is shown again
        # How the camera thread opens sources and how long it waits (tests give fakes).
        self.camera_config = CameraConfig()
        self.capture_factory = open_capture
        self._reconnecting = False

        self.source_box = QComboBox()
        self.source_box.setEditable(True)
        self.source_box.setMinimumWidth(140)
        self.source_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_box.setMinimumContentsLength(12)
        self.source_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        editor = self.source_box.lineEdit()
        assert editor is not None, "an editable combo box has its line edit"
        editor.setPlaceholderText("camera index, video file or stream URL")
        self.source_box.setToolTip("A camera (by index), a video file, or a stream URL (rtsp://, http://); "
                                   "Enter starts it")
        # Enter starts the source typed (start() remembers it; the combo box must not add it too).
        self.source_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor.returnPressed.connect(self.start)
        for index in available_cameras(style.CAMERA_INDEXES_PROBED):
            self.source_box.addItem(source_to_text(index))
        for recent in store.get(RECENT_SOURCES_KEY, []):
            if self.source_box.findText(recent) < 0:
                self.source_box.addItem(recent)
        self.source_box.setCurrentText(store.get(SOURCE_KEY, source_to_text(0)))
        browse = QPushButton("File…")
        browse.setToolTip("Read a video file")
        browse.clicked.connect(self.open_file)
        self.start_button = QPushButton("Start")
        self.start_button.setCheckable(True)
        self.start_button.clicked.connect(self._start_clicked)
        self.freeze_button = QPushButton("Freeze")
        self.freeze_button.setCheckable(True)
        self.freeze_button.setToolTip("Hold the current picture and its reading (Space)")
        self.freeze_button.toggled.connect(self.set_frozen)
        self.region_button = QPushButton("Region")
        self.region_button.setCheckable(True)
        self.region_button.setToolTip("Drag a rectangle on the picture to read only inside it")
        self.region_button.toggled.connect(self._region_mode)
        self.whole_button = QPushButton("Whole")
        self.whole_button.setToolTip("Read the whole picture again")
        self.whole_button.clicked.connect(lambda: self.set_region(None))
        self.snapshot_button = QPushButton("Snapshot…")
        self.snapshot_button.clicked.connect(self.save)

        self.view = ImageView(PLACEHOLDER)
        self.view.region_selected.connect(self._region_drawn)
        self.view.item_clicked.connect(self._clicked)
        self.view.context_requested.connect(self.show_correction_menu)
        self.view.box_drawn.connect(self.box_drawn)
        self.message = MessageBar()
        self.info = QLabel("Stopped")
        self.info.setStyleSheet(f"color: {style.MUTED_TEXT_COLOUR.name()};")

        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        freeze_key = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        freeze_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        freeze_key.activated.connect(self.freeze_button.toggle)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Source"))
        bar.addWidget(self.source_box, 1)
        bar.addWidget(browse)
        bar.addWidget(self.start_button)
        tools = QHBoxLayout()
        tools.addWidget(self.info, 1)
        for button in (self.freeze_button, self.region_button, self.whole_button, self.snapshot_button):
            tools.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addLayout(tools)
        self._update_controls()

    # -- mode interface -------------------------------------------------------------------
    def capabilities(self) -> set[str]:
        caps = {CAN_OPEN, CAN_ZOOM}
        if self.run.frame is not None:
            caps.add(CAN_SAVE)
        if self.can_undo_correction():
            caps.add(CAN_UNDO)
        return caps

    @property
    def frames_shown(self) -> int:
        return self.run.frames_shown

    @property
    def results_shown(self) -> int:
        return self.run.results_shown

    @property
    def _cut_at(self) -> int:
        return self.run.cut_at

    def raw_recognition(self, key=None) -> Recognition | None:
        return self.run.recognition

    def correction_image(self) -> np.ndarray | None:
        return self.run.frame

    def prepare_correction(self) -> bool:
        """Corrections act on a still picture: a live feed is frozen first (the boxes would
        move under the pointer, and the crop saved must be the one the user judged)."""
        if self.run.frame is None:
            self.status.emit("There is no picture to correct yet.")
            return False
        if self.is_running() and not self.run.frozen:
            self.set_frozen(True)
            self.message.show_message(FROZEN_FOR_CORRECTING, error=False)
        return True

    def start_box_tool(self) -> None:
        if self.region_button.isChecked():
            self.region_button.setChecked(False)
        self.view.set_box_mode(True)

    def refresh_overlay(self) -> None:
        self.view.set_items(overlay_items(self.current_recognition(), self.uncertain_below, self.selected,
                                          corrected=self.corrected_digits()))

    def open_path(self, path: str) -> bool:
        self.start(path)
        return True

    def save(self) -> None:
        if self.run.frame is None:
            return
        name = time.strftime("snapshot-%Y%m%d-%H%M%S.png")
        path, _ = dialogs.save_file(self, self.store, "Save a snapshot", name, dialogs.PNG_FILTER)
        if path:
            self.save_to(path if path.lower().endswith(".png") else path + ".png")

    def save_to(self, path: str) -> bool:
        """The picture with its boxes as PNG, and the reading beside it as JSON."""
        if self._frame_image.isNull():
            return False
        shown = self.current_recognition()
        annotated = render_annotated(self._frame_image, overlay_items(shown, self.uncertain_below,
                                                                      corrected=self.corrected_digits()),
                                     self.run.region)
        rec = shown or Recognition(self._frame_image.width(), self._frame_image.height())
        json_path = os.path.splitext(path)[0] + ".json"
        _, reading = export.results_bytes(json_path, [export.PageResult(path, 0, rec)], self.inference.detail)
        try:  # both or neither: a full disk leaves no picture without its reading
            atomic.write_all([(Path(path), png_bytes(annotated)), (Path(json_path), reading)])
        except OSError as exc:
            self.message.show_message(atomic.write_error(path, exc, "the snapshot"))
            return False
        self.status.emit(f"Saved {path} and {os.path.basename(json_path)}")
        return True

    def activate(self) -> None:
        super().activate()
        if self._resume and self._thread is None:
            self._resume = False
            self.start()

    def deactivate(self) -> None:
        super().deactivate()
        if self.is_running():
            self._resume = True
            self.stop()
            self.info.setText("Paused while another mode is shown")

    def shutdown(self) -> None:
        self.stop()
        self.store.set(SOURCE_KEY, self.source_box.currentText())

    # -- camera ---------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def camera_thread(self) -> CameraThread | None:
        return self._thread

    def start(self, source: Source | str | None = None) -> None:
        """(Re)start reading from ``source`` (default: the one in the source box)."""
        if source is not None:
            self.source_box.setCurrentText(source_to_text(source) if isinstance(source, int) else source)
        text = self.source_box.currentText().strip()
        if not text:
            self.message.show_message("Choose a camera, a video file or a stream URL first.")
            self._update_controls()
            return
        self.stop()
        src = source_from_text(text)
        self._remember(text)
        self.message.hide()
        self.set_frozen(False)
        self.run.restart()
        thread = CameraThread(src, config=self.camera_config, factory=self.capture_factory)
        thread.frame_ready.connect(self._frame_ready)
        thread.failed.connect(self._failed)
        thread.status.connect(self._camera_status)
        thread.opened.connect(lambda fps: self._opened(src))
        thread.finished.connect(self._update_controls)
        self._thread = thread
        thread.start()
        self.info.setText(f"Opening {describe_source(src)}…")
        self._update_controls()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.stop()
            thread.frame_ready.disconnect(self._frame_ready)
            thread.failed.disconnect(self._failed)
            thread.status.disconnect(self._camera_status)
            self.inference.cancel(self.channel)
            self.info.setText("Stopped")
        self._update_controls()

    def set_frozen(self, frozen: bool) -> None:
        self.run.set_frozen(frozen)  # the frame rate is measured again from the first live frame
        if self.freeze_button.isChecked() != frozen:
            self.freeze_button.setChecked(frozen)
        self.freeze_button.setText("Frozen" if frozen else "Freeze")
        if self.run.frame is not None:
            self._show_info()
        if not frozen:
            # Live again: the corrections belonged to the still picture (they stay saved).
            self.view.set_box_mode(False)
            if self.message.text() == FROZEN_FOR_CORRECTING:
                self.message.hide()
            self.clear_corrections()

    def is_frozen(self) -> bool:
        return self.run.frozen

    def set_region(self, region) -> None:
        """Read only inside ``region`` (x, y, w, h in frame pixels), or everywhere (None)."""
        self.run.set_region(region)
        self.view.set_region(region)
        if self.region_button.isChecked():
            self.region_button.setChecked(False)
        self._update_controls()

    def region(self):
        return self.run.region

    # -- slots ----------------------------------------------------------------------------
    def _start_clicked(self, checked: bool) -> None:
        if checked:
            self.start()
        else:
            self.stop()

    def _frame_ready(self) -> None:
        thread = self._thread
        taken = thread.take_frame() if thread is not None else None
        if taken is None or self.run.frozen:
            return
        frame, stamp = taken
        step = self.run.frame_arrived(frame, stamp)
        self._frame_image = bgr_to_qimage(frame)
        self.view.set_image(self._frame_image, keep_view=not step.first)
        if step.cut:
            self._scene_cut()
        self.submit(step.to_read, tag=step.tag)
        self._show_info()
        if step.first:
            self._update_controls()

    def handle_result(self, result: Result) -> None:
        if self._thread is None and not self.run.frozen:
            return  # stopped since
        if not self.run.reading_arrived(result.recognition, result.tag, result.latency_ms):
            return  # read from the previous scene
        shown = self.current_recognition()
        n = len(shown.digits) if shown is not None else 0
        if self.selected is None or self.selected >= n:
            self.selected = 0 if n else None
        self.refresh_overlay()
        self.publish()
        self._show_info()

    def _opened(self, source: Source) -> None:
        self.info.setText(f"Reading {describe_source(source)}…")
        if self._reconnecting:
            self._reconnecting = False
            self.message.hide()
            self.status.emit(f"Reconnected to {describe_source(source)}")

    def _camera_status(self, message: str) -> None:
        """The source was lost and is being reconnected: shown until it is back (Stop works)."""
        self._reconnecting = True
        self.message.show_message(message, error=False)
        self.info.setText(message)
        self.status.emit(message)

    def _scene_cut(self) -> None:
        """The video was cut (the run dropped the previous scene's tracks): its boxes go at once."""
        self.selected = None
        self.refresh_overlay()
        self.publish()

    def _failed(self, message: str) -> None:
        self._reconnecting = False
        self.message.show_message(message, action="Restart", callback=self.start)
        self.info.setText(message)
        self.status.emit(message)
        self._update_controls()

    def _region_mode(self, on: bool) -> None:
        self.view.set_region_mode(on)
        if on:
            self.status.emit("Drag a rectangle on the picture")

    def _region_drawn(self, region) -> None:
        self.set_region(region)

    def _clicked(self, kind: str, index: int) -> None:
        if kind == "digit":
            self.select_digit(index)

    def _show_info(self) -> None:
        # Frozen: no frame rate (nothing runs), "Frozen" first so it is not missed.
        self.info.setText(" · ".join(self.run.info_parts()))

    def _remember(self, text: str) -> None:
        self.store.set(SOURCE_KEY, text)
        if CAMERA_ITEM.match(text):
            return
        recent = [text] + [s for s in self.store.get(RECENT_SOURCES_KEY, []) if s != text]
        self.store.set(RECENT_SOURCES_KEY, recent[:MAX_RECENT_SOURCES])
        if self.source_box.findText(text) < 0:
            self.source_box.addItem(text)

    def _update_controls(self) -> None:
        running = self.is_running() or (self._thread is not None and not self._thread.isFinished())
        self.start_button.setChecked(running)
        self.start_button.setText("Stop" if running else "Start")
        self.whole_button.setEnabled(self.run.region is not None)
        self.snapshot_button.setEnabled(self.run.frame is not None)
        self.actions_changed.emit()
