"""Each level page lists the programs that train for it (published ones only), with their next start."""

import pytest
from django.urls import reverse

from tests.enrollment.conftest import make_cohort, make_program
from tests.roles.factories import make_level

pytestmark = pytest.mark.django_db


def test_level_page_lists_the_published_programs_that_train_for_it(client):
    emt = make_level(slug="emt", name="Emergency Medical Technician", ladder_order=2)
    evening = make_program(level=emt, slug="emt-evening", name="EMT Evening Course")
    make_cohort(program=evening, starts_in=40)
    make_program(level=emt, slug="emt-hidden", name="EMT Draft Course", is_published=False)

    html = client.get(reverse("roles:detail", kwargs={"slug": "emt"})).content.decode()

    assert "Programs that train for this level" in html
    assert "EMT Evening Course" in html
    assert evening.get_absolute_url() in html
    assert "EMT Draft Course" not in html


def test_level_without_a_program_points_to_the_programs_we_offer_and_the_contact_form(client):
    make_level(slug="community-paramedic", name="Community Paramedic", ladder_order=5)
    html = client.get(reverse("roles:detail", kwargs={"slug": "community-paramedic"})).content.decode()
    assert "We do not run a" in html
    assert reverse("enrollment:contact") in html
