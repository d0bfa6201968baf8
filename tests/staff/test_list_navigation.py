"""The lists, for the keyboard and screen readers: skip links past the filters to the results and to the
action bar, a way from a ticked row to the actions, and a search box named in words. (The journey through
them, with the number of Tabs it takes, is tests/browser/test_admin_accessibility.py.)"""

import re

import pytest
from django.urls import reverse

from tests.staff.conftest import changelist

pytestmark = pytest.mark.django_db


def test_a_list_skips_to_its_results_and_to_its_actions(admissions_client, full_cohort):
    page = admissions_client.get(changelist()).content.decode()

    assert '<a href="#results" class="skip-to-content-link">Skip to results</a>' in page
    assert '<a href="#actions" class="skip-to-content-link">Skip to actions</a>' in page
    # The targets: the rows (past the header's sorting links) and the action bar, which focus can land on.
    assert '<tbody id="results" tabindex="-1">' in page
    assert re.search(
        r'<div class="actions" id="actions" tabindex="-1" role="group" aria-label="Actions">', page
    )


def test_every_row_offers_a_way_to_the_actions_right_after_its_box(admissions_client, full_cohort):
    page = admissions_client.get(changelist()).content.decode()

    rows = re.findall(r"<tr>(<td class=\"action-checkbox\">.*?)</tr>", page, re.S)
    assert len(rows) == 5
    for row in rows:
        assert re.match(
            r'<td class="action-checkbox">.*?</td><td class="to-actions"><a href="#actions">To the actions</a></td>',
            row,
            re.S,
        )
    # Its column has a header, for the table to read right.
    assert (
        '<th scope="col" class="to-actions-column"><span class="visually-hidden">Actions</span></th>' in page
    )


def test_a_list_without_actions_has_no_way_to_them(admissions_client, emt_program):
    # Admissions read programs; they have no action to run on them.
    page = admissions_client.get(reverse("admin:enrollment_program_changelist")).content.decode()

    assert "Skip to results" in page
    assert "Skip to actions" not in page
    assert "To the actions" not in page


def test_the_search_box_is_named_in_words(admissions_client, full_cohort):
    page = admissions_client.get(changelist()).content.decode()

    label = re.search(r'<label for="searchbar"[^>]*>(.*?)</label>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", label).strip() == "Search applications"
    assert 'alt=""' in label  # the magnifier is decoration
