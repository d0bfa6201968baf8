"""Admissions answer enquiries from the admin as from an inbox: an enquiry's page shows the conversation and a
box to answer by e-mail (a saved answer fills it, without JavaScript), the preview is the e-mail that is then
sent, the list shows each question's first line, the time to the first answer and the sender's other records,
and staff see one person across their applications and enquiries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enrollment import services
from enrollment.models import Enquiry, EnquiryEvent, EnquiryReply, SavedAnswer
from tests.staff.conftest import change_url, changelist, make_cohort, make_staff, submit

pytestmark = pytest.mark.django_db

Kind = EnquiryEvent.Kind
MARKUP = "<b>bold</b> & <script>alert(1)</script>"


def ask(name="Casey Asker", email="casey@example.org", message="When is the next start?", **fields):
    return services.enquiry_submit(name=name, email=email, message=message, notify=False, **fields)


def reply_url(enquiry):
    return reverse("admin:enrollment_enquiry_reply", args=[enquiry.pk])


def reply_post(client, enquiry, button, body="", **fields):
    data = {"reply-body": body, "reply-replies_seen": enquiry.replies.count(), button: "1", **fields}
    return client.post(reply_url(enquiry), data)


@pytest.fixture
def dates_answer():
    return SavedAnswer.objects.create(
        title="Next start dates", body="Hello {name},\n\nThe next starts of {program}:\n{next_starts}"
    )


# The conversation


def test_the_page_shows_the_question_then_each_answer_with_who_and_when_in_the_schools_time(
    admissions_client, officer, settings
):
    settings.TIME_ZONE = "America/New_York"
    enquiry = ask(message="First line\nSecond line")
    reply = services.enquiry_reply(enquiry=enquiry, body="Our answer.", by=officer)
    EnquiryReply.objects.filter(pk=reply.pk).update(created_at=datetime(2026, 3, 2, 3, 30, tzinfo=UTC))

    page = admissions_client.get(change_url(enquiry, "enquiry")).content.decode()

    question = page.index("Question from Casey Asker")
    answer = page.index(
        "Answer by Dana Officer, 1 Mar 2026 22:30"
    )  # 03:30 UTC, the evening before in New York
    assert question < page.index("First line\nSecond line") < answer < page.index("Our answer.")
    assert "E-mailed to casey@example.org: waiting to be sent." in page


def test_what_people_typed_in_the_conversation_is_text(admissions_client, officer):
    enquiry = ask(name=f"Casey {MARKUP}", message=f"Question {MARKUP}")
    services.enquiry_reply(enquiry=enquiry, body=f"Answer {MARKUP}", by=officer)

    for url in (change_url(enquiry, "enquiry"), reply_url(enquiry)):
        page = admissions_client.get(url).content.decode()
        assert MARKUP not in page, url
        for text in (f"Casey {MARKUP}", f"Question {MARKUP}", f"Answer {MARKUP}"):
            assert escape(text) in page, (url, text)


# Answering


def test_a_saved_answer_fills_the_box_without_javascript(admissions_client, dates_answer):
    enquiry = ask()
    page = admissions_client.get(change_url(enquiry, "enquiry")).content.decode()
    assert f'action="{reply_url(enquiry)}"' in page
    assert 'name="use"' in page and f'<option value="{dates_answer.pk}">Next start dates</option>' in page

    response = reply_post(
        admissions_client, enquiry, "use", body="What I typed", **{"reply-saved_answer": dates_answer.pk}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(dates_answer.body) + "</textarea>" in page
    assert "What I typed" not in page
    assert not EnquiryReply.objects.exists()


def test_use_without_a_saved_answer_chosen_says_what_to_do(admissions_client, dates_answer):
    enquiry = ask()
    response = reply_post(admissions_client, enquiry, "use", body="Kept")
    page = response.content.decode()
    assert "Choose a saved answer, then “Use this saved answer”." in page
    assert "Kept</textarea>" in page


def test_the_preview_is_exactly_the_email_then_sent(
    admissions_client, officer, emt_program, dates_answer, django_capture_on_commit_callbacks
):
    make_cohort(program=emt_program, code="EMT-NEXT")
    enquiry = ask(name=f"Jamie {MARKUP}", program=emt_program)

    response = reply_post(admissions_client, enquiry, "preview", body=dates_answer.body)

    [preview] = response.context["emails"]
    page = response.content.decode()
    assert escape(preview.body) in page and MARKUP not in page
    assert f"Hello Jamie {MARKUP}," in preview.body and "EMT (EMT-NEXT): starts" in preview.body
    assert not EnquiryReply.objects.exists()
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.NEW
    assert escape(dates_answer.body) + "</textarea>" in page  # still there, to send or change

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = reply_post(admissions_client, enquiry, "send", body=dates_answer.body)

    assert response.status_code == 302
    [sent] = mail.outbox
    assert (sent.from_email, sent.to, sent.subject, sent.body) == (
        preview.from_email,
        preview.to,
        preview.subject,
        preview.body,
    )


def test_sending_keeps_the_answer_marks_the_enquiry_answered_and_says_so(admissions_client, officer):
    enquiry = ask()

    response = reply_post(admissions_client, enquiry, "send", body="We start in May.")

    assert response.status_code == 302 and response.url == change_url(enquiry, "enquiry")
    reply = enquiry.replies.get()
    assert (reply.author, reply.body) == (officer, "We start in May.")
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.ANSWERED and enquiry.first_replied_at == reply.created_at
    page = admissions_client.get(response.url).content.decode()
    assert f"Your answer to Enquiry #{enquiry.pk} was sent to casey@example.org" in page
    assert "Answered by e-mail (New → Answered)" in page  # the history


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Hello {nmae}", "{nmae} is not a placeholder"),
        ("   ", "Write the answer before sending it."),
    ],
)
def test_an_answer_that_cannot_be_sent_is_kept_with_the_reason(admissions_client, body, message):
    enquiry = ask()
    for button in ("preview", "send"):
        response = reply_post(admissions_client, enquiry, button, body=body)
        assert response.status_code == 200
        page = response.content.decode()
        assert escape(message) in page, button
        assert 'aria-invalid="true"' in page
    assert not EnquiryReply.objects.exists()


def test_an_answer_sent_meanwhile_by_a_colleague_is_shown_before_this_one_goes(
    admissions_client, django_user_model
):
    enquiry = ask()
    page_seen = enquiry.replies.count()
    colleague = make_staff(django_user_model, "colleague", group="Admissions", first_name="Cal")
    services.enquiry_reply(enquiry=enquiry, body="The colleague's answer.", by=colleague)

    response = admissions_client.post(
        reply_url(enquiry), {"reply-body": "Mine.", "reply-replies_seen": page_seen, "send": "1"}
    )

    page = response.content.decode()
    assert "Someone answered this enquiry while you were writing" in page
    assert escape("The colleague's answer.") in page and "Mine.</textarea>" in page
    assert 'name="reply-replies_seen" value="1"' in page  # sending again goes through
    assert enquiry.replies.count() == 1


def test_only_staff_who_may_answer_see_the_box_and_reach_the_answer_page(
    admissions_client, editor_client, django_user_model, client
):
    enquiry = ask()
    assert editor_client.get(reply_url(enquiry)).status_code == 403
    assert reply_post(editor_client, enquiry, "send", body="No.").status_code == 403

    from tests.signin import sign_in

    reader = make_staff(django_user_model, "reader")
    reader.user_permissions.add(*Permission.objects.filter(codename__in=["view_enquiry", "change_enquiry"]))
    reader_client = sign_in(client, reader)
    page = reader_client.get(change_url(enquiry, "enquiry")).content.decode()
    assert "Question from Casey Asker" in page and 'name="send"' not in page
    assert reader_client.get(reply_url(enquiry)).status_code == 403
    assert not EnquiryReply.objects.exists()


def test_the_answer_page_of_an_enquiry_that_does_not_exist_is_not_found(admissions_client):
    for object_id in ("999", "x1", "99999999999999999999999"):
        url = reverse("admin:enrollment_enquiry_reply", args=[object_id])
        assert admissions_client.get(url).status_code == 404
        assert admissions_client.post(url, {"send": "1", "reply-body": "Yes."}).status_code == 404
    assert admissions_client.put(reply_url(ask())).status_code == 405


# The list


def listed(response, column):
    cells = response.content.decode().split(f'<td class="field-{column}')[1:]
    return [cell.split(">", 1)[1].split("</td>")[0] for cell in cells]


def test_the_list_shows_the_first_line_the_time_to_the_first_answer_and_other_records(
    admissions_client, officer, emt_program
):
    long_line = "Is there an evening EMT course after the summer, and how long does it take to " + "x" * 50
    waited = ask(name="Wendy Waited", email="Wendy@Example.org", message=f"\n\n{long_line}\nSecond line")
    Enquiry.objects.filter(pk=waited.pk).update(submitted_at=timezone.now() - timedelta(hours=3, minutes=20))
    services.enquiry_reply(enquiry=waited, body="Yes.", by=officer)
    ask(name="Wendy Again", email="wendy@example.org", message="And the price?")
    submit(make_cohort(program=emt_program), email="wendy@example.org", notify=False)
    ask(name="Nobody Else", email="nobody@example.org", message="<b>Hi</b>")

    response = admissions_client.get(changelist("enquiry"))

    assert listed(response, "name") == ["Nobody Else", "Wendy Again", "Wendy Waited"]
    assert listed(response, "question") == ["&lt;b&gt;Hi&lt;/b&gt;", "And the price?", long_line[:69] + "…"]
    assert listed(response, "first_reply") == ["Not yet", "Not yet", "3 h 20 min"]
    assert listed(response, "others") == ["0", "2", "2"]  # each other's enquiry and the application


def test_the_list_sorts_by_the_time_to_the_first_answer(admissions_client, officer):
    slow, quick = ask(name="Slow"), ask(name="Quick")
    now = timezone.now()
    for enquiry, asked, waited in (
        (slow, now - timedelta(days=2), timedelta(days=2)),
        (quick, now - timedelta(days=3), timedelta(hours=1)),
    ):
        services.enquiry_reply(enquiry=enquiry, body="Yes.", by=officer)
        Enquiry.objects.filter(pk=enquiry.pk).update(submitted_at=asked, first_replied_at=asked + waited)
    assert listed(admissions_client.get(changelist("enquiry")), "name") == ["Slow", "Quick"]  # newest first

    response = admissions_client.get(changelist("enquiry"), {"o": "8"})  # "first answer after", ascending

    assert listed(response, "name") == ["Quick", "Slow"]
    assert listed(response, "first_reply") == ["1 h", "2 days"]


def test_bulk_actions_write_each_enquirys_history(admissions_client, officer):
    first, second = ask(email="a@example.org"), ask(email="b@example.org")

    admissions_client.post(
        changelist("enquiry"), {"action": "mark_answered", "_selected_action": [first.pk, second.pk]}
    )
    admissions_client.post(changelist("enquiry"), {"action": "assign_to_me", "_selected_action": [first.pk]})
    admissions_client.post(
        changelist("enquiry"), {"action": "export_enquirer_data", "_selected_action": [second.pk]}
    )

    def entries(enquiry):
        return list(enquiry.events.order_by("at", "id").values_list("kind", "description", "actor"))

    assert entries(first)[1:] == [
        (Kind.STATUS, "New → Answered", officer.pk),
        (Kind.ASSIGNED, "Assigned to Dana Officer", officer.pk),
    ]
    assert entries(second)[1:] == [
        (Kind.STATUS, "New → Answered", officer.pk),
        (Kind.EXPORTED, "Everything stored about the person who asked was exported", officer.pk),
    ]


def test_saving_the_page_writes_the_status_and_assignment_to_the_history(admissions_client, officer):
    from tests.staff.conftest import change_form_data

    enquiry = ask()
    page = admissions_client.get(change_url(enquiry, "enquiry"))
    admissions_client.post(
        change_url(enquiry, "enquiry"),
        change_form_data(page, status="closed", assigned_to=officer.pk, **{"notes-0-text": "Rang."}),
    )
    assert sorted(enquiry.events.exclude(kind=Kind.RECEIVED).values_list("kind", flat=True)) == sorted(
        [Kind.STATUS, Kind.ASSIGNED, Kind.NOTE]
    )


# One person across records


def test_an_enquirys_page_lists_the_persons_other_records_whatever_the_case(admissions_client, emt_program):
    cohort = make_cohort(program=emt_program, code="EMT-OTHER")
    application = submit(cohort, email="sam@example.org", notify=False)
    earlier = ask(name="Sam", email="sam@example.org", message="First question\nmore")
    enquiry = ask(name="Sam", email="sam@example.org", message="Second question")
    Enquiry.objects.filter(pk=enquiry.pk).update(email="Sam@Example.ORG")  # as an edit may leave it
    ask(name="Someone else", email="else@example.org", message="Not Sam's")

    page = admissions_client.get(change_url(enquiry, "enquiry")).content.decode()

    panel = page.split('id="other-records-heading"')[1].split("</section>")[0]
    assert f'href="{change_url(application)}">Application {application.reference}</a>' in panel
    assert "EMT-OTHER" in panel
    assert f'href="{change_url(earlier, "enquiry")}">Enquiry #{earlier.pk}</a>' in panel
    assert "First question" in panel
    assert f"Enquiry #{enquiry.pk}<" not in panel and "Not Sam" not in panel


def test_an_applications_page_lists_the_persons_other_records(admissions_client, emt_program):
    first = submit(make_cohort(program=emt_program), email="ria@example.org", notify=False)
    second = submit(make_cohort(program=emt_program), email="ria@example.org", notify=False)
    enquiry = ask(name="Ria", email="RIA@example.org")
    Enquiry.objects.filter(pk=enquiry.pk).update(email="RIA@example.org")

    page = admissions_client.get(change_url(first)).content.decode()

    panel = page.split('id="other-records-heading"')[1].split("</section>")[0]
    assert f"Application {second.reference}</a>" in panel and f"Application {first.reference}" not in panel
    assert f'href="{change_url(enquiry, "enquiry")}">Enquiry #{enquiry.pk}</a>' in panel
    alone = submit(make_cohort(program=emt_program), email="alone@example.org", notify=False)
    assert (
        "None: nothing else was sent from this e-mail address."
        in admissions_client.get(change_url(alone)).content.decode()
    )


# Saved answers


def test_admissions_keep_saved_answers_and_an_unknown_placeholder_is_refused(admissions_client):
    add = reverse("admin:enrollment_savedanswer_add")
    response = admissions_client.post(add, {"title": "Dates", "body": "Hello {first_name}, {next_starts}"})
    assert response.status_code == 200
    assert (
        escape("{first_name} is not a placeholder: the placeholders are {name}") in response.content.decode()
    )
    assert not SavedAnswer.objects.exists()

    response = admissions_client.post(add, {"title": "Dates", "body": "Hello {name},\r\n\r\n{next_starts}"})
    assert response.status_code == 302
    assert SavedAnswer.objects.get().body == "Hello {name},\n\n{next_starts}"
    assert (
        "Dates" in admissions_client.get(reverse("admin:enrollment_savedanswer_changelist")).content.decode()
    )


def test_content_editors_do_not_keep_saved_answers(editor_client):
    assert editor_client.get(reverse("admin:enrollment_savedanswer_changelist")).status_code == 403


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999999", "-3"])
def test_a_tampered_answer_form_is_answered_with_a_message_not_an_error_page(
    admissions_client, value, dates_answer
):
    enquiry = ask()
    for button, field in (("use", "reply-saved_answer"), ("send", "reply-replies_seen")):
        data = {"reply-body": "Yes.", "reply-replies_seen": "0", button: "1", field: value}
        response = admissions_client.post(reply_url(enquiry), data)
        assert response.status_code == 200, (button, value)
        assert 'class="errorlist' in response.content.decode(), (button, value)
    assert not EnquiryReply.objects.exists()
