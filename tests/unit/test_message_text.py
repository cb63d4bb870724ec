"""A note's or a message's text as it is kept, and the longest one fitting its route's body."""

from __future__ import annotations

from urllib.parse import urlencode

from backcoach.services import messages, notes
from backcoach.services.notes import plain_text
from backcoach.web.body_limits import TEXT, body_limit


def test_line_breaks_are_kept_as_newlines_and_the_edges_trimmed() -> None:
    assert plain_text("\r\n  One\r\ntwo\rthree\n\n", 100) == ("One\ntwo\nthree", None)
    assert plain_text("<b>as typed</b>", 100) == ("<b>as typed</b>", None)  # escaped on pages


def test_what_is_wrong_with_a_text_is_named() -> None:
    assert plain_text(" \t\r\n", 100)[1] == "blank"
    assert plain_text("x" * 101, 100)[1] == "too_long"
    assert plain_text("x" * 100, 100)[1] is None
    assert plain_text("bell\x07", 100)[1] == "bad_characters"
    assert plain_text("half \udfff", 100)[1] == "bad_characters"
    assert plain_text("tab\tkept", 100) == ("tab\tkept", None)


def test_the_longest_note_or_message_fits_its_routes_body_limit() -> None:
    widest = "\U0001f600"  # sent as 12 bytes: four UTF-8 bytes, each %XX
    for path, field, limit in (
        ("/messages", "body", messages.MAX_CHARS),
        ("/coach/clients/7/messages", "body", messages.MAX_CHARS),
        ("/coach/clients/7/notes", "text", notes.MAX_CHARS),
    ):
        form = urlencode({field: widest * limit, "csrftoken": "t" * 43})
        assert len(form.encode("ascii")) <= body_limit(path) == TEXT, path
