"""Admissions' reports (/admin/reports/, docs/reports.md): the figures checked against a school built for the
test, who may see them, the CSV downloads, refused choices, the charts' accessibility, and a number of
queries that does not grow with the data."""

import csv
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enrollment import services
from enrollment.models import Application, Enquiry
from infosessions.models import SessionSignup
from reports import figures
from reports.figures import Period
from tests.enrollment.conftest import make_cohort, make_program, submit
from tests.infosessions.conftest import make_session, sign_up

pytestmark = pytest.mark.django_db

REPORTS = reverse("admin:reports")
LONG_AGO = timezone.now() - timedelta(days=800)


def came_from(record, **source):
    """Where the person came from, as the forms store it (utm_source, referrer_host, heard_about)."""
    type(record).objects.filter(pk=record.pk).update(**source)


def verify_everything(application):
    for item in services.checklist_sync(application):
        services.checklist_item_verify(item=item, by=None)


def enrol(application):
    verify_everything(application)
    return services.application_enrol(application=application, notify=False)


def reload(record):
    return type(record).objects.get(pk=record.pk)


@pytest.fixture
def school(levels, emt_program):
    """Two programs, applications at every stage, enquiries and info sessions, from three sources.

    EMT (one start of 4 seats): a1 completed, a2 left after starting, a3 enrolled, a4 withdrew, a5 was
    waitlisted, offered a4's seat and accepted it. First Responder: b1 and b2 hold seats; b3 applied long
    before the period. Sources: spring-flyer (a campaign), news.example.com (a referring site), direct."""
    responder = make_program(level=levels["emr"], slug="responder", name="First Responder")
    emt = make_cohort(program=emt_program, capacity=4, code="EMT-FALL")
    a1, a2, a3, a4, a5 = (submit(emt, notify=False) for _ in range(5))
    assert reload(a5).status == Application.Status.WAITLISTED
    for application in (a1, a2):
        enrol(application)
    services.courses_start(today=emt.start_date)
    services.application_complete(application=reload(a1))
    services.application_leave(application=reload(a2))
    enrol(a3)  # after the others started: still enrolled
    services.application_withdraw(application=a4, notify=False)
    services.offer_accept(application=reload(a5))

    first_responder = make_cohort(program=responder, capacity=5, code="FR-FALL")
    b1, b2, b3 = (submit(first_responder, notify=False) for _ in range(3))
    Application.objects.filter(pk=b3.pk).update(submitted_at=LONG_AGO)

    came_from(a1, utm_source="spring-flyer", referrer_host="www.google.com", heard_about="friend")
    came_from(a2, referrer_host="news.example.com")
    came_from(a3, heard_about="search")
    came_from(b1, utm_source="spring-flyer")

    def enquiry(program=None, **source):
        record = services.enquiry_submit(
            name="Casey", email="casey@example.org", message="When?", program=program, notify=False
        )
        came_from(record, **source)
        return record

    enquiry(emt_program, utm_source="spring-flyer")
    enquiry(emt_program)
    enquiry(None, referrer_host="news.example.com")
    Enquiry.objects.filter(pk=enquiry(responder).pk).update(submitted_at=LONG_AGO)

    emt_evening = make_session(programs=[emt_program])
    open_day = make_session()  # about no program in particular
    s1, s2, s3 = (sign_up(emt_evening, notify=False) for _ in range(3))
    s4 = sign_up(open_day, notify=False)
    came_from(s1, utm_source="spring-flyer")
    type(emt_evening).objects.filter(pk__in=[emt_evening.pk, open_day.pk]).update(
        starts_at=timezone.now() - timedelta(days=2)
    )
    SessionSignup.objects.filter(pk__in=[s1.pk, s3.pk, s4.pk]).update(attended=True)
    SessionSignup.objects.filter(pk=s2.pk).update(attended=False)
    return {"emt": emt_program, "responder": responder, "emt_cohort": emt}


def counts(row):
    return dict(row.counts)


def by_label(rows):
    return {row.label: counts(row) for row in rows}


def stages(enquiries, attended, applications, held, enrolled, started, completed):
    return dict(
        zip(
            figures.STAGE_KEYS,
            [enquiries, attended, applications, held, enrolled, started, completed],
            strict=True,
        )
    )


# The funnel


def test_the_funnel_counts_each_stage_an_application_reached_from_its_history(school):
    funnel = figures.funnel(Period.last_twelve_months())

    # a2 left and a4 withdrew: they still count where they got to; b3 and an enquiry are before the period.
    assert counts(funnel.total) == stages(3, 3, 7, 7, 3, 2, 1)
    assert [step["share_of_previous"] for step in funnel.stages] == [None, 100, 233, 100, 43, 67, 50]


