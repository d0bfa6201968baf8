"""Demo programs, cohorts and a few applications for the fictional school (`manage.py load_demo_content`).

Runs after roles/demo.py: programs point at its certification levels (matched by slug). Records are created
only when missing (programs by slug, cohorts by code, demo applicants by e-mail per cohort) and never
overwritten, so running it twice changes nothing. Each cohort's dates follow from its weekly meetings: it
starts on its first meeting day after the day the demo is loaded and ends on its last class, so the
hours and weeks a program states can be checked against its cohorts (tests/enrollment/test_demo.py).
Figures (fees, outcomes) are fictional but realistic; the text follows the content brief (CONTENT.md)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from enrollment import services
from enrollment.eligibility import ApplicantDetails
from enrollment.models import (
    Application,
    Cohort,
    DeliveryFormat,
    MeetingPattern,
    OutcomeMeasure,
    Program,
    SavedAnswer,
)
from roles.models import CertificationLevel

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# One definition of each outcome for every program; each result names its years, classes and numbers.
OUTCOME_DEFINITIONS = {
    OutcomeMeasure.EXAM_PASS_RATE: "passed the NREMT cognitive exam at the first attempt",
    OutcomeMeasure.RETENTION: "of everyone who started the course",
    OutcomeMeasure.PLACEMENT: "working in EMS within 6 months of finishing",
}
OUTCOME_BASES = {
    OutcomeMeasure.EXAM_PASS_RATE: "graduates",
    OutcomeMeasure.RETENTION: "who started",
    OutcomeMeasure.PLACEMENT: "graduates",
}


def outcome(measure, *, achieved: int, of: int, years: str) -> tuple:
    """(measure, percent, period, note) for ProgramOutcome, the percent worked out from the numbers."""
    percent = (Decimal(100 * achieved) / of).quantize(Decimal("0.1"))
    return (
        measure,
        percent,
        f"{years}: {achieved} of {of} {OUTCOME_BASES[measure]}",
        OUTCOME_DEFINITIONS[measure],
    )


# What each program asks of its students before the course: the checklist Admissions verify (name, what counts,
# the expiry the document must cover, whether a document is sent). Written from the content brief, in our words.
DIPLOMA = (
    "High-school diploma or equivalent",
    "A copy of your diploma, or of a GED or HiSET certificate.",
    "",
    True,
)
CPR_BLS = (
    "CPR card (healthcare provider, BLS)",
    "A photo of both sides of your card. It must still be valid on the last day of the course; no card yet? "
    "Book our one-day class before the course starts.",
    "end",
    True,
)
BACKGROUND_CHECK = (
    "Background check",
    "The clearance letter from the screening company we send you to. A record does not automatically rule "
    "you out: if something on yours worries you, talk to us in confidence before you enroll.",
    "",
    True,
)
DRUG_SCREEN = (
    "Drug screen",
    "The result from the lab we send you to, dated in the 60 days before the course.",
    "",
    True,
)
IMMUNIZATIONS = (
    "Immunization records and a TB test",
    "Our partner hospitals and ambulance services set these for any student who works a shift with them. "
    "Expect to show MMR, chickenpox (varicella), hepatitis B and Tdap, a TB test from the past year and the "
    "current season's flu shot; a few sites add COVID-19. A record from your doctor or pharmacy will do.",
    "",
    True,
)
PHOTO_ID = (
    "Photo ID",
    "A driver's license is best (many ambulance services ask their crews for one); a passport or state ID "
    "card also works.",
    "end",
    True,
)
EMT_CERTIFICATION = (
    "EMT certification or state license",
    "Your NREMT card or state license at EMT level or higher, valid through the last day of the course.",
    "end",
    True,
)
DIRECTOR_INTERVIEW = (
    "Interview with the program director",
    "We book it with you after you apply; nothing to send.",
    "",
    False,
)
PARENT_SIGNATURE = (
    "Parent's or guardian's signature (under 18 only)",
    "If you will be under 18 on the first day, a parent or guardian signs the enrollment agreement we send you; "
    "if you will be 18 or older, we mark this done.",
    "",
    True,
)


PROGRAMS = [
    {
        "slug": "emt",
        "level": "emt",
        "name": "Emergency Medical Technician (EMT)",
        "order": 1,
        "summary": "The first step for almost everyone who works in EMS: 4 weeks full time, or 8 to 16 weeks "
        "part time, with hospital and ambulance shifts included.",
        "description": (
            "On many calls the EMT is the first licensed clinician to reach the patient. EMTs work out what is "
            "wrong, give basic care that is mostly noninvasive with the kit every ambulance carries, and get "
            "the patient safely to hospital, following the protocols of a physician medical director. They "
            "may also drive the ambulance.\n\n"
            "The course covers the skills of the national EMT curriculum: assessing a patient, keeping the "
            "airway open and giving oxygen, CPR and defibrillation, controlling bleeding, splinting, and "
            "assisting patients with certain medicines of their own. Each state decides exactly what its EMTs "
            "may do, and that list has been getting longer.\n\n"
            "At the end you are ready for the NREMT cognitive exam, which most states use on the way to a "
            "license, and for the skills exam your state approves. EMT is also where the route to advanced "
            "EMT and paramedic begins."
        ),
        "requirements": [DIPLOMA, CPR_BLS, PHOTO_ID, BACKGROUND_CHECK, DRUG_SCREEN, IMMUNIZATIONS],
        "length": "4 weeks on weekdays, 8 weeks of weekends or 16 weeks of evenings",
        "training_hours": 160,
        "format": DeliveryFormat.IN_PERSON,
        "format_details": (
            "Every start covers the same 160 hours. 128 hours are classroom teaching and hands-on skills labs "
            "on campus, on the days your schedule shows. The other 32 hours are clinical and field shifts, "
            "booked with you while the course runs: time with patients in a partner hospital's emergency "
            "department, and rides with a working ambulance crew."
        ),
        "tuition": Decimal("1650.00"),
        "deposit": Decimal("250.00"),
        "fees": [
            ("Textbook and online learning platform", Decimal("185.00"), ""),
            ("Uniform and equipment kit", Decimal("120.00"), "stethoscope, penlight, shears"),
            ("Background check and drug screen", Decimal("65.00"), "needed before clinical shifts"),
        ],
        "outcomes": [
            outcome(OutcomeMeasure.EXAM_PASS_RATE, achieved=63, of=75, years="2024, 4 classes"),
            outcome(OutcomeMeasure.RETENTION, achieved=75, of=85, years="2024, 4 classes"),
            outcome(OutcomeMeasure.PLACEMENT, achieved=57, of=75, years="2024, 4 classes"),
        ],
    },
    {
        "slug": "aemt",
        "level": "aemt",
        "name": "Advanced EMT (AEMT)",
        "order": 2,
        "summary": "For working EMTs: IV fluids, more advanced airway devices and a short list of medications, "
        "over 14 weeks of online evenings and Saturday labs.",
        "description": (
            "Advanced EMTs build on the EMT's skills with a limited set of advanced ones: placing IV lines and "
            "running fluids, managing the airway with more complex devices, and giving a small number of "
            "medications. The level fits services, rural ones in particular, that cannot send a paramedic to "
            "every call.\n\n"
            "The course finishes with preparation for the NREMT's single AEMT certification exam. Ask your "
            "state EMS office whether it licenses AEMTs before you enroll: we have seen a report that at least "
            "one state does not, which we have not been able to confirm."
        ),
        "requirements": [EMT_CERTIFICATION, CPR_BLS, PHOTO_ID, BACKGROUND_CHECK, DRUG_SCREEN, IMMUNIZATIONS],
        "length": "14 weeks",
        "training_hours": 220,
        "format": DeliveryFormat.HYBRID,
        "format_details": (
            "220 hours in 14 weeks. 140 hours are lectures and skills labs: lectures online on Monday and "
            "Wednesday evenings, skills labs on campus every other Saturday. The other 80 hours are clinical "
            "and field shifts in a partner hospital and on an ambulance, booked with you while the course runs."
        ),
        "tuition": Decimal("2400.00"),
        "deposit": Decimal("300.00"),
        "fees": [
            ("Textbook and online learning platform", Decimal("240.00"), ""),
            (
                "Clinical compliance tracking",
                Decimal("85.00"),
                "background check, drug screen, vaccination records",
            ),
        ],
        "outcomes": [
            outcome(OutcomeMeasure.EXAM_PASS_RATE, achieved=17, of=22, years="2023 and 2024, 2 classes"),
            outcome(OutcomeMeasure.RETENTION, achieved=22, of=24, years="2023 and 2024, 2 classes"),
        ],
    },
    {
        "slug": "paramedic",
        "level": "paramedic",
        "name": "Paramedic",
        "order": 3,
        "summary": "Usually the most advanced clinician on an ambulance: 12 months of classes, hospital "
        "rotations and a field internship.",
        "description": (
            "For most people who choose EMS, paramedic is the goal. On an ambulance it is usually the highest "
            "level of care on board: paramedics work under medical oversight and add advanced skills to an "
            "EMT's, such as placing breathing tubes and other advanced airways, reading 12-lead ECGs, manual "
            "defibrillation, cardioversion and pacing, IV and IO access, and a broad range of medications.\n\n"
            "Our program runs for 12 months and prepares you for the NREMT paramedic exam. Graduates go on to "
            "advanced life support ambulances, fire departments, flight and critical-care transport, hospitals "
            "and, more and more, community paramedicine."
        ),
        "requirements": [
            DIPLOMA,
            EMT_CERTIFICATION,
            CPR_BLS,
            PHOTO_ID,
            DIRECTOR_INTERVIEW,
            BACKGROUND_CHECK,
            DRUG_SCREEN,
            IMMUNIZATIONS,
        ],
        "length": "12 months (52 weeks)",
        "training_hours": 1200,
        "format": DeliveryFormat.IN_PERSON,
        "format_details": (
            "1,200 hours over 52 weeks. 832 hours are classes, skills labs and simulation on campus, two days "
            "a week. The other 368 hours are hospital rotations (emergency department, intensive care, "
            "operating room, labor and delivery) and a capstone field internship with an advanced life "
            "support service, booked with you during the year."
        ),
        "tuition": Decimal("9800.00"),
        "deposit": Decimal("750.00"),
        "fees": [
            ("Textbooks and online learning platform", Decimal("950.00"), ""),
            ("Uniforms", Decimal("180.00"), ""),
            (
                "Clinical compliance tracking",
                Decimal("210.00"),
                "background check, drug screen, vaccination records",
            ),
        ],
        "outcomes": [
            outcome(OutcomeMeasure.EXAM_PASS_RATE, achieved=19, of=24, years="2023 and 2024, 2 classes"),
            outcome(OutcomeMeasure.RETENTION, achieved=24, of=30, years="2023 and 2024, 2 classes"),
            outcome(OutcomeMeasure.PLACEMENT, achieved=23, of=24, years="2023 and 2024, 2 classes"),
        ],
    },
    {
        "slug": "emr",
        "level": "emr",
        "name": "Emergency Medical Responder (EMR)",
        "order": 4,
        "summary": "A short course in immediate lifesaving care, for people whose role or employer asks for it.",
        "description": (
            "Emergency medical responders give lifesaving care at the scene with a small kit until an "
            "ambulance arrives, then assist its crew: taking vital signs, CPR and defibrillation, stopping "
            "bleeding, oxygen and basic airway care, splinting.\n\n"
            "The course prepares you for the NREMT EMR cognitive exam and a skills exam approved by your state. "
            "The people who take it are often police officers, firefighters, members of search-and-rescue or "
            "industrial response teams, and rural volunteers."
        ),
        "requirements": [CPR_BLS, PHOTO_ID, PARENT_SIGNATURE],
        "advice": (
            "We recommend this course only if you have a specific need for it, for example because your fire "
            "department, police force or employer asks for it. It will not get you far in an ambulance "
            "service: the course gives you no supervised time with patients in a hospital, few services hire "
            "EMRs, and in many states an EMR may not be the crew member looking after the patient on the way "
            "to hospital, even though EMRs do give hands-on care at the scene. If an ambulance job is your "
            "aim, begin with the EMT course."
        ),
        "length": "3 weekends in a row",
        "training_hours": 48,
        "format": DeliveryFormat.IN_PERSON,
        "format_details": (
            "48 hours of classroom teaching and hands-on practice on campus, Saturday and Sunday on three "
            "weekends in a row. There are no hospital or ambulance shifts."
        ),
        "tuition": Decimal("450.00"),
        "deposit": Decimal("100.00"),
        "fees": [
            ("Textbook", Decimal("75.00"), ""),
        ],
        "outcomes": [
            outcome(OutcomeMeasure.EXAM_PASS_RATE, achieved=41, of=46, years="2024, 3 classes"),
            outcome(OutcomeMeasure.RETENTION, achieved=46, of=48, years="2024, 3 classes"),
        ],
        # No national minimum age for EMRs was found; the school accepts students from 16 (with a parent's
        # signature), as some states do.
        "minimum_age": 16,
    },
]

# Clinical and field hours of each program, booked with each student during the course; the rest of a
# program's hours are its cohorts' classes.
SHIFT_HOURS = {"emt": 32, "aemt": 80, "paramedic": 368, "emr": 0}


@dataclass(frozen=True)
class Meetings:
    """Classes on these weekdays, from `starts` to `ends` o'clock (24-hour clock), in every week of the
    course or, with `every=2`, every other week (the first week included)."""

    weekdays: tuple[int, ...]
    starts: int
    ends: int
    every: int = 1
    online: bool = False

    @property
    def hours(self) -> int:
        return self.ends - self.starts

    def describe(self) -> str:
        days = [DAY_NAMES[day] for day in self.weekdays]
        if len(days) > 2 and self.weekdays == tuple(range(self.weekdays[0], self.weekdays[-1] + 1)):
            days_text = f"{days[0]} to {days[-1]}"
        else:
            days_text = " and ".join(days)
        text = f"{days_text}, {_clock_range(self.starts, self.ends)}"
        if self.every == 2:
            text += ", every other week"
        if self.online:
            text += ", online"
        return text


def _clock(hour: int, *, suffix=True) -> str:
    text = str(hour % 12 or 12)
    return f"{text} {'am' if hour < 12 else 'pm'}" if suffix else text


def _clock_range(starts: int, ends: int) -> str:
    same_half = (starts < 12) == (ends < 12)
    return f"{_clock(starts, suffix=not same_half)} to {_clock(ends)}"


@dataclass(frozen=True)
class DemoCohort:
    """A start of a program: when its classes meet, for how many weeks, and when it opens.

    It starts on the first day of its first meeting week at least `starts_after` days after the day the
    demo is loaded (so a weekend cohort starts on a Saturday, a weekday one on its first class day), and its
    application deadline is `deadline_before` days before the start: more days than `starts_after` + 6
    puts the deadline in the past, a start already closed to applications."""

    program: str
    code: str
    pattern: str
    meetings: tuple[Meetings, ...]
    weeks: int
    location: str
    capacity: int
    starts_after: int
    deadline_before: int

    @property
    def first_weekday(self) -> int:
        return min(day for meetings in self.meetings for day in meetings.weekdays)

    def start(self, today: date) -> date:
        earliest = today + timedelta(days=self.starts_after)
        return earliest + timedelta(days=(self.first_weekday - earliest.weekday()) % 7)

    def class_days(self, start: date) -> list[tuple[date, Meetings]]:
        """Every class of the course, in date order."""
        days = []
        for offset in range(self.weeks * 7):
            day = start + timedelta(days=offset)
            week = offset // 7
            for meetings in self.meetings:
                if day.weekday() in meetings.weekdays and week % meetings.every == 0:
                    days.append((day, meetings))
        return days

    @property
    def schedule(self) -> str:
        text = "; ".join(meetings.describe() for meetings in self.meetings)
        if SHIFT_HOURS[self.program]:
            text += f"; plus {SHIFT_HOURS[self.program]} hours of hospital and ambulance shifts"
        return text

    def dates(self, today: date) -> dict:
        start = self.start(today)
        return {
            "start_date": start,
            "end_date": self.class_days(start)[-1][0],
            "application_deadline": start - timedelta(days=self.deadline_before),
        }


IN_PERSON_WEEKDAYS = Meetings((MON, TUE, WED, THU), 8, 16)
WEEKENDS = Meetings((SAT, SUN), 8, 16)

COHORTS = [
    DemoCohort(
        "emt",
        "EMT-DAY-EARLY",
        MeetingPattern.WEEKDAY_DAYS,
        (IN_PERSON_WEEKDAYS,),
        weeks=4,
        location="Main campus, skills lab 1",
        capacity=24,
        starts_after=10,
        deadline_before=17,
    ),
    DemoCohort(
        "emt",
        "EMT-DAY",
        MeetingPattern.WEEKDAY_DAYS,
        (IN_PERSON_WEEKDAYS,),
        weeks=4,
        location="Main campus, skills lab 1",
        capacity=24,
        starts_after=56,
        deadline_before=10,
    ),
    DemoCohort(
        "emt",
        "EMT-EVE",
        MeetingPattern.WEEKDAY_EVENINGS,
        (Meetings((TUE, THU), 18, 22),),
        weeks=16,
        location="Main campus, skills lab 2",
        capacity=24,
        starts_after=24,
        deadline_before=7,
    ),
    DemoCohort(
        "emt",
        "EMT-WKND",
        MeetingPattern.WEEKENDS,
        (WEEKENDS,),
        weeks=8,
        location="Main campus, skills lab 1",
        capacity=8,
        starts_after=35,
        deadline_before=7,
    ),
    DemoCohort(
        "aemt",
        "AEMT-HYB",
        MeetingPattern.HYBRID,
        (Meetings((MON, WED), 18, 21, online=True), Meetings((SAT,), 8, 16, every=2)),
        weeks=14,
        location="Online and main campus",
        capacity=14,
        starts_after=50,
        deadline_before=14,
    ),
    DemoCohort(
        "paramedic",
        "PARA-DAY",
        MeetingPattern.WEEKDAY_DAYS,
        (Meetings((TUE, THU), 9, 17),),
        weeks=52,
        location="Main campus and partner hospitals",
        capacity=16,
        starts_after=63,
        deadline_before=21,
    ),
    DemoCohort(
        "emr",
        "EMR-WKND",
        MeetingPattern.WEEKENDS,
        (WEEKENDS,),
        weeks=3,
        location="Main campus, skills lab 2",
        capacity=18,
        starts_after=40,
        deadline_before=7,
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
    fees, outcomes, requirements = data.pop("fees"), data.pop("outcomes"), data.pop("requirements")
    data.pop("level")
    program = Program.objects.create(level=level, **data)
    for order, (name, guidance, expiry, document_required) in enumerate(requirements, start=1):
        program.requirements.create(
            name=name, guidance=guidance, expiry=expiry, document_required=document_required, order=order
        )
    for order, (name, amount, note) in enumerate(fees, start=1):
        program.fees.create(name=name, amount=amount, note=note, order=order)
    for order, (measure, percent, period, note) in enumerate(outcomes, start=1):
        program.outcomes.create(measure=measure, percent=percent, period=period, note=note, order=order)
    return program, len(fees), len(outcomes)


def _create_cohort(program, demo_cohort: DemoCohort, today: date) -> Cohort:
    return Cohort.objects.create(
        program=program,
        code=demo_cohort.code,
        meeting_pattern=demo_cohort.pattern,
        schedule=demo_cohort.schedule,
        location=demo_cohort.location,
        capacity=demo_cohort.capacity,
        **demo_cohort.dates(today),
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
                details=ApplicantDetails(
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
                ),
                notify=False,
            )
        except services.EligibilityError:
            break  # the cohort has closed since the demo was first loaded: leave it as it is
        created += 1
    return created


# Answers Admissions give often, to start an answer to an enquiry from (placeholders: models.PLACEHOLDERS).
SAVED_ANSWERS = [
    (
        "Next start dates",
        "Hello {name},\n\nThank you for your question. The next starts of {program} that take applications "
        "are:\n{next_starts}\n\nYou can apply on our website; a seat is held as soon as you apply, while seats "
        "are free.\n\nBest wishes,\nThe admissions team",
    ),
    (
        "Paying for the course",
        "Hello {name},\n\nA deposit holds your seat; the rest is paid before the start, or in a payment plan "
        "we agree with you. Many ambulance services pay for a new hire's EMT course, and veterans' education "
        "benefits and workforce-training grants (WIOA) may help where the course is approved for them: ask us "
        "whether {program} is.\n\nBest wishes,\nThe admissions team",
    ),
]


def load(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    created = {
        "programs": 0,
        "program fees": 0,
        "program outcomes": 0,
        "cohorts": 0,
        "applications": 0,
        "saved answers": 0,
    }
    for title, body in SAVED_ANSWERS:
        _, made = SavedAnswer.objects.get_or_create(title=title, defaults={"body": body})
        created["saved answers"] += made
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

    for demo_cohort in COHORTS:
        program = programs.get(demo_cohort.program)
        if program is None or Cohort.objects.filter(code=demo_cohort.code).exists():
            continue
        _create_cohort(program, demo_cohort, today)
        created["cohorts"] += 1

    full = Cohort.objects.filter(code=FULL_COHORT).first()
    if full is not None and not full.applications.exists():
        created["applications"] += _fill_full_cohort(full)
    return created
