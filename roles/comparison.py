"""Which levels /roles/compare/ shows, worked out from the query string.

`?levels=emt,paramedic` (comma-separated, repeated `levels` parameters, or both). Whatever arrives,
the page gets a sensible set of at least two levels and plain messages saying what was changed and
why: unknown or repeated slugs, too few or too many levels. Nothing here can fail on odd input.
"""

from dataclasses import dataclass, field

from roles.facts import fact_rows

DEFAULT_SLUGS = ("emt", "paramedic")
MAX_LEVELS = 6
# More values than this are ignored unread: no ladder is that long, and the work stays bounded.
MAX_VALUES = 100
# Unknown values are quoted back to the visitor, shortened, and only the first few.
SHOWN_UNKNOWN = 5
SHOWN_LENGTH = 30


@dataclass
class Comparison:
    levels: list = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    is_default: bool = False

    @property
    def rows(self):
        return fact_rows(self.levels)

    @property
    def slugs(self):
        return [level.slug for level in self.levels]

    @property
    def title(self):
        return _names(self.levels) or "No levels"


def parse_level_slugs(values) -> list[str]:
    """The slugs asked for, in the order given, lower-cased, blanks dropped (duplicates kept)."""
    slugs = []
    for value in values:
        for part in value.split(","):
            part = part.strip().lower()
            if part:
                slugs.append(part)
                if len(slugs) >= MAX_VALUES:
                    return slugs
    return slugs


def _quote(value: str) -> str:
    printable = "".join(character for character in value if character.isprintable())
    if len(printable) > SHOWN_LENGTH:
        printable = printable[: SHOWN_LENGTH - 1] + "…"
    return f"“{printable}”"


def _join(words, conjunction="and") -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def _names(levels) -> str:
    return _join(level.name for level in levels)


def _default_levels(ladder) -> list:
    by_slug = {level.slug: level for level in ladder}
    levels = [by_slug[slug] for slug in DEFAULT_SLUGS if slug in by_slug]
    return levels if len(levels) == 2 else list(ladder[:2])


def _neighbour(level, ladder):
    """The level next to `level` on the ladder: the one above, or below when it is the top."""
    position = ladder.index(level)
    if position + 1 < len(ladder):
        return ladder[position + 1], "the next level up"
    if position > 0:
        return ladder[position - 1], "the level below"
    return None, ""


def comparison_build(*, requested, ladder) -> Comparison:
    """Decide which of the published levels (`ladder`, in ladder order) to compare, given the raw
    `levels` values of the query string."""
    ladder = list(ladder)
    by_slug = {level.slug: level for level in ladder}
    slugs = parse_level_slugs(requested)

    if not slugs:
        return Comparison(levels=_default_levels(ladder), is_default=True)

    chosen, unknown, repeated = [], [], []
    for slug in slugs:
        level = by_slug.get(slug)
        if level is None:
            if slug not in unknown:
                unknown.append(slug)
        elif level in chosen:
            if level not in repeated:
                repeated.append(level)
        else:
            chosen.append(level)

    messages = []
    if unknown:
        quoted = [_quote(slug) for slug in unknown[:SHOWN_UNKNOWN]]
        more = len(unknown) - SHOWN_UNKNOWN
        if more > 0:
            quoted.append(f"{more} more")
        quoted = _join(quoted, "or")
        noun = "level called" if len(unknown) == 1 else "levels called"
        messages.append(f"We have no {noun} {quoted}. Choose from the levels listed below.")
    if repeated:
        verb = "was" if len(repeated) == 1 else "were"
        messages.append(f"{_names(repeated)} {verb} asked for more than once; each is shown once.")
    if len(chosen) > MAX_LEVELS:
        chosen = chosen[:MAX_LEVELS]
        messages.append(
            f"You can compare up to {MAX_LEVELS} levels at a time, so we show the first {MAX_LEVELS} you chose."
        )

    is_default = False
    if len(chosen) == 1:
        partner, where = _neighbour(chosen[0], ladder)
        if partner is not None:
            chosen.append(partner)
            messages.append(
                f"A comparison needs at least two levels, so we added {partner.name}, {where}, "
                f"next to {chosen[0].name}."
            )
    elif not chosen:
        chosen = _default_levels(ladder)
        is_default = True
        if chosen:
            messages.append(f"None of the levels asked for exist, so we show {_names(chosen)} instead.")

    chosen.sort(key=lambda level: level.ladder_order)
    return Comparison(levels=chosen, messages=messages, is_default=is_default)