def test_the_funnel_by_program(school):
    funnel = figures.funnel(Period.last_twelve_months())

    assert by_label(funnel.by_program) == {
        "EMT": stages(2, 2, 5, 5, 3, 2, 1),
        "First Responder": stages(0, 0, 2, 2, 0, 0, 0),
        figures.NO_PROGRAM: stages(1, 1, 0, 0, 0, 0, 0),
    }


def test_the_funnel_by_source_takes_the_campaign_then_the_referring_site_then_direct(school):
    funnel = figures.funnel(Period.last_twelve_months())

    assert by_label(funnel.by_source) == {
        "spring-flyer": stages(1, 1, 2, 2, 1, 1, 1),
        "news.example.com": stages(1, 0, 1, 1, 1, 1, 0),
        "(direct)": stages(1, 2, 4, 4, 1, 0, 0),
    }
    assert funnel.by_source[0].label == "(direct)"  # the most applications first


def test_the_funnel_by_how_people_heard_about_us(school):
    funnel = figures.funnel(Period.last_twelve_months())

    rows = by_label(funnel.by_heard_about)
    assert rows["A friend, family member or colleague"] == stages(0, 0, 1, 1, 1, 1, 1)
    assert rows["A search engine"] == stages(0, 0, 1, 1, 1, 0, 0)
    assert rows[figures.NOT_SAID] == stages(3, 3, 5, 5, 1, 1, 0)
    assert funnel.by_heard_about[-1].label == figures.NOT_SAID


def test_a_program_filter_keeps_that_programs_records_only(school):
    funnel = figures.funnel(Period.last_twelve_months(), program=school["emt"])

    assert counts(funnel.total) == stages(2, 2, 5, 5, 3, 2, 1)
    assert [row.label for row in funnel.by_program] == ["EMT"]
    assert by_label(funnel.by_source)["spring-flyer"] == stages(1, 1, 1, 1, 1, 1, 1)


def test_a_period_before_the_school_counts_nothing(school):
    funnel = figures.funnel(Period(date(2001, 1, 1), date(2001, 12, 31)))

    assert counts(funnel.total) == stages(0, 0, 0, 0, 0, 0, 0)
    assert funnel.by_program == funnel.by_source == []


def test_the_page_shows_the_funnel_for_the_program_chosen(admissions_client, school):
    response = admissions_client.get(REPORTS, {"program": school["emt"].pk})

    assert response.status_code == 200
    assert counts(response.context["funnel"].total) == stages(2, 2, 5, 5, 3, 2, 1)
    assert "EMT only" in response.content.decode()


def test_beyond_the_most_sources_the_rest_are_one_row(emt_program):
    cohort = make_cohort(program=emt_program, capacity=100)
    for number in range(figures.MOST_SOURCES + 5):
        came_from(submit(cohort, notify=False), utm_source=f"campaign-{number:02}")

    rows = figures.funnel(Period.last_twelve_months()).by_source

    assert len(rows) == figures.MOST_SOURCES
    assert rows[-1].label == figures.OTHER_SOURCES
    assert rows[-1].counts["applications"] == 6


# A cohort's fill, the waitlist's offers


SEPTEMBER = [timezone.make_aware(datetime(2026, 9, day, 10)) for day in range(1, 31)]


@pytest.fixture
def filled(emt_program):
    """A start of 2 seats: x and y hold seats on the 1st and 2nd, z and w wait; x withdraws on the 3rd and
    z accepts the seat offered; y withdraws on the 4th and w's offer expires on the 7th."""
    with time_machine.travel(SEPTEMBER[0], tick=False):
        cohort = make_cohort(program=emt_program, capacity=2, starts_in=60, code="EMT-WINTER")
        x = submit(cohort, notify=False)
    with time_machine.travel(SEPTEMBER[1], tick=False):
        y, z, w = (submit(cohort, notify=False) for _ in range(3))
    with time_machine.travel(SEPTEMBER[2], tick=False):
        services.application_withdraw(application=x, notify=False)
        services.offer_accept(application=reload(z))
    with time_machine.travel(SEPTEMBER[3], tick=False):
        services.application_withdraw(application=y, notify=False)
        assert reload(w).status == Application.Status.OFFERED
    with time_machine.travel(SEPTEMBER[6], tick=False):
        assert services.offers_expire() == 1
    return cohort


