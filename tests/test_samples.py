"""The sample store: round trip, crash safety, undo, clear errors, archives, hand-drawn boxes."""
import csv
import zipfile

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit_app import atomic, userdata
from digit_app.pipeline import binarize, normalize_digit
from digit_app.samples import (
    COLUMNS,
    NOT_A_DIGIT,
    Sample,
    SampleError,
    SampleStore,
    crop_box,
    model_input_for_box,
)
from digit_app.samples.index import format_index, parse_index


def _input(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.random((32, 32)).astype(np.float32)


def _crop(seed: int, colour: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (20 + seed, 15 + seed, 3) if colour else (20 + seed, 15 + seed)
    return rng.integers(0, 256, shape, dtype=np.uint8)


def _filled(root, n: int = 3) -> SampleStore:
    store = SampleStore(root)
    for i in range(n):
        store.add(_input(i), _crop(i, colour=i % 2 == 1), i % 11, "draw")
    return store


def test_default_folders_follow_digit_app_data(isolated_user_data):
    assert userdata.user_data_dir() == isolated_user_data
    assert userdata.samples_dir() == isolated_user_data / "samples"
    assert userdata.adapted_model_path() == isolated_user_data / "models" / "adapted.keras"
    store = SampleStore()
    assert store.root == isolated_user_data / "samples"
    assert store.samples() == [] and not store.root.exists()  # created lazily


def test_round_trip_through_a_new_store(tmp_path):
    store = SampleStore(tmp_path / "s")
    added = [store.add(_input(i)[..., None] if i == 0 else _input(i), _crop(i, colour=i == 1),
                       label, source)
             for i, (label, source) in enumerate([(3, "draw"), (NOT_A_DIGIT, "camera"), (3, "document")])]
    again = SampleStore(tmp_path / "s")
    assert again.samples() == added  # oldest first, every field kept
    assert len({s.id for s in added}) == 3 and [s.id for s in added] == sorted(s.id for s in added)
    for i, s in enumerate(again.samples()):
        assert np.abs(again.load_input(s) - _input(i)).max() <= 0.5 / 255 + 1e-6
        assert np.array_equal(again.load_crop(s), _crop(i, colour=i == 1))
        assert (tmp_path / "s" / s.input_file).is_file() and s.created.endswith("+00:00")
    counts = again.counts()
    assert set(counts) == set(range(11)) and counts[3] == 2 and counts[NOT_A_DIGIT] == 1
    x, y = again.arrays()
    assert x.shape == (3, 32, 32, 1) and x.dtype == np.float32 and y.tolist() == [3, NOT_A_DIGIT, 3]
    with open(tmp_path / "s" / "index.csv", newline="") as f:
        assert tuple(next(csv.reader(f))) == COLUMNS


def test_bad_arguments_are_refused_before_writing(tmp_path):
    store = SampleStore(tmp_path)
    with pytest.raises(ValueError, match="32x32"):
        store.add(np.zeros((28, 28), np.float32), _crop(0), 1, "draw")
    with pytest.raises(ValueError, match="label"):
        store.add(_input(0), _crop(0), 11, "draw")
    with pytest.raises(ValueError, match="label"):
        store.add(_input(0), _crop(0), 2.0, "draw")
    with pytest.raises(ValueError, match="crop"):
        store.add(_input(0), np.zeros((5, 5), np.float32), 1, "draw")
    with pytest.raises(ValueError, match="source"):
        store.add(_input(0), _crop(0), 1, "two\nlines")
    assert store.samples() == [] and not (tmp_path / "index.csv").exists()


def test_kill_between_pngs_and_index_loses_nothing_saved_before(tmp_path, monkeypatch):
    store = _filled(tmp_path, 2)
    before = store.samples()
    real_commit = atomic.commit

    def killed_at_index(tmp, path):
        if path.name == "index.csv":
            raise KeyboardInterrupt  # the app dies: new PNGs on disk, index not replaced
        real_commit(tmp, path)

    monkeypatch.setattr(atomic, "commit", killed_at_index)
    with pytest.raises(KeyboardInterrupt):
        store.add(_input(5), _crop(5), 5, "draw")
    monkeypatch.undo()
    assert len(list((tmp_path / "inputs").glob("*.png"))) == 3  # the new PNG is orphaned
    fresh = SampleStore(tmp_path)
    assert fresh.samples() == before
    x, y = fresh.arrays()
    assert len(x) == 2 and y.tolist() == [0, 1]
    fresh.add(_input(6), _crop(6), 6, "draw")  # the store carries on
    assert [s.label for s in SampleStore(tmp_path).samples()] == [0, 1, 6]


def test_kill_while_writing_pngs_leaves_the_index_alone(tmp_path, monkeypatch):
    store = _filled(tmp_path, 1)

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "commit_all", killed)
    with pytest.raises(KeyboardInterrupt):
        store.add(_input(1), _crop(1), 1, "draw")
    monkeypatch.undo()
    assert [s.label for s in SampleStore(tmp_path).samples()] == [0]


def test_remove_and_undo(tmp_path):
    store = _filled(tmp_path, 3)
    victim = store.samples()[1]
    model_input, crop = store.load_input(victim), store.load_crop(victim)
    assert store.remove(victim.id) == victim
    assert victim.id not in [s.id for s in store.samples()]
    assert not (tmp_path / victim.input_file).exists() and not (tmp_path / victim.crop_file).exists()
    with pytest.raises(KeyError):
        store.remove(victim.id)
    with pytest.raises(KeyError):
        store.get(victim.id)
    restored = store.restore(victim, model_input, crop)
    assert restored == victim and store.samples()[1] == victim  # back in its place, same id and time
    assert store.restore(victim, model_input, crop) == victim and len(store) == 3  # idempotent
    assert np.array_equal(store.load_crop(victim), crop)
    added = store.add(_input(9), _crop(9), 9, "draw")
    store.remove(added.id)  # undo of a correction
    assert len(SampleStore(tmp_path).samples()) == 3


def _rewrite_index(root, edit):
    path = root / "index.csv"
    path.write_text(edit(path.read_text()))


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t + "garbage\n", "index.csv line 5: expected 6 fields"),
    (lambda t: t.replace(",2,draw,", ",12,draw,"), "index.csv line 4: label '12'"),
    (lambda t: t.replace(",2,draw,", ",two,draw,"), "index.csv line 4: label 'two'"),
    (lambda t: t.replace("inputs/", "../", 1), "index.csv line 2: input_file '../"),
    (lambda t: t.replace("id,label", "ident,label"), "index.csv: header lacks the column(s) id"),
    (lambda t: "", "index.csv: empty"),
    (lambda t: t + t.splitlines()[1] + "\n", "already on line 2"),
    (lambda t: t.replace("+00:00", "", 1), "has no time zone"),
])
def test_damaged_index_is_one_clear_error(tmp_path, edit, expected):
    store = _filled(tmp_path, 3)
    _rewrite_index(tmp_path, edit)
    with pytest.raises(SampleError, match=r"index\.csv") as err:
        SampleStore(tmp_path).samples()
    assert expected in str(err.value) and str(tmp_path) in str(err.value)
    with pytest.raises(SampleError):  # and nothing is written over it
        store.add(_input(7), _crop(7), 7, "draw")


