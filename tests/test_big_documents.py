"""Long documents are read one page at a time: the generators of ``digit_app.io`` decode a
page only when they reach it, ``read_page`` / ``count_pages`` decode no other page, and
``digit-app recognize`` holds a bounded chunk of pages (``PIXELS_PER_CALL``). Memory itself is
measured by ``benchmarks/bench_big_document.py``."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from digit_app import batch
from digit_app.batch import pages as batch_pages
from digit_app.io import InputError, Page, count_pages, iter_pages, read_page
from digit_app.io import images as images_module
from digit_app.io import pdf as pdf_module
from digit_app.types import Recognition

PAGES = 12


def _pages(n: int, size=(60, 40)) -> list[Image.Image]:
    return [Image.new("L", size, 20 * i % 256) for i in range(n)]


@pytest.fixture(params=["pdf", "tiff"])
def document(request, tmp_path):
    pages = _pages(PAGES)
    path = tmp_path / f"long.{request.param}"
    pages[0].save(path, request.param.upper(), save_all=True, append_images=pages[1:], resolution=72)
    return path


@pytest.fixture
def decoded(monkeypatch):
    """The page indexes decoded (TIFF) or rendered (PDF), in order."""
    seen: list[int] = []
    render, decode = pdf_module._render_page, images_module._decode_frame

    def counting_render(doc, index, *args, **kwargs):
        seen.append(index)
        return render(doc, index, *args, **kwargs)

    def counting_decode(img, name, index, *args, **kwargs):
        seen.append(index)
        return decode(img, name, index, *args, **kwargs)

    monkeypatch.setattr(pdf_module, "_render_page", counting_render)
    monkeypatch.setattr(images_module, "_decode_frame", counting_decode)
    return seen


def test_pages_are_decoded_only_when_the_generator_reaches_them(document, decoded):
    pages = iter_pages(document)
    first = next(pages)
    assert isinstance(first, Page) and first.index == 0 and decoded == [0]
    second = next(pages)
    assert second.index == 1 and decoded == [0, 1]
    assert [p.index for p in pages] == list(range(2, PAGES)) and decoded == list(range(PAGES))


def test_one_page_is_read_without_the_others(document, decoded):
    assert count_pages(document) == PAGES and decoded == []
    page = read_page(document, 7)
    assert page.index == 7 and int(page.image.mean()) == 140 and decoded == [7]
    with pytest.raises(InputError, match=f"has no page {PAGES + 1}"):
        read_page(document, PAGES)


def test_count_pages_reports_a_file_that_cannot_be_opened(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(InputError, match=r"bad\.pdf"):
        count_pages(bad)


class _Recorder:
    """Stands for the Recognizer: records how many pages (and pixels) each model call got."""

    model_name = "recorder"

    def __init__(self):
        self.calls: list[tuple[int, int]] = []

    def recognize_many(self, images, config=None):
        self.calls.append((len(images), sum(i.shape[0] * i.shape[1] for i in images)))
        return [Recognition(i.shape[1], i.shape[0]) for i in images]


def test_the_command_line_holds_a_bounded_chunk_of_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(batch_pages, "PIXELS_PER_CALL", 5 * 60 * 40)  # five of these pages
    path = tmp_path / "long.pdf"
    pages = _pages(23)
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=72)
    recorder = _Recorder()
    out = batch.recognize_sources(recorder, [str(path)], None, 72)
    assert [n for n, _ in recorder.calls] == [5, 5, 5, 5, 3]
    assert all(pixels <= batch_pages.PIXELS_PER_CALL for _, pixels in recorder.calls)
    assert [r["page"] for r in out.results] == list(range(23)) and out.errors == []
    assert np.all([r["width"] == 60 for r in out.results])