def test_a_cohorts_fill_by_day_from_the_history(filled):
    fill = figures.cohort_fill(filled)

    assert [(d.day.day, d.applications, d.applications_total, d.seats_taken) for d in fill.days] == [
        (1, 1, 1, 1),
        (2, 3, 4, 2),
        (3, 0, 4, 2),  # x left, z offered then accepted
        (4, 0, 4, 2),  # y left, w offered
        (7, 0, 4, 1),  # w's offer expired
    ]
    assert (
        fill.seats_taken == Application.objects.filter(cohort=filled, status__in=["held", "offered"]).count()
    )


def test_days_are_the_schools_days_across_a_daylight_saving_change(emt_program):
    """New York's clocks go back on 1 November 2026: an application at 23:30 on either side of the change
    (04:30 or 03:30 UTC the next day) counts on the school's day."""
    with time_machine.travel(timezone.make_aware(datetime(2026, 10, 20, 9)), tick=False):
        cohort = make_cohort(program=emt_program, capacity=5, starts_in=40)
    for day in (date(2026, 10, 31), date(2026, 11, 1)):
        with time_machine.travel(timezone.make_aware(datetime.combine(day, time(23, 30))), tick=False):
            submit(cohort, notify=False)

    fill = figures.cohort_fill(cohort)

    assert [(d.day, d.applications, d.seats_taken) for d in fill.days] == [
        (date(2026, 10, 31), 1, 1),
        (date(2026, 11, 1), 1, 2),
    ]


def test_the_default_cohort_is_the_next_start(emt_program, filled):
    with time_machine.travel(SEPTEMBER[10], tick=False):
        later = make_cohort(program=emt_program, starts_in=90)
        make_cohort(program=emt_program, starts_in=-10)  # started already

        assert figures.default_cohort() == filled
        assert figures.default_cohort(today=filled.start_date + timedelta(days=1)) == later


def test_waitlist_offers_made_accepted_and_expired_by_month(filled):
    months = figures.offers(Period(date(2026, 8, 1), date(2026, 10, 31)))

    assert [(m.month, m.made, m.accepted, m.expired, m.turned_down) for m in months] == [
        (date(2026, 9, 1), 2, 1, 1, 0)
    ]
    assert figures.offers(Period(date(2026, 9, 5), date(2026, 9, 30)))[0].expired == 1
    assert figures.offers(Period(date(2026, 9, 5), date(2026, 9, 30)))[0].made == 0


def test_the_page_shows_the_cohort_chosen(admissions_client, filled):
    response = admissions_client.get(REPORTS, {"cohort": filled.pk})

    page = response.content.decode()
    assert response.context["fill"].cohort == filled
    assert "EMT-WINTER: applications and seats taken" in page
    assert "Capacity 2" in page


def test_every_start_can_be_chosen_and_the_one_chosen_is_selected(admissions_client, emt_program):
    starts = [make_cohort(program=emt_program, code=f"EMT-{n}", starts_in=30 * n) for n in (1, 2, 3)]

    page = admissions_client.get(REPORTS, {"cohort": starts[1].pk}).content.decode()

    attributes, select = re.search(r'<select name="cohort"([^>]*)>(.*?)</select>', page, re.S).groups()
    assert 'id="id_cohort"' in attributes  # its label's
    assert 'aria-describedby="id_cohort_helptext"' in attributes  # its help text's
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    assert options == [
        ("", "", "The next start"),
        *(
            (
                str(start.pk),
                " selected" if start == starts[1] else "",
                f"{start.code} ({start.start_date:%d %b %Y})",
            )
            for start in reversed(starts)  # the latest first
        ),
    ]


def test_a_starts_code_is_shown_as_text_in_the_choice_of_starts(admissions_client, emt_program):
    make_cohort(program=emt_program, code='"><script>x</script>')

    page = admissions_client.get(REPORTS).content.decode()

    assert "<script>x</script>" not in page
    assert "&quot;&gt;&lt;script&gt;x&lt;/script&gt;" in page


# The time to a first reply


def enquiry_at(submitted, replied_after=None):
    enquiry = services.enquiry_submit(name="Casey", email="casey@example.org", message="When?", notify=False)
    submitted = timezone.make_aware(submitted)
    Enquiry.objects.filter(pk=enquiry.pk).update(
        submitted_at=submitted, first_replied_at=submitted + replied_after if replied_after else None
    )


