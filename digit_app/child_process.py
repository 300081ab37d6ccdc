"""Worker processes that end with the process that started them.

A ``ProcessPoolExecutor`` worker holds both ends of its job queue, so when its parent is killed
(a signal, not Ctrl+C, which reaches the whole process group) it waits for work forever,
keeping its data in memory: a gigabyte for each of ``digit-app train``'s data workers.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import wait


def exit_with_parent() -> None:
    """In a ``multiprocessing`` child (a pool's initializer): end this process as soon as its
    parent ends, however it ends. Does nothing in a process that ``multiprocessing`` did not
    start."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel  # ready when the parent has ended

    def watch() -> None:
        wait([sentinel])
        os._exit(1)  # no clean-up: there is no one left to hand anything to

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
