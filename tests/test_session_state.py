"""The state of Document mode and of a Camera run (digit_app.session.document, .camera),
tested without a window: no Qt is imported."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from digit_app.session.camera import CameraRun
from digit_app.session.document import DocumentSession
from digit_app.session.documents import Document, document_from_image
from digit_app.types import Digit, Number, Recognition


def _rec(*digits: Digit, width: int = 100, height: int = 50) -> Recognition:
    numbers = tuple(Number(str(d.label), d.confidence, d.box, (i,)) for i, d in enumerate(digits))
    return Recognition(width, height, tuple(digits), numbers)


def _doc(pages: int = 3) -> Document:
    return Document("scan.tif", [np.zeros((4, 4), np.uint8)] * pages, list(range(pages)))


def test_session_modules_do_not_import_qt():
    code = ("import sys\n"
            "import digit_app.session.document, digit_app.session.camera\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- DocumentSession ------------------------------------------------------------------------
def test_pages_are_read_once_the_one_shown_first():
    s = DocumentSession()
    assert s.next_page_to_read() is None and not s.is_done() and s.page_count() == 0
    s.set_document(_doc(3))
    run = s.run
    s.page = 1
    assert s.next_page_to_read() == 1 and s.is_reading()
    assert s.record_result(run, 1, _rec(Digit(4, 0.9, (0, 0, 5, 5))))
    assert s.next_page_to_read() == 0
    s.record_result(run, 0, _rec())
    assert s.next_page_to_read() == 2 and s.pages_done() == 2
    s.record_result(run, 2, _rec())
    assert s.next_page_to_read() is None and not s.is_reading() and s.is_done()
    assert s.pages_read() == [0, 1, 2]


def test_late_readings_and_late_files_are_ignored():
    s = DocumentSession()
    first = s.open_requested()
    second = s.open_requested()
    assert not s.is_current_open(first) and s.is_current_open(second)
    s.set_document(_doc(2))
    old_run = s.run
    assert s.settings_changed()  # new settings: every page read again
    assert not s.record_result(old_run, 0, _rec())
    assert not s.results and not s.record_failure(old_run, 0, "boom")
    assert s.record_result(s.run, 0, _rec())
    s.set_document(document_from_image(np.zeros((2, 2, 3), np.uint8)))  # a new document: none kept
    assert not s.results and s.page == -1 and s.page_count() == 1


def test_cancel_stops_reading_until_the_next_run():
    s = DocumentSession()
    assert not s.cancel()  # nothing open
    s.set_document(_doc(3))
    s.next_page_to_read()
    s.record_result(s.run, 0, _rec())
    assert s.cancel() and not s.is_reading() and s.is_stopped()
    assert s.next_page_to_read() is None and s.pages_done() == 1
    s.settings_changed()
    assert not s.is_stopped() and s.next_page_to_read() == 0


def test_page_errors_and_failures_are_listed_and_not_retried():
    s = DocumentSession()
    s.set_document(_doc(3))
    run = s.run
    assert s.record_page_error(run, 1, RuntimeError("bad page"))
    assert s.record_page_error(run, 1, RuntimeError("bad page"))  # listed once
    assert s.record_failure(run, 2, "model failed")
    assert s.errors_text() == "page 2: bad page; page 3: model failed"
    assert s.pages_to_read() == [0]
    assert s.doc.errors[0] == {"path": "scan.tif", "error": "page 2: bad page"}


def test_export_rows_use_the_reading_given_and_the_page_numbers():
    s = DocumentSession()
    s.set_document(Document("a.pdf", [np.zeros((2, 2), np.uint8)] * 2, [3, 7]))
    a, b = _rec(Digit(1, 0.9, (0, 0, 2, 2))), _rec(Digit(2, 0.9, (0, 0, 2, 2)))
    s.record_result(s.run, 1, b)
    s.record_result(s.run, 0, a)
    rows = s.export_rows()
    assert [(r.path, r.page, r.recognition) for r in rows] == [("a.pdf", 3, a), ("a.pdf", 7, b)]
    corrected = _rec(Digit(8, 1.0, (0, 0, 2, 2)))
    assert [r.recognition for r in s.export_rows(lambda page: corrected)] == [corrected, corrected]
    assert DocumentSession().export_rows() == []


# -- CameraRun --------------------------------------------------------------------------------
def _frame(value: int, size=(40, 60)) -> np.ndarray:
    return np.full(size + (3,), value, np.uint8)


def test_frames_are_counted_timed_and_tagged():
    run = CameraRun(fps_smoothing=0.5)
    step = run.frame_arrived(_frame(100), 1.0)
    assert step.first and not step.cut and step.tag == (0, 0, 60, 40, 1) and run.fps == 0
    run.frame_arrived(_frame(100), 1.1)
    assert run.fps == pytest.approx(10.0)
    run.frame_arrived(_frame(100), 1.3)
    assert run.fps == pytest.approx(7.5)  # half the newest rate (5), half the average
    run.set_region((10, 5, 20, 10))
    step = run.frame_arrived(_frame(100), 1.4)
    assert not step.first and step.to_read.shape == (10, 20, 3) and step.tag == (10, 5, 60, 40, 4)
    assert run.frames_shown == 4
    assert run.info_parts()[-2:] == ["60×40", "region 20×10"]


def test_readings_are_steadied_offset_and_counted():
    run = CameraRun()
    step = run.frame_arrived(_frame(100), 1.0)
    run.set_region((10, 5, 20, 10))
    assert run.reading_arrived(_rec(Digit(3, 0.9, (1, 1, 4, 6)), width=20, height=10),
                               (10, 5, 60, 40, step.tag[-1]), 12.0)
    assert run.recognition.digits[0].box == (11, 6, 4, 6) and run.recognition.width == 60
    assert run.results_shown == 1 and run.latency_ms == 12.0


def test_a_cut_drops_the_previous_scene_and_its_late_readings():
    run = CameraRun()
    tag = run.frame_arrived(_frame(20), 1.0).tag
    run.reading_arrived(_rec(Digit(3, 0.9, (1, 1, 4, 6))), tag, 5.0)
    assert run.frame_arrived(_frame(20), 1.1).cut is False
    step = run.frame_arrived(_frame(230), 1.2)  # another scene
    assert step.cut and run.cut_at == 3 and run.recognition is None
    assert not run.reading_arrived(_rec(Digit(3, 0.9, (1, 1, 4, 6))), tag, 5.0)  # read before the cut
    assert run.recognition is None and run.results_shown == 1
    assert run.reading_arrived(_rec(), step.tag, 5.0)


def test_freezing_and_restarting():
    run = CameraRun()
    run.frame_arrived(_frame(20), 1.0)
    run.frame_arrived(_frame(20), 1.5)
    run.set_frozen(True)
    assert run.fps == 0 and run.last_frame_time is None and run.info_parts()[0] == "Frozen"
    run.restart()
    assert not run.frozen and run.cut_at == 0 and run.signature is None and run.recognition is None
    assert run.frame is not None and run.frames_shown == 2  # the picture and the counters stay
    assert run.info_parts()[:2] == ["0.0 fps", "recognition 0 ms"]
