"""The one exception the input layer raises: which file, and what is wrong with it."""
from __future__ import annotations

import errno
import os

#: Name used for standard input, in paths given by the user and in messages.
STDIN_NAME = "-"


class InputError(ValueError):
    """A file (or standard input, ``"-"``) that cannot be read as an image or a document.

    ``path`` is the path as the user gave it; ``reason`` is one readable sentence;
    ``page`` is the 0-based page index when the problem concerns a single page of a
    multi-page document (the other pages may be fine), else ``None``.
    ``str(err)`` is ``f"{path}: {reason}"``.
    """

    def __init__(self, path: str, reason: str, page: int | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.page = page

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        # keep it picklable (multiprocessing batch jobs)
        return (type(self), (self.path, self.reason, self.page))

    @classmethod
    def from_os_error(cls, path: str, exc: OSError) -> InputError:
        """Translate a failed ``stat``/``open``/``read`` into a readable reason."""
        if isinstance(exc, FileNotFoundError):
            return cls(path, "does not exist")
        if isinstance(exc, IsADirectoryError):
            return cls(path, "is a directory")
        if isinstance(exc, PermissionError):
            return cls(path, "permission denied")
        detail = exc.strerror or errno.errorcode.get(exc.errno or 0) or type(exc).__name__
        return cls(path, f"cannot be read ({detail})")


def display_name(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """The path as a ``str``, exactly as given (no resolving), for messages and ``Page.path``."""
    return os.fsdecode(os.fspath(path))


MAX_DETAIL_CHARS = 120


def detail(exc: BaseException) -> str:
    """A library exception as a short one-line parenthetical (never a traceback)."""
    text = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
    if len(text) > MAX_DETAIL_CHARS:
        text = text[: MAX_DETAIL_CHARS - 3] + "..."
    return text
