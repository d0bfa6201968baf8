"""Checks of typed text, shared by the public forms and every admin form.

- A single-line field (a name, a title, a code, an address line) holds one line of text: no line break, no
  tab or escape character, no invisible control that reorders what staff read (bidirectional overrides).
- A multi-line field (a question, a description, a note) may hold line breaks and tabs, nothing else
  invisible.
- Neither holds text the browser could not encode: a form sent as invalid UTF-8 reaches Django with each
  bad byte replaced by U+FFFD, which would be stored silently as "�".
- A name needs at least one letter or digit: a name of spaces or zero-width characters is no name.
"""

import unicodedata

from django.core.exceptions import ValidationError

REPLACEMENT_CHARACTER = "\ufffd"
# Characters that change the order in which text is shown (a name could look like another one).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def _invisible_controls(value: str, *, allowed: str = ""):
    return [
        char
        for char in value
        if char not in allowed and (unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS)
    ]


def _check_readable(value: str) -> None:
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(
            "Some characters could not be read (they may have been pasted from another program). "
            "Type this again.",
            code="unreadable",
        )


def validate_single_line(value) -> None:
    if not isinstance(value, str):
        return
    _check_readable(value)
    if any(char in LINE_BREAKS for char in value):
        raise ValidationError("Use one line only: remove the line break.", code="line_break")
    if _invisible_controls(value):
        raise ValidationError(
            "Remove the invisible control characters (such as a tab) from this text.",
            code="control_character",
        )


def validate_multi_line(value) -> None:
    if not isinstance(value, str):
        return
    _check_readable(value)
    if _invisible_controls(value, allowed="\n\r\t"):
        raise ValidationError(
            "Remove the invisible control characters from this text.", code="control_character"
        )


class VisibleText:
    """At least one letter or digit (of any script); `message` says what to type instead."""

    def __init__(self, message="This looks empty: type it with letters or digits."):
        self.message = message

    def __call__(self, value) -> None:
        if isinstance(value, str) and value and not any(unicodedata.category(c)[0] in "LN" for c in value):
            raise ValidationError(self.message, code="invisible")


validate_visible = VisibleText()


def normalise_line_breaks(value):
    """A text area's text with line breaks as "\\n": browsers send "\\r\\n" (and count it as one
    character for maxlength)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def as_single_line(value, *, max_length: int) -> str:
    """Text nobody typed on our pages (a link's campaign parameters, a header) made fit to keep rather than
    refused: line breaks, invisible controls and unreadable characters become spaces, runs of spaces one,
    and the result is cut at `max_length` characters. Anything but text is "" (never an error: a person
    cannot correct what a link or their browser sent)."""
    if not isinstance(value, str):
        return ""
    controls = set(_invisible_controls(value)) | LINE_BREAKS | {REPLACEMENT_CHARACTER}
    text = "".join(" " if char in controls else char for char in value[: max_length * 4])
    return " ".join(text.split())[:max_length].strip()
