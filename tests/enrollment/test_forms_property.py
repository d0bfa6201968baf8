"""Property-based: whatever is typed or sent into the public forms, the answer is a valid form or a list of
errors, and posting it through the view never ends in a server error."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from enrollment import services
from enrollment.forms import ApplicationForm, EnquiryForm
from enrollment.models import Cohort

pytestmark = pytest.mark.django_db

examples = hypothesis_settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

junk = st.one_of(
    st.text(max_size=300),  # any Unicode, control characters and NUL included
    st.text(alphabet=st.characters(codec="ascii"), max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.just(""),
    st.just("x" * 5000),
)


def corrupted(valid: dict):
    """A valid submission with a few of its fields (none, some, or the honeypot) replaced by anything."""
    replacements = st.dictionaries(st.sampled_from(sorted(valid)), junk, max_size=4)
    emails = st.emails().filter(lambda e: len(e) <= 254)
    return st.builds(
        lambda changes, email: {**valid, "email": email, **changes},
        replacements,
        st.one_of(st.just(valid["email"]), emails),
    )


def application_data(cohort):
    level_id = cohort.program.level.prerequisite_id
    return corrupted(
        {
            "cohort": str(cohort.pk),
            "first_name": "Avery",
            "last_name": "Sample",
            "email": "avery@example.org",
            "phone": "555 010 0123",
            "date_of_birth": "1990-04-05",
            "address_line1": "1 Example Street",
            "address_line2": "",
            "city": "Springfield",
            "state": "MA",
            "postal_code": "01000",
            "consent_data_processing": "on",
            "consent_sms": "",
            "certification_level": str(level_id),
            "certification_number": "E123",
            "certification_state": "MA",
            "certification_expiry": "2099-01-01",
            "website": "",
        }
    )


enquiry_data = corrupted(
    {
        "name": "Casey Demo",
        "email": "casey@example.org",
        "phone": "",
        "program": "",
        "preferred_contact": "email",
        "message": "When does the next course start?",
        "website": "",
    }
)


@pytest.fixture
def open_cohort(paramedic_program):
    from tests.enrollment.conftest import make_cohort

    return make_cohort(program=paramedic_program, capacity=3)


@pytest.fixture
def no_rate_limit(settings):
    settings.RATE_LIMIT_SUBMISSIONS = settings.RATE_LIMIT_ATTEMPTS = 10**9


@examples
@given(data=st.data())
def test_application_form_is_valid_or_lists_errors_and_the_service_refuses_cleanly(open_cohort, data):
    program = open_cohort.program
    values = data.draw(application_data(open_cohort))
    cohorts = Cohort.objects.filter(program=program).open_for_applications().with_seat_counts()
    form = ApplicationForm(data=values, program=program, cohorts=cohorts)
    if form.is_valid():
        try:
            application = services.application_submit(
                cohort=form.cleaned_data["cohort"], notify=False, details=form.applicant_details()
            )
        except services.EligibilityError as refused:
            assert refused.errors
        else:
            assert application.is_live
    else:
        assert form.errors
        for messages in form.errors.values():
            assert all(message.strip() for message in messages)


@examples
@given(data=st.data())
def test_posting_anything_to_the_application_form_never_errors(client, open_cohort, no_rate_limit, data):
    values = data.draw(application_data(open_cohort))
    url = reverse("enrollment:apply", kwargs={"slug": open_cohort.program.slug})
    response = client.post(url, values)
    assert response.status_code in (200, 302)


@examples
@given(query=junk)
def test_any_cohort_in_the_query_string_gets_the_form(client, open_cohort, query):
    url = reverse("enrollment:apply", kwargs={"slug": open_cohort.program.slug})
    response = client.get(url, {"cohort": query})
    # A NUL character is refused for every address of the site (emsprogram.middleware), with a 400.
    assert response.status_code == (400 if "\x00" in query else 200)


@examples
@given(values=enquiry_data)
def test_enquiry_form_is_valid_or_lists_errors(emt_program, values):
    form = EnquiryForm(data=values)
    if form.is_valid():
        services.enquiry_submit(notify=False, **form.enquiry_details())
    else:
        assert form.errors


@examples
@given(values=enquiry_data)
def test_posting_anything_to_the_contact_form_never_errors(client, emt_program, no_rate_limit, values):
    response = client.post(reverse("enrollment:contact"), values)
    assert response.status_code in (200, 302)
