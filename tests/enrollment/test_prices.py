"""The price where a student decides: "From $X" on the programs list, the next starts and every start date;
the total, the deposit and the rest on the apply form and the confirmation page. All amounts are program data
(tuition plus fees, the deposit), shown in one format."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from sitetools.formats import day, minus, money
from tests.enrollment.conftest import make_cohort, make_program, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(levels):
    """A program whose price is tuition plus two fees: $1,650 + $185 + $65.50 = $1,900.50, deposit $250."""
    program = make_program(
        level=levels["emt"], slug="emt", name="EMT", tuition=Decimal("1650.00"), deposit=Decimal("250.00")
    )
    program.fees.create(name="Textbook", amount=Decimal("185.00"))
    program.fees.create(name="Background check", amount=Decimal("65.50"))
    make_cohort(program=program, capacity=5)
    return program


def text(response) -> str:
    """The page's text, tags removed and spaces collapsed, as a person reads it."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize(
    "amount,shown",
    [
        (Decimal("2020.00"), "$2,020"),
        (Decimal("1900.50"), "$1,900.50"),
        (Decimal("0"), "$0"),
        (Decimal("12345678.9"), "$12,345,678.90"),
        ("450", "$450"),
        (None, ""),
    ],
)
def test_money_is_dollars_with_separators_and_cents_only_when_there_are_some(amount, shown):
    assert money(amount) == shown


def test_one_date_format_and_what_is_left_after_the_deposit():
    assert day(date(2027, 3, 5)) == "March 5, 2027"
    assert day(None) == ""
    assert minus(Decimal("1900.50"), Decimal("250")) == Decimal("1650.50")
    assert Template("{% load formats %}{{ a|minus:b|money }}").render(
        Context({"a": Decimal("2020"), "b": Decimal("250")})
    ) == ("$1,770")


def test_programs_list_shows_from_the_total_of_tuition_and_fees_with_the_deposit(client, priced):
    page = text(client.get(reverse("enrollment:program-list")))

    assert "From $1,900.50 tuition and fees, $250 deposit to hold a seat" in page


def test_home_page_shows_the_price_on_each_of_the_next_starts(client, priced, levels):
    other = make_program(level=levels["paramedic"], slug="medic", name="Medic", tuition=Decimal("9800"))
    make_cohort(program=other)

    page = text(client.get(reverse("home")))

    starts = page.split("Next course starts", 1)[1]
    assert "From $1,900.50" in starts
    assert "From $9,800 tuition and fees" in starts  # no deposit: none is named


def test_every_start_date_shows_its_cost_on_the_start_page_and_the_program_page(client, priced):
    for url in (reverse("enrollment:apply-start"), priced.get_absolute_url()):
        html = client.get(url).content.decode()
        assert re.search(r'<td data-label="Cost">\$1,900\.50<span[^>]*>\$250 deposit</span></td>', html), url


def test_apply_form_sums_up_the_total_the_deposit_and_the_rest_before_the_fields(client, priced):
    html = client.get(priced.get_apply_url()).content.decode()
    summary = html[
        html.index('class="cost-summary"') : html.index("</section>", html.index('class="cost-summary"'))
    ]

    assert "<dd>$1,900.50</dd>" in summary
    assert "<dd>$250</dd>" in summary
    assert "<dd>$1,650.50</dd>" in summary  # the rest, after the deposit
    assert html.index('class="cost-summary"') < html.index("<form")
    assert reverse("sitepages:paying") in summary and reverse("sitepages:refunds") in summary


def test_apply_form_says_which_fields_are_required_before_the_first_field(client, priced):
    html = client.get(priced.get_apply_url()).content.decode()

    assert html.index('class="required-note"') < html.index('name="first_name"')
    assert html.count("Fields marked * are required") == 1


def test_confirmation_page_shows_the_total_and_the_deposit_to_pay(client, priced):
    cohort = priced.cohorts.get()
    response = client.post(priced.get_apply_url(), post_data(cohort), follow=True)
    page = text(response)

    assert "a seat is held for you" in page
    assert "Tuition and fees, in total $1,900.50" in page
    assert "Deposit to confirm your seat (part of the total) $250" in page
    assert "how to pay the $250 deposit" in page


def test_a_program_without_deposit_shows_no_deposit_line(client, levels):
    program = make_program(level=levels["emt"], tuition=Decimal("500"))
    make_cohort(program=program)

    html = client.get(program.get_apply_url()).content.decode()

    assert "<dd>$500</dd>" in html
    assert "Deposit to confirm your seat" not in html


def test_a_price_edited_in_the_admin_is_the_price_shown(client, priced):
    priced.fees.filter(name="Textbook").update(amount=Decimal("200.00"))

    assert "From $1,915.50" in text(client.get(reverse("enrollment:program-list")))
