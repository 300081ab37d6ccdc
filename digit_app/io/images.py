"""Reading images and documents into numpy arrays, with one clear error per problem.

Every page comes back as a :class:`Page` whose ``image`` is ``H x W x 3 uint8`` in **BGR**
order (OpenCV's) or ``H x W uint8`` grayscale, whatever the file held: transparency is
composited onto white, 16-bit samples are scaled to 8 bits, CMYK / palette / YCbCr are
converted, EXIF orientation is applied. The format is detected from the content, never the
extension. Rasters are decoded by Pillow (PNG, JPEG incl. CMYK, BMP, TIFF with every page,
WebP), PDFs rendered by PDFium (see :mod:`digit_app.io.pdf`).

Two ways to read:

* :func:`read_pages` / :func:`read_bytes` return every page, or raise the first
  :class:`InputError` (simple callers: one file, all or nothing);
* :func:`iter_pages` / :func:`iter_bytes` yield ``Page | InputError`` one page at a time, so
  one broken page of a PDF or TIFF does not lose the others. A problem with the whole file is
  yielded as a single ``InputError`` (``page is None``) and ends the iteration. Each page is
  decoded (or rendered) only when the generator reaches it and is not kept afterwards, so a
  500-page document takes the memory of one page at a time;
* :func:`count_pages` and :func:`read_page` open a file for its page count (headers only) or
  for one page (no other page is decoded): random access for viewers.

No Pillow or PDFium exception leaves this package: every failure is an :class:`InputError`.
"""
from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Callable, Generator, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
from PIL import Image, UnidentifiedImageError

from digit_app.io.errors import STDIN_NAME, InputError, detail, display_name
from digit_app.io.limits import DEFAULT_DPI, DEFAULT_LIMITS, ReadLimits
from digit_app.io.pixels import UnsupportedMode, to_array

__all__ = ["Page", "ReadLimits", "count_pages", "iter_bytes", "iter_pages", "read_bytes", "read_page",
           "read_pages"]

#: Which page indexes to decode, given the page count (default: all of them, in order).
Pick = Callable[[int], Iterable[int]]

#: Pillow decoders we accept (content-detected). Anything else is "not an image".
RASTER_FORMATS = ("PNG", "JPEG", "BMP", "TIFF", "WEBP")
#: Formats whose frames are pages; for the others (animated WebP, MPO) only the first counts.
MULTI_PAGE_FORMATS = frozenset({"TIFF"})
PDF_MAGIC = b"%PDF-"
PDF_HEADER_SEARCH = 1024  # PDF readers accept the header anywhere in the first KiB

NOT_AN_IMAGE = "not an image or PDF (unrecognized content)"

#: Signatures of the accepted formats, to tell "corrupt PNG" from "not an image at all".
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "TIFF"),  # BigTIFF
    (b"MM\x00+", "TIFF"),
)
WEBP_RIFF, WEBP_TAG, WEBP_TAG_OFFSET = b"RIFF", b"WEBP", 8
SIGNATURE_BYTES = 16

# Our own ReadLimits.max_pixels check, made on the header before anything is decoded, replaces
# Pillow's global decompression-bomb check (which warns or raises inside Image.open, without
# the dimensions, at a limit that is not ours). Truncated images must keep raising: this
# package never sets ImageFile.LOAD_TRUNCATED_IMAGES.
Image.MAX_IMAGE_PIXELS = None


@dataclass(frozen=True)
class Page:
    """One page of an input: ``image`` is ``HxWx3 uint8`` BGR or ``HxW uint8`` grayscale.

    ``path`` is the path as given (``"-"`` for standard input), ``index`` the 0-based page.
    """

    path: str
    index: int
    image: np.ndarray = field(compare=False)

    def __repr__(self) -> str:
        shape = "x".join(str(d) for d in self.image.shape)
        return f"Page(path={self.path!r}, index={self.index}, image={self.image.dtype}[{shape}])"


#: The pages of a file in order, an :class:`InputError` in place of any that cannot be read; a
#: generator, so that closing it stops the reading.
PageStream = Generator[Page | InputError, None, None]


# --------------------------------------------------------------------------- public API

