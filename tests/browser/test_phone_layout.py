"""Tables on a phone (375 px): the course starts become one card per start and the comparison one block per
fact, so that nothing scrolls sideways, not even inside the page, and every Apply link and level name is
on screen. (test_site_pages.py checks that no page is wider than the phone; a table in a scrolling box
passes that check with its last columns off-screen, which is what these tests rule out.)"""

import re

import pytest
from playwright.sync_api import expect

from enrollment.models import Program
from tests.browser.chromium import DESKTOP
from tests.browser.helpers import assert_no_horizontal_scroll, goto

pytestmark = pytest.mark.usefixtures("demo_content")

PHONE_WIDTH = 375

_START_CARDS = """(table) => Array.from(table.tBodies[0].rows).map((row) => {
    const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
    const link = row.querySelector(".cohort-apply a");
    return {
        start: row.cells[0].innerText.trim().split("\\n")[0],
        card: box(row),
        cells: Array.from(row.cells).map((cell) => ({label: cell.dataset.label || "", ...box(cell)})),
        apply: link ? box(link) : null,
    };
})"""


def assert_starts_are_cards(page) -> int:
    """Every start of every table on the page is a card inside the screen: its cells one under another,
    its Apply link (unless the start is closed) on screen, and no table scrolls inside its box."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert_no_horizontal_scroll(page)
    tables = page.locator("table.cohort-table")
    starts = 0
    for table in tables.all():
        wrapper = table.locator("xpath=..")
        assert wrapper.evaluate("(box) => box.scrollWidth <= box.clientWidth"), (
            "the start dates scroll sideways"
        )
        for start in table.evaluate(_START_CARDS):
            starts += 1
            card, cells = start["card"], start["cells"]
            assert card["left"] >= 0 and card["right"] <= PHONE_WIDTH, f"card off-screen: {start}"
            tops = [cell["top"] for cell in cells]
            assert tops == sorted(tops) and len(set(tops)) == len(tops), f"cells not stacked: {start}"
            labels = [cell["label"] for cell in cells[1:-1]]
            assert {"Schedule", "Location", "Cost", "Seats"} <= set(labels), start
            cost = next(cell for cell in cells if cell["label"] == "Cost")
            assert cost["left"] >= 0 and cost["right"] <= PHONE_WIDTH, f"price off-screen: {start}"
            if start["apply"] is not None:
                apply = start["apply"]
                assert apply["left"] >= 0 and apply["right"] <= PHONE_WIDTH, f"Apply off-screen: {start}"
    return starts


def test_phone_shows_every_start_on_the_apply_page_as_a_card(phone_page):
    goto(phone_page, "/apply/")

    assert assert_starts_are_cards(phone_page) >= 2
    links = phone_page.get_by_role(
        "link", name=re.compile(r"^(Apply|Join the waitlist) for the .* course, .* start$")
    )
    assert links.count() >= 2
    for link in links.all():
        link.scroll_into_view_if_needed()
        expect(link).to_be_in_viewport()  # as the page scrolls down, never sideways
        assert phone_page.evaluate("window.scrollX") == 0


def test_phone_shows_the_starts_of_every_program_as_cards(phone_page):
    programs = list(Program.objects.published().values_list("slug", flat=True))
    assert programs
    for slug in programs:
        goto(phone_page, f"/programs/{slug}/")
        assert_starts_are_cards(phone_page)


def test_desktop_keeps_the_start_dates_as_a_table_with_its_column_headers(new_context):
    page = new_context(**DESKTOP).new_page()
    goto(page, "/programs/emt/")

    table = page.get_by_role("table", name=re.compile("Upcoming starts"))
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Starts", "Ends", "Schedule", "Location", "Cost", "Seats", "Apply"]
    )
    first_row = table.get_by_role("row").nth(1)
    tops = first_row.get_by_role("cell").evaluate_all(
        "(cells) => cells.map((cell) => cell.getBoundingClientRect().top)"
    )
    assert len(set(tops)) == 1, "the cells of a start are not side by side on a desktop"


_COMPARISON_ROWS = """(table) => Array.from(table.tBodies[0].rows).map((row) => ({
    fact: row.cells[0].innerText.trim(),
    width: row.getBoundingClientRect().width,
    cells: Array.from(row.cells).slice(1).map((cell) => {
        const box = cell.getBoundingClientRect();
        return {shown: getComputedStyle(cell, "::before").content, left: box.left, right: box.right, width: box.width};
    }),
}))"""


def test_phone_shows_the_comparison_one_fact_at_a_time_with_every_level_named(phone_page):
    goto(phone_page, "/roles/compare/?levels=emr&levels=emt&levels=paramedic")

    assert_no_horizontal_scroll(phone_page)
    scroll_box = phone_page.locator(".compare-scroll")
    assert scroll_box.evaluate("(box) => box.scrollWidth <= box.clientWidth"), (
        "the comparison scrolls sideways"
    )
    table = phone_page.get_by_role("table")
    levels = [name.strip() for name in table.locator("thead a").all_inner_texts()]
    assert len(levels) == 3
    rows = table.evaluate(_COMPARISON_ROWS)
    assert len(rows) > 10
    for row in rows:
        # One line per level, named: the level names are in view wherever the visitor has scrolled to.
        # (Computed as '"Name: " / ""': the alternative text, empty, keeps screen readers to the headers.)
        shown = [cell["shown"].split(" / ")[0] for cell in row["cells"]]
        assert shown == [f'"{level}: "' for level in levels], row
        for cell in row["cells"]:
            assert cell["left"] >= 0 and cell["right"] <= PHONE_WIDTH, f"off-screen: {row}"
            assert cell["width"] >= 0.95 * row["width"], f"a narrow column with gaps beside it: {row}"


def test_desktop_keeps_the_comparison_as_columns(new_context):
    page = new_context(**DESKTOP).new_page()
    goto(page, "/roles/compare/?levels=emt&levels=paramedic")

    row = page.get_by_role("table").get_by_role("row").nth(1)
    tops = row.get_by_role("cell").evaluate_all(
        "(cells) => cells.map((cell) => cell.getBoundingClientRect().top)"
    )
    assert len(tops) == 2 and len(set(tops)) == 1, "the levels are not side by side on a desktop"
    assert (
        row.get_by_role("cell").first.evaluate("(cell) => getComputedStyle(cell, '::before').content")
        == "none"
    )
