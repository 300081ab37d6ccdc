"""One-shot background jobs (gui.workers.jobs): run in a pool thread, answered in the GUI thread."""
from __future__ import annotations

import threading

from digit_app.gui.workers.jobs import BackgroundJobs


def test_a_job_runs_in_a_pool_thread_and_answers_in_the_gui_thread(qtbot):
    jobs = BackgroundJobs()
    ran_in, answers = [], []

    def work(a, b):
        ran_in.append(threading.get_ident())
        return a + b

    jobs.run_in_background(work, 2, 3, on_done=lambda v: answers.append((v, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(answers))
    assert answers == [(5, threading.get_ident())] and ran_in[0] != threading.get_ident()
    assert jobs.pending() == 0


def test_errors_go_to_on_error_only_of_the_classes_given(qtbot):
    jobs = BackgroundJobs()
    done, failed = [], []

    def fail(exc):
        raise exc

    jobs.run_in_background(fail, ValueError("bad"), on_done=done.append, on_error=failed.append)
    qtbot.waitUntil(lambda: bool(failed))
    assert not done and str(failed[0]) == "bad"
    # Another class: an error of the program, raised in the pool thread; the job is forgotten.
    with qtbot.capture_exceptions() as raised:
        jobs.run_in_background(fail, KeyError("x"), on_done=done.append, on_error=failed.append,
                               errors=(ValueError,))
        jobs.wait()
        qtbot.waitUntil(lambda: jobs.pending() == 0)
    assert [type(e[1]) for e in raised] == [KeyError]
    assert not done and len(failed) == 1


def test_answers_come_in_the_order_jobs_end_and_wait_lets_them_end(qtbot):
    jobs = BackgroundJobs()
    answers = []
    for i in range(4):
        jobs.run_in_background(lambda i=i: i, on_done=answers.append)
    jobs.wait()
    qtbot.waitUntil(lambda: len(answers) == 4)
    assert sorted(answers) == [0, 1, 2, 3]
