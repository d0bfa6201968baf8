from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from enrollment.models import Program
from roles.models import FAQ, FAQTopic
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_content(db):
    call_command("load_demo_content", stdout=StringIO())


def test_anonymous_home_page_is_served_from_the_cache_on_the_second_visit(client):
    first = client.get(reverse("home"))
    second = client.get(reverse("home"))
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_cached_page_still_carries_fresh_security_headers(client):
    client.get(reverse("home"))
    hit = client.get(reverse("home"))
    assert hit["X-Page-Cache"] == "hit"
    assert "default-src 'none'" in hit["Content-Security-Policy"]
    assert "nonce-" not in hit["Content-Security-Policy"]
    assert hit["Cross-Origin-Resource-Policy"] == "same-origin"


def test_saving_content_invalidates_cached_pages(client, django_capture_on_commit_callbacks):
    client.get(reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        FAQTopic.objects.create(slug="costs", name="Costs")
    assert client.get(reverse("home"))["X-Page-Cache"] == "miss"


def test_deleting_content_from_an_admin_list_refreshes_the_cached_pages(
    client, admin_user, demo_content, django_capture_on_commit_callbacks
):
    """The list's "Delete selected" deletes in bulk (no model delete()): the FAQ page stops showing it too."""
    faq = FAQ.objects.order_by("pk").first()
    question = escape(faq.question)
    client.get(reverse("roles:faq"))
    assert client.get(reverse("roles:faq"))["X-Page-Cache"] == "hit"
    staff = sign_in(Client(), admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:roles_faq_changelist"),
            {"action": "delete_selected", "_selected_action": [faq.pk], "post": "yes"},
        )

    assert not FAQ.objects.filter(pk=faq.pk).exists()
    page = client.get(reverse("roles:faq"))
    assert page["X-Page-Cache"] == "miss"
    assert question not in page.content.decode()


def test_fees_deleted_in_bulk_refresh_the_price_shown(
    client, demo_content, django_capture_on_commit_callbacks
):
    program = Program.objects.published().filter(fees__isnull=False).distinct().order_by("pk").first()
    client.get(program.get_absolute_url())
    assert client.get(program.get_absolute_url())["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        program.fees.all().delete()

    assert client.get(program.get_absolute_url())["X-Page-Cache"] == "miss"


def test_visitors_with_a_session_always_get_a_fresh_page(client, admin_user):
    sign_in(client, admin_user)
    client.get(reverse("home"))
    assert "X-Page-Cache" not in client.get(reverse("home"))


def test_pages_that_did_not_opt_in_are_never_cached(client):
    client.get("/robots.txt")
    assert "X-Page-Cache" not in client.get("/robots.txt")


def test_the_cache_can_be_turned_off(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(reverse("home"))
    assert "X-Page-Cache" not in client.get(reverse("home"))


def test_cached_pages_are_sent_compressed_to_browsers_that_accept_gzip(client):
    import gzip

    plain = client.get(reverse("home"))
    hit = client.get(reverse("home"), headers={"accept-encoding": "gzip, br"})
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in hit["Vary"]
    assert gzip.decompress(hit.content) == plain.content
    assert len(hit.content) < len(plain.content) / 2


def test_every_visitor_of_a_cached_form_page_gets_a_working_token_of_their_own(
    django_capture_on_commit_callbacks,
):
    """The form page is cached without its CSRF token; each response carries the visitor's own."""
    import re

    from django.test import Client

    from enrollment.models import Application
    from tests.enrollment.conftest import make_cohort, make_level, make_program, post_data

    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)))
    url = reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page, second_page = first.get(url), second.get(url)
    assert (first_page["X-Page-Cache"], second_page["X-Page-Cache"]) == ("miss", "hit")

    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first_token = token.search(first_page.content.decode()).group(1)
    second_token = token.search(second_page.content.decode()).group(1)
    assert first_token != second_token
    assert second_page.cookies["__Host-csrftoken"].value != first_page.cookies["__Host-csrftoken"].value

    with django_capture_on_commit_callbacks(execute=True):
        response = second.post(url, {**post_data(cohort), "csrfmiddlewaretoken": second_token})
    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_a_form_page_with_errors_is_never_cached(client):
    from tests.enrollment.conftest import make_cohort, make_level, make_program

    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)))
    url = reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})
    response = client.post(url, {"cohort": cohort.pk, "first_name": "Zebulonne"})
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "Zebulonne" not in client.get(url).content.decode()


def test_an_unknown_host_gets_400_even_when_the_page_is_cached(client):
    client.get(reverse("home"))
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"

    response = client.get(reverse("home"), headers={"host": "evil.example"})

    assert response.status_code == 400
    assert "X-Page-Cache" not in response


@pytest.mark.parametrize(
    ("accept_encoding", "compressed"),
    [
        ("gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0, *", False),
        ("*;q=0", False),
        ("identity", False),
        ("br", False),
        ("", False),
        ("gzip;q=abc", False),
    ],
)
def test_cached_pages_are_compressed_only_for_browsers_that_admit_gzip(client, accept_encoding, compressed):
    plain = client.get(reverse("home"))
    hit = client.get(reverse("home"), headers={"accept-encoding": accept_encoding})
    assert hit["X-Page-Cache"] == "hit"
    assert (hit.get("Content-Encoding") == "gzip") is compressed
    if not compressed:
        assert hit.content == plain.content


