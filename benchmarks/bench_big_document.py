"""Big documents through ``digit-app recognize``: peak memory on a 100- and a 500-page PDF
(it must not grow with the page count) and pages per second over 2,000 pages.

Run: ``.venv/bin/python benchmarks/bench_big_document.py [--pages 1,100,500] [--total 2000]``
(targets of issue 19: peak RSS <= 600 MB on 500 pages, no growth from 100 to 500 pages).

The PDFs are made here: a few distinct A4 pages (four rows of numbers in an OpenCV Hershey
font, about 40 digits, drawn at 100 dpi, embedded as images by Pillow), repeated by PDFium
(pypdfium2) to the length wanted. ``recognize`` renders them at its default 200 dpi (1654 x
2339 pixels a page). Peak RSS is the child's ``ru_maxrss`` (``os.wait4``); a 1-page run gives
the baseline (the process with its model loaded); 2,000 pages are four 500-page files in one
command (``ReadLimits.max_pages`` is 500 per document).
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

A4_AT_100_DPI = (827, 1169)  # width, height in pixels
DISTINCT_PAGES = 8
ROWS = 4  # about 40 digits a page, like bench_recognize's A4 case
DIGIT_APP = Path(sys.executable).with_name("digit-app")


def page_image(seed: int) -> np.ndarray:
    """``HxW uint8``: an A4 page at 100 dpi with ``ROWS`` rows of numbers (OpenCV Hershey font)."""
    rng = np.random.default_rng(seed)
    w, h = A4_AT_100_DPI
    page = np.full((h, w), 250, np.uint8)
    for row in range(ROWS):
        y = 150 + row * 240
        x = 60
        for _ in range(rng.integers(2, 4)):
            text = "".join(str(d) for d in rng.integers(0, 10, rng.integers(2, 6)))
            cv2.putText(page, text, (x, y), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.6, 30, 3, cv2.LINE_AA)
            x += 60 + 45 * len(text)
    return page


def make_pdf(path: Path, pages: int) -> Path:
    """A ``pages``-page PDF repeating ``DISTINCT_PAGES`` generated pages."""
    sources = []
    for seed in range(DISTINCT_PAGES):
        buffer = io.BytesIO()
        Image.fromarray(page_image(seed)).save(buffer, "PDF", resolution=100)
        sources.append(pdfium.PdfDocument(buffer.getvalue()))
    doc = pdfium.PdfDocument.new()
    for i in range(pages):
        doc.import_pages(sources[i % DISTINCT_PAGES])
    doc.save(str(path))
    doc.close()
    for s in sources:
        s.close()
    return path


def run(paths: list[Path]) -> tuple[float, float, int]:
    """Seconds, peak RSS (MB) and exit status of ``digit-app recognize PATHS`` (output dropped)."""
    began = time.monotonic()
    child = subprocess.Popen([str(DIGIT_APP), "recognize", "--format", "json", *map(str, paths)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode(errors="replace").strip()
    if child.returncode:
        print(f"  exit {child.returncode}: {err[-300:]}")
    return seconds, usage.ru_maxrss / 1024, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="1,100,500", help="document lengths for peak memory")
    parser.add_argument("--total", type=int, default=2000, help="pages for the throughput run "
                        "(in 500-page files; 0 skips it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = {}
        for n in sorted({int(p) for p in args.pages.split(",")} | ({500} if args.total else set())):
            made[n] = make_pdf(folder / f"doc-{n}.pdf", n)
            print(f"made {made[n].name}: {made[n].stat().st_size / 1e6:.1f} MB")
        rows = []
        for n in sorted(int(p) for p in args.pages.split(",")):
            seconds, peak, code = run([made[n]])
            rows.append((n, seconds, peak, code))
            print(f"recognize {n:4d} pages: {seconds:6.1f} s, {n / seconds:5.2f} pages/s, "
                  f"peak RSS {peak:6.1f} MB, exit {code}", flush=True)
        if len(rows) > 2:  # the first run (1 page) is the baseline: the process and the model
            print(f"peak RSS growth {rows[1][0]} -> {rows[-1][0]} pages: {rows[-1][2] - rows[1][2]:+.1f} MB; "
                  f"above the {rows[0][0]}-page run: {rows[-1][2] - rows[0][2]:+.1f} MB")
        if args.total:
            files = [made[500]] * (args.total // 500)
            seconds, peak, code = run(files)
            pages = 500 * len(files)
            print(f"recognize {pages} pages ({len(files)} files): {seconds:.1f} s, "
                  f"{pages / seconds:.2f} pages/s, peak RSS {peak:.1f} MB, exit {code}")


if __name__ == "__main__":
    main()
