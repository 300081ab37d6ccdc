"""Where the user's own files live: corrected samples and the adapted model; and the cache.

``$DIGIT_APP_DATA`` (tests, portable installs) overrides the per-user data folder that
platformdirs gives (``~/.local/share/digit-app`` on Linux). Nothing is created here: the
callers create folders when they first write.
"""
from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "DIGIT_APP_DATA"
CACHE_ENV_VAR = "DIGIT_APP_CACHE"
APP_NAME = "digit-app"


def user_data_dir() -> Path:
    """``$DIGIT_APP_DATA`` if set, else platformdirs' user data folder for digit-app."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_data_path(APP_NAME))


def cache_dir() -> Path:
    """``$DIGIT_APP_CACHE`` if set, else platformdirs' user cache folder for digit-app: files
    that can be made again (the model converted for LiteRT)."""
    explicit = os.environ.get(CACHE_ENV_VAR)
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_cache_path(APP_NAME))


def samples_dir() -> Path:
    """The corrected samples (PNG files and ``index.csv``, see :mod:`digit_app.samples`)."""
    return user_data_dir() / "samples"


def adapted_model_path() -> Path:
    """The model adapted to the user's handwriting (``adapted.json`` beside it)."""
    return user_data_dir() / "models" / "adapted.keras"