def read_pages(path: str | os.PathLike[str], *, dpi: int = DEFAULT_DPI,
               limits: ReadLimits = DEFAULT_LIMITS) -> list[Page]:
    """Every page of an image or PDF file, all or nothing.

    Parameters
    ----------
    path : str or os.PathLike
        An image (PNG, JPEG, BMP, TIFF, WebP) or PDF file, told by its content; ``"-"`` for
        standard input.
    dpi : int, optional
        Resolution PDF pages are rendered at (default ``DEFAULT_DPI``).
    limits : ReadLimits, optional
        Largest file, page count and pixel count accepted.

    Returns
    -------
    list of Page
        In page order; each ``image`` is ``H x W x 3 uint8`` BGR or ``H x W uint8`` grey.

    Raises
    ------
    InputError
        The first problem found (missing file, not an image, a corrupt page, over a limit),
        even if other pages were fine: :func:`iter_pages` keeps the good pages of a document
        with a broken one.
    ValueError
        For a ``dpi`` that is not a positive number.

    Examples
    --------
    >>> import os, tempfile
    >>> import cv2
    >>> import numpy as np
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "canvas.png")
    ...     _ = cv2.imwrite(path, np.full((120, 80, 3), 255, np.uint8))
    ...     [(page.index, page.image.shape) for page in read_pages(path)]
    [(0, (120, 80, 3))]
    >>> read_pages("no/such/file.png")
    Traceback (most recent call last):
        ...
    digit_app.io.errors.InputError: no/such/file.png: does not exist
    """
    return _collect(iter_pages(path, dpi=dpi, limits=limits))


def read_bytes(data: bytes, name: str = STDIN_NAME, *, dpi: int = DEFAULT_DPI,
               limits: ReadLimits = DEFAULT_LIMITS) -> list[Page]:
    """Every page of an image or PDF already in memory, all or nothing.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str, optional
        What the pages' ``path`` and the messages call it (default ``"-"``).
    dpi, limits
        As in :func:`read_pages`.

    Returns
    -------
    list of Page

    Raises
    ------
    InputError
        As :func:`read_pages`.
    ValueError
        For a ``dpi`` that is not a positive number.

    Examples
    --------
    >>> import cv2
    >>> import numpy as np
    >>> _, png = cv2.imencode(".png", np.full((120, 80), 255, np.uint8))
    >>> read_bytes(png.tobytes(), "canvas.png")
    [Page(path='canvas.png', index=0, image=uint8[120x80])]
    >>> read_bytes(b"hello", "note.txt")
    Traceback (most recent call last):
        ...
    digit_app.io.errors.InputError: note.txt: not an image or PDF (unrecognized content)
    """
    return _collect(iter_bytes(data, name, dpi=dpi, limits=limits))


def iter_pages(path: str | os.PathLike[str], *, dpi: int = DEFAULT_DPI,
               limits: ReadLimits = DEFAULT_LIMITS) -> PageStream:
    """Each page of a file in turn, or the problem in its place; one page in memory at a time.

    Parameters
    ----------
    path, dpi, limits
        As in :func:`read_pages`.

    Yields
    ------
    Page or InputError
        A page-level error has ``page`` set and the following pages are still yielded; a
        file-level error (missing, unreadable, not an image, too large...) is yielded alone.

    Raises
    ------
    ValueError
        For a ``dpi`` that is not a positive number (at once, not when iterating).

    Examples
    --------
    >>> list(iter_pages("no/such/file.png"))
    [InputError('no/such/file.png: does not exist')]
    """
    _check_dpi(dpi)
    return _iter_path(display_name(path), dpi, limits)


def iter_bytes(data: bytes, name: str = STDIN_NAME, *, dpi: int = DEFAULT_DPI,
               limits: ReadLimits = DEFAULT_LIMITS) -> PageStream:
    """Like :func:`iter_pages` for content already in memory; ``name`` is used in messages.

    Examples
    --------
    A two-page TIFF, the second page in colour:

    >>> import io
    >>> from PIL import Image
    >>> pages = [Image.new("L", (80, 120), 255), Image.new("RGB", (60, 40), "white")]
    >>> tiff = io.BytesIO()
    >>> pages[0].save(tiff, format="TIFF", save_all=True, append_images=pages[1:])
    >>> list(iter_bytes(tiff.getvalue(), "two.tif"))
    [Page(path='two.tif', index=0, image=uint8[120x80]), Page(path='two.tif', index=1, image=uint8[40x60x3])]
    """
    _check_dpi(dpi)
    return _iter_data(bytes(data), name, dpi, limits)


