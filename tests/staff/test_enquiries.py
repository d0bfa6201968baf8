"""Admissions answer enquiries: newest first, filtered and searched, marked answered or closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enrollment import services
from enrollment.models import Enquiry
from tests.staff.conftest import change_url, changelist

pytestmark = pytest.mark.django_db


def ask(name, email, **fields):
    return services.enquiry_submit(
        name=name, email=email, message=f"A question from {name}.", notify=False, **fields
    )


def listed_names(response):
    return [row.split("</td>")[0] for row in response.content.decode().split('<td class="field-name">')[1:]]


def test_the_list_is_newest_first_with_filters_and_search(admissions_client, emt_program):
    older = ask("Olivia Older", "olivia@example.org")
    Enquiry.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    ask("Nadia Newer", "nadia@example.org", program=emt_program)
    answered = ask("Aaron Answered", "aaron@example.org")
    services.enquiry_set_status(enquiry=answered, status=Enquiry.Status.ANSWERED)

    assert listed_names(admissions_client.get(changelist("enquiry"))) == [
        "Aaron Answered",
        "Nadia Newer",
        "Olivia Older",
    ]
    assert listed_names(admissions_client.get(changelist("enquiry"), {"status__exact": "new"})) == [
        "Nadia Newer",
        "Olivia Older",
    ]
    assert listed_names(
        admissions_client.get(changelist("enquiry"), {"program__id__exact": emt_program.pk})
    ) == ["Nadia Newer"]
    assert listed_names(admissions_client.get(changelist("enquiry"), {"q": "olivia@example"})) == [
        "Olivia Older"
    ]


def test_the_page_shows_the_question_as_written_and_lets_staff_set_the_status(admissions_client):
    enquiry = ask("Casey <b>Bold</b>", "casey@example.org")
    page = admissions_client.get(change_url(enquiry, "enquiry")).content.decode()
    assert "A question from Casey &lt;b&gt;Bold&lt;/b&gt;." in page
    assert 'name="message"' not in page
    assert 'name="status"' in page


def test_mark_answered_and_closed_actions(admissions_client):
    first, second = ask("E One", "e1@example.org"), ask("E Two", "e2@example.org")
    response = admissions_client.post(
        changelist("enquiry"), {"action": "mark_answered", "_selected_action": [first.pk]}, follow=True
    )
    assert "1 enquiry(ies) marked answered." in response.content.decode()
    admissions_client.post(
        changelist("enquiry"), {"action": "mark_closed", "_selected_action": [first.pk, second.pk]}
    )
    assert set(Enquiry.objects.values_list("status", flat=True)) == {"closed"}


def test_enquiry_status_service_refuses_unknown_statuses():
    enquiry = ask("E", "e@example.org")
    with pytest.raises(ValueError):
        services.enquiry_set_status(enquiry=enquiry, status="lost")
