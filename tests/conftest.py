import os
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


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
