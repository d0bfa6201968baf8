"""Demo programs, cohorts and a few applications for the fictional school (`manage.py load_demo_content`).

Runs after roles/demo.py: programs point at its certification levels (matched by slug). Records are created
only when missing (programs by slug, cohorts by code, demo applicants by e-mail per cohort) and never
overwritten, so running it twice changes nothing. Cohort dates are relative to the day the demo is loaded,
so a fresh demo always has upcoming starts. Figures (fees, outcomes) are fictional but realistic."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from enrollment import services
from enrollment.models import Application, Cohort, DeliveryFormat, MeetingPattern, OutcomeMeasure, Program
from roles.models import CertificationLevel

PROGRAMS = [
    {
        "slug": "emt",
        "level": "emt",
        "name": "Emergency Medical Technician (EMT)",
        "order": 1,
        "summary": "The course nearly everyone in EMS starts with: weeks, not months, with real patients in "
        "hospital and on an ambulance.",
        "description": (
            "EMTs are very often the first licensed health-care worker a patient meets. They assess patients, "
            "give basic and mostly noninvasive care with the equipment carried on an ambulance, and transport "
            "people safely to hospital, working under the oversight of a medical director. EMTs may drive the "
            "ambulance.\n\n"
            "Our course teaches the skills of the national EMT standard: patient assessment, airway care and "
            "oxygen, CPR and defibrillation, bleeding control, splinting, and helping patients with some of "
            "their own medications. What an EMT may do is set by each state and has been growing.\n\n"
            "The course prepares you for the NREMT cognitive exam and the state-approved skills exam. It is "
            "also the first step to becoming an advanced EMT or a paramedic."
        ),
        "admission_requirements": (
            "A high-school diploma or equivalent\n"
            "A current CPR card for healthcare providers (BLS) by the first day; we run a one-day class if you "
            "need one\n"
            "A background check and drug screen, which our clinical partners require\n"
            "Proof of the immunizations hospitals ask for (for example hepatitis B, MMR and flu)"
        ),
        "length": "10 to 16 weeks, depending on the schedule",
        "training_hours": 160,
        "format": DeliveryFormat.IN_PERSON,
        "format_details": (
            "Classroom teaching and hands-on skills labs, then face-to-face clinical experience in a partner "
            "hospital's emergency department and field experience riding on an ambulance with a working crew."
        ),
        "tuition": Decimal("1650.00"),
        "fees": [
            ("Textbook and online learning platform", Decimal("185.00"), ""),
            ("Uniform and equipment kit", Decimal("120.00"), "stethoscope, penlight, shears"),
            ("Background check and drug screen", Decimal("65.00"), "for clinical placements"),
            ("NREMT cognitive exam", Decimal("104.00"), "paid to the NREMT, per attempt"),
        ],
        "outcomes": [
            (OutcomeMeasure.EXAM_PASS_RATE, Decimal("84.0"), "2024 graduating class", "first attempt"),
            (OutcomeMeasure.RETENTION, Decimal("88.0"), "2024 graduating class", ""),
            (
                OutcomeMeasure.PLACEMENT,
                Decimal("76.0"),
                "2023 and 2024 graduates",
                "working in EMS within 6 months",
            ),
        ],
    },
    {
        "slug": "aemt",
        "level": "aemt",
        "name": "Advanced EMT (AEMT)",
        "order": 2,
        "summary": "For working EMTs: IV fluids, more advanced airway devices and a small set of medications.",
        "description": (
            "Advanced EMTs add limited advanced care to the EMT's skills: starting IV lines and giving fluids, "
            "using more complex airway devices, and giving a small number of medications. The level suits "
            "services, often rural ones, that cannot always put a paramedic on every call.\n\n"
            "The course ends with preparation for the single NREMT AEMT certification exam. Not every state "
            "licenses AEMTs, so check with your state EMS office before you enroll."
        ),
        "admission_requirements": (
            "A current CPR card for healthcare providers (BLS)\n"
            "A background check and drug screen, which our clinical partners require"
        ),
        "length": "14 weeks",
        "training_hours": 220,
        "format": DeliveryFormat.HYBRID,
        "format_details": (
            "Lectures online on two evenings a week, in-person skills labs on alternate Saturdays, and "
            "clinical shifts in a partner hospital."
        ),
        "tuition": Decimal("2400.00"),
        "fees": [
            ("Textbook and online learning platform", Decimal("240.00"), ""),
            (
                "Clinical compliance tracking",
                Decimal("85.00"),
                "background check, drug screen, immunization records",
            ),
            ("NREMT AEMT exam", Decimal("144.00"), "paid to the NREMT, per attempt"),
        ],
        "outcomes": [
            (
                OutcomeMeasure.EXAM_PASS_RATE,
                Decimal("79.0"),
                "2023 and 2024 graduating classes",
                "first attempt",
            ),
            (OutcomeMeasure.RETENTION, Decimal("91.0"), "2023 and 2024 graduating classes", ""),
        ],
    },
    {
        "slug": "paramedic",
        "level": "paramedic",
        "name": "Paramedic",
        "order": 3,
        "summary": "The most advanced practitioner on an ambulance: about a year of study, hospital rotations "
        "and a field internship.",
        "description": (
            "Most people in EMS aim to become paramedics. On an ambulance the paramedic is normally the most "
            "advanced practitioner, giving advanced emergency care under medical oversight: IV and IO access, "
            "intubation and other advanced airways, reading 12-lead ECGs, manual defibrillation, cardioversion "
            "and pacing, and a wide range of medications.\n\n"
            "Our program takes about a year and prepares you for the NREMT paramedic exam. Paramedics work on "
            "advanced life support ambulances, in fire departments, in flight and critical-care transport, in "
            "hospitals, and increasingly in community paramedicine."
        ),
        "admission_requirements": (
            "A high-school diploma or equivalent\n"
            "A current CPR card for healthcare providers (BLS)\n"
            "An interview with the program director\n"
            "A background check and drug screen, which our clinical partners require"
        ),
        "length": "13 months",
        "training_hours": 1200,
        "format": DeliveryFormat.HYBRID,
        "format_details": (
            "Two class days a week (some lectures online), skills labs and simulation, hospital rotations "
            "(emergency department, intensive care, operating room, labor and delivery) and a capstone field "
            "internship with an advanced life support service."
        ),
        "tuition": Decimal("9800.00"),
        "fees": [
            ("Textbooks and online learning platform", Decimal("950.00"), ""),
            ("Uniforms", Decimal("180.00"), ""),
            (
                "Clinical compliance tracking",
                Decimal("210.00"),
                "background check, drug screen, immunization records",
            ),
            ("NREMT paramedic exam", Decimal("160.00"), "paid to the NREMT, per attempt"),
        ],
        "outcomes": [
            (
                OutcomeMeasure.EXAM_PASS_RATE,
                Decimal("90.0"),
                "2023 and 2024 graduating classes",
                "within three attempts",
            ),
            (OutcomeMeasure.RETENTION, Decimal("81.0"), "2023 and 2024 graduating classes", ""),
            (
                OutcomeMeasure.PLACEMENT,
                Decimal("96.0"),
                "2023 and 2024 graduates",
                "working in EMS within 6 months",
            ),
        ],
    },
    {
        "slug": "emr",
        "level": "emr",
        "name": "Emergency Medical Responder (EMR)",
        "order": 4,
        "summary": "A short course in immediate lifesaving care, for people whose role or employer asks for it.",
        "description": (
            "Emergency medical responders give immediate lifesaving care with little equipment until an "
            "ambulance arrives, and then help its crew: checking vital signs, CPR and defibrillation, bleeding "
            "control, oxygen and basic airway care, splinting.\n\n"
            "The course prepares you for the NREMT EMR cognitive exam and a state-approved skills exam. It suits "
            "police officers, firefighters, search-and-rescue and industrial response teams, and rural volunteer "
            "crews."
        ),
        "admission_requirements": (
            "A current CPR card for healthcare providers (BLS), or our one-day class before the course\n"
            "Under 18? A parent or guardian signs the enrollment agreement"
        ),
        "advice": (
            "We recommend this course only if you have a specific need for it, for example because your fire "
            "department, police force or employer asks for it. Many ambulance services do not hire EMRs: EMR "
            "training has no face-to-face clinical component, and in most states EMRs may not have direct patient "
            "contact. If you want to work on an ambulance, start with the EMT course."
        ),
        "length": "3 weekends",
        "training_hours": 56,
        "format": DeliveryFormat.IN_PERSON,
        "format_details": "Classroom teaching and hands-on practice on three consecutive weekends.",
        "tuition": Decimal("450.00"),
        "fees": [
            ("Textbook", Decimal("75.00"), ""),
            ("NREMT EMR exam", Decimal("88.00"), "paid to the NREMT, per attempt"),
        ],
        "outcomes": [],
        # No national minimum age for EMRs was found; the school accepts students from 16 (with a parent's
        # signature), as some states do.
        "minimum_age": 16,
    },
]

# (program slug, code, meeting pattern, schedule, location, capacity, starts in days, length in days,
#  deadline in days before the start; a negative deadline offset makes the deadline lie in the past)
COHORTS = [
    (
        "emt",
        "EMT-DAY",
        MeetingPattern.WEEKDAY_DAYS,
        "Mon to Thu, 8:30 am to 3:30 pm",
        "Main campus, skills lab 1",
        24,
        28,
        70,
        7,
    ),
    (
        "emt",
        "EMT-EVE",
        MeetingPattern.WEEKDAY_EVENINGS,
        "Tue and Thu, 6 to 10 pm, plus two Saturdays of skills",
        "Main campus, skills lab 2",
        24,
        49,
        112,
        7,
    ),
    (
        "emt",
        "EMT-WKND",
        MeetingPattern.WEEKENDS,
        "Sat and Sun, 8 am to 4 pm",
        "Main campus, skills lab 1",
        8,
        35,
        98,
        7,
    ),
    (
        "emt",
        "EMT-HYB",
        MeetingPattern.HYBRID,
        "Online lectures Mon and Wed evenings; skills labs every other Saturday",
        "Online and main campus",
        20,
        21,
        105,
        24,
    ),
    (
        "aemt",
        "AEMT-EVE",
        MeetingPattern.WEEKDAY_EVENINGS,
        "Online Mon and Wed, 6 to 9 pm; alternate Saturdays in the lab",
        "Online and main campus",
        14,
        56,
        98,
        14,
    ),
    (
        "paramedic",
        "PARA-DAY",
        MeetingPattern.WEEKDAY_DAYS,
        "Tue and Thu, 9 am to 5 pm, plus clinical and field shifts",
        "Main campus and partner hospitals",
        16,
        63,
        395,
        21,
    ),
    (
        "emr",
        "EMR-WKND",
        MeetingPattern.WEEKENDS,
        "Sat and Sun, 9 am to 5 pm, three weekends in a row",
        "Main campus, skills lab 2",
        18,
        42,
        16,
        7,
    ),
]

# Fictional people for the full EMT weekend cohort: 8 seats taken, 3 on the waitlist.
FULL_COHORT = "EMT-WKND"
DEMO_APPLICANTS = [
    ("Avery", "Sample"),
    ("Jordan", "Example"),
    ("Riley", "Placeholder"),
    ("Casey", "Demo"),
    ("Morgan", "Testwell"),
    ("Quinn", "Fictional"),
    ("Harper", "Madeup"),
    ("Rowan", "Imaginary"),
    ("Sage", "Notreal"),
    ("Emerson", "Pretend"),
    ("Finley", "Standin"),
]


def _create_program(data, level) -> tuple[Program, int, int]:
    data = dict(data)
    fees, outcomes = data.pop("fees"), data.pop("outcomes")
    data.pop("level")
    program = Program.objects.create(level=level, **data)
    for order, (name, amount, note) in enumerate(fees, start=1):
        program.fees.create(name=name, amount=amount, note=note, order=order)
    for order, (measure, percent, period, note) in enumerate(outcomes, start=1):
        program.outcomes.create(measure=measure, percent=percent, period=period, note=note, order=order)
    return program, len(fees), len(outcomes)


def _create_cohort(program, row, today: date) -> Cohort:
    _slug, code, pattern, schedule, location, capacity, starts_in, length, deadline_before = row
    start = today + timedelta(days=starts_in)
    return Cohort.objects.create(
        program=program,
        code=code,
        start_date=start,
        end_date=start + timedelta(days=length),
        meeting_pattern=pattern,
        schedule=schedule,
        location=location,
        capacity=capacity,
        application_deadline=start - timedelta(days=deadline_before),
    )


def _fill_full_cohort(cohort: Cohort) -> int:
    created = 0
    for number, (first, last) in enumerate(DEMO_APPLICANTS, start=1):
        domain = "example.org" if number % 2 else "example.com"
        email = f"{first}.{last}@{domain}".lower()
        if Application.objects.filter(cohort=cohort, email=email).exists():
            continue
        try:
            services.application_submit(
                cohort=cohort,
                first_name=first,
                last_name=last,
                email=email,
                phone=f"555 010 {number:04d}",
                date_of_birth=date(1990 + number % 10, 1 + number % 12, 1 + number),
                address_line1=f"{number} Example Street",
                city="Springfield",
                state="MA",
                postal_code="01000",
                consent_data_processing=True,
                notify=False,
            )
        except services.EligibilityError:
            break  # the cohort has closed since the demo was first loaded: leave it as it is
        created += 1
    return created


def load() -> dict[str, int]:
    today = timezone.localdate()
    created = {"programs": 0, "program fees": 0, "program outcomes": 0, "cohorts": 0, "applications": 0}
    programs = {}
    for data in PROGRAMS:
        program = Program.objects.filter(slug=data["slug"]).first()
        if program is None:
            level = CertificationLevel.objects.filter(slug=data["level"]).first()
            if level is None:
                continue  # roles' demo content is missing: nothing to attach this program to
            program, fees, outcomes = _create_program(data, level)
            created["programs"] += 1
            created["program fees"] += fees
            created["program outcomes"] += outcomes
        programs[data["slug"]] = program

    for row in COHORTS:
        program = programs.get(row[0])
        if program is None or Cohort.objects.filter(code=row[1]).exists():
            continue
        _create_cohort(program, row, today)
        created["cohorts"] += 1

    full = Cohort.objects.filter(code=FULL_COHORT).first()
    if full is not None and not full.applications.exists():
        created["applications"] += _fill_full_cohort(full)
    return created
