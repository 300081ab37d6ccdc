"""Tests of digit_app.io: every file is generated in tmp_path (or in memory) by the test."""
from __future__ import annotations

import io
import os
import pickle
import struct
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from digit_app.io import (
    IMAGE_EXTENSIONS,
    InputError,
    Page,
    ReadLimits,
    expand_inputs,
    iter_bytes,
    iter_pages,
    read_bytes,
    read_pages,
)
from digit_app.io import images as images_module

RGB = (200, 40, 10)  # a colour whose channel order is unambiguous
BGR = RGB[::-1]
JPEG_TOLERANCE = 12
HUGE_SIDE = 30_000
HUGE_MESSAGE = "image is 30000x30000 pixels, more than the limit of 100 megapixels"
SMALL_LIMITS = ReadLimits(max_pixels=2_000_000, max_pages=20)  # keeps fuzzing fast


def save(img: Image.Image, path: Path, fmt: str | None = None, **kw) -> Path:
    img.save(path, fmt, **kw)
    return path


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def only_page(path) -> np.ndarray:
    pages = read_pages(path)
    assert len(pages) == 1 and pages[0].index == 0
    image = pages[0].image
    assert image.dtype == np.uint8 and image.flags.c_contiguous and image.flags.writeable
    return image


def reason_of(path, **kw) -> str:
    with pytest.raises(InputError) as info:
        read_pages(path, **kw)
    err = info.value
    assert err.path == str(path) and str(err) == f"{path}: {err.reason}"
    assert "\n" not in err.reason and "Traceback" not in err.reason
    return err.reason


def two_page_pdf(path: Path, second_size=(50, 60)) -> Path:
    first = Image.new("RGB", (100, 80), RGB)
    second = Image.new("L", second_size, 128)
    return save(first, path, "PDF", save_all=True, append_images=[second], resolution=72)


# --------------------------------------------------------------------------- formats and modes

def test_png_gray_is_2d(tmp_path):
    values = np.arange(60, dtype=np.uint8).reshape(6, 10)
    image = only_page(save(Image.fromarray(values), tmp_path / "g.png"))
    assert image.shape == (6, 10)
    np.testing.assert_array_equal(image, values)


def test_png_rgb_is_bgr(tmp_path):
    image = only_page(save(Image.new("RGB", (7, 5), RGB), tmp_path / "c.png"))
    assert image.shape == (5, 7, 3)
    assert tuple(image[2, 3]) == BGR


def test_png_rgba_composited_on_white(tmp_path):
    rgba = np.zeros((1, 3, 4), np.uint8)
    rgba[0, :, :3] = RGB
    rgba[0, :, 3] = (0, 255, 128)
    image = only_page(save(Image.fromarray(rgba, "RGBA"), tmp_path / "a.png"))
    assert image.shape == (1, 3, 3)
    assert tuple(image[0, 0]) == (255, 255, 255)
    assert tuple(image[0, 1]) == BGR
    expected = [round((c * 128 + 255 * 127) / 255) for c in BGR]
    assert list(image[0, 2]) == expected


def test_gray_alpha_composited_on_white(tmp_path):
    la = np.array([[[0, 0], [0, 255]]], np.uint8)  # black: transparent, then opaque
    image = only_page(save(Image.fromarray(la, "LA"), tmp_path / "la.png"))
    assert image.shape == (1, 2)
    assert list(image[0]) == [255, 0]


def test_palette_with_transparency(tmp_path):
    pal = Image.new("P", (4, 2), 0)
    pal.putpalette([0, 0, 0, *RGB])
    pal.putpixel((1, 0), 1)
    image = only_page(save(pal, tmp_path / "p.png", transparency=0))
    assert tuple(image[0, 0]) == (255, 255, 255)  # transparent index -> white
    assert tuple(image[0, 1]) == BGR


def test_png_16bit_scaled_to_8bit(tmp_path):
    values = np.array([[0, 257 * 100, 65535, 300]], np.uint16)
    image = only_page(save(Image.fromarray(values), tmp_path / "16.png"))
    assert image.shape == (1, 4)
    assert list(image[0]) == [0, 100, 255, 1]


def test_jpeg(tmp_path):
    image = only_page(save(Image.new("RGB", (16, 16), RGB), tmp_path / "c.jpg", quality=95))
    assert image.shape == (16, 16, 3)
    assert np.abs(image[8, 8].astype(int) - BGR).max() <= JPEG_TOLERANCE


