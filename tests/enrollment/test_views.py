import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from enrollment.models import Application, Enquiry
from tests.enrollment.conftest import (
    certified,
    enquiry_data,
    make_cohort,
    make_program,
    post_data,
    submit,
    today,
)
from tests.staff.actions import confirm

pytestmark = pytest.mark.django_db


def apply_url(program, **query):
    url = reverse("enrollment:apply", kwargs={"slug": program.slug})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


# Pages


def test_program_list_shows_each_published_program_with_level_and_next_start(client, emt_program, levels):
    cohort = make_cohort(program=emt_program)
    make_program(level=levels["emr"], name="Hidden course", is_published=False)
    html = client.get(reverse("enrollment:program-list")).content.decode()
    assert "EMT" in html
    assert levels["emt"].name in html
    assert cohort.start_date.strftime("%Y") in html
    assert "Hidden course" not in html


def test_program_page_shows_cost_breakdown_requirements_outcomes_and_cohorts(client, emt_program):
    emt_program.fees.create(name="Textbook", amount="185.00")
    emt_program.fees.create(name="Exam", amount="104.50", note="per attempt")
    emt_program.outcomes.create(measure="exam-pass-rate", percent="84.0", period="2024 graduating class")
    open_cohort = make_cohort(program=emt_program, capacity=3, code="EMT-OPEN")
    full = make_cohort(program=emt_program, capacity=1, code="EMT-FULL")
    submit(full)
    make_cohort(program=emt_program, code="EMT-LATE", starts_in=5, deadline_before=10)

    response = client.get(emt_program.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "$1,789.50" in html  # 1500 + 185 + 104.50, computed
    assert "A diploma" in html and "at least 18 years old" in html
    assert "2024 graduating class" in html
    assert "3 seats left" in html
    assert "Full: waitlist open" in html
    assert "Closed" in html
    assert f"?cohort={open_cohort.pk}" in html
    assert 'style="' not in html
    assert "<caption>" in html and 'scope="col"' in html


def test_unpublished_or_unknown_program_is_404(client, levels):
    hidden = make_program(level=levels["emt"], is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get("/programs/no-such-course/").status_code == 404
    assert client.get(apply_url(hidden)).status_code == 404


def test_apply_start_lists_upcoming_cohorts_grouped_by_program(client, emt_program, paramedic_program):
    emt_cohort = make_cohort(program=emt_program)
    para_cohort = make_cohort(program=paramedic_program)
    html = client.get(reverse("enrollment:apply-start")).content.decode()
    assert "Choose your course start" in html
    assert emt_cohort.get_apply_url() in html
    assert para_cohort.get_apply_url() in html
    assert html.index("EMT") < html.index("Paramedic")


def test_home_page_shows_the_next_course_starts(client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=4)
    html = client.get(reverse("home")).content.decode()
    assert "Next course starts" in html
    assert "4 seats left" in html
    assert cohort.get_apply_url() in html


def test_contact_page_answers(client):
    response = client.get(reverse("enrollment:contact"))
    assert response.status_code == 200
    assert 'autocomplete="email"' in response.content.decode()


# Applying


def test_successful_application_redirects_to_its_confirmation(client, cohort):
    response = client.post(apply_url(cohort.program), post_data(cohort))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enrollment:application-done", args=[application.reference])
    page = client.get(response["Location"])
    assert application.reference in page.content.decode()
    assert "a seat is held for you" in page.content.decode()


def test_confirmation_shows_the_waitlist_position_when_full(client, cohort):
    submit(cohort)
    submit(cohort)
    response = client.post(apply_url(cohort.program), post_data(cohort), follow=True)
    assert "you are number 1 on the waitlist" in response.content.decode()


@pytest.mark.parametrize("full", [False, True], ids=["seat", "waitlist"])
def test_confirmation_says_the_email_is_on_its_way_not_that_it_was_sent(client, cohort, full):
    """E-mails go out from the task worker after the page is shown: "we have sent" would not be true yet."""
    if full:
        submit(cohort)
        submit(cohort)
    response = client.post(
        apply_url(cohort.program), post_data(cohort, email="dana@example.net"), follow=True
    )

    html = response.content.decode()
    assert Application.objects.get(email="dana@example.net").reference in html
    assert "have sent" not in html
    assert "We are sending you a confirmation" in html
    assert "you will get an e-mail at dana@example.net in the next few minutes" in html
    assert "check your spam folder" in html


def test_someone_elses_confirmation_page_is_not_visible(client, cohort):
    client.post(apply_url(cohort.program), post_data(cohort))
    application = Application.objects.get()
    stranger = Client()
    assert (
        stranger.get(reverse("enrollment:application-done", args=[application.reference])).status_code == 404
    )
    other = submit(cohort)
    assert client.get(reverse("enrollment:application-done", args=[other.reference])).status_code == 404


def test_cohort_in_the_query_string_is_preselected(client, emt_program):
    make_cohort(program=emt_program)
    chosen = make_cohort(program=emt_program)
    html = client.get(apply_url(emt_program, cohort=chosen.pk)).content.decode()
    assert re.search(rf'value="{chosen.pk}"[^>]*checked', html)
    form = client.get(apply_url(emt_program, cohort=chosen.pk)).context["form"]
    assert form.initial["cohort"] == chosen.pk


@pytest.mark.parametrize("tampered", ["abc", "-1", "1.5", "99999999999999999999999999", "１２", ""])
def test_tampered_cohort_in_the_query_string_gets_the_form_not_an_error(client, emt_program, tampered):
    make_cohort(program=emt_program)
    response = client.get(apply_url(emt_program) + f"?cohort={tampered}")
    assert response.status_code == 200
    assert "<form" in response.content.decode()


def test_link_to_another_programs_or_a_closed_cohort_says_so(client, emt_program, paramedic_program):
    make_cohort(program=emt_program)
    other = make_cohort(program=paramedic_program)
    closed = make_cohort(program=emt_program, is_open=False)
    for cohort in (other, closed):
        html = client.get(apply_url(emt_program, cohort=cohort.pk)).content.decode()
        assert "not open for applications" in html


@pytest.mark.parametrize("kind", ["other program", "closed", "past deadline", "not a number", "huge"])
def test_posting_a_cohort_that_is_not_open_here_is_a_form_error(client, emt_program, paramedic_program, kind):
    make_cohort(program=emt_program)
    value = {
        "other program": lambda: make_cohort(program=paramedic_program).pk,
        "closed": lambda: make_cohort(program=emt_program, is_open=False).pk,
        "past deadline": lambda: make_cohort(program=emt_program, starts_in=3, deadline_before=5).pk,
        "not a number": lambda: "seven",
        "huge": lambda: "9" * 40,
    }[kind]()
    data = post_data(make_cohort(program=emt_program))
    data["cohort"] = str(value)
    response = client.post(apply_url(emt_program), data)
    assert response.status_code == 200
    assert "not open for applications" in response.context["form"].errors["cohort"][0]
    assert not Application.objects.exists()


def test_errors_appear_beside_the_field_and_in_a_summary_linking_to_it(client, cohort):
    response = client.post(apply_url(cohort.program), post_data(cohort, first_name="", email="not-an-email"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in html and "There is a problem" in html
    assert 'href="#id_first_name"' in html and 'href="#id_email"' in html
    assert "Enter your first name." in html
    assert "Enter an e-mail address in the form name@example.com." in html
    assert html.count("<h1") == 1


def paramedic_application(cohort, levels, **changes):
    """A POST of the Paramedic form from an EMT whose certification runs a year past the start."""
    certification = {
        "certification_level": str(levels["emt"].pk),
        "certification_number": "E1",
        "certification_state": "MA",
        "certification_expiry": (cohort.start_date + timedelta(days=400)).isoformat(),
    }
    return post_data(cohort, **{**certification, **changes})


@pytest.mark.parametrize("days_before_start", [2, 0])
def test_eligibility_refusal_is_shown_at_the_field_it_concerns(
    client, paramedic_program, levels, days_before_start
):
    cohort = make_cohort(program=paramedic_program, starts_in=60)
    expiry = cohort.start_date - timedelta(days=days_before_start)
    data = paramedic_application(cohort, levels, certification_expiry=expiry.isoformat())
    response = client.post(apply_url(paramedic_program), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "must still be valid after the first day" in errors["certification_expiry"][0]
    assert 'href="#id_certification_expiry"' in response.content.decode()


def test_sending_an_application_again_says_plainly_that_it_is_already_in(
    client, cohort, django_capture_on_commit_callbacks
):
    first = submit(cohort, email="dup@example.org", notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url(cohort.program), post_data(cohort, email="DUP@example.org"), follow=True
        )

    assert response.redirect_chain[-1][0] == reverse("enrollment:application-already-in")
    assert "Your application is already in" in response.content.decode()
    assert Application.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["dup@example.org"]]
    assert first.reference in mail.outbox[0].body
    assert first.reference not in response.content.decode()  # whoever typed the address learns no more


def test_age_refusal_is_at_the_date_of_birth_field(client, cohort):
    too_young = today().replace(year=today().year - 17).isoformat()
    response = client.post(apply_url(cohort.program), post_data(cohort, date_of_birth=too_young))
    assert "at least 18" in response.context["form"].errors["date_of_birth"][0]


def test_certification_fields_are_asked_only_where_the_level_needs_them(
    client, emt_program, paramedic_program
):
    make_cohort(program=emt_program)
    make_cohort(program=paramedic_program)
    assert "certification_number" not in client.get(apply_url(emt_program)).content.decode()
    assert "certification_number" in client.get(apply_url(paramedic_program)).content.decode()


def test_form_fields_have_labels_and_autocomplete(client, cohort):
    html = client.get(apply_url(cohort.program)).content.decode()
    for token in ("given-name", "family-name", "email", "tel", "bday", "address-line1", "postal-code"):
        assert f'autocomplete="{token}"' in html
    assert 'type="date"' in html
    assert re.search(r'<label\s+for="id_first_name"', html)


def test_application_with_certification_through_the_form(client, paramedic_program, levels):
    cohort = make_cohort(program=paramedic_program)
    details = certified(levels["emt"])
    data = post_data(
        cohort,
        certification_level=str(details["certification_level"].pk),
        certification_number="E7",
        certification_state="NH",
        certification_expiry=details["certification_expiry"].isoformat(),
    )
    assert client.post(apply_url(paramedic_program), data).status_code == 302
    assert Application.objects.get().certification_state == "NH"


def test_program_with_no_open_cohort_offers_the_contact_form(client, emt_program):
    html = client.get(apply_url(emt_program)).content.decode()
    assert "No start date of this course is taking applications" in html
    assert "<form" not in html


# Bad input never makes a 500


@pytest.mark.parametrize(
    "field,value",
    [
        ("first_name", "x" * 10_000),
        ("email", "a" * 300 + "@example.org"),
        ("first_name", "Ava\x00"),
        ("date_of_birth", "99999-99-99"),
        ("date_of_birth", "0001-01-01"),
        ("phone", "call me maybe"),
        ("postal_code", "\u202e\u0000"),
    ],
)
def test_bad_values_get_a_form_error(client, cohort, field, value):
    response = client.post(apply_url(cohort.program), post_data(cohort, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Application.objects.exists()


def test_non_utf8_body_is_answered_without_an_error(client, cohort):
    body = b"cohort=" + str(cohort.pk).encode() + b"&first_name=\xff\xfe\xfd&email=\xc3\x28@example.org"
    response = client.post(apply_url(cohort.program), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_contact_form_with_non_utf8_and_nul_bytes_is_answered_without_an_error(client):
    body = b"name=\xff\x00&email=x@example.org&message=\xc0\xaf&preferred_contact=email"
    response = client.post(
        reverse("enrollment:contact"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Enquiry.objects.exists()


# Abuse


def test_filled_honeypot_stores_nothing_but_looks_like_success(client, cohort):
    response = client.post(apply_url(cohort.program), post_data(cohort, website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("enrollment:application-received")
    assert client.get(response["Location"]).status_code == 200
    assert not Application.objects.exists()

    response = client.post(reverse("enrollment:contact"), enquiry_data(website="http://spam.example"))
    assert response["Location"] == reverse("enrollment:contact-done")
    assert not Enquiry.objects.exists()


def test_honeypot_is_hidden_from_people(client, cohort):
    html = client.get(apply_url(cohort.program)).content.decode()
    assert 'class="hp-field"  aria-hidden="true"' in html or (
        'class="hp-field"' in html and 'aria-hidden="true"' in html
    )
    assert 'name="website" tabindex="-1" autocomplete="off"' in html
    assert "Leave this field empty" in html


def test_too_many_submissions_from_one_address_get_a_friendly_429(client, cohort, settings):
    settings.RATE_LIMIT_SUBMISSIONS = 3
    for _ in range(3):
        assert client.post(reverse("enrollment:contact"), enquiry_data()).status_code == 302
    response = client.post(apply_url(cohort.program), post_data(cohort))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Please wait a little" in html
    assert settings.SCHOOL["PHONE"] in html
    assert not Application.objects.exists()
    # Another address is not affected.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post(reverse("enrollment:contact"), enquiry_data()).status_code == 302


def test_someone_fixing_mistakes_is_not_stopped_by_the_limit_on_submissions(client, cohort, settings):
    settings.RATE_LIMIT_SUBMISSIONS = 2
    settings.RATE_LIMIT_ATTEMPTS = 10
    for _ in range(5):
        response = client.post(apply_url(cohort.program), post_data(cohort, phone="call me"))
        assert response.status_code == 200
        assert "Enter a phone number" in response.content.decode()

    assert client.post(apply_url(cohort.program), post_data(cohort)).status_code == 302
    assert Application.objects.count() == 1


def test_a_form_the_school_refuses_counts_as_a_mistake_to_fix_not_a_submission(client, cohort, settings):
    settings.RATE_LIMIT_SUBMISSIONS = 2
    settings.RATE_LIMIT_ATTEMPTS = 10
    too_young = (today() - timedelta(days=365 * 15)).isoformat()
    for _ in range(4):
        response = client.post(apply_url(cohort.program), post_data(cohort, date_of_birth=too_young))
        assert response.status_code == 200
        assert "You must be at least 18" in response.content.decode()

    assert client.post(apply_url(cohort.program), post_data(cohort)).status_code == 302
    assert client.post(apply_url(cohort.program), post_data(cohort)).status_code == 302
    assert client.post(apply_url(cohort.program), post_data(cohort)).status_code == 429
    assert Application.objects.count() == 2


def test_sending_forms_with_mistakes_again_and_again_is_stopped_too(client, settings):
    settings.RATE_LIMIT_ATTEMPTS = 4
    for _ in range(4):
        assert client.post(reverse("enrollment:contact"), enquiry_data(email="nope")).status_code == 200

    response = client.post(reverse("enrollment:contact"), enquiry_data(email="nope"))

    assert response.status_code == 429
    assert "The form you just sent was not saved" in response.content.decode()


def test_rate_limit_behind_a_proxy_uses_the_address_the_proxy_saw(client, settings):
    from enrollment import ratelimit

    settings.RATE_LIMIT_SUBMISSIONS = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = client.get("/").wsgi_request
    request.META["HTTP_X_FORWARDED_FOR"] = "1.2.3.4, 198.51.100.7"
    assert ratelimit.client_address(request) == "198.51.100.7"
    settings.SECURE_PROXY_SSL_HEADER = None
    assert ratelimit.client_address(request) == request.META["REMOTE_ADDR"]


def test_forms_require_a_csrf_token(cohort):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(apply_url(cohort.program), post_data(cohort)).status_code == 403
    assert strict.post(reverse("enrollment:contact"), enquiry_data()).status_code == 403
    assert not Application.objects.exists()


# The contact form


def test_enquiry_is_stored_and_redirects_to_thank_you(client, emt_program):
    response = client.post(reverse("enrollment:contact"), enquiry_data(program=str(emt_program.pk)))
    assert response["Location"] == reverse("enrollment:contact-done")
    enquiry = Enquiry.objects.get()
    assert enquiry.program == emt_program
    assert client.get(response["Location"]).status_code == 200


def test_question_received_page_says_the_acknowledgement_is_on_its_way_not_sent(client):
    response = client.post(reverse("enrollment:contact"), enquiry_data(), follow=True)

    html = response.content.decode()
    assert "we received your question" in html
    assert "have sent" not in html and "have also sent" not in html
    assert "We are also sending you a short acknowledgement" in html
    assert "in the next few minutes" in html


def test_enquiry_asking_for_a_call_needs_a_phone_number(client):
    response = client.post(reverse("enrollment:contact"), enquiry_data(preferred_contact="phone"))
    assert "phone" in response.context["form"].errors


@pytest.mark.parametrize("preferred_contact", ["phone", "sms"])
def test_a_wrong_phone_number_gets_one_message_not_also_enter_your_phone(client, preferred_contact):
    """A number was typed: "Enter your phone number" next to it would contradict what the person sees."""
    response = client.post(
        reverse("enrollment:contact"), enquiry_data(preferred_contact=preferred_contact, phone="call me")
    )
    errors = response.context["form"].errors["phone"]
    assert len(errors) == 1
    assert errors[0].startswith("Enter a phone number")  # how to write one, not "Enter your phone number"


def test_contact_link_from_a_program_preselects_it(client, emt_program):
    form = client.get(reverse("enrollment:contact") + "?program=emt").context["form"]
    assert form.initial["program"] == emt_program.pk


def test_admin_actions_change_status_through_the_services(admin_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=1)
    seat = submit(cohort)
    waiting = submit(cohort)
    # Chosen on the list, then confirmed on the confirmation page (tests/staff covers the page itself).
    response = confirm(admin_client, "action_application_withdraw", [seat])
    assert response.status_code == 200
    assert Application.objects.get(pk=seat.pk).status == "withdrawn"
    waiting.refresh_from_db()
    assert waiting.status == "offered"


# What the form accepts: meant as the person meant it


@pytest.mark.parametrize("value", ["0", "off", "false", "no", "", "nonsense"])
def test_only_a_real_tick_counts_as_consent(client, cohort, value):
    response = client.post(apply_url(cohort.program), post_data(cohort, consent_data_processing=value))
    assert response.status_code == 200
    assert response.context["form"].errors["consent_data_processing"] == [
        "Tick the box to agree: we cannot process an application without it."
    ]
    assert not Application.objects.exists()


@pytest.mark.parametrize("value", ["on", "true", "1", "yes", "ON"])
def test_a_ticked_box_counts_as_consent(client, cohort, value):
    assert (
        client.post(apply_url(cohort.program), post_data(cohort, consent_data_processing=value)).status_code
        == 302
    )
    assert Application.objects.get().consent_data_processing is True


def test_full_width_digits_are_read_as_the_digits_they_are(client, cohort):
    data = post_data(cohort, phone="５５５ ０１０ ０１２３", postal_code="０１３６０")
    assert client.post(apply_url(cohort.program), data).status_code == 302
    application = Application.objects.get()
    assert application.phone == "555 010 0123"
    assert application.postal_code == "01360"


@pytest.mark.parametrize("value", ["1360", "013600", "ABCDE", "01360-12", "٠١٣٦٠"])
def test_a_zip_code_that_is_not_one_is_explained(client, cohort, value):
    response = client.post(apply_url(cohort.program), post_data(cohort, postal_code=value))
    assert response.status_code == 200
    assert "Enter a 5-digit ZIP code" in response.context["form"].errors["postal_code"][0]


def test_a_question_as_long_as_the_browser_allows_is_accepted_with_its_line_breaks(client):
    # The browser counts a line break as one character against maxlength, and sends it as CR LF.
    lines = ["x" * 99] * 30
    typed = "\n".join(lines)
    assert len(typed) == 2999
    sent = typed.replace("\n", "\r\n")

    response = client.post(reverse("enrollment:contact"), enquiry_data(message=sent))

    assert response.status_code == 302
    assert Enquiry.objects.get().message == typed


def test_the_same_mailbox_typed_in_full_width_cannot_apply_twice_to_one_start(client, cohort):
    assert (
        client.post(apply_url(cohort.program), post_data(cohort, email="Dup.Case@Example.org")).status_code
        == 302
    )

    response = client.post(apply_url(cohort.program), post_data(cohort, email="dup.case@ｅｘａｍｐｌｅ.org"))

    assert response.status_code == 302
    assert response.url == reverse("enrollment:application-already-in")
    assert Application.objects.count() == 1


@pytest.mark.parametrize("phone", [".......", "(((())))", "+ - - - - - -"])
def test_a_phone_number_needs_digits(client, cohort, phone):
    response = client.post(apply_url(cohort.program), post_data(cohort, phone=phone))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"][0].startswith("Enter a phone number")


def test_a_date_of_birth_in_full_width_digits_is_read_as_the_date_it_is(client, cohort):
    response = client.post(apply_url(cohort.program), post_data(cohort, date_of_birth="１９９０-０５-０１"))
    assert response.status_code == 302
    assert Application.objects.get().date_of_birth.isoformat() == "1990-05-01"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"certification_number": "\u200b"}, "certification_number", "Enter the number as it is written"),
        (
            {"certification_expiry": "9999-12-31"},
            "certification_expiry",
            "Check the year of the expiry date.",
        ),
    ],
)
def test_certification_details_must_be_real(client, paramedic_program, levels, changes, field, message):
    cohort = make_cohort(program=paramedic_program, starts_in=60)
    response = client.post(apply_url(paramedic_program), paramedic_application(cohort, levels, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    assert not Application.objects.exists()
