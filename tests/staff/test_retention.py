"""`manage.py purge_personal_data`: enquiries and closed applications older than the retention period
go, with their notes, history and e-mail records. A dry run unless --execute."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from enrollment import services
from enrollment.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    EmailNotification,
    Enquiry,
    EnquiryNote,
)
from tests.staff.conftest import make_cohort, submit

pytestmark = pytest.mark.django_db


def age(model, obj, days, field):
    model.objects.filter(pk=obj.pk).update(**{field: timezone.now() - timedelta(days=days)})


@pytest.fixture
def records(emt_program, officer):
    cohort = make_cohort(program=emt_program, capacity=5)
    ended = make_cohort(program=emt_program, capacity=5, code="ENDED")
    live_recent = submit(cohort, first_name="Keepme", email="keep@example.org")
    closed_old = submit(cohort, first_name="Oldclosed", email="oldclosed@example.org")
    services.application_withdraw(application=closed_old, notify=False, by=officer)
    services.application_note_add(application=closed_old, text="Old note", by=officer)
    EmailNotification.objects.create(kind="status-change", status="sent", application=closed_old)
    age(Application, closed_old, 800, "updated_at")
    closed_recent = submit(cohort)
    services.application_decline(application=closed_recent, notify=False)
    accepted_ended = submit(ended, first_name="Graduate")
    # The cohort ended long ago (dates moved back after applying, as if time had passed).
    type(ended).objects.filter(pk=ended.pk).update(
        start_date=timezone.localdate() - timedelta(days=900),
        end_date=timezone.localdate() - timedelta(days=800),
        application_deadline=timezone.localdate() - timedelta(days=910),
    )
    old_enquiry = services.enquiry_submit(
        name="Olga Old", email="olga@example.org", message="?", notify=False
    )
    age(Enquiry, old_enquiry, 731, "submitted_at")
    services.enquiry_note_add(enquiry=old_enquiry, text="Called back.", by=None)
    new_enquiry = services.enquiry_submit(
        name="Nell New", email="nell@example.org", message="?", notify=False
    )
    return {
        "kept": [live_recent, closed_recent],
        "purged": [closed_old, accepted_ended],
        "old_enquiry": old_enquiry,
        "new_enquiry": new_enquiry,
    }


def run(*args, **options):
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out, **options)
    return out.getvalue()


def test_the_dry_run_lists_what_would_go_and_deletes_nothing(records):
    applications, enquiries = Application.objects.count(), Enquiry.objects.count()

    output = run()

    assert "Retention period: 730 days" in output
    assert (
        f"Would delete 1 enquiry(ies), with their notes and e-mail records: #{records['old_enquiry'].pk}"
        in output
    )
    assert "Would delete 2 closed application(s)" in output
    for application in records["purged"]:
        assert application.reference in output
    for application in records["kept"]:
        assert application.reference not in output
    assert "Dry run: nothing was deleted" in output
    for private in ("Oldclosed", "Graduate", "Olga", "olga@example.org", "oldclosed@example.org"):
        assert private not in output
    assert (Application.objects.count(), Enquiry.objects.count()) == (applications, enquiries)


def test_execute_deletes_them_with_their_notes_history_and_emails(records):
    purged = [a.pk for a in records["purged"]]

    output = run("--execute")

    assert (
        "Deleted 1 enquiry(ies), 2 application(s), 0 info-session sign-up(s), 0 document file(s)." in output
    )
    assert not Application.objects.filter(pk__in=purged).exists()
    assert not ApplicationNote.objects.filter(application_id__in=purged).exists()
    assert not ApplicationEvent.objects.filter(application_id__in=purged).exists()
    assert not EmailNotification.objects.filter(application_id__in=purged).exists()
    assert not EnquiryNote.objects.exists()
    assert set(Application.objects.values_list("pk", flat=True)) == {a.pk for a in records["kept"]}
    assert list(Enquiry.objects.all()) == [records["new_enquiry"]]
    assert "Would delete 0 enquiry(ies), with their notes and e-mail records: none" in run()


def test_the_period_comes_from_the_option_or_the_setting(records, settings):
    assert "Would delete 0 closed application(s)" in run("--older-than-days", "1000")
    age(Application, records["kept"][1], 5, "updated_at")  # declined five days ago
    settings.DATA_RETENTION_DAYS = 1
    output = run()
    assert "Retention period: 1 days" in output
    assert "Would delete 3 closed application(s)" in output
    with pytest.raises(CommandError):
        run("--older-than-days", "0")