def test_parameters_a_page_does_not_read_share_its_cached_entry(client):
    first = client.get(reverse("home"), {"utm_source": "newsletter"})
    assert first["X-Page-Cache"] == "miss"

    for query in ({}, {"utm_source": "flyer"}, {"anything": "x" * 2000}):
        response = client.get(reverse("home"), query)
        assert response["X-Page-Cache"] == "hit", query
        assert response.content == first.content


def test_spellings_of_one_comparison_share_one_entry(client, demo_content):
    plain = client.get("/roles/compare/?levels=emt&levels=paramedic")
    assert plain["X-Page-Cache"] == "miss"
    encoded = client.get("/roles/compare/?%6Cevels=%65mt&levels=paramedic&")
    assert encoded["X-Page-Cache"] == "hit"


def test_a_comparison_of_levels_that_do_not_exist_is_never_stored(client, demo_content):
    for _ in range(2):
        response = client.get("/roles/compare/", {"levels": ["emt", "no-such-level"]})
        assert response.status_code == 200
        assert "no-such-level" in response.content.decode()
        assert "X-Page-Cache" not in response


def test_a_form_page_for_an_unknown_program_is_never_stored(client):
    for _ in range(2):
        response = client.get(reverse("enrollment:contact"), {"program": "no-such-program"})
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    client.get(reverse("enrollment:contact"))
    assert client.get(reverse("enrollment:contact"), {"other": "1"})["X-Page-Cache"] == "hit"


def test_addresses_that_lead_nowhere_are_not_looked_up_in_the_cache(client):
    with mock.patch("sitetools.pagecache.cache") as cache:
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    cache.get_many.assert_not_called()


@pytest.mark.parametrize(
    "query",
    [
        "levels=EMT,paramedic",
        "levels=emt,%20paramedic",
        "levels=emt,,paramedic",
        "levels=emt&levels=&levels=paramedic",
    ],
)
def test_odd_spellings_of_a_comparison_are_shown_but_not_stored(client, demo_content, query):
    for _ in range(2):
        response = client.get(f"/roles/compare/?{query}")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


def test_odd_spellings_of_a_course_start_are_shown_but_not_stored(client, demo_content):
    from enrollment.models import Cohort

    cohort = Cohort.objects.open_for_applications().select_related("program").first()
    url = cohort.program.get_apply_url()
    for query in (f"cohort=0{cohort.pk}", f"cohort={cohort.pk}&cohort={cohort.pk}"):
        for _ in range(2):
            response = client.get(f"{url}?{query}")
            assert response.status_code == 200
            assert "X-Page-Cache" not in response, query
    client.get(f"{url}?cohort={cohort.pk}")
    assert client.get(f"{url}?cohort={cohort.pk}")["X-Page-Cache"] == "hit"


# Invalidation where the data changes: content for every page, seats for the pages that show them.


def cached(client, url):
    client.get(url)
    return client.get(url)["X-Page-Cache"] == "hit"


def test_an_application_refreshes_the_seat_figures_and_leaves_other_pages_cached(
    client, demo_content, django_capture_on_commit_callbacks
):
    from enrollment.models import Cohort, Program
    from tests.enrollment.conftest import submit

    program = Program.objects.get(slug="emt")
    cohort = Cohort.objects.filter(program=program).open_for_applications().first()
    seat_pages = [reverse("home"), program.get_absolute_url(), reverse("enrollment:apply-start")]
    other_pages = [reverse("roles:faq"), reverse("roles:index"), reverse("enrollment:program-list")]
    assert all(cached(client, url) for url in seat_pages + other_pages)

    with django_capture_on_commit_callbacks(execute=True):
        submit(cohort)

    assert [client.get(url)["X-Page-Cache"] for url in seat_pages] == ["miss"] * 3
    assert [client.get(url)["X-Page-Cache"] for url in other_pages] == ["hit"] * 3


def test_enquiries_notes_and_emails_never_invalidate_a_page(
    client, demo_content, admin_user, django_capture_on_commit_callbacks
):
    from enrollment import services
    from enrollment.models import Application
    from tests.enrollment.conftest import enquiry_data

    pages = [reverse("home"), reverse("roles:faq")]
    assert all(cached(client, url) for url in pages)
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = services.enquiry_submit(**{k: v for k, v in enquiry_data().items() if k != "website" and v})
        services.enquiry_note_add(enquiry=enquiry, text="Called back.", by=admin_user)
        services.application_note_add(application=Application.objects.first(), text="Docs in.", by=admin_user)

    assert [client.get(url)["X-Page-Cache"] for url in pages] == ["hit", "hit"]


def test_a_capacity_change_refreshes_the_seat_figures(
    client, demo_content, django_capture_on_commit_callbacks
):
    from enrollment import services
    from enrollment.models import Cohort

    cohort = Cohort.objects.open_for_applications().select_related("program").first()
    assert cached(client, cohort.program.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.cohort_set_capacity(cohort=cohort, capacity=cohort.capacity + 5)
    assert client.get(cohort.program.get_absolute_url())["X-Page-Cache"] == "miss"