def test_cmyk_jpeg(tmp_path):
    path = save(Image.new("CMYK", (16, 16), (0, 255, 255, 0)), tmp_path / "cmyk.jpg")
    image = only_page(path)
    assert image.shape == (16, 16, 3)
    assert np.abs(image[8, 8].astype(int) - (0, 0, 255)).max() <= JPEG_TOLERANCE  # red


def test_jpeg_exif_orientation_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    path = save(Image.new("RGB", (40, 20), RGB), tmp_path / "o.jpg", exif=exif)
    assert only_page(path).shape == (40, 20, 3)


def test_bmp(tmp_path):
    image = only_page(save(Image.new("RGB", (9, 4), RGB), tmp_path / "c.bmp"))
    assert image.shape == (4, 9, 3) and tuple(image[1, 1]) == BGR


def test_webp_lossless(tmp_path):
    image = only_page(save(Image.new("RGB", (8, 8), RGB), tmp_path / "c.webp", lossless=True))
    assert tuple(image[4, 4]) == BGR


def test_multipage_tiff_every_page(tmp_path):
    frames = [
        Image.new("L", (10, 6), 10), Image.new("RGB", (12, 8), RGB), Image.new("L", (5, 5), 99)
    ]
    path = save(frames[0], tmp_path / "m.tif", save_all=True, append_images=frames[1:])
    pages = read_pages(path)
    assert [p.index for p in pages] == [0, 1, 2]
    assert all(p.path == str(path) for p in pages)
    assert pages[0].image.shape == (6, 10) and pages[0].image[0, 0] == 10
    assert pages[1].image.shape == (8, 12, 3) and tuple(pages[1].image[0, 0]) == BGR
    assert pages[2].image.shape == (5, 5) and pages[2].image[0, 0] == 99


def test_pdf_every_page_rendered_bgr_at_dpi(tmp_path):
    path = two_page_pdf(tmp_path / "doc.pdf")
    pages = read_pages(path, dpi=144)  # 72 pt per inch: twice the point size
    assert [p.index for p in pages] == [0, 1]
    assert pages[0].image.shape == (160, 200, 3) and pages[0].image.dtype == np.uint8
    assert pages[1].image.shape == (120, 100, 3)
    assert np.abs(pages[0].image[80, 100].astype(int) - BGR).max() <= JPEG_TOLERANCE
    assert np.abs(pages[1].image[60, 50].astype(int) - 128).max() <= JPEG_TOLERANCE


def test_format_detected_from_content_not_extension(tmp_path):
    png_as_jpg = save(Image.new("RGB", (3, 3), RGB), tmp_path / "really_png.jpg", "PNG")
    assert tuple(only_page(png_as_jpg)[0, 0]) == BGR
    pdf_as_dat = two_page_pdf(tmp_path / "doc.dat")
    assert len(read_pages(pdf_as_dat, dpi=72)) == 2


def test_pathlike_accepted_and_path_kept_as_given(tmp_path, monkeypatch):
    save(Image.new("L", (3, 3)), tmp_path / "x.png")
    monkeypatch.chdir(tmp_path)
    assert read_pages(Path("x.png"))[0].path == "x.png"
    assert read_pages("./x.png")[0].path == "./x.png"


def test_read_bytes_and_stdin(monkeypatch):
    data = encode(Image.new("RGB", (4, 4), RGB), "PNG")
    pages = read_bytes(data)
    assert pages[0].path == "-" and tuple(pages[0].image[0, 0]) == BGR
    pdf = encode(Image.new("RGB", (4, 4)), "PDF", save_all=True,
                 append_images=[Image.new("L", (4, 4))])
    items = list(iter_bytes(pdf, "scan.pdf", dpi=72))
    assert [(type(i), i.path, i.index) for i in items] == [
        (Page, "scan.pdf", 0), (Page, "scan.pdf", 1)
    ]

    class FakeStdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    assert read_pages("-")[0].path == "-"


def test_page_repr_is_short():
    page = read_bytes(encode(Image.new("RGB", (4, 2)), "PNG"), "a.png")[0]
    assert repr(page) == "Page(path='a.png', index=0, image=uint8[2x4x3])"
    assert isinstance(page, Page)


# --------------------------------------------------------------------------- errors

def test_missing_path(tmp_path):
    assert reason_of(tmp_path / "nope.png") == "does not exist"


def test_directory(tmp_path):
    assert reason_of(tmp_path) == "is a directory"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    assert reason_of(path) == "empty file (0 bytes)"
    with pytest.raises(InputError, match="empty file"):
        read_bytes(b"", "paste")


