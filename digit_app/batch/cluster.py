"""Running a batch's tasks on a Dask distributed cluster (``--scheduler ADDRESS|local``).

Dask does the scheduling: a task is a few files, read by path on whichever worker takes it
(the workers share the client's storage); each worker thread loads the model at its first
task and keeps it (:func:`digit_app.batch.pages.loaded_recognizer`). Results come back in
completion order (``as_completed``); a worker that dies has its tasks run again elsewhere by
the scheduler, and a task that raised is retried ``retries`` times. A task whose workers keep
dying (a page that exhausts memory, say) becomes an error line for each of its files.
Dask is an optional dependency: ``pip install 'digit-app[cluster]'``.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from digit_app.batch.journal import BatchError
from digit_app.batch.pages import Job, Task, TaskResult, run_task, source_name
from digit_app.io.errors import detail

LOCAL = "local"  # --scheduler local: a LocalCluster on this machine


@dataclass(frozen=True)
class ClusterConfig:
    # Files per Dask task: enough to hide Dask's per-task cost (4 files, results fetched one by
    # one: 16.5 pages/s against 27.5 for --jobs 2 in one bench_batch run), few enough to
    # stream and to retry little.
    files_per_task: int = 16
    # Tasks submitted ahead (bounds the client's memory); the scheduler queues them and hands
    # them to workers as they become free, so workers joining later get their share.
    tasks_in_flight: int = 256
    retries: int = 2  # a task that raised runs again this many times
    connect_timeout_s: float = 30.0


DEFAULT = ClusterConfig()


def on_cluster(scheduler: str, tasks: Sequence[Task], job: Job, workers: int | None,
               cfg: ClusterConfig | None = None) -> Iterator[TaskResult]:
    """The tasks on the cluster at ``scheduler`` (``"local"``: a new LocalCluster of
    ``workers`` processes, default one per core), in completion order."""
    cfg = cfg or DEFAULT
    distributed = _import_distributed()
    with _client(distributed, scheduler, workers, cfg) as client:
        yield from run_on_client(client, tasks, job, cfg)


def run_on_client(client, tasks: Sequence[Task], job: Job,
                  cfg: ClusterConfig | None = None) -> Iterator[TaskResult]:
    """The tasks on an open ``distributed.Client``, in completion order."""
    from distributed import KilledWorker, as_completed

    cfg = cfg or DEFAULT
    todo = iter(tasks)
    by_future = {}

    def submit(task: Task):
        future = client.submit(run_task, task, job, retries=cfg.retries, pure=False)
        by_future[future] = task
        return future

    window = [submit(t) for _, t in zip(range(cfg.tasks_in_flight), todo)]
    # with_results: results are gathered in the background as tasks finish, not one by one here
    completed = as_completed(window, with_results=True, raise_errors=False)
    for future, result in completed:
        task = by_future.pop(future)
        future.release()
        if isinstance(result, KilledWorker):
            result = _lost(task, result)
        elif isinstance(result, BaseException):
            raise result
        following = next(todo, None)
        if following is not None:
            completed.add(submit(following))
        yield result


def _lost(task: Task, exc: Exception) -> TaskResult:
    reason = f"the Dask workers reading it kept dying ({detail(exc)})"
    records = [{"path": source_name(s), "error": reason} for s in task.sources]
    return TaskResult(task.index, "", records)


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise BatchError(f"--scheduler needs Dask ({exc}): pip install 'digit-app[cluster]'") from None
    return distributed


@contextmanager
def _client(distributed, scheduler: str, workers: int | None, cfg: ClusterConfig):
    if scheduler == LOCAL:
        with distributed.LocalCluster(
            n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR,
        ) as cluster, distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(scheduler, timeout=cfg.connect_timeout_s)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchError(f"cannot reach the Dask scheduler at {scheduler} ({detail(exc)})") from None
    with client:
        yield client
