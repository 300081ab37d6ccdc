"""The JSON Lines results file: whole lines, a cut last line dropped, what --resume skips."""
import json

import pytest

from digit_app.batch.journal import BatchError, ResultsFile, read_recorded


def page(path, index):
    return {"path": path, "page": index, "width": 1, "height": 1, "digits": [], "numbers": []}


def test_lines_appended_and_read_back(tmp_path):
    out = tmp_path / "r.jsonl"
    with ResultsFile(out, resume=False) as f:
        f.write([page("a.png", 0), {"path": "b.png", "error": "not an image"}])
        f.write([page("c.pdf", 0), {"path": "c.pdf", "error": "page 2: bad", "page": 1}])
    lines = out.read_text().splitlines()
    assert [json.loads(line)["path"] for line in lines] == ["a.png", "b.png", "c.pdf", "c.pdf"]
    recorded, end = read_recorded(out)
    assert end == out.stat().st_size
    assert recorded.pages == {("a.png", 0), ("b.png", None), ("c.pdf", 0), ("c.pdf", 1)}
    # Only the file of the last line may have pages left to read.
    assert recorded.is_done("a.png") and recorded.is_done("b.png")
    assert not recorded.is_done("c.pdf") and not recorded.is_done("new.png")
    assert recorded.skip_in("c.pdf") == {("c.pdf", 0), ("c.pdf", 1)}
    assert recorded.skip_in("a.png") == frozenset()


def test_cut_last_line_dropped_on_resume(tmp_path):
    out = tmp_path / "r.jsonl"
    whole = json.dumps(page("a.png", 0)) + "\n"
    out.write_text(whole + json.dumps(page("b.png", 0))[:25])
    with ResultsFile(out, resume=True) as f:
        assert f.recorded.pages == {("a.png", 0)}
        assert f.recorded.last_file == "a.png"
        f.write([page("b.png", 0)])
    assert [json.loads(line)["path"] for line in out.read_text().splitlines()] == ["a.png", "b.png"]


def test_existing_file_needs_resume(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text("")
    with pytest.raises(BatchError, match="already exists: add --resume"):
        ResultsFile(out, resume=False)
    with ResultsFile(tmp_path / "new.jsonl", resume=True) as f:  # nothing to resume: a new file
        assert f.recorded.pages == set()


def test_damaged_line_before_the_last_is_refused(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text("not json\n" + json.dumps(page("a.png", 0)) + "\n")
    with pytest.raises(BatchError, match="line 1 is not a result line"):
        ResultsFile(out, resume=True)
    assert out.read_text().startswith("not json")  # left as it was


def test_unwritable_results_file(tmp_path):
    with pytest.raises(BatchError, match="cannot write the results"):
        ResultsFile(tmp_path / "missing-folder" / "r.jsonl", resume=False)
