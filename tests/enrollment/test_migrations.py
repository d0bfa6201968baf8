"""The lifecycle's data migration (0008): a database from before it keeps its applicants and its programs'
requirements. "Seat offered" becomes a held seat with a documents deadline; each line of a program's
requirement text becomes a requirement of its checklist."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("enrollment", "0007_admissions_offer_seats")]
AFTER = [("enrollment", "0008_admissions_lifecycle")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_seats_offered_become_held_seats_and_requirement_text_becomes_a_checklist():
    old = migrate(BEFORE)
    try:
        Level = old.get_model("roles", "CertificationLevel")
        Program = old.get_model("enrollment", "Program")
        Cohort = old.get_model("enrollment", "Cohort")
        Application = old.get_model("enrollment", "Application")
        level = Level.objects.create(
            slug="emt-m",
            name="EMT (migration)",
            abbreviation="EMT",
            ladder_order=42,
            summary="s",
            description="d",
        )
        program = Program.objects.create(
            slug="emt-m",
            name="EMT (migration)",
            level=level,
            summary="s",
            description="d",
            length="16 weeks",
            tuition=1000,
            admission_requirements="A diploma\n\nA CPR card\n",
        )
        start = timezone.localdate() + timedelta(days=60)
        cohort = Cohort.objects.create(
            program=program,
            code="MIG-1",
            start_date=start,
            end_date=start + timedelta(days=90),
            meeting_pattern="weekends",
            schedule="Sat",
            location="Campus",
            capacity=2,
            application_deadline=start - timedelta(days=7),
        )
        fields = dict(
            cohort=cohort,
            first_name="Old",
            last_name="Applicant",
            phone="555 010 0123",
            date_of_birth=date(1990, 1, 1),
            address_line1="1 Street",
            city="Town",
            state="MA",
            postal_code="01000",
            consent_data_processing=True,
        )
        seat = Application.objects.create(
            reference="EMS-MIGRA1", status="accepted", email="seat@example.org", **fields
        )
        waiting = Application.objects.create(
            reference="EMS-MIGRA2",
            status="waitlisted",
            waitlist_position=1,
            email="wait@example.org",
            **fields,
        )

        new = migrate(AFTER)

        Application = new.get_model("enrollment", "Application")
        seat = Application.objects.get(pk=seat.pk)
        assert seat.status == "held"
        assert seat.hold_until == min(
            seat.submitted_at.date() + timedelta(days=14), start - timedelta(days=7)
        )
        assert Application.objects.get(pk=waiting.pk).status == "waitlisted"
        Requirement = new.get_model("enrollment", "Requirement")
        assert list(Requirement.objects.filter(program_id=program.pk).values_list("name", flat=True)) == [
            "A diploma",
            "A CPR card",
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_every_enquiry_from_before_the_inbox_starts_its_history_when_it_arrived():
    """0012: an enquiry sent before enquiries had a history gets its first entry, at the time it arrived."""
    old = migrate([("enrollment", "0011_enquiry_inbox")])
    try:
        Enquiry = old.get_model("enrollment", "Enquiry")
        enquiry = Enquiry.objects.create(name="Old Asker", email="old@example.org", message="When?")
        arrived = timezone.now() - timedelta(days=3)
        Enquiry.objects.filter(pk=enquiry.pk).update(submitted_at=arrived)

        new = migrate([("enrollment", "0012_inbox_permissions")])

        EnquiryEvent = new.get_model("enrollment", "EnquiryEvent")
        [event] = EnquiryEvent.objects.filter(enquiry_id=enquiry.pk)
        assert (event.kind, event.description, event.at, event.actor_id) == (
            "received",
            "Received through the contact form",
            arrived,
            None,
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
