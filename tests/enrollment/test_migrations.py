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


def make_cohort(apps, **program_fields):
    """A course start in the database as `apps` (a migration's state) had it."""
    level = apps.get_model("roles", "CertificationLevel").objects.create(
        slug="emt-m",
        name="EMT (migration)",
        abbreviation="EMT",
        ladder_order=42,
        summary="s",
        description="d",
    )
    program = apps.get_model("enrollment", "Program").objects.create(
        slug="emt-m",
        name="EMT (migration)",
        level=level,
        summary="s",
        description="d",
        length="16 weeks",
        tuition=1000,
        **program_fields,
    )
    start = timezone.localdate() + timedelta(days=60)
    return apps.get_model("enrollment", "Cohort").objects.create(
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


def applicant_fields(cohort):
    return dict(
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


def test_seats_offered_become_held_seats_and_requirement_text_becomes_a_checklist():
    old = migrate(BEFORE)
    try:
        cohort = make_cohort(old, admission_requirements="A diploma\n\nA CPR card\n")
        start = cohort.start_date
        Application = old.get_model("enrollment", "Application")
        fields = applicant_fields(cohort)
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
        assert list(
            Requirement.objects.filter(program_id=cohort.program_id).values_list("name", flat=True)
        ) == [
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


def test_every_application_from_before_keeps_the_furthest_stage_its_history_and_status_show():
    """0018: the furthest of held, enrolled, started, completed an application reached, from the statuses its
    history says it moved to and from its status now; 0 for one that never held a seat."""
    old = migrate([("enrollment", "0017_likely_duplicates_indexed")])
    try:
        cohort = make_cohort(old)
        Application = old.get_model("enrollment", "Application")
        ApplicationEvent = old.get_model("enrollment", "ApplicationEvent")

        def application(number, status, *moves, position=None):
            made = Application.objects.create(
                reference=f"EMS-FURTH{number}",
                email=f"furthest{number}@example.org",
                status=status,
                waitlist_position=position,
                **applicant_fields(cohort),
            )
            for kind, before, after in moves:
                ApplicationEvent.objects.create(
                    application=made, kind=kind, description="-", changes={"status": [before, after]}
                )
            return made.pk

        enrolled_then_left = application(
            1,
            "left",
            ("submitted", None, "held"),
            ("status", "held", "enrolled"),
            ("status", "enrolled", "left"),
        )
        offered_then_withdrawn = application(
            2,
            "withdrawn",
            ("submitted", None, "waitlisted"),
            ("status", "waitlisted", "offered"),
            ("status", "offered", "withdrawn"),
        )
        accepted_an_offer = application(
            3,
            "held",
            ("submitted", None, "waitlisted"),
            ("status", "waitlisted", "offered"),
            ("status", "offered", "held"),
        )
        moved_enrolled = application(4, "enrolled", ("moved", "held", "enrolled"))
        completed_without_history = application(5, "completed")
        waiting = application(6, "waitlisted", ("submitted", None, "waitlisted"), position=1)
        a_note_is_not_a_stage = application(
            7, "released", ("note", "held", "completed"), ("submitted", None, "held")
        )

        new = migrate([("enrollment", "0018_furthest_stage_kept")])

        furthest = dict(
            new.get_model("enrollment", "Application").objects.values_list("pk", "furthest_stage")
        )
        assert furthest == {
            enrolled_then_left: 2,
            offered_then_withdrawn: 0,
            accepted_an_offer: 1,
            moved_enrolled: 2,
            completed_without_history: 4,
            waiting: 0,
            a_note_is_not_a_stage: 1,
        }
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