def test_index_that_is_not_text(tmp_path):
    _filled(tmp_path, 1)
    (tmp_path / "index.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SampleError, match="UTF-8"):
        SampleStore(tmp_path).counts()


def test_missing_or_damaged_png_names_the_file(tmp_path):
    store = _filled(tmp_path, 3)
    a, b, c = store.samples()
    (tmp_path / a.input_file).unlink()
    with pytest.raises(SampleError, match=f"{a.input_file}: file is missing"):
        store.load_input(a)
    with pytest.raises(SampleError, match=a.input_file):
        store.arrays()
    (tmp_path / b.crop_file).write_bytes(b"not a png at all")
    with pytest.raises(SampleError, match=f"{b.crop_file}: not a PNG"):
        store.load_crop(b)
    data = (tmp_path / c.input_file).read_bytes()
    (tmp_path / c.input_file).write_bytes(data[: len(data) // 2])
    with pytest.raises(SampleError, match=f"{c.input_file}: damaged PNG"):
        store.load_input(c)
    cv2.imwrite(str(tmp_path / c.input_file), np.zeros((28, 28), np.uint8))
    with pytest.raises(SampleError, match="32x32"):
        store.load_input(c)


def test_export_import_round_trip(tmp_path):
    store = _filled(tmp_path / "a", 4)
    archive = tmp_path / "out" / "my-samples.zip"
    assert store.export_archive(archive) == 4
    names = set(zipfile.ZipFile(archive).namelist())
    assert "index.csv" in names and {s.input_file for s in store.samples()} <= names
    other = SampleStore(tmp_path / "b")
    other.add(_input(20), _crop(20), 7, "camera")
    assert other.import_archive(archive) == 4
    assert other.import_archive(archive) == 0  # ids already present are skipped
    by_id = {s.id: s for s in other.samples()}
    for s in store.samples():
        assert by_id[s.id] == s
        assert np.array_equal(other.load_input(s), store.load_input(s))
        assert np.array_equal(other.load_crop(s), store.load_crop(s))
    assert other.counts()[7] == 1 and len(other) == 5


def _archive_variants(good, tmp_path):
    data = good.read_bytes()
    out = {}
    out["missing.zip"] = None
    (tmp_path / "text.zip").write_text("index.csv\n")
    out["text.zip"] = "not a zip archive"
    (tmp_path / "truncated.zip").write_bytes(data[: len(data) // 2])
    out["truncated.zip"] = "not a zip archive"
    with zipfile.ZipFile(tmp_path / "noindex.zip", "w") as zf:
        zf.writestr("hello.txt", "hi")
    out["noindex.zip"] = "no index.csv"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tmp_path / "lacking.zip", "w") as zf:
        for name in src.namelist():
            if not name.startswith("crops/"):
                zf.writestr(name, src.read(name))
    out["lacking.zip"] = "listed in index.csv but missing"
    with zipfile.ZipFile(good) as src:
        member = next(i for i in src.infolist() if i.filename.startswith("inputs/"))
    flipped = bytearray(data)
    flipped[member.header_offset + 30 + len(member.filename) + 40] ^= 0xFF
    (tmp_path / "crc.zip").write_bytes(bytes(flipped))
    out["crc.zip"] = "damaged"
    return out


def test_bad_archives_name_the_archive_and_add_nothing(tmp_path):
    source = _filled(tmp_path / "a", 3)
    good = tmp_path / "good.zip"
    source.export_archive(good)
    target = _filled(tmp_path / "b", 1)
    for name, expected in _archive_variants(good, tmp_path).items():
        with pytest.raises(SampleError) as err:
            target.import_archive(tmp_path / name)
        message = str(err.value)
        assert str(tmp_path / name) in message and "\n" not in message
        assert expected is None or expected in message, message
    assert len(SampleStore(tmp_path / "b")) == 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10),
                          st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(str.strip)),
                max_size=5))
