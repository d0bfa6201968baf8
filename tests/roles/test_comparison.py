import pytest

from roles.comparison import MAX_LEVELS, MAX_VALUES, comparison_build, parse_level_slugs
from roles.facts import FACTS, fact_rows, level_facts
from roles.models import CertificationLevel
from tests.roles.factories import make_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder():
    make_level(slug="emr", name="Emergency Medical Responder", ladder_order=1)
    emt = make_level(slug="emt", name="Emergency Medical Technician", ladder_order=2)
    make_level(slug="aemt", name="Advanced EMT", ladder_order=3, prerequisite=emt)
    make_level(slug="paramedic", name="Paramedic", ladder_order=4, prerequisite=emt)
    return list(CertificationLevel.objects.ladder())


def compare(ladder, *values):
    return comparison_build(requested=list(values), ladder=ladder)


def test_parser_accepts_commas_repeated_parameters_and_both():
    assert parse_level_slugs(["emt,paramedic"]) == ["emt", "paramedic"]
    assert parse_level_slugs(["emt", "paramedic"]) == ["emt", "paramedic"]
    assert parse_level_slugs(["emr,emt", "paramedic"]) == ["emr", "emt", "paramedic"]


def test_parser_ignores_blanks_spaces_and_case():
    assert parse_level_slugs([" EMT , ,Paramedic,", ""]) == ["emt", "paramedic"]


def test_parser_reads_a_bounded_number_of_values():
    assert len(parse_level_slugs([",".join(["emt"] * 10_000)])) == MAX_VALUES


def test_empty_query_shows_the_default_pair_without_complaint(ladder):
    for values in [(), ("",), (" , ",)]:
        comparison = compare(ladder, *values)
        assert comparison.slugs == ["emt", "paramedic"]
        assert comparison.is_default
        assert comparison.messages == []


def test_two_known_levels_are_compared_in_ladder_order(ladder):
    comparison = compare(ladder, "paramedic,emt")
    assert comparison.slugs == ["emt", "paramedic"]
    assert comparison.messages == []


def test_one_level_is_paired_with_the_next_level_up(ladder):
    comparison = compare(ladder, "emt")
    assert comparison.slugs == ["emt", "aemt"]
    assert "at least two levels" in comparison.messages[0]
    assert "Advanced EMT" in comparison.messages[0]


def test_the_top_level_alone_is_paired_with_the_level_below(ladder):
    assert compare(ladder, "paramedic").slugs == ["aemt", "paramedic"]


def test_unknown_slug_is_named_in_a_message_and_the_known_ones_still_compared(ladder):
    comparison = compare(ladder, "emt,firefighter,paramedic")
    assert comparison.slugs == ["emt", "paramedic"]
    assert comparison.messages == [
        "We have no level called “firefighter”. Choose from the levels listed below."
    ]


def test_only_unknown_slugs_fall_back_to_the_default_pair_with_a_message(ladder):
    comparison = compare(ladder, "nurse,doctor")
    assert comparison.slugs == ["emt", "paramedic"]
    assert "“nurse” or “doctor”" in comparison.messages[0]
    assert any("instead" in message for message in comparison.messages)


def test_fifty_repeated_values_are_shown_once_with_a_message(ladder):
    comparison = compare(ladder, *(["emt"] * 50))
    assert comparison.slugs == ["emt", "aemt"]
    assert any("more than once" in message for message in comparison.messages)


def test_duplicates_of_two_levels_are_reported_and_shown_once(ladder):
    comparison = compare(ladder, "emt,emt,paramedic,PARAMEDIC")
    assert comparison.slugs == ["emt", "paramedic"]
    assert comparison.messages == [
        "Emergency Medical Technician and Paramedic were asked for more than once; each is shown once."
    ]


def test_non_ascii_and_control_characters_are_reported_safely(ladder):
    comparison = compare(ladder, "émt,救护车,\x00\x1b[31m")
    assert comparison.slugs == ["emt", "paramedic"]
    message = comparison.messages[0]
    assert "“émt”" in message
    assert "救护车" in message
    assert "\x00" not in message
    assert "\x1b" not in message


def test_long_unknown_values_are_shortened_and_only_the_first_few_quoted(ladder):
    comparison = compare(ladder, ",".join(f"{'x' * 200}{n}" for n in range(20)))
    message = comparison.messages[0]
    assert len(message) < 300
    assert "15 more" in message


def test_more_levels_than_the_cap_are_cut_with_a_message():
    levels = [make_level(ladder_order=n + 1) for n in range(MAX_LEVELS + 2)]
    comparison = comparison_build(requested=[",".join(level.slug for level in levels)], ladder=levels)
    assert len(comparison.levels) == MAX_LEVELS
    assert any(f"up to {MAX_LEVELS}" in message for message in comparison.messages)


def test_without_the_default_levels_the_first_two_rungs_are_shown():
    first, second, _ = (make_level(ladder_order=n) for n in (1, 2, 3))
    assert comparison_build(requested=[], ladder=list(CertificationLevel.objects.ladder())).levels == [
        first,
        second,
    ]


def test_an_empty_ladder_gives_an_empty_comparison_not_an_error():
    comparison = comparison_build(requested=["emt"], ladder=[])
    assert comparison.levels == []


def test_the_table_has_one_row_per_fact_with_one_cell_per_level(ladder):
    rows = fact_rows(ladder[:2])
    assert [fact for fact, _ in rows] == list(FACTS)
    assert all(len(cells) == 2 for _, cells in rows)


def test_the_table_and_the_level_page_read_the_same_facts(ladder):
    emt = ladder[1]
    page = {fact.key: value for fact, value in level_facts(emt)}
    table = {fact.key: cells[0] for fact, cells in fact_rows([emt])}
    assert page.items() <= table.items()
    assert set(table) - set(page) == {"summary", "advice"}