def test_text_file(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("just some text, not a picture\n")
    assert reason_of(path) == "not an image or PDF (unrecognized content)"


def test_unaccepted_format_is_not_an_image(tmp_path):
    gif = save(Image.new("L", (4, 4)), tmp_path / "anim.gif")
    assert reason_of(gif) == "not an image or PDF (unrecognized content)"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied_real(tmp_path):
    path = save(Image.new("L", (4, 4)), tmp_path / "locked.png")
    path.chmod(0)
    try:
        assert reason_of(path) == "permission denied"
    finally:
        path.chmod(0o644)


def test_permission_denied(tmp_path, monkeypatch):
    path = save(Image.new("L", (4, 4)), tmp_path / "locked.png")

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(images_module, "open", deny, raising=False)
    assert reason_of(path) == "permission denied"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image_raises(tmp_path, fmt):
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    data = encode(Image.fromarray(noise), fmt)
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(data[: len(data) // 2])
    reason = reason_of(path)
    assert reason.startswith("image is corrupt or truncated (")
    with pytest.raises(InputError, match="truncated"):
        read_bytes(data[: len(data) // 2])


def test_corrupt_header(tmp_path):
    data = bytearray(encode(Image.new("L", (4, 4)), "PNG"))
    data[16:24] = b"\xff" * 8  # IHDR width/height garbage, CRC now wrong too
    path = tmp_path / "bad.png"
    path.write_bytes(bytes(data))
    assert reason_of(path) == "PNG image is corrupt (its header cannot be read)"


def test_file_too_large(tmp_path):
    noise = np.random.default_rng(1).integers(0, 256, (64, 64), dtype=np.uint8)
    path = save(Image.fromarray(noise), tmp_path / "big.png")
    size = path.stat().st_size
    reason = reason_of(path, limits=ReadLimits(max_file_bytes=100))
    assert reason == f"file is {size} bytes, more than the limit of 100 bytes"
    assert ReadLimits().bytes_reason(600_000_000) == "file is 600 MB, more than the limit of 500 MB"


def huge_png_header(width: int, height: int) -> bytes:
    """A tiny valid PNG whose IHDR is patched to claim ``width x height`` (CRC fixed)."""
    data = bytearray(encode(Image.new("L", (1, 1)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def huge_bmp_header(width: int, height: int) -> bytes:
    """A BMP file header + info header claiming ``width x height`` 24-bit, and no pixels."""
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info), 0, 0, 14 + len(info)) + info


@pytest.mark.parametrize("header", [huge_png_header, huge_bmp_header])
def test_huge_image_refused_from_header_before_decoding(tmp_path, header):
    path = tmp_path / "bomb.img"
    path.write_bytes(header(HUGE_SIDE, HUGE_SIDE))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Pillow's DecompressionBombWarning must not leak
        assert reason_of(path) == HUGE_MESSAGE
        with pytest.raises(InputError, match="more than the limit of 100 megapixels"):
            read_bytes(path.read_bytes())


def test_pdf_page_too_large_keeps_other_pages(tmp_path):
    path = two_page_pdf(tmp_path / "doc.pdf", second_size=(2000, 1000))
    limits = ReadLimits(max_pixels=1_000_000)
    items = list(iter_pages(path, dpi=144, limits=limits))
    assert isinstance(items[0], Page) and items[0].image.shape == (160, 200, 3)
    err = items[1]
    assert isinstance(err, InputError) and err.page == 1
    assert err.reason == ("page 2 is 4000x2000 pixels at 144 dpi, "
                          "more than the limit of 1 megapixels")
    with pytest.raises(InputError) as info:
        read_pages(path, dpi=144, limits=limits)
    assert info.value.page == 1


def test_pdf_broken_page_keeps_other_pages(tmp_path, monkeypatch):
    from digit_app.io import pdf as pdf_module

    path = tmp_path / "three.pdf"
    save(Image.new("RGB", (30, 30)), path, "PDF", save_all=True,
         append_images=[Image.new("RGB", (30, 30)), Image.new("RGB", (30, 30))])
    real, calls = pdf_module._render_bgr, []

    def flaky(page, scale):
        calls.append(scale)
        if len(calls) == 2:
            raise pdf_module.pdfium.PdfiumError("Failed to render page.")
        return real(page, scale)

    monkeypatch.setattr(pdf_module, "_render_bgr", flaky)
    items = list(iter_pages(path, dpi=72))
    assert [type(i) for i in items] == [Page, InputError, Page]
    assert [items[0].index, items[2].index] == [0, 2]
    assert str(items[1]) == f"{path}: page 2 cannot be rendered (Failed to render page)"


def test_broken_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    assert reason_of(path).startswith("PDF cannot be opened")
    data = encode(Image.new("RGB", (30, 30)), "PDF")
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(InputError, match="PDF"):
        read_pages(path)


def test_too_many_pages(tmp_path):
    limits = ReadLimits(max_pages=1)
    pdf = two_page_pdf(tmp_path / "doc.pdf")
    assert reason_of(pdf, limits=limits) == "PDF has 2 pages, more than the limit of 1 pages"
    frames = [Image.new("L", (4, 4))] * 2
    tif = save(frames[0], tmp_path / "m.tif", save_all=True, append_images=frames[1:])
    assert reason_of(tif, limits=limits) == "TIFF has 2 pages, more than the limit of 1 pages"


def test_file_level_error_is_yielded_alone(tmp_path):
    items = list(iter_pages(tmp_path / "missing.pdf"))
    assert len(items) == 1 and isinstance(items[0], InputError) and items[0].page is None


def test_input_error_contract():
    err = InputError("scan.pdf", "page 2 cannot be rendered", page=1)
    assert isinstance(err, ValueError)
    assert str(err) == "scan.pdf: page 2 cannot be rendered"
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.reason, copy.page, str(copy)) == (err.path, err.reason, 1, str(err))


def test_bad_arguments_are_plain_value_errors(tmp_path):
    with pytest.raises(ValueError, match="max_pixels"):
        ReadLimits(max_pixels=0)
    with pytest.raises(ValueError, match="dpi"):
        read_pages(tmp_path / "x.png", dpi=0)


# --------------------------------------------------------------------------- expand_inputs

def test_expand_inputs(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    for name in ["scan10.png", "scan2.PDF", "scan1.jpg", "notes.txt", ".hidden.png", "b.TIFF"]:
        (scans / name).write_bytes(b"x")
    (scans / "sub.png").mkdir()  # a directory named like an image is not a file
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.md").write_text("no images here")
    single = tmp_path / "one.webp"
    single.write_bytes(b"x")
    missing = tmp_path / "missing.png"

    files, errors = expand_inputs([str(single), "-", str(scans), str(empty), str(missing)])
    assert files == [str(single), "-"] + [
        os.path.join(str(scans), n) for n in ["b.TIFF", "scan1.jpg", "scan2.PDF", "scan10.png"]
    ]
    assert [str(e) for e in errors] == [
        f"{empty}: directory contains no image or PDF files",
        f"{missing}: does not exist",
    ]
    assert ".pdf" in IMAGE_EXTENSIONS and ".tiff" in IMAGE_EXTENSIONS


def test_expand_inputs_keeps_files_whatever_their_extension(tmp_path):
    odd = tmp_path / "scan.dat"
    odd.write_bytes(b"x")
    assert expand_inputs([odd]) == ([str(odd)], [])


# --------------------------------------------------------------------------- robustness

def _samples() -> list[bytes]:
    def rgb() -> Image.Image:  # a fresh image per save: Pillow's JPEG save leaves state on it
        return Image.new("RGB", (12, 10), RGB)

    def gray() -> Image.Image:
        return Image.new("L", (12, 10), 77)

    return [
        encode(rgb(), "PNG"),
        encode(gray(), "PNG"),
        encode(rgb(), "JPEG"),
        encode(rgb().convert("CMYK"), "JPEG"),
        encode(rgb(), "BMP"),
        encode(rgb(), "WEBP"),
        encode(rgb(), "TIFF", save_all=True, append_images=[gray()]),
        encode(rgb(), "PDF"),
    ]


SAMPLES = _samples()


def _check_read(data: bytes) -> None:
    try:
        pages = read_bytes(data, "fuzz", dpi=72, limits=SMALL_LIMITS)
    except InputError as err:
        assert err.path == "fuzz" and err.reason
        return
    assert pages
    for page in pages:
        assert page.image.dtype == np.uint8
        assert page.image.ndim == 2 or (page.image.ndim == 3 and page.image.shape[2] == 3)


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_read_or_raise_input_error(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow may warn about corrupt metadata; fine
        _check_read(data)


@FUZZ
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
    st.one_of(st.none(), st.integers(1, 10**6)),
)
def test_damaged_files_read_or_raise_input_error(sample, edits, cut):
    data = bytearray(sample)
    for position, value in edits:
        data[position % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check_read(bytes(data))
