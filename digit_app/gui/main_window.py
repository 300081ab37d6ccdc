"""The main window: three modes (Draw, Camera, Document), the side panel, menus, tool bar and
status bar; corrections, "My handwriting", adapting and the choice of model; remembers its
geometry and every setting between runs."""
from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digit_app.gui import icons, style
from digit_app.gui.correcting import Corrector
from digit_app.gui.model_choice import ADAPTED, NAMES, SHIPPED, ModelChoice, ModelLoader, adapted_path
from digit_app.gui.modes.base import CAN_CLEAR, CAN_OPEN, CAN_SAVE, CAN_UNDO, CAN_ZOOM, ModeWidget
from digit_app.gui.modes.camera import CameraMode
from digit_app.gui.modes.document import DocumentMode
from digit_app.gui.modes.draw import DrawMode
from digit_app.gui.settings_store import Store
from digit_app.gui.widgets.common import MessageBar
from digit_app.gui.widgets.handwriting_view import HandwritingDialog
from digit_app.gui.widgets.help_dialog import HelpDialog
from digit_app.gui.widgets.side_panel import SidePanel
from digit_app.gui.workers.adapt_runner import AdaptRunner
from digit_app.gui.workers.inference import STATE_ERROR, STATE_LOADING, STATE_READY, InferenceService, default_factory
from digit_app.samples import SampleError
from digit_app.session.adapt_worker import ADAPT_FUNCTION, AdaptReport, readiness
from digit_app.session.config_fields import coerce, describe
from digit_app.session.documents import is_video, recent_label

GEOMETRY_KEY, STATE_KEY, SPLITTER_KEY = "window/geometry", "window/state", "window/splitter"
MODE_KEY, SIDE_TAB_KEY, PIPELINE_GROUP = "window/mode", "window/side_tab", "pipeline"
SIDE_VISIBLE_KEY = "window/side_visible"
DRAW, CAMERA, DOCUMENT = 0, 1, 2
STATUS_TIMEOUT_MS = 6000
ADAPT_PROGRESS_WIDTH = 160

STATE_TEXT = {
    STATE_LOADING: ("Loading model…", style.LEVEL_COLOURS["medium"]),
    STATE_READY: ("Model ready", style.LEVEL_COLOURS["high"]),
    STATE_ERROR: ("Model error", style.LEVEL_COLOURS["low"]),
}


