"""The CLI writes its document page by page (bounded memory on long scans): byte for byte
what the whole-list formatters give."""
import io

import pytest

from digit_app.output import FORMATTERS, StreamWriter

PAGE = {"path": "a.png", "page": 0, "width": 3, "height": 4,
        "digits": [{"label": 1, "confidence": 0.5, "box": [1, 2, 3, 4], "top": [[1, 0.5]]}],
        "numbers": [{"text": "1", "confidence": 0.5, "box": [1, 2, 3, 4], "digits": [0]}]}
EMPTY_PAGE = {"path": "b.pdf", "page": 2, "width": 3, "height": 4, "digits": [], "numbers": []}
ERROR = {"path": "x.png", "error": "not an image"}


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
@pytest.mark.parametrize("pages", [[], [PAGE], [PAGE, EMPTY_PAGE]])
@pytest.mark.parametrize("errors", [[], [ERROR]])
def test_streamed_document_equals_the_whole_one(fmt, pages, errors):
    buf = io.StringIO()
    writer = StreamWriter(fmt, buf)
    for page in pages:
        writer.result("lenet.keras", page)
    writer.close("lenet.keras", errors)
    assert buf.getvalue() == FORMATTERS[fmt]("lenet.keras", pages, errors)


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="xml"):
        StreamWriter("xml", io.StringIO())