def count_pages(path: str | os.PathLike[str], *, limits: ReadLimits = DEFAULT_LIMITS) -> int:
    """The number of pages of an image or PDF file, read from its headers (no page is decoded
    or rendered); raises :class:`InputError` for a file that cannot be opened.

    Examples
    --------
    >>> import os, tempfile
    >>> from PIL import Image
    >>> pages = [Image.new("L", (80, 120), 255), Image.new("RGB", (60, 40), "white")]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "two.tif")
    ...     pages[0].save(path, format="TIFF", save_all=True, append_images=pages[1:])
    ...     count_pages(path), read_page(path, 1).image.shape
    (2, (40, 60, 3))
    """
    counted: list[int] = []

    def none(count: int) -> Iterable[int]:
        counted.append(count)
        return ()

    _collect(_iter_path(display_name(path), DEFAULT_DPI, limits, none))
    return counted[0] if counted else 0


def read_page(path: str | os.PathLike[str], index: int, *, dpi: int = DEFAULT_DPI,
              limits: ReadLimits = DEFAULT_LIMITS) -> Page:
    """Page ``index`` (0-based) of a file, decoding no other page.

    Parameters
    ----------
    path, dpi, limits
        As in :func:`read_pages`.
    index : int
        The page, from 0.

    Returns
    -------
    Page

    Raises
    ------
    InputError
        When the file cannot be read, has no such page, or that page is broken.

    Examples
    --------
    See :func:`count_pages`.
    """
    _check_dpi(dpi)
    name = display_name(path)
    pages = _collect(_iter_path(name, dpi, limits, lambda count: [index] if 0 <= index < count else []))
    if not pages:
        raise InputError(name, f"has no page {index + 1}", index)
    return pages[0]


# --------------------------------------------------------------------------- dispatch

def _collect(items: PageStream) -> list[Page]:
    pages: list[Page] = []
    with closing(items):
        for item in items:
            if isinstance(item, InputError):
                raise item
            pages.append(item)
    return pages


def _check_dpi(dpi: int) -> None:
    if not isinstance(dpi, (int, float)) or not dpi > 0:
        raise ValueError(f"dpi must be a positive number, got {dpi!r}")


def _iter_path(name: str, dpi: int, limits: ReadLimits,
               pick: Pick = range) -> PageStream:
    if name == STDIN_NAME:
        yield from _iter_stdin(dpi, limits)
        return
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            yield InputError(name, "is a directory")
            return
        if not stat.S_ISREG(info.st_mode):  # pipe, /dev/stdin...: read it, then decode
            with open(name, "rb") as stream:
                data = stream.read(limits.max_file_bytes + 1)
            yield from _iter_data(data, name, dpi, limits, pick)
            return
        fp = open(name, "rb")  # noqa: SIM115 - closed by the `with fp:` below, out of this try
    except OSError as exc:
        yield InputError.from_os_error(name, exc)
        return
    except ValueError:  # e.g. an embedded NUL character
        yield InputError(name, "is not a valid path")
        return
    with fp:
        reason = _size_reason(info.st_size, limits)
        if reason:
            yield InputError(name, reason)
            return
        try:
            head = fp.read(PDF_HEADER_SEARCH)
            fp.seek(0)
        except OSError as exc:
            yield InputError.from_os_error(name, exc)
            return
        if PDF_MAGIC in head:
            fp.close()
            yield from _iter_pdf(os.path.abspath(name), name, dpi, limits, pick)
        else:
            yield from _iter_raster(fp, name, limits, pick)


