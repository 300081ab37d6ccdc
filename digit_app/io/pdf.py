"""PDF pages rendered by PDFium (pypdfium2) into ``HxWx3 uint8`` BGR arrays on white.

Each page is sized before it is rendered, so a page that would exceed
``ReadLimits.max_pixels`` at the requested dpi is refused without allocating it. A page that
fails is reported in its place and the other pages are still rendered.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from digit_app.io.errors import InputError, detail
from digit_app.io.images import Page
from digit_app.io.limits import DEFAULT_DPI, DEFAULT_LIMITS, ReadLimits

POINTS_PER_INCH = 72  # PDF user space unit: 1/72 inch
OPAQUE_WHITE = (255, 255, 255, 255)  # RGBA; an opaque fill makes PDFium render 3-byte BGR

#: PDFium keeps global state and is not thread-safe: one call at a time, process-wide.
#: Taken per call (never across a ``yield``), so interleaved iterators cannot deadlock.
_PDFIUM_LOCK = threading.Lock()

_OPEN_REASONS = {
    pdfium_c.FPDF_ERR_PASSWORD: "PDF is password-protected",
    pdfium_c.FPDF_ERR_SECURITY: "PDF uses an unsupported encryption scheme",
    pdfium_c.FPDF_ERR_SUCCESS: "PDF has no pages",
    pdfium_c.FPDF_ERR_FORMAT: "PDF cannot be opened (damaged, or not really a PDF)",
    pdfium_c.FPDF_ERR_FILE: "PDF cannot be opened (file access error)",
}


def iter_pdf_pages(source: str | bytes, name: str, *, dpi: float = DEFAULT_DPI,
                   limits: ReadLimits = DEFAULT_LIMITS,
                   pick: Callable[[int], Iterable[int]] = range) -> Iterator[Page | InputError]:
    """Yield each page of a PDF (a file path or its bytes) as a Page, or an InputError.

    ``name`` is the path as the user gave it (for messages). Page-level errors carry
    ``page``; a document that cannot be opened yields one error with ``page=None``. Pages are
    rendered one at a time as the generator advances (only those ``pick(page_count)`` names).
    """
    try:
        with _PDFIUM_LOCK:
            doc = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        yield InputError(name, _open_reason(exc))
        return
    except Exception as exc:  # defensive: nothing from PDFium leaks out
        yield InputError(name, f"PDF cannot be opened ({detail(exc)})")
        return
    try:
        with _PDFIUM_LOCK:
            count = len(doc)
        reason = limits.pages_reason(count)
        if reason:
            yield InputError(name, f"PDF {reason}")
            return
        scale = dpi / POINTS_PER_INCH
        for index in pick(count):
            yield _render_page(doc, index, name, scale, dpi, limits)
    finally:
        with _PDFIUM_LOCK:
            doc.close()


def _open_reason(exc: pdfium.PdfiumError) -> str:
    known = _OPEN_REASONS.get(getattr(exc, "err_code", None))
    return known or f"PDF cannot be opened ({detail(exc)})"


def _render_page(doc: pdfium.PdfDocument, index: int, name: str, scale: float, dpi: float,
                 limits: ReadLimits) -> Page | InputError:
    subject = f"page {index + 1}"
    try:
        with _PDFIUM_LOCK:
            page = doc[index]
            try:
                width_pt, height_pt = page.get_size()
                if not (math.isfinite(width_pt) and math.isfinite(height_pt)
                        and width_pt > 0 and height_pt > 0):
                    return InputError(name, f"{subject} has an invalid size", index)
                # The same rounding as PdfPage.render, so the check matches the allocation.
                width, height = math.ceil(width_pt * scale), math.ceil(height_pt * scale)
                reason = limits.pixels_reason(subject, width, height, extra=f" at {dpi:g} dpi")
                if reason:
                    return InputError(name, reason, index)
                return Page(name, index, _render_bgr(page, scale))
            finally:
                page.close()
    except MemoryError:
        return InputError(name, f"not enough memory to render {subject}", index)
    except Exception as exc:  # PdfiumError, ValueError...
        return InputError(name, f"{subject} cannot be rendered ({detail(exc)})", index)


def _render_bgr(page: pdfium.PdfPage, scale: float) -> np.ndarray:
    """Render onto opaque white: ``HxWx3 uint8`` BGR, a copy owned by numpy."""
    bitmap = page.render(scale=scale, fill_color=OPAQUE_WHITE, may_draw_forms=True)
    try:
        pixels = bitmap.to_numpy()  # a view on PDFium's buffer, freed by close()
        if pixels.ndim != 3 or pixels.shape[2] != 3:
            raise ValueError(f"unexpected bitmap layout {pixels.shape}")
        return np.array(pixels, dtype=np.uint8, order="C", copy=True)
    finally:
        bitmap.close()
