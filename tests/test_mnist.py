import gzip
import struct

import numpy as np
import pytest

from digit_app.data import mnist


def write_idx(path, data: np.ndarray, magic: int, dims=None, trim: int = 0):
    dims = data.shape if dims is None else dims
    raw = struct.pack(">i", magic) + struct.pack(f">{len(dims)}i", *dims) + data.tobytes()
    with gzip.open(path, "wb") as f:
        f.write(raw[: len(raw) - trim] if trim else raw)


def make_dataset(folder, n=5):
    images = np.random.default_rng(0).integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = np.arange(n, dtype=np.uint8) % 10
    for split in ("train", "test"):
        write_idx(folder / mnist.FILES[f"{split}_images"], images, mnist.IMAGE_MAGIC)
        write_idx(folder / mnist.FILES[f"{split}_labels"], labels, mnist.LABEL_MAGIC)
    return images, labels


def test_reads_valid_files(tmp_path):
    images, labels = make_dataset(tmp_path)
    split = mnist.load_split(tmp_path, "train")
    assert split.images.shape == (5, 28, 28) and split.images.dtype == np.uint8
    np.testing.assert_array_equal(split.images, images)
    np.testing.assert_array_equal(split.labels, labels)


def test_truncated_file_names_the_file(tmp_path):
    make_dataset(tmp_path)
    bad = tmp_path / mnist.FILES["test_images"]
    write_idx(bad, np.zeros((5, 28, 28), np.uint8), mnist.IMAGE_MAGIC, trim=100)
    with pytest.raises(mnist.MnistError, match="truncated") as err:
        mnist.load_split(tmp_path, "test")
    assert bad.name in str(err.value)


def test_bad_magic(tmp_path):
    make_dataset(tmp_path)
    write_idx(tmp_path / mnist.FILES["test_labels"], np.zeros(5, np.uint8), 1234)
    with pytest.raises(mnist.MnistError, match="magic"):
        mnist.load_split(tmp_path, "test")


def test_wrong_dimensions(tmp_path):
    make_dataset(tmp_path)
    write_idx(tmp_path / mnist.FILES["test_images"], np.zeros((5, 20, 20), np.uint8), mnist.IMAGE_MAGIC)
    with pytest.raises(mnist.MnistError, match="20x20"):
        mnist.load_split(tmp_path, "test")


def test_not_gzip(tmp_path):
    make_dataset(tmp_path)
    (tmp_path / mnist.FILES["test_images"]).write_bytes(b"this is not gzip")
    with pytest.raises(mnist.MnistError, match="gzip"):
        mnist.load_split(tmp_path, "test")


def test_count_mismatch(tmp_path):
    make_dataset(tmp_path)
    write_idx(tmp_path / mnist.FILES["test_labels"], np.zeros(3, np.uint8), mnist.LABEL_MAGIC)
    with pytest.raises(mnist.MnistError, match="5 images but 3 labels"):
        mnist.load_split(tmp_path, "test")


def test_search_order_and_missing_message(tmp_path, monkeypatch):
    (tmp_path / "env").mkdir()
    make_dataset(tmp_path / "env")
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path / "env"))
    assert mnist.find_data_dir() == tmp_path / "env"
    (tmp_path / "explicit").mkdir()
    with pytest.raises(mnist.MnistError) as err:
        mnist.find_data_dir(tmp_path / "explicit")
    message = str(err.value)
    assert str(tmp_path / "explicit") in message and "--data" in message


def test_real_mnist_checksums(mnist_dir):
    expected = {  # from ../shared/data/mnist/README.md
        "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    }
    sums = mnist.checksum(mnist_dir)
    assert sums["t10k-labels-idx1-ubyte.gz"] == expected["t10k-labels-idx1-ubyte.gz"]
