"""Camera mode fed by a video file: live results, steady labels, clean stops, errors."""
from __future__ import annotations

import json

import cv2
from gui_helpers import write_video
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from digit_app.gui.main_window import CAMERA
from digit_app.gui.workers.camera import CameraThread, parse_source, source_kind

TIMEOUT = 8000


def test_video_file_shows_results_and_stops_cleanly(window, qtbot, tmp_path):
    video = write_video(tmp_path / "digits.avi", "42")
    window.set_mode(CAMERA)
    camera = window.camera_mode
    camera.start(video)
    qtbot.waitUntil(lambda: camera.results_shown >= 5, timeout=TIMEOUT)
    rec = camera.current_recognition()
    assert [n.text for n in rec.numbers] == ["77"]
    assert len([i for i in camera.view.items() if i.kind == "digit"]) == 2
    assert "fps" in camera.info.text() and "recognition" in camera.info.text()
    assert window.side.reading.numbers_label.text() == "77"
    thread = camera.camera_thread()
    assert thread is not None and thread.isRunning()
    camera.stop()
    assert not thread.isRunning() and thread.isFinished()
    assert not camera.is_running()
    assert camera.start_button.text() == "Start"


def test_freeze_region_and_snapshot(window, qtbot, tmp_path):
    video = write_video(tmp_path / "digits.avi", "42")
    window.set_mode(CAMERA)
    camera = window.camera_mode
    camera.start(video)
    qtbot.waitUntil(lambda: camera.results_shown >= 3, timeout=TIMEOUT)
    # Restrict recognition to the left half: only the "4" remains.
    view = camera.view
    view.resize(640, 480)
    camera.region_button.setChecked(True)
    t = view.transform()
    QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, t.map(QPoint(2, 2)))
    QTest.mouseMove(view, t.map(QPoint(80, 120)))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, t.map(QPoint(110, 235)))
    assert camera.region() is not None and camera.region()[2] < 160
    shown = camera.results_shown
    qtbot.waitUntil(lambda: camera.results_shown > shown + 3, timeout=TIMEOUT)
    rec = camera.current_recognition()
    assert len([d for d in rec.digits if d.box[0] < 110]) == 1
    assert all(d.box[0] + d.box[2] <= 110 + 2 for d in rec.digits[:1])
    # Freeze: the picture no longer changes.
    camera.freeze_button.setChecked(True)
    qtbot.wait(100)
    frames = camera.frames_shown
    qtbot.wait(300)
    assert camera.frames_shown == frames
    # Frozen, the frame rate is not shown running on.
    assert camera.info.text().startswith("Frozen") and "fps" not in camera.info.text()
    out = tmp_path / "snap.png"
    assert camera.save_to(str(out))
    assert cv2.imread(str(out)).shape == (240, 320, 3)
    reading = json.loads((tmp_path / "snap.json").read_text())
    assert reading["results"][0]["numbers"][0]["text"] == "7"
    camera.freeze_button.setChecked(False)
    qtbot.waitUntil(lambda: camera.frames_shown > frames, timeout=TIMEOUT)
    camera.whole_button.click()
    assert camera.region() is None


def test_a_camera_that_cannot_be_opened_shows_a_message_and_can_restart(window, qtbot, tmp_path):
    window.set_mode(CAMERA)
    camera = window.camera_mode
    camera.start(str(tmp_path / "missing.avi"))
    qtbot.waitUntil(lambda: "Cannot open" in camera.message.text(), timeout=TIMEOUT)
    assert camera.message.action_button.isVisible()
    qtbot.waitUntil(lambda: not camera.is_running(), timeout=TIMEOUT)
    # The file appears; "Restart" starts again.
    write_video(tmp_path / "missing.avi", "7")
    camera.message.action_button.click()
    qtbot.waitUntil(lambda: camera.results_shown >= 2, timeout=TIMEOUT)
    assert not camera.message.text()


def test_a_source_that_goes_away_is_reported(qtbot, tmp_path):
    video = write_video(tmp_path / "short.avi", "1", frames=3)
    thread = CameraThread(video, loop_files=False)
    messages = []
    thread.failed.connect(messages.append)
    thread.start()
    qtbot.waitUntil(lambda: bool(messages), timeout=TIMEOUT)
    thread.wait()
    assert thread.frames_read == 3
    assert "ended" in messages[0]


def test_leaving_camera_mode_pauses_the_camera(window, qtbot, tmp_path):
    video = write_video(tmp_path / "digits.avi", "42")
    window.set_mode(CAMERA)
    window.camera_mode.start(video)
    qtbot.waitUntil(lambda: window.camera_mode.frames_shown > 0, timeout=TIMEOUT)
    window.set_mode(0)
    assert not window.camera_mode.is_running()
    window.set_mode(CAMERA)
    assert window.camera_mode.is_running()


def test_sources_are_parsed():
    assert parse_source("0") == 0 and source_kind(0) == "device"
    assert source_kind(parse_source("rtsp://phone:8080/video")) == "stream"
    assert source_kind(parse_source("/tmp/a.avi")) == "file"


def _write_cut_video(path, frames_each: int = 12) -> str:
    """"42" on the left, then a cut to a darker scene with "7" on the right (MJPG .avi)."""
    import numpy as np
    from gui_helpers import digits_image

    h, w = 240, 320
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 20, (w, h))
    for _ in range(frames_each):
        writer.write(digits_image("42", size=(h, w), scale=3.0, thickness=10, origin=(20, 150)))
    for _ in range(frames_each):
        img = digits_image("7", size=(h, w), scale=3.0, thickness=10, origin=(230, 150))
        img[:40] = 90  # the second scene: a dark band at the top (a different picture)
        writer.write(np.clip(img.astype(np.int16) - 60, 0, 255).astype(np.uint8))
    writer.release()
    return str(path)


def test_a_cut_in_the_video_drops_the_previous_scenes_boxes_at_once(window, qtbot, tmp_path):
    video = _write_cut_video(tmp_path / "cut.avi")
    window.set_mode(CAMERA)
    camera = window.camera_mode
    counts = []

    def record(result):
        if result.channel == "camera":
            counts.append((result.tag[4], len(camera.current_recognition().digits)))

    window.inference.result_ready.connect(record)
    camera.start(video)
    qtbot.waitUntil(lambda: camera._cut_at > 0, timeout=TIMEOUT)
    cut = camera._cut_at
    qtbot.waitUntil(lambda: sum(seq >= cut for seq, _ in counts) >= 4, timeout=TIMEOUT)
    camera.stop()
    window.inference.result_ready.disconnect(record)
    counts = [(seq, n) for seq, n in counts if seq < cut + 8]  # a looping video cuts again
    before = [n for seq, n in counts if seq < cut]
    after = [n for seq, n in counts if seq >= cut]
    assert before and after
    assert after == [1] * len(after), counts  # no box of "42" lingers after the cut


def test_enter_in_the_source_field_starts_it_and_clears_the_old_error(window, qtbot, tmp_path):
    window.set_mode(CAMERA)
    camera = window.camera_mode
    camera.start(str(tmp_path / "missing.avi"))
    qtbot.waitUntil(lambda: "Cannot open" in camera.message.text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not camera.is_running(), timeout=TIMEOUT)
    video = write_video(tmp_path / "digits.avi", "42", frames=60)
    line = camera.source_box.lineEdit()
    line.setText(video)
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert camera.message.isHidden()
    qtbot.waitUntil(lambda: camera.results_shown >= 1, timeout=TIMEOUT)
    assert camera.source_box.currentText() == video
    assert camera.source_box.findText(video) >= 0
    camera.stop()
