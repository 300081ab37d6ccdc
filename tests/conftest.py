import atexit
import os
import shutil
import tempfile

import pytest
from helpers import write_unipen

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# One cache for the whole run (models converted for LiteRT), never the user's own.
if "DIGIT_APP_CACHE" not in os.environ:
    os.environ["DIGIT_APP_CACHE"] = tempfile.mkdtemp(prefix="digit-app-test-cache-")
    atexit.register(shutil.rmtree, os.environ["DIGIT_APP_CACHE"], True)


@pytest.fixture(scope="session")
def mnist_dir():
    from digit_app.data.mnist import MnistError, find_data_dir

    try:
        return find_data_dir()
    except MnistError as exc:
        pytest.skip(f"MNIST not available: {exc}")


@pytest.fixture(scope="session")
def mnist_test(mnist_dir):
    from digit_app.data.mnist import load_split

    return load_split(mnist_dir, "test")


@pytest.fixture(autouse=True)
def isolated_user_data(tmp_path_factory, monkeypatch):
    """Every test gets its own user data folder ($DIGIT_APP_DATA: samples, adapted model),
    so no test reads or writes the real one."""
    path = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("DIGIT_APP_DATA", str(path))
    return path


@pytest.fixture
def held_out_unipen(tmp_path, monkeypatch):
    """Two held-out writers (sites ``ced`` and ``uqb``) of distinct digits, one trained-on
    writer (``apb``) of 9s only; found through ``$DIGIT_APP_REAL_DATA``."""
    from digit_app.data.scenes import unipen_writers

    write_unipen(tmp_path, {"ced/a": [1, 2, 3, 4] * 3, "uqb/b": [5, 6, 7, 8] * 3,
                            "apb/c": [9] * 12, "uqb/few": [0] * 3})
    monkeypatch.setenv("DIGIT_APP_REAL_DATA", str(tmp_path))
    unipen_writers.held_out_writers.cache_clear()
    yield tmp_path
    unipen_writers.held_out_writers.cache_clear()