def test_time_to_first_reply_median_90th_percentile_and_within_a_working_day():
    enquiry_at(datetime(2026, 9, 7, 9), timedelta(hours=1))  # Monday: within
    enquiry_at(datetime(2026, 9, 8, 9), timedelta(hours=25))  # Tuesday to Wednesday 10:00: late
    enquiry_at(datetime(2026, 9, 11, 16), timedelta(hours=70))  # Friday to Monday 14:00: within
    enquiry_at(datetime(2026, 9, 12, 10), timedelta(hours=47))  # Saturday to Monday 09:00: within
    enquiry_at(datetime(2026, 9, 10, 9))  # not answered
    enquiry_at(datetime(2026, 10, 5, 9), timedelta(hours=2))

    months, whole = figures.replies(Period(date(2026, 9, 1), date(2026, 10, 31)))

    september, october = months
    assert (september.label, september.received, september.answered) == ("September 2026", 5, 4)
    assert september.median_hours == 36.0  # between 25 and 47
    assert september.p90_hours == 63.1  # 47 + 0.7 x (70 - 47)
    assert (september.within_a_working_day, september.share_within) == (3, 60)
    assert (october.received, october.median_hours, october.share_within) == (1, 2.0, 100)
    assert (whole.received, whole.answered, whole.median_hours, whole.within_a_working_day) == (6, 5, 25.0, 4)


def test_no_enquiries_no_percentiles():
    months, whole = figures.replies(Period(date(2026, 9, 1), date(2026, 9, 30)))

    assert months == []
    assert (whole.received, whole.median_hours, whole.share_within) == (0, None, None)


# Who may see them


def test_admissions_see_the_reports_and_the_link_on_the_front_page(admissions_client):
    assert admissions_client.get(REPORTS).status_code == 200
    assert REPORTS in admissions_client.get(reverse("admin:index")).content.decode()


def test_superusers_see_the_reports(admin_client):
    assert admin_client.get(REPORTS).status_code == 200


