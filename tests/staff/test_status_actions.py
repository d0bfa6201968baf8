"""Status changes from the admin: a confirmation page says what will happen to each selected application
and shows the e-mail the applicants will get; confirming calls the enrollment services, row by row."""

import time
from unittest import mock

import pytest
from django.core import mail

from enrollment.admin.applications import SELECTION_MAX_AGE
from enrollment.models import Application, ApplicationEvent
from tests.signin import sign_in
from tests.staff.actions import choose, confirm, confirmation_data
from tests.staff.conftest import ADMISSIONS, change_url, changelist, make_cohort, make_staff, submit

pytestmark = pytest.mark.django_db

WITHDRAW = "action_application_withdraw"


def positions(cohort):
    return list(
        cohort.applications.filter(status="waitlisted")
        .order_by("waitlist_position")
        .values_list("pk", "waitlist_position")
    )


def test_choosing_an_action_asks_for_confirmation_and_changes_nothing(admissions_client, full_cohort):
    cohort, seats, waiting = full_cohort

    response = choose(admissions_client, WITHDRAW, seats)

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 of the 2 selected applications will be withdrawn" in page
    for application in seats:
        assert application.reference in page
        assert f"{application.last_name}, {application.first_name}" in page
    # What the service itself would do: each seat holder withdrawn, the first two waiting moved up.
    assert page.count("Seat held → Withdrawn") == 2
    for application in waiting[:2]:
        assert f"{application.reference} ({application.last_name}, {application.first_name})" in page
    assert page.count("offered to the first on the waitlist") == 2
    assert 'name="notify"' in page and "checked" in page
    assert 'name="message"' in page
    assert set(Application.objects.filter(pk__in=[s.pk for s in seats]).values_list("status", flat=True)) == {
        "held"
    }
    assert mail.outbox == []


def test_the_page_previews_the_exact_email_with_the_staff_message(admissions_client, full_cohort):
    cohort, seats, waiting = full_cohort
    first = seats[0]

    page = choose(admissions_client, WITHDRAW, seats)
    response = admissions_client.post(
        changelist(),
        confirmation_data(page, button="preview", message="We hope to see you on a later start."),
    )

    page = response.content.decode()
    assert "The e-mails that will be sent" in page
    assert f"Application withdrawn ({first.reference})" in page
    # The e-mail to the person moved up from the waitlist is previewed too, as it will be sent.
    assert f"({waiting[0].reference})" in page
    assert f"Hello {first.first_name}," in page
    assert "As you asked, we have withdrawn your application" in page
    assert "Your seat was released for the next person on the waitlist." in page
    assert "A note from our admissions team" in page
    assert "We hope to see you on a later start." in page
    assert mail.outbox == []
    assert Application.objects.get(pk=first.pk).status == "held"


def test_without_email_the_page_says_none_will_be_sent(admissions_client, full_cohort):
    _, seats, _ = full_cohort
    page = choose(admissions_client, WITHDRAW, seats[:1])
    page = admissions_client.post(
        changelist(), confirmation_data(page, button="preview", notify=False)
    ).content.decode()
    assert "No e-mail will be sent." in page


def test_bulk_withdraw_of_two_seats_promotes_the_first_two_waiting_and_renumbers_the_rest(
    admissions_client, full_cohort, officer, django_capture_on_commit_callbacks
):
    cohort, seats, waiting = full_cohort

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(admissions_client, WITHDRAW, seats, message="Sorry to see you go.")

    assert response.status_code == 200
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert [statuses[s.pk] for s in seats] == ["withdrawn", "withdrawn"]
    assert [statuses[w.pk] for w in waiting[:2]] == ["offered", "offered"]
    assert positions(cohort) == [(waiting[2].pk, 1)]
    page = response.content.decode()
    assert "2 application(s) withdrawn" in page
    assert "Offered a seat from the waitlist and e-mailed" in page
    assert waiting[0].reference in page and waiting[1].reference in page

    # The withdrawn were told, with the message; the promoted were told a seat is theirs.
    to = {m.to[0]: m for m in mail.outbox}
    for seat in seats:
        assert "Sorry to see you go." in to[seat.email].body
    for promoted in waiting[:2]:
        assert "Seat offered: answer by" in to[promoted.email].subject
    assert waiting[2].email not in to

    # Every change is in the history, with who made it.
    assert ApplicationEvent.objects.filter(application=seats[0], kind="status", actor=officer).exists()
    promotion = ApplicationEvent.objects.get(application=waiting[0], kind="status")
    assert promotion.changes["status"] == ["waitlisted", "offered"]
    assert "offered to the first on the waitlist" in promotion.description
    last = ApplicationEvent.objects.filter(application=waiting[2], kind="position").order_by("at", "id")
    assert [e.changes["waitlist_position"] for e in last] == [[3, 2], [2, 1]]


def test_refusals_are_reported_per_row_and_the_others_still_change(admissions_client, full_cohort):
    cohort, seats, waiting = full_cohort
    already = submit(make_cohort(program=cohort.program, capacity=1))
    confirm(admissions_client, WITHDRAW, [already], notify=False)

    response = confirm(admissions_client, WITHDRAW, [already, waiting[1]], notify=False)

    page = response.content.decode()
    assert f"{already.reference} is withdrawn: it cannot be withdrawn" in page
    assert "1 application(s) withdrawn" in page
    assert "No e-mail was sent." in page
    assert positions(cohort) == [(waiting[0].pk, 1), (waiting[2].pk, 2)]


