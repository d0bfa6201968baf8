"""Each public page runs the same number of queries whatever the amount of content."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.models import CertificationLevel
from tests.roles.factories import make_faq, make_guide, make_level, make_role, make_topic

pytestmark = pytest.mark.django_db

# page: (address, most queries allowed)
PAGES = {
    "roles index": ("/roles/", 3),
    "level page": ("/roles/level-2/", 4),
    "role page": ("/roles/role-1/", 3),
    "comparison": ("/roles/compare/?levels=level-1,level-2,level-3", 2),
    "default comparison": ("/roles/compare/", 2),
    "guide": ("/guides/guide-1/", 1),
    "faq": ("/faq/", 2),
    # The roles part of the home page runs 2; the enrollment app's sections add their own.
    "home": ("/", 10),
}


def make_content(*, levels, skills_per_level, roles, guides, topics, entries_per_topic):
    previous = None
    for number in range(1, levels + 1):
        previous = make_level(
            slug=f"level-{number}",
            name=f"Level {number}",
            ladder_order=number,
            prerequisite=previous if number > 2 else None,
            skills=[f"Skill {n}" for n in range(skills_per_level)],
        )
    for number in range(1, roles + 1):
        make_role(slug=f"role-{number}", name=f"Role {number}")
    for number in range(1, guides + 1):
        make_guide(slug=f"guide-{number}")
    for _ in range(topics):
        topic = make_topic()
        for _ in range(entries_per_topic):
            make_faq(topic=topic)


def make_content_more():
    """From the small set to 30 levels with 20 skills each, 12 roles, 10 guides and 60 FAQ entries."""
    top = CertificationLevel.objects.order_by("-ladder_order").first()
    for number in range(4, 31):
        top = make_level(
            slug=f"level-{number}",
            name=f"Level {number}",
            ladder_order=number,
            prerequisite=top,
            skills=[f"Skill {n}" for n in range(20)],
        )
    for level in CertificationLevel.objects.filter(ladder_order__lte=3):
        for n in range(2, 20):
            level.skills.create(name=f"Skill {n}", order=n)
    for number in range(2, 13):
        make_role(slug=f"role-{number}", name=f"Role {number}")
    for number in range(2, 11):
        make_guide(slug=f"guide-{number}")
    for _ in range(6):
        topic = make_topic()
        for _ in range(10):
            make_faq(topic=topic)


def count_queries(client, url):
    cache.clear()  # a cached page would answer with no queries at all
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_the_same_bounded_number_of_queries_for_little_and_lots_of_content(
    client, django_assert_max_num_queries, page
):
    url, bound = PAGES[page]
    make_content(levels=3, skills_per_level=2, roles=1, guides=1, topics=1, entries_per_topic=2)
    with django_assert_max_num_queries(bound):
        cache.clear()
        client.get(url)
    small = count_queries(client, url)

    cache.clear()
    make_content_more()
    with django_assert_max_num_queries(bound):
        cache.clear()
        client.get(url)
    assert count_queries(client, url) == small
