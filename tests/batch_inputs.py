"""Small inputs for the batch tests: numbers on pages, a 3-page TIFF, a broken file."""
from pathlib import Path

import cv2
from helpers import first_index_of, page_with_number
from PIL import Image


def write_inputs(folder: Path, mnist_test, count: int = 12) -> list[str]:
    """``count`` one-page PNGs, a 3-page TIFF in the middle, a broken PNG; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(count):
        digits = [first_index_of(mnist_test, k % 10), first_index_of(mnist_test, (k * 7 + 3) % 10)]
        path = folder / f"page{k:03d}.png"
        cv2.imwrite(str(path), page_with_number(mnist_test, digits))
        paths.append(str(path))
    frames = [Image.fromarray(page_with_number(mnist_test, [first_index_of(mnist_test, d)])[..., ::-1])
              for d in (4, 2, 9)]
    tiff = folder / "three-pages.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    broken = folder / "broken.png"
    broken.write_bytes(Path(paths[0]).read_bytes()[:100])
    return paths[: count // 2] + [str(tiff), str(broken)] + paths[count // 2 :]


def read_lines(path: Path) -> list[str]:
    """The lines of a JSON Lines file, sorted (a batch writes pages in completion order)."""
    return sorted(Path(path).read_text().splitlines())