def _iter_stdin(dpi: int, limits: ReadLimits) -> PageStream:
    try:
        data = sys.stdin.buffer.read(limits.max_file_bytes + 1)
    except (AttributeError, OSError, ValueError):
        yield InputError(STDIN_NAME, "standard input cannot be read")
        return
    yield from _iter_data(data, STDIN_NAME, dpi, limits)


def _iter_data(data: bytes, name: str, dpi: int, limits: ReadLimits,
               pick: Pick = range) -> PageStream:
    reason = _size_reason(len(data), limits)
    if reason:
        yield InputError(name, reason)
    elif PDF_MAGIC in data[:PDF_HEADER_SEARCH]:
        yield from _iter_pdf(data, name, dpi, limits, pick)
    else:
        yield from _iter_raster(io.BytesIO(data), name, limits, pick)


def _iter_pdf(source: str | bytes, name: str, dpi: int, limits: ReadLimits,
              pick: Pick = range) -> PageStream:
    from digit_app.io.pdf import iter_pdf_pages  # lazy: loads PDFium only when needed

    yield from iter_pdf_pages(source, name, dpi=dpi, limits=limits, pick=pick)


def _size_reason(size: int, limits: ReadLimits) -> str | None:
    if size == 0:
        return "empty file (0 bytes)"
    return limits.bytes_reason(size)


# --------------------------------------------------------------------------- rasters

def _iter_raster(fp: BinaryIO, name: str, limits: ReadLimits,
                 pick: Pick = range) -> PageStream:
    """Pages of a Pillow-readable image; ``fp`` stays owned (and closed) by the caller."""
    try:
        img = Image.open(fp, formats=RASTER_FORMATS)
    except UnidentifiedImageError:
        kind = _signature(fp)
        yield InputError(name, f"{kind} image is corrupt (its header cannot be read)" if kind
                         else NOT_AN_IMAGE)
        return
    except Image.DecompressionBombError as exc:  # only if someone re-enabled Pillow's check
        yield InputError(name, f"image is too large ({detail(exc)})")
        return
    except Exception as exc:  # Pillow raises many types on malformed headers
        yield InputError(name, f"image is corrupt or truncated ({detail(exc)})")
        return
    with img:
        try:
            count = img.n_frames if img.format in MULTI_PAGE_FORMATS else 1  # type: ignore[attr-defined]  # multi-frame plugins have it, the stubs' ImageFile not
        except Exception as exc:
            yield InputError(name, f"image is corrupt or truncated ({detail(exc)})")
            return
        reason = limits.pages_reason(count)
        if reason:
            yield InputError(name, f"{img.format} {reason}")
            return
        for index in pick(count):
            page = None if count == 1 else index
            subject = "image" if count == 1 else f"page {index + 1}"
            if index:
                try:
                    img.seek(index)
                except Exception as exc:
                    yield InputError(name, f"{subject} cannot be read ({detail(exc)})", page)
                    return
            yield _decode_frame(img, name, index, page, subject, limits)


def _decode_frame(img: Image.Image, name: str, index: int, page: int | None, subject: str,
                  limits: ReadLimits) -> Page | InputError:
    width, height = img.size
    reason = limits.pixels_reason(subject, width, height)
    if reason:
        return InputError(name, reason, page)
    if width < 1 or height < 1:
        return InputError(name, f"{subject} has no pixels ({width}x{height})", page)
    try:
        img.load()
        return Page(name, index, to_array(img))
    except UnsupportedMode as exc:
        return InputError(name, f"{subject} has an unsupported pixel format ({exc})", page)
    except MemoryError:
        reason = f"not enough memory to decode {subject} ({width}x{height} pixels)"
        return InputError(name, reason, page)
    except Exception as exc:  # decoders raise OSError, SyntaxError, ValueError, EOFError...
        return InputError(name, f"{subject} is corrupt or truncated ({detail(exc)})", page)


def _signature(fp: BinaryIO) -> str | None:
    """The accepted format the first bytes announce, or None."""
    try:
        fp.seek(0)
        head = fp.read(SIGNATURE_BYTES)
    except (OSError, ValueError):
        return None
    if head.startswith(WEBP_RIFF) and head[WEBP_TAG_OFFSET:].startswith(WEBP_TAG):
        return "WEBP"
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)
