"""Running a batch's tasks on this machine: in this process, or over ``--jobs`` processes."""
from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from digit_app.batch.pages import Job, Task, TaskResult, recognize_stream, run_task
from digit_app.child_process import exit_with_parent


def in_process(tasks: Sequence[Task], job: Job) -> Iterator[TaskResult]:
    """Every task here, in order, with a freshly loaded model; a result per model call."""
    from digit_app.recognizer import Recognizer

    recognizer = Recognizer.load(job.model, job.config)
    for task in tasks:
        for records in recognize_stream(recognizer, task.sources, job.config, job.dpi, task.skip):
            yield TaskResult(task.index, recognizer.model_name, records)


def over_processes(tasks: Sequence[Task], job: Job, jobs: int, in_flight: int) -> Iterator[TaskResult]:
    """The tasks over ``jobs`` worker processes (each loads the model once), in completion
    order; at most ``in_flight`` tasks per process are queued at a time."""
    todo = iter(tasks)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=exit_with_parent)
    try:
        running = {pool.submit(run_task, t, job) for t in _take(todo, jobs * in_flight)}
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            running |= {pool.submit(run_task, t, job) for t in _take(todo, len(done))}
            for future in done:
                yield future.result()
    finally:  # an error or Ctrl+C: drop the queued tasks rather than wait for them
        pool.shutdown(wait=True, cancel_futures=True)


def _take(items: Iterator[Task], n: int) -> list[Task]:
    return [t for _, t in zip(range(n), items)]