def test_accept_is_predicted_and_refused_when_no_seat_is_free(admissions_client, full_cohort):
    _, _, waiting = full_cohort
    page = choose(admissions_client, "action_application_hold", waiting[:1]).content.decode()
    assert "Will not change: No seat is free in EMT-FULL" in page
    assert "None of the selected applications will change" in page

    response = confirm(admissions_client, "action_application_hold", waiting[:1])
    assert "No seat is free in EMT-FULL" in response.content.decode()
    assert Application.objects.get(pk=waiting[0].pk).status == "waitlisted"


def test_decline_and_waitlist_actions_go_through_the_services(admissions_client, full_cohort):
    cohort, seats, waiting = full_cohort
    confirm(admissions_client, "action_application_decline", [waiting[0]], notify=False)
    assert Application.objects.get(pk=waiting[0].pk).status == "declined"
    assert positions(cohort) == [(waiting[1].pk, 1), (waiting[2].pk, 2)]

    confirm(admissions_client, "action_application_waitlist", [seats[0]], notify=False)
    assert Application.objects.get(pk=seats[0].pk).waitlist_position == 2
    assert Application.objects.get(pk=waiting[1].pk).status == "offered"


@pytest.mark.parametrize(
    ("notify", "emailed"), [("0", False), ("off", False), ("false", False), ("on", True)]
)
def test_only_a_ticked_box_e_mails_the_applicants(
    admissions_client, full_cohort, django_capture_on_commit_callbacks, notify, emailed
):
    _, seats, _ = full_cohort
    mail.outbox.clear()
    data = confirmation_data(choose(admissions_client, WITHDRAW, seats[:1]), notify=False)
    data["notify"] = [notify]
    with django_capture_on_commit_callbacks(execute=True):
        response = admissions_client.post(changelist(), data, follow=True)
    assert Application.objects.get(pk=seats[0].pk).status == "withdrawn"
    assert ("The applicants were e-mailed." in response.content.decode()) is emailed
    assert bool([m for m in mail.outbox if seats[0].email in m.to]) is emailed


def test_a_message_as_long_as_the_box_allows_is_accepted_with_its_line_breaks(admissions_client, full_cohort):
    _, seats, _ = full_cohort
    message = "\r\n".join(["y" * 99] * 20)  # 1,999 characters as the browser counts them
    response = confirm(admissions_client, WITHDRAW, seats[:1], message=message)
    assert response.status_code == 200
    assert Application.objects.get(pk=seats[0].pk).status == "withdrawn"


def test_a_too_long_message_is_refused_on_the_page(admissions_client, full_cohort):
    _, seats, _ = full_cohort
    response = confirm(admissions_client, WITHDRAW, seats[:1], message="x" * 2001, follow=False)
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    assert Application.objects.get(pk=seats[0].pk).status == "held"


def test_an_application_page_offers_the_same_actions_for_that_one_application(admissions_client, full_cohort):
    cohort, seats, waiting = full_cohort
    url = change_url(seats[0])
    page = admissions_client.get(url).content.decode()
    assert "Withdraw at the applicant" in page and "(frees the seat for the waitlist)" in page

    confirmation = choose(admissions_client, WITHDRAW, seats[:1], url=url, index="0")
    assert confirmation.status_code == 200
    assert 'name="CHANGE_FORM-action"' in confirmation.content.decode()

    response = admissions_client.post(url, confirmation_data(confirmation))
    assert response.status_code == 302
    assert response["Location"].endswith(url)
    assert Application.objects.get(pk=seats[0].pk).status == "withdrawn"
    assert Application.objects.get(pk=waiting[0].pk).status == "offered"


# The confirmation page's signed selection: confirming acts on what the page listed, for whoever saw it.


def test_confirming_after_updating_the_preview_acts_on_the_same_applications(admissions_client, full_cohort):
    _, seats, waiting = full_cohort
    page = choose(admissions_client, WITHDRAW, seats[:1])
    preview = admissions_client.post(changelist(), confirmation_data(page, button="preview", message="Bye."))

    admissions_client.post(changelist(), confirmation_data(preview, message="Bye."))

    assert Application.objects.get(pk=seats[0].pk).status == "withdrawn"
    assert Application.objects.get(pk=waiting[0].pk).status == "offered"


def refused(response, reason):
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
    assert "Nothing was changed: choose the applications and the action again." in page


@pytest.mark.parametrize("selection", [None, "", "not-signed", "tampered"])
def test_a_confirmation_without_its_signed_selection_is_refused(admissions_client, full_cohort, selection):
    _, seats, _ = full_cohort
    data = confirmation_data(choose(admissions_client, WITHDRAW, seats[:1]))
    if selection is None:
        del data["selection"]
    elif selection == "tampered":
        data["selection"] = [data["selection"][0][:-2] + "xx"]
    else:
        data["selection"] = [selection]

    refused(
        admissions_client.post(changelist(), data), "does not match the page that listed the applications"
    )
    assert Application.objects.get(pk=seats[0].pk).status == "held"


def test_a_confirmation_page_shown_to_one_person_cannot_be_sent_by_another(
    admissions_client, full_cohort, django_user_model
):
    _, seats, _ = full_cohort
    data = confirmation_data(choose(admissions_client, WITHDRAW, seats[:1]))
    sign_in(admissions_client, make_staff(django_user_model, "colleague", group=ADMISSIONS))

    refused(admissions_client.post(changelist(), data), "opened by someone else")
    assert Application.objects.get(pk=seats[0].pk).status == "held"


def test_a_confirmation_page_left_open_too_long_is_refused(admissions_client, full_cohort):
    _, seats, _ = full_cohort
    data = confirmation_data(choose(admissions_client, WITHDRAW, seats[:1]))

    later = time.time() + SELECTION_MAX_AGE + 1
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = admissions_client.post(changelist(), data)

    refused(response, "was opened more than 30 minutes ago")
    assert Application.objects.get(pk=seats[0].pk).status == "held"