def test_index_text_round_trip(rows):
    samples = [Sample(f"20250101T000000{i:06d}Z-abc", label, source.strip(), "2025-01-01T00:00:00.000+00:00",
                      f"inputs/{i}.png", f"crops/{i}.png") for i, (label, source) in enumerate(rows)]
    assert parse_index(format_index(samples), "index.csv") == samples


def _page_with_seven(colour=False, light_on_dark=False):
    page = np.full((200, 300), 235, np.uint8)
    cv2.line(page, (110, 50), (180, 50), 30, 9)
    cv2.line(page, (180, 50), (130, 150), 30, 9)
    cv2.circle(page, (40, 40), 3, 30, -1)  # a speck outside the box
    if light_on_dark:
        page = 255 - page
    return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR) if colour else page


@pytest.mark.parametrize("colour, light_on_dark", [(False, False), (True, False), (False, True)])
def test_model_input_for_box_is_the_pipelines_normalization(colour, light_on_dark):
    page = _page_with_seven(colour, light_on_dark)
    box = (95, 35, 100, 130)
    x = model_input_for_box(page, box)
    assert x.shape == (32, 32) and x.dtype == np.float32 and x.min() >= 0 and x.max() <= 1
    expected = normalize_digit(binarize(page)[35:165, 95:195])
    assert np.array_equal(x, expected) and x.sum() > 20
    assert crop_box(page, box).shape[:2] == (130, 100)


def test_model_input_for_box_errors():
    page = _page_with_seven()
    with pytest.raises(SampleError, match="holds no ink"):
        model_input_for_box(page, (220, 120, 60, 60))
    with pytest.raises(SampleError, match="outside"):
        model_input_for_box(page, (400, 10, 30, 30))
    with pytest.raises(ValueError):
        model_input_for_box(page.astype(np.float32), (95, 35, 100, 130))
    clipped = model_input_for_box(page, (90, 20, 400, 400))  # a box past the edge is clipped
    assert clipped.shape == (32, 32) and clipped.sum() > 20


def test_add_many_keeps_the_order_given_and_checks_everything_first(tmp_path):
    store = SampleStore(tmp_path)
    added = store.add_many([(_input(i), _crop(i), i, "document") for i in range(6)])
    assert [s.label for s in store.samples()] == list(range(6)) and store.samples() == added
    with pytest.raises(ValueError, match="label"):
        store.add_many([(_input(7), _crop(7), 7, "draw"), (_input(8), _crop(8), 99, "draw")])
    assert len(store) == 6


def test_remove_many_rewrites_the_index_once(tmp_path, monkeypatch):
    store = _filled(tmp_path, 4)
    ids = [s.id for s in store.samples()]
    writes = []
    real = atomic.atomic_write
    monkeypatch.setattr(atomic, "atomic_write", lambda p, d: (writes.append(p), real(p, d)))
    gone = store.remove_many([ids[0], ids[2], "no-such-id"])
    assert [s.id for s in gone] == [ids[0], ids[2]]
    assert len(writes) == 1
    assert [s.id for s in SampleStore(tmp_path).samples()] == [ids[1], ids[3]]
    assert len(list((tmp_path / "inputs").glob("*.png"))) == 2
    assert store.remove_many(["no-such-id"]) == [] and len(writes) == 1