def test_content_editors_are_refused_and_not_shown_the_link(editor_client):
    assert editor_client.get(REPORTS).status_code == 403
    assert editor_client.get(REPORTS, {"format": "csv", "table": "funnel"}).status_code == 403
    assert REPORTS not in editor_client.get(reverse("admin:index")).content.decode()


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(REPORTS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# CSV


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_each_table_downloads_as_csv_with_the_pages_figures(admissions_client, school):
    rows = read_csv(admissions_client.get(REPORTS, {"format": "csv", "table": "funnel-by-program"}))

    assert rows[0] == [
        "program",
        "Enquiries",
        "Attended an info session",
        "Applications",
        "Held a seat",
        "Enrolled",
        "Started",
        "Completed",
    ]
    assert ["EMT", "2", "2", "5", "5", "3", "2", "1"] in rows
    for table in ("funnel", "funnel-by-source", "funnel-by-heard-about", "cohort-fill", "offers", "replies"):
        assert len(read_csv(admissions_client.get(REPORTS, {"format": "csv", "table": table}))) >= 1


def test_csv_cells_that_a_spreadsheet_would_run_are_made_text(admissions_client, emt_program):
    cohort = make_cohort(program=emt_program)
    came_from(submit(cohort, notify=False), utm_source='=HYPERLINK("http://evil.example","x")')
    came_from(submit(cohort, notify=False), utm_source="-2+3")
    came_from(submit(cohort, notify=False), utm_source='a,b "quoted"\nnext line')

    rows = read_csv(admissions_client.get(REPORTS, {"format": "csv", "table": "funnel-by-source"}))

    sources = {row[0] for row in rows[1:]}
    assert sources == {'\'=HYPERLINK("http://evil.example","x")', "'-2+3", 'a,b "quoted"\nnext line'}


def test_the_cohort_fill_csv(admissions_client, filled):
    rows = read_csv(
        admissions_client.get(REPORTS, {"format": "csv", "table": "cohort-fill", "cohort": filled.pk})
    )

    assert rows[0] == [
        "cohort",
        "day",
        "applications received",
        "applications in all",
        "seats taken",
        "capacity",
    ]
    assert rows[1] == ["EMT-WINTER", "2026-09-01", "1", "1", "1", "2"]
    assert rows[-1] == ["EMT-WINTER", "2026-09-07", "0", "4", "1", "2"]


# Refused choices


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "yesterday"}, "Enter a valid date."),
        ({"date_to": "2026-02-30"}, "Enter a valid date."),
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "The period starts after it ends"),
        ({"date_from": "1990-01-01", "date_to": "2026-01-01"}, "at most five years"),
        ({"program": "999999"}, "Select a valid choice."),
        ({"program": "not-a-number"}, "Select a valid choice."),
        ({"cohort": "1e9"}, "Select a valid choice."),
        ({"format": "pdf"}, "Select a valid choice."),
        ({"format": "csv", "table": "passwords"}, "Select a valid choice."),
        ({"format": "csv"}, "Say which table to download."),
        ({"date_from": "2026-01-01\x00"}, ""),
        ({"date_to": "0001-01-01"}, "Choose a date between 1900 and 2100."),
        ({"date_from": "9999-12-01", "date_to": "9999-12-31"}, "Choose a date between 1900 and 2100."),
        ({"date_from": "0001-01-01", "date_to": "0001-01-05", "format": "csv", "table": "replies"}, "1900"),
    ],
)
def test_bad_choices_are_explained_with_a_400(admissions_client, query, message):
    response = admissions_client.get(REPORTS, query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_what_people_typed_as_a_source_is_shown_as_text(admissions_client, emt_program):
    came_from(submit(make_cohort(program=emt_program), notify=False), utm_source="<script>alert(1)</script>")

    page = admissions_client.get(REPORTS).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# The charts


def test_each_chart_is_an_image_named_and_described_for_screen_readers_beside_its_table(
    admissions_client, school
):
    page = admissions_client.get(REPORTS).content.decode()

    charts = re.findall(r'<svg viewBox="[^"]*" role="img" aria-labelledby="([^"]*)" class="report-svg"', page)
    assert len(charts) == 4  # the funnel, the cohort's fill, the offers, the replies
    for labelled_by in charts:
        title, desc = labelled_by.split()
        assert re.search(rf'<title id="{title}">[^<]+</title>', page)
        assert re.search(rf'<desc id="{desc}">[^<]+</desc>', page)
    assert "Applications: 7" in page  # the funnel's description says its numbers
    assert page.count('class="report-pair"') == 4
    assert ' style="' not in page.split('id="content-main"')[1]  # the CSP allows no inline styles


def test_on_a_phone_each_cell_of_a_table_names_its_column(admissions_client, school, filled):
    # The tables are one block a row on a phone (staff-stack): each cell shows its data-label, the column's name.
    page = admissions_client.get(REPORTS, {"cohort": filled.pk}).content.decode()

    tables = re.findall(r'<table class="[^"]*\bstaff-stack\b[^"]*" id="([^"]+)">(.*?)</table>', page, re.S)
    assert len(tables) == 7
    for table_id, table in tables:
        headers = [
            re.sub(r"<[^>]+>", "", header).strip()
            for header in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], re.S):
            cells = re.findall(r"<(th|td)([^>]*)>", row)
            labels = [
                re.search(r'data-label="([^"]*)"', attributes) for tag, attributes in cells if tag == "td"
            ]
            assert [label and label.group(1) for label in labels] == headers[1:], (table_id, row)


# Queries


def grow(emt_program, size):
    """`size` applications at several stages, enquiries answered and not, in two starts."""
    cohort = make_cohort(program=emt_program, capacity=size)
    other = make_cohort(program=emt_program, capacity=1)
    for number in range(size):
        application = submit(cohort, notify=False)
        came_from(application, utm_source=f"source-{number % 3}", heard_about="friend")
        if number % 2:
            services.application_withdraw(application=application, notify=False)
        submit(other, notify=False)
        enquiry = services.enquiry_submit(
            name="Casey",
            email=f"casey{number}@example.org",
            message="When?",
            program=emt_program,
            notify=False,
        )
        Enquiry.objects.filter(pk=enquiry.pk).update(
            first_replied_at=timezone.now() + timedelta(hours=number)
        )
    return cohort


def queries_of(client, query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REPORTS, query).status_code == 200
    return len(queries)


# 17 today: the session, the user, the second factor, the permissions (2), the funnel (4), the default cohort and
# its fill (3), the offers (1), the replies (2), the form's programs and cohorts (2).
MOST_QUERIES = 20


def test_the_page_makes_as_many_queries_whatever_the_data(
    admissions_client, emt_program, django_assert_max_num_queries
):
    grow(emt_program, 2)
    small = queries_of(admissions_client, {})
    small_csv = queries_of(admissions_client, {"format": "csv", "table": "funnel-by-source"})

    grow(emt_program, 12)
    with django_assert_max_num_queries(MOST_QUERIES):
        assert admissions_client.get(REPORTS).status_code == 200
    assert queries_of(admissions_client, {}) == small
    assert queries_of(admissions_client, {"format": "csv", "table": "funnel-by-source"}) == small_csv
