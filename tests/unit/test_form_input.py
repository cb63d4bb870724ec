"""Form fields as the pages read them: odd shapes are refused by name, never a server error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backcoach.web.forms import _collect


def test_a_list_field_collects_every_value() -> None:
    form = _collect([("equipment[]", "band"), ("equipment[]", "mat"), ("level", "beginner")])

    assert form.ok
    assert form.values == {"equipment": ["band", "mat"], "level": "beginner"}


def test_a_field_sent_both_as_a_value_and_as_a_list_is_refused_by_name() -> None:
    for pairs in ([("felt", "target"), ("felt[]", "target")], [("felt[]", "a"), ("felt", "b")]):
        form = _collect(pairs)
        assert form.errors == {"felt": "This was sent more than once; please send the form again."}


def test_a_single_field_sent_twice_is_refused_by_name() -> None:
    form = _collect([("email", "a@example.com"), ("email", "b@example.com")])

    assert "email" in form.errors


def test_a_nul_byte_or_control_character_is_refused_by_name() -> None:
    for value in ("a\x00b@example.com", "note\x1b[31m", "\x7f"):
        form = _collect([("email", value)])
        assert form.errors == {
            "email": "This contains characters that cannot be saved; please type it again."
        }


def test_tabs_and_line_breaks_are_kept() -> None:
    form = _collect([("note", "line one\r\nline\ttwo")])

    assert form.ok and form.values["note"] == "line one\r\nline\ttwo"


@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=20)), max_size=12))
def test_any_fields_read_without_an_exception(pairs: list[tuple[str, str]]) -> None:
    form = _collect(pairs)

    for key, value in form.values.items():
        assert isinstance(value, str | list)
        assert key in form.errors or "\x00" not in str(value)
