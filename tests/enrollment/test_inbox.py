"""Enquiries as an inbox (enrollment/services/inbox.py): an answer is e-mailed through the outbox and kept as
the enquiry's thread, with its placeholders filled in; the enquiry becomes Answered and the time to its first
answer is kept; every change of an enquiry, one or many at once, is written to its history."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from enrollment import emails, outbox, services
from enrollment.models import EmailNotification, Enquiry, EnquiryEvent, EnquiryReply, SavedAnswer
from tests.enrollment.conftest import make_cohort

pytestmark = pytest.mark.django_db

Kind = EnquiryEvent.Kind


@pytest.fixture
def officer():
    return get_user_model().objects.create_user(
        "officer", "officer@staff.example.org", "x", is_staff=True, first_name="Dana", last_name="Officer"
    )


def ask(program=None, **fields):
    values = {"name": "Casey Asker", "email": "casey@example.org", "message": "When is the next start?"}
    return services.enquiry_submit(**{**values, **fields}, program=program, notify=False)


def history(enquiry):
    return list(enquiry.events.order_by("at", "id").values_list("kind", "description"))


# Answers


def test_an_answer_is_emailed_through_the_outbox_from_admissions_quoting_the_question(
    emt_program, officer, settings, django_capture_on_commit_callbacks
):
    enquiry = ask(emt_program, message="Can I bring my own stethoscope?\nAnd is parking free?")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.enquiry_reply(enquiry=enquiry, body="Yes, and yes.", by=officer)

    admissions = settings.SCHOOL["ADMISSIONS_EMAIL"]
    [message] = mail.outbox
    assert message.to == ["casey@example.org"]
    assert message.from_email == f"{settings.SCHOOL['NAME']} Admissions <{admissions}>"
    assert message.reply_to == [admissions]
    assert message.subject == f"Our answer to your question (Enquiry #{enquiry.pk})"
    assert "Yes, and yes." in message.body
    assert "    Can I bring my own stethoscope?\n    And is parking free?" in message.body
    assert "Auto-Submitted" not in message.message()
    # Sent by the task once the answer was committed.
    notification = EmailNotification.objects.get(pk=reply.notification.pk)
    assert (notification.kind, notification.enquiry, notification.status) == (
        EmailNotification.Kind.ENQUIRY_REPLY,
        enquiry,
        EmailNotification.Status.SENT,
    )


def test_an_answer_is_kept_in_the_thread_with_who_and_when_and_the_enquiry_is_answered(officer):
    enquiry = ask()
    before = timezone.now()

    reply = services.enquiry_reply(enquiry=enquiry, body="  We start on 9 January.  ", by=officer)

    assert list(enquiry.replies.all()) == [reply]
    assert (reply.author, reply.body) == (officer, "We start on 9 January.")
    assert reply.created_at >= before
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.ANSWERED
    assert enquiry.first_replied_at == reply.created_at


def test_the_time_to_the_first_answer_is_kept_and_later_answers_leave_it(officer):
    enquiry = ask()
    asked = timezone.now() - timedelta(hours=3, minutes=20)
    Enquiry.objects.filter(pk=enquiry.pk).update(submitted_at=asked)
    enquiry.refresh_from_db()

    first = services.enquiry_reply(enquiry=enquiry, body="First.", by=officer)
    services.enquiry_set_status(enquiry=enquiry, status=Enquiry.Status.CLOSED, by=officer)
    services.enquiry_reply(enquiry=enquiry, body="Second.", by=officer)

    enquiry.refresh_from_db()
    assert enquiry.first_replied_at == first.created_at
    assert enquiry.time_to_first_reply == first.created_at - asked
    assert enquiry.status == Enquiry.Status.ANSWERED  # answered again after it was closed
    assert enquiry.replies.count() == 2


def test_the_placeholders_are_filled_in_for_the_person(emt_program, officer):
    soon = make_cohort(program=emt_program, code="EMT-SOON", starts_in=20)
    later = make_cohort(program=emt_program, code="EMT-LATER", starts_in=90)
    make_cohort(program=emt_program, code="EMT-CLOSED", starts_in=40, is_open=False)
    enquiry = ask(emt_program, name="Jamie Rivera")

    reply = services.enquiry_reply(
        enquiry=enquiry, body="Hello {name},\n\n{program} starts:\n{next_starts}", by=officer
    )

    lines = reply.body.splitlines()
    assert lines[:3] == ["Hello Jamie Rivera,", "", "EMT starts:"]
    assert [line.split(" (")[1].split(")")[0] for line in lines[3:]] == [soon.code, later.code]
    assert lines[3].startswith("- EMT (EMT-SOON): starts ")
    assert "apply by" in lines[3]
    assert "EMT-CLOSED" not in reply.body


def test_without_a_program_the_placeholders_speak_of_every_course(levels, officer):
    enquiry = ask(None)
    assert services.reply_render(enquiry=enquiry, body="About {program}: {next_starts}") == (
        f"About our courses: {services.inbox.NO_STARTS}"
    )


def test_an_unknown_placeholder_is_refused_and_nothing_is_sent(officer):
    enquiry = ask()
    with pytest.raises(services.EnrollmentError) as refused:
        services.enquiry_reply(enquiry=enquiry, body="Hello {nmae}, see {program} and {dates}.", by=officer)
    assert refused.value.field == "body"
    assert "{nmae}, {dates} are not placeholders" in refused.value.message
    assert "{name}, {program}, {next_starts}" in refused.value.message
    assert not EnquiryReply.objects.exists()
    assert not EmailNotification.objects.exists()
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.first_replied_at) == (Enquiry.Status.NEW, None)


def test_an_empty_answer_is_refused(officer):
    with pytest.raises(services.EnrollmentError, match="Write the answer"):
        services.enquiry_reply(enquiry=ask(), body=" \n ", by=officer)


def test_an_answer_sent_meanwhile_stops_one_written_without_seeing_it(officer):
    enquiry = ask()
    services.enquiry_reply(enquiry=enquiry, body="A colleague's answer.", by=None)

    with pytest.raises(services.EnrollmentError, match="Someone answered this enquiry"):
        services.enquiry_reply(enquiry=enquiry, body="Mine.", by=officer, replies_seen=0)
    services.enquiry_reply(enquiry=enquiry, body="Mine.", by=officer, replies_seen=1)
    assert enquiry.replies.count() == 2


def test_a_preview_of_an_answer_is_the_email_sent_and_changes_nothing(
    emt_program, officer, django_capture_on_commit_callbacks
):
    make_cohort(program=emt_program, code="EMT-NEXT")
    enquiry = ask(emt_program)
    body = "Hello {name},\n\nThe next starts:\n{next_starts}"

    preview = services.preview(lambda: services.enquiry_reply(enquiry=enquiry, body=body, by=officer))
    assert not EnquiryReply.objects.exists() and not EnquiryEvent.objects.filter(kind=Kind.REPLIED).exists()
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.NEW
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.enquiry_reply(enquiry=enquiry, body=body, by=officer)

    [shown] = preview.emails
    [sent] = mail.outbox
    assert (shown.to, shown.subject, shown.body, shown.from_email) == (
        sent.to,
        sent.subject,
        sent.body,
        sent.from_email,
    )


def test_an_answer_sent_again_by_staff_says_the_same(officer):
    enquiry = ask()
    reply = services.enquiry_reply(enquiry=enquiry, body="Yes.", by=officer)
    EmailNotification.objects.filter(pk=reply.notification.pk).update(status=EmailNotification.Status.SENT)

    outbox.email_resend(notifications=[EmailNotification.objects.get(pk=reply.notification.pk)], by=officer)

    first, again = EmailNotification.objects.filter(enquiry=enquiry).order_by("pk")
    assert emails.build(again).body == emails.build(first).body


def test_an_email_for_an_answer_of_another_enquiry_is_refused(officer):
    reply = services.enquiry_reply(enquiry=ask(), body="Yes.", by=officer)
    other = ask(email="other@example.org")
    owed = EmailNotification(
        kind=EmailNotification.Kind.ENQUIRY_REPLY, enquiry=other, payload={"reply": reply.pk}
    )
    with pytest.raises(ValueError, match="No answer"):
        emails.build(owed)


# Saved answers


def test_a_saved_answer_with_an_unknown_placeholder_is_refused_with_a_clear_message():
    answer = SavedAnswer(title="Dates", body="Hello {Name},\n{next_starts}")
    with pytest.raises(ValidationError) as refused:
        answer.full_clean()
    assert refused.value.message_dict["body"] == [
        "{Name} is not a placeholder: the placeholders are {name}, {program}, {next_starts}. Correct the "
        "spelling, or take away the braces."
    ]
    SavedAnswer(title="Fine", body="Hello {name}, {program}: {next_starts}").full_clean()


# History


def test_every_change_of_an_enquiry_is_in_its_history_with_who_made_it(officer):
    enquiry = ask()
    services.enquiry_assign(enquiry=enquiry, to=officer, by=officer)
    services.enquiry_note_add(enquiry=enquiry, text="Rang back.", by=officer)
    services.enquiry_reply(enquiry=enquiry, body="Yes.", by=officer)
    services.enquiry_set_status(enquiry=enquiry, status=Enquiry.Status.CLOSED, by=officer)
    services.enquiry_assign(enquiry=enquiry, to=None, by=officer)
    services.enquiry_export_record(enquiries=[enquiry], by=officer)

    assert history(enquiry) == [
        (Kind.RECEIVED, "Received through the contact form"),
        (Kind.ASSIGNED, "Assigned to Dana Officer"),
        (Kind.NOTE, "Note added"),
        (Kind.REPLIED, "Answered by e-mail (New → Answered)"),
        (Kind.STATUS, "Answered → Closed"),
        (Kind.ASSIGNED, "Unassigned"),
        (Kind.EXPORTED, "Everything stored about the person who asked was exported"),
    ]
    received, *by_staff = enquiry.events.order_by("at", "id")
    assert received.actor is None and received.at == enquiry.submitted_at
    assert {event.actor for event in by_staff} == {officer}
    assert enquiry.events.get(kind=Kind.STATUS).changes == {"status": ["answered", "closed"]}
    assert enquiry.events.filter(kind=Kind.ASSIGNED).first().changes == {
        "assigned_to": ["Dana Officer", None]
    }


def test_changes_that_change_nothing_write_no_history(officer):
    enquiry = ask()
    services.enquiry_set_status(enquiry=enquiry, status=Enquiry.Status.NEW, by=officer)
    services.enquiry_assign(enquiry=enquiry, to=None, by=officer)
    assert history(enquiry) == [(Kind.RECEIVED, "Received through the contact form")]


def test_bulk_changes_write_each_enquirys_history_and_count_what_changed(officer):
    first, second, closed = ask(), ask(email="b@example.org"), ask(email="c@example.org")
    services.enquiry_set_status(enquiry=closed, status=Enquiry.Status.CLOSED, by=officer)

    assert services.enquiries_set_status(enquiries=[first, second, closed], status="closed", by=officer) == 2
    assert services.enquiries_assign(enquiries=[first, second], to=officer, by=officer) == 2
    assert services.enquiries_assign(enquiries=[first, second], to=officer, by=officer) == 0

    for enquiry in (first, second):
        assert history(enquiry)[1:] == [
            (Kind.STATUS, "New → Closed"),
            (Kind.ASSIGNED, "Assigned to Dana Officer"),
        ]
    assert history(closed)[1:] == [(Kind.STATUS, "New → Closed")]


def test_the_caller_sees_what_a_service_changed(officer):
    enquiry = ask()
    services.enquiry_assign(enquiry=enquiry, to=officer, by=officer)
    services.enquiry_reply(enquiry=enquiry, body="Yes.", by=officer)
    assert (enquiry.assigned_to, enquiry.status) == (officer, Enquiry.Status.ANSWERED)
    assert enquiry.first_replied_at is not None


def test_an_unknown_status_is_refused(officer):
    with pytest.raises(ValueError):
        services.enquiries_set_status(enquiries=[ask()], status="lost", by=officer)