class MainWindow(QMainWindow):
    """``inference`` must be started by the caller (after ``show()``); closing stops it.

    ``model_loader(path)`` gives the recognizer factory of a model file (the adapted model);
    ``base_model`` is the model file adaptation starts from (None: the shipped model);
    ``adapt_function`` is what the adaptation process runs ("module:function").
    """

    def __init__(self, inference: InferenceService, settings: QSettings, parent: QWidget | None = None,
                 model_loader: ModelLoader | None = None, base_model: str | None = None,
                 adapt_function: str = ADAPT_FUNCTION):
        super().__init__(parent)
        self.inference = inference
        self.store = Store(settings)
        self.base_model = base_model
        self.corrector = Corrector(parent=self)
        self.models = ModelChoice(self.store, inference, inference.base_factory,
                                  model_loader or default_factory, self)
        self.adapt_runner = AdaptRunner(adapt_function, parent=self)
        self.handwriting: HandwritingDialog | None = None
        self.help_dialog: HelpDialog | None = None
        self.setWindowTitle(style.WINDOW_TITLE)
        self.setMinimumSize(*style.MIN_WINDOW_SIZE)
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self._closed = False

        self.draw_mode = DrawMode(inference, self.store)
        self.camera_mode = CameraMode(inference, self.store)
        self.document_mode = DocumentMode(inference, self.store)
        self.modes: list[ModeWidget] = [self.draw_mode, self.camera_mode, self.document_mode]
        self.stack = QStackedWidget()
        for mode in self.modes:
            self.stack.addWidget(mode)
            mode.result_changed.connect(self._result_changed)
            mode.status.connect(self.show_status)
            mode.latency.connect(self._latency)
            mode.actions_changed.connect(self._update_actions)
            mode.attach_corrector(self.corrector)
        self.document_mode.recent_changed.connect(self._fill_recent)

        self.side = SidePanel()
        self.side.reading.digit_selected.connect(lambda i: self.current_mode().select_digit(i))
        self.side.reading.pad.label_chosen.connect(lambda label: self.current_mode().correct_selected(label))
        self.side.reading.pad.box_requested.connect(self.box_missed_digit)
        self.side.settings.config_changed.connect(self._config_changed)
        self.banner = MessageBar()
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.stack, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.setCentralWidget(self.splitter)

        self.model_label = QLabel()
        self.latency_label = QLabel("Latency: –")
        self.latency_label.setToolTip("Time the last recognition took")
        self.adapt_progress = QProgressBar()
        self.adapt_progress.setMaximumWidth(ADAPT_PROGRESS_WIDTH)
        self.adapt_progress.setFormat("Adapting %p%")
        self.adapt_progress.setToolTip("Adapting the model to your handwriting")
        self.adapt_cancel = QToolButton(text="Cancel")  # type: ignore[call-arg]  # a Qt property as a keyword: PySide6 takes it, its stubs do not
        self.adapt_cancel.setToolTip("Stop adapting (nothing is changed)")
        self.adapt_cancel.clicked.connect(self.adapt_runner.cancel)
        self.statusBar().addPermanentWidget(self.adapt_progress)
        self.statusBar().addPermanentWidget(self.adapt_cancel)
        self.statusBar().addPermanentWidget(self.latency_label)
        self.statusBar().addPermanentWidget(self.model_label)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._adapt_running(False)
        inference.state_changed.connect(self._model_state)
        inference.config_ready.connect(self._config_ready)
        self.models.changed.connect(self._model_choice_changed)
        self.models.failed.connect(lambda text: self.show_error(text))
        self.corrector.changed.connect(self._update_actions)
        self.adapt_runner.running_changed.connect(self._adapt_running)
        self.adapt_runner.progress.connect(self._adapt_progress)
        self.adapt_runner.finished.connect(self._adapt_finished)
        self.adapt_runner.failed.connect(lambda text: self.show_error(f"Adaptation failed: {text}"))
        self.adapt_runner.refused.connect(lambda text: self.show_status(f"Not adapted yet: {text}."))
        self.adapt_runner.cancelled.connect(lambda: self.show_status("Adaptation cancelled; nothing changed."))
        self._model_state(inference.state if inference.state in STATE_TEXT else STATE_LOADING,
                          inference.detail)
        self._restore()

    # -- actions --------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: Any = None, icon: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(icon if not isinstance(icon, QStyle.StandardPixmap) else self.style().standardIcon(icon))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.mode_group = QActionGroup(self)
        self.mode_actions = []
        for i, (name, icon, tip) in enumerate((
            ("&Draw", icons.draw_icon(), "Draw digits with the mouse or a pen"),
            ("&Camera", icons.camera_icon(), "Read digits seen by a camera, a video or a stream"),
            ("D&ocument", icons.document_icon(), "Read the numbers on a scan or a PDF"),
        )):
            action = self._action(name, lambda checked=False, i=i: self.set_mode(i), f"Ctrl+{i + 1}", icon,
                                  f"{tip} (Ctrl+{i + 1})")
            action.setCheckable(True)
            self.mode_group.addAction(action)
            self.mode_actions.append(action)
        self.open_action = self._action("&Open…", lambda: self.current_mode().open_file(),
                                        QKeySequence.StandardKey.Open, sp.SP_DialogOpenButton)
        self.save_action = self._action("&Save…", lambda: self.current_mode().save(),
                                        QKeySequence.StandardKey.Save, sp.SP_DialogSaveButton)
        self.paste_action = self._action("&Paste Image", self.paste, QKeySequence.StandardKey.Paste,
                                         tip="Read an image from the clipboard")
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self._action("&Undo", lambda: self.current_mode().undo(),
                                        QKeySequence.StandardKey.Undo, sp.SP_ArrowBack, "Undo the last stroke")
        self.clear_action = self._action("C&lear", lambda: self.current_mode().clear(),
                                         [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Ctrl+L")],
                                         sp.SP_DialogResetButton, "Clear the canvas")
        self.reset_action = self._action("&Reset Settings to Defaults", self.side.settings.reset_to_defaults)
        self.zoom_in_action = self._action("Zoom &In", lambda: self.current_mode().zoom_in(),
                                           [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
        self.zoom_out_action = self._action("Zoom &Out", lambda: self.current_mode().zoom_out(),
                                            QKeySequence.StandardKey.ZoomOut)
        self.zoom_fit_action = self._action("&Fit to Window", lambda: self.current_mode().zoom_fit(), "Ctrl+0")
        self.side_action = self._action("Side &Panel", self._toggle_side, "F9")
        self.side_action.setCheckable(True)
        self.side_action.setChecked(True)
        self.full_screen_action = self._action("F&ull Screen", self._toggle_full_screen,
                                               QKeySequence.StandardKey.FullScreen)
        self.about_action = self._action("&About", self._about)
        self.help_action = self._action("&How to Use…", self.show_help, QKeySequence.StandardKey.HelpContents,
                                        tip="What each mode does, and every keyboard shortcut")
        self.box_action = self._action("&Box a Missed Digit", self.box_missed_digit, "Ctrl+B",
                                       tip="Drag a box around a digit that was not found, then label it")
        self.undo_correction_action = self._action("Undo Last &Correction", self.undo_last_correction,
                                                   tip="Delete the sample saved by the last correction")
        self.handwriting_action = self._action("&My Handwriting…", self.show_handwriting, "Ctrl+H",
                                               tip="Your corrected samples: counts, gallery, export, import")
        self.adapt_action = self._action("&Adapt to My Handwriting…", self.adapt_to_handwriting,
                                         tip="Fine-tune the model on your samples, in the background")
        self.model_group = QActionGroup(self)
        self.model_actions = {}
        for choice, text in ((SHIPPED, "Read with the &Shipped Model"), (ADAPTED, "Read with the A&dapted Model")):
            action = self._action(text, lambda checked=False, c=choice: self.models.set_choice(c))
            action.setCheckable(True)
            self.model_group.addAction(action)
            self.model_actions[choice] = action

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.setToolTipsVisible(True)  # the whole path of each file
        menu.addAction(self.save_action)
        menu.addSeparator()
        menu.addAction(self.paste_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = self.menuBar().addMenu("&Edit")
        menu.addAction(self.undo_action)
        menu.addAction(self.clear_action)
        menu.addSeparator()
        menu.addAction(self.reset_action)
        menu = self.menuBar().addMenu("&View")
        for action in self.mode_actions:
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_fit_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.side_action)
        menu.addAction(self.full_screen_action)
        menu = self.menuBar().addMenu("&Handwriting")
        menu.addAction(self.box_action)
        menu.addAction(self.undo_correction_action)
        menu.addSeparator()
        menu.addAction(self.handwriting_action)
        menu.addAction(self.adapt_action)
        menu.addSeparator()
        for action in self.model_actions.values():
            menu.addAction(action)
        menu.aboutToShow.connect(self._update_model_actions)
        menu.aboutToShow.connect(self._update_adapt_action)
        menu.setToolTipsVisible(True)
        self.handwriting_menu = menu
        menu = self.menuBar().addMenu("&Help")
        menu.addAction(self.help_action)
        menu.addAction(self.about_action)
        self._fill_recent()

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("main_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setMovable(False)
        for action in self.mode_actions:
            bar.addAction(action)
        bar.addSeparator()
        for action in (self.open_action, self.save_action, self.undo_action, self.clear_action):
            bar.addAction(action)
        self.addToolBar(bar)
        self.toolbar = bar

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.document_mode.recent_files()
        for path in recent:
            action = self.recent_menu.addAction(recent_label(path).replace("&", "&&"))
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda checked=False, p=path: self.open_path(p))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear List", self.document_mode.clear_recent)
        self.recent_menu.setEnabled(bool(recent))

    def _update_actions(self) -> None:
        mode = self.current_mode()
        caps = mode.capabilities()
        self.open_action.setText(mode.open_label)
        self.save_action.setText(mode.save_label)
        self.open_action.setIconText(mode.open_short)
        self.save_action.setIconText(mode.save_short)
        self.open_action.setEnabled(CAN_OPEN in caps)
        self.save_action.setEnabled(CAN_SAVE in caps)
        self.undo_action.setEnabled(CAN_UNDO in caps)
        self.clear_action.setEnabled(CAN_CLEAR in caps)
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_fit_action):
            action.setEnabled(CAN_ZOOM in caps)
        draw = isinstance(mode, DrawMode)
        self.undo_action.setText("&Undo" if draw else "&Undo Correction")
        self.undo_action.setIconText("Undo")
        tip = "Undo the last stroke or correction" if draw else "Undo the last correction made here"
        self.undo_action.setStatusTip(tip)
        self.undo_action.setToolTip(tip)
        self.clear_action.setVisible(draw)
        self.undo_correction_action.setEnabled(self.corrector.can_undo())
        self._update_model_actions()

    # -- modes ----------------------------------------------------------------------------
    def current_mode(self) -> ModeWidget:
        return self.modes[self.stack.currentIndex()]

    def set_mode(self, index: int) -> None:
        index = min(max(index, 0), len(self.modes) - 1)
        old = self.current_mode()
        if old is not self.modes[index] or not old.active:
            old.deactivate()
            self.stack.setCurrentIndex(index)
            self.mode_actions[index].setChecked(True)
            self.modes[index].activate()
            self._latency(self.modes[index].last_latency_ms)  # the mode's own, not the last one's
        self.store.set(MODE_KEY, index)
        self._update_actions()

    def open_path(self, path: str) -> bool:
        """Open a file in the mode it belongs to: a video in Camera, anything else in Document."""
        if is_video(path):
            self.set_mode(CAMERA)
            return self.camera_mode.open_path(path)
        self.set_mode(DOCUMENT)
        return self.document_mode.open_path(path)

    def paste(self) -> None:
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.show_status("The clipboard holds no image.")
            return
        self.paste_image(image)

    def paste_image(self, image: QImage) -> None:
        """An image from the clipboard: onto the canvas in Draw mode, else as a document."""
        if self.current_mode() is self.draw_mode:
            self.draw_mode.paste_image(image)
        else:
            self.set_mode(DOCUMENT)
            self.document_mode.paste_image(image)

    # -- results and status ---------------------------------------------------------------
    def _result_changed(self, rec, selected, note: str) -> None:
        if self.sender() is self.current_mode():
            mode = self.current_mode()
            self.side.reading.set_recognition(rec, selected, mode.uncertain_below, note,
                                              mode.corrected_digits())

    def _latency(self, ms: float | None) -> None:
        self.latency_label.setText("Latency: –" if ms is None else f"Latency: {ms:.0f} ms")

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def show_error(self, text: str) -> None:
        """An unexpected error, shown in the window (the app keeps running)."""
        self.banner.show_message(text)
        self.show_status(text)

    def _model_state(self, state: str, detail: str) -> None:
        text, colour = STATE_TEXT.get(state, ("Model stopped", style.MUTED_TEXT_COLOUR))
        which = self.models.active or self.models.choice()
        if state == STATE_READY:
            text = f"{NAMES[which].capitalize()} ready" + (f": {detail}" if detail else "")
        self.model_label.setText(f"<span style='color:{colour.name()}'>●</span> {text}")
        self.model_label.setToolTip(detail)
        adapted = state == STATE_READY and which == ADAPTED
        # The platform appends the application's display name (WINDOW_TITLE) to any other title.
        self.setWindowTitle(style.ADAPTED_WINDOW_TITLE if adapted else style.WINDOW_TITLE)
        if state == STATE_ERROR and not self.models.falling_back:
            # (an adapted model that fails is reported by ModelChoice, which goes back to the shipped one)
            self.banner.show_message(f"The model could not be loaded: {detail}")

    # -- corrections, my handwriting, adapting, models ------------------------------------
    def box_missed_digit(self) -> None:
        self.current_mode().begin_box_missed()

    def undo_last_correction(self) -> None:
        entry = self.corrector.undo()
        self.show_status("Last correction undone." if entry else "No correction to undo.")

    def show_handwriting(self) -> HandwritingDialog:
        """The "My handwriting" window (one, non-modal)."""
        if self.handwriting is None:
            self.handwriting = HandwritingDialog(self.corrector, self.store, self.adapt_runner, self.models,
                                                 self.start_adaptation, self)
        self.handwriting.show()
        self.handwriting.raise_()
        self.handwriting.activateWindow()
        return self.handwriting

    def adapt_to_handwriting(self) -> None:
        self.show_handwriting()
        self.start_adaptation()

    def adapt_readiness(self) -> str:
        """Why adapting cannot start now ('' when it can)."""
        try:
            samples = len(self.corrector.store)
        except SampleError as exc:
            return f"your samples cannot be read ({exc})"
        return readiness(samples)

    def start_adaptation(self) -> bool:
        """Adapt the model in use (the adapted one when it is chosen, else the one the app was
        started with) to every sample, in a background process."""
        reason = self.adapt_readiness()
        if reason:
            self.adapt_runner.refused.emit(reason)  # said where the run's own refusal is said
            return False
        kwargs = {"samples": str(self.corrector.store.root), "out": str(adapted_path())}
        if self.models.choice() == ADAPTED and self.models.adapted_available():
            kwargs["base_model"] = str(adapted_path())
        elif self.base_model:
            kwargs["base_model"] = str(self.base_model)
        started = self.adapt_runner.start(**kwargs)
        if started:
            self.show_status("Adapting to your handwriting in the background; the app stays usable.")
        return started

    def _adapt_running(self, running: bool) -> None:
        self.adapt_progress.setVisible(running)
        self.adapt_cancel.setVisible(running)
        self.adapt_action.setEnabled(not running)
        if running:
            self.adapt_progress.setRange(0, 0)

    def _adapt_progress(self, step: int, total: int, message: str) -> None:
        if total > 0:
            self.adapt_progress.setRange(0, total)
            self.adapt_progress.setValue(step)
        self.adapt_progress.setToolTip(f"Adapting to your handwriting: {message}")

    def _adapt_finished(self, report: AdaptReport) -> None:
        if report.kept:
            self.models.set_choice(ADAPTED)
            self.banner.show_message(f"{report.headline()} Now in use ({report.one_line()}).", error=False,
                                     action="Use the shipped model",
                                     callback=lambda: self.models.set_choice(SHIPPED))
        else:
            self.banner.show_message(f"{report.headline()} ({report.one_line()}).", error=False)
        self.show_status(report.headline())

    def _model_choice_changed(self, choice: str) -> None:
        self._update_model_actions()
        self.show_status(f"Reading with the {NAMES[choice]}…")

    def _update_model_actions(self) -> None:
        self.model_actions[ADAPTED].setEnabled(self.models.adapted_available())
        self.model_actions[self.models.choice()].setChecked(True)

    def _update_adapt_action(self) -> None:
        """Adapting waits for enough samples, and says why (the menu shows tooltips); checked
        when the Handwriting menu opens (not at start-up: the rule imports the pipeline)."""
        reason = self.adapt_readiness()
        self.adapt_action.setEnabled(not self.adapt_runner.is_running() and not reason)
        tip = f"Not yet: {reason}." if reason else "Fine-tune the model on your samples, in the background"
        self.adapt_action.setToolTip(tip)
        self.adapt_action.setStatusTip(tip)

    # -- settings -------------------------------------------------------------------------
    def _config_ready(self, default: Any) -> None:
        config = default
        if default is not None:
            stored = {}
            for spec in describe(default):
                raw = self.store.qsettings.value(f"{PIPELINE_GROUP}/{spec.name}")
                if raw is not None:
                    with contextlib.suppress(TypeError, ValueError):
                        stored[spec.name] = coerce(spec, raw)
            try:
                config = dataclasses.replace(default, **stored)
            except (TypeError, ValueError):
                config = default
            self.side.settings.set_config(default, config)
        for mode in self.modes:
            mode.set_config(config)

    def _config_changed(self, config: Any) -> None:
        self.store.remove(PIPELINE_GROUP)
        default = self.inference.default_config
        for spec in describe(config):
            value = getattr(config, spec.name)
            if default is None or value != getattr(default, spec.name):
                self.store.set(f"{PIPELINE_GROUP}/{spec.name}", value)
        for mode in self.modes:
            mode.set_config(config)

    def _restore(self) -> None:
        geometry = self.store.get(GEOMETRY_KEY, QByteArray())
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(*style.DEFAULT_WINDOW_SIZE)
        state = self.store.get(STATE_KEY, QByteArray())
        if not state.isEmpty():
            self.restoreState(state)
        splitter = self.store.get(SPLITTER_KEY, QByteArray())
        if splitter.isEmpty() or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([self.width() - style.SIDE_PANEL_WIDTH, style.SIDE_PANEL_WIDTH])
        visible = self.store.get(SIDE_VISIBLE_KEY, True)
        self.side_action.setChecked(visible)
        self.side.setVisible(visible)
        self.side.setCurrentIndex(self.store.get(SIDE_TAB_KEY, 0))
        self.set_mode(self.store.get(MODE_KEY, DRAW))

    def save_settings(self) -> None:
        self.store.set(GEOMETRY_KEY, self.saveGeometry())
        self.store.set(STATE_KEY, self.saveState())
        self.store.set(SPLITTER_KEY, self.splitter.saveState())
        self.store.set(SIDE_TAB_KEY, self.side.currentIndex())
        self.store.set(SIDE_VISIBLE_KEY, self.side_action.isChecked())
        self.store.set(MODE_KEY, self.stack.currentIndex())
        problem = self.store.sync()
        if problem:
            self.show_error(problem)
            print(f"digit-app: {problem}", file=sys.stderr)  # the window may be closing

    # -- window events --------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Save the settings and stop every thread (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.adapt_runner.stop()
        if self.handwriting is not None:
            self.handwriting.close()
        for mode in self.modes:
            mode.shutdown()
            mode.finish_background()
        self.save_settings()
        self.inference.stop()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasImage() or any(url.isLocalFile() for url in mime.urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        if files:
            self.open_path(files[0])
            if len(files) > 1:
                self.show_status(f"Opened {os.path.basename(files[0])}; one file at a time.")
            event.acceptProposedAction()
        elif mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                self.paste_image(image)
                event.acceptProposedAction()

    def _toggle_side(self, checked: bool) -> None:
        self.side.setVisible(checked)

    def _toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def show_help(self) -> HelpDialog:
        """Help ▸ How to Use (one window, raised if already open)."""
        if self.help_dialog is None:
            actions = [*self.mode_actions, self.open_action, self.save_action, self.paste_action,
                       self.undo_action, self.clear_action, self.zoom_in_action, self.zoom_out_action,
                       self.zoom_fit_action, self.side_action, self.full_screen_action, self.box_action,
                       self.handwriting_action, self.help_action, self.quit_action]
            self.help_dialog = HelpDialog(actions, self)
        self.help_dialog.show()
        self.help_dialog.raise_()
        return self.help_dialog

    def _about(self) -> None:
        from digit_app import __version__

        QMessageBox.about(self, "About digit-app",
                          f"<b>digit-app {__version__}</b><p>Reads handwritten digits live: drawn, "
                          "seen by a camera, or found on scanned documents. One OpenCV pipeline and "
                          "one LeNet model serve all three.</p>")
