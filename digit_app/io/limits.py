"""Size limits checked on headers, before anything is decoded or rendered."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_DPI = 200
DEFAULT_MAX_PIXELS = 100_000_000
DEFAULT_MAX_FILE_BYTES = 500_000_000
DEFAULT_MAX_PAGES = 500

BYTES_PER_MB = 1_000_000
PIXELS_PER_MEGAPIXEL = 1_000_000


@dataclass(frozen=True)
class ReadLimits:
    """Refuse inputs beyond these sizes; each ``*_reason`` method returns a sentence or None."""

    max_pixels: int = DEFAULT_MAX_PIXELS  # per page (width * height)
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_pages: int = DEFAULT_MAX_PAGES

    def __post_init__(self) -> None:
        for name in ("max_pixels", "max_file_bytes", "max_pages"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"ReadLimits.{name} must be a positive integer, got {value!r}")

    def pixels_reason(self, subject: str, width: int, height: int, extra: str = "") -> str | None:
        """Why a ``width x height`` page is refused, or None when it is within the limit."""
        if width * height <= self.max_pixels:
            return None
        limit = f"{self.max_pixels / PIXELS_PER_MEGAPIXEL:g}"
        return (f"{subject} is {width}x{height} pixels{extra}, "
                f"more than the limit of {limit} megapixels")

    def bytes_reason(self, size: int) -> str | None:
        """Why ``size`` bytes of input are refused, or None."""
        if size <= self.max_file_bytes:
            return None
        return (f"file is {format_bytes(size)}, "
                f"more than the limit of {format_bytes(self.max_file_bytes)}")

    def pages_reason(self, count: int) -> str | None:
        """Why a ``count``-page document is refused (``"has N pages, ..."``), or None."""
        if count <= self.max_pages:
            return None
        return f"has {count} pages, more than the limit of {self.max_pages} pages"


DEFAULT_LIMITS = ReadLimits()


def format_bytes(size: int) -> str:
    """``"600.1 MB"`` from a million bytes up, ``"512 bytes"`` below."""
    if size >= BYTES_PER_MB:
        return f"{round(size / BYTES_PER_MB, 1):g} MB"
    return f"{size} bytes"
