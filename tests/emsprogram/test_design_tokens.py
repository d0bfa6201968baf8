"""The design tokens (static/css/site.css) are the ones docs/design.md documents, and every colour pair the
design uses has the contrast WCAG 2.2 AA asks of it: 4.5:1 for text, 3:1 for edges, focus and drawings."""

import re
from pathlib import Path

import pytest
from django.conf import settings

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"
DESIGN = Path(settings.BASE_DIR) / "docs" / "design.md"


def css_tokens() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)\n}", SITE_CSS.read_text(), re.S).group(1)
    root = re.sub(r"/\*.*?\*/", "", root, flags=re.S)
    return {name: value.strip() for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root)}


def documented_colours() -> dict[str, str]:
    """The colour table of docs/design.md: | `--color-x` | `#rrggbb` | for |."""
    return dict(re.findall(r"^\| `(--color-[\w-]+)` \| `(#[0-9a-fA-F]{6})` \|", DESIGN.read_text(), re.M))


def documented_pairs() -> list[tuple[str, str, str, float]]:
    """The pairs table: | `--fg` | `--bg` | where | needs |."""
    rows = re.findall(
        r"^\| `(--color-[\w-]+)` \| `(--color-[\w-]+)` \| ([^|]+) \| ([0-9.]+) \|$", DESIGN.read_text(), re.M
    )
    return [(fg, bg, where.strip(), float(needs)) for fg, bg, where, needs in rows]


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes AA
    assert contrast("#777777", "#ffffff") < 4.5


def test_every_colour_token_is_documented_with_its_value():
    colours = {name: value for name, value in css_tokens().items() if name.startswith("--color-")}
    assert len(colours) >= 20
    assert {name: value.lower() for name, value in colours.items()} == {
        name: value.lower() for name, value in documented_colours().items()
    }


def test_type_space_and_radius_are_tokens_too():
    tokens = css_tokens()
    for name in ("--text-base", "--text-3xl", "--leading", "--measure", "--space-1", "--space-6", "--radius"):
        assert name in tokens, name
    assert tokens["--measure"] == "70ch"


@pytest.mark.parametrize(
    "foreground,background,where,needs", documented_pairs(), ids=lambda value: str(value)[:40]
)
def test_each_documented_pair_meets_its_contrast(foreground, background, where, needs):
    colours = documented_colours()
    assert needs in (3.0, 4.5)
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= needs, f"{foreground} on {background} ({where}): {ratio:.2f}:1, needs {needs}:1"


def test_the_pairs_cover_text_on_every_background_and_the_focus_around_apply():
    pairs = {(fg, bg) for fg, bg, _, _ in documented_pairs()}
    assert len(pairs) >= 20
    for background in ("--color-surface", "--color-sand", "--color-brand", "--color-accent"):
        assert ("--color-focus", background) in pairs, background
    assert ("--color-on-brand", "--color-accent") in pairs
