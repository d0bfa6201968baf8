"""The reports page (/admin/reports/, added to the admin by emsprogram/adminsite.py): the choices' form, the
figures (reports.figures), their charts (reports.charts), and each table as CSV."""

import logging

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from enrollment.admin.exports import csv_response
from reports import charts, figures
from reports.forms import TABLES, ReportForm

logger = logging.getLogger("reports")

PERMISSION = "enrollment.view_reports"
FUNNEL_HEADER = ["", *(label for _, label in figures.STAGES)]


def can_view_reports(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(PERMISSION)


def reports_view(request, admin_site):
    if not can_view_reports(request.user):
        raise PermissionDenied
    form = ReportForm(request.GET or None)
    context = {**admin_site.each_context(request), "title": "Reports", "form": form, "tables": TABLES}
    if request.GET and not form.is_valid():
        return TemplateResponse(request, "admin/reports/index.html", context, status=400)
    choices = form.cleaned_data if form.is_bound else {}
    period = choices.get("period") or figures.Period.last_twelve_months()
    program = choices.get("program")
    cohort = choices.get("cohort")

    if choices.get("format") == "csv":
        table = choices["table"]
        logger.info(
            "Report %s (%s to %s) downloaded by user %s", table, period.start, period.end, request.user.pk
        )
        header, rows = csv_table(table, period=period, program=program, cohort=cohort)
        return csv_response(f"{table}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.csv", header, rows)

    funnel = figures.funnel(period, program=program)
    fill = _fill(cohort, program)
    offers = figures.offers(period, program=program)
    reply_months, reply_whole = figures.replies(period, program=program)
    months = [f"{row.month:%b %y}" for row in offers]
    context.update(
        period=period,
        program=program,
        funnel=funnel,
        funnel_total_rows=[funnel.total],
        fill=fill,
        offers=offers,
        reply_months=reply_months,
        reply_whole=reply_whole,
        funnel_header=FUNNEL_HEADER,
        funnel_chart=charts.funnel_chart(funnel.stages),
        fill_chart=charts.fill_chart(fill) if fill else None,
        offers_chart=charts.columns_chart(
            "offers-chart",
            "Waitlist offers by month",
            months,
            [
                ("chart-bar", "Made", [row.made for row in offers]),
                ("chart-bar-hatched", "Accepted", [row.accepted for row in offers]),
                ("chart-bar-dotted", "Expired", [row.expired for row in offers]),
            ],
        ),
        replies_chart=charts.columns_chart(
            "replies-chart",
            "Enquiries answered within a working day, by month",
            [f"{row.month:%b %y}" for row in reply_months],
            [("chart-bar", "Answered within a working day", [row.share_within for row in reply_months])],
            unit="%",
        ),
        csv_query=_csv_query(request),
    )
    return TemplateResponse(request, "admin/reports/index.html", context)


def _fill(cohort, program):
    cohort = cohort or figures.default_cohort(program=program)
    return figures.cohort_fill(cohort) if cohort is not None else None


def _csv_query(request) -> str:
    """The page's choices as a query string, for its CSV links (which add format and table)."""
    query = request.GET.copy()
    for name in ("format", "table"):
        query.pop(name, None)
    query["format"] = "csv"
    return query.urlencode()


def csv_table(table, *, period, program, cohort):
    """(header, rows) of one table of the page: the same figures as it shows."""
    if table.startswith("funnel"):
        funnel = figures.funnel(period, program=program)
        rows = {
            "funnel": [funnel.total],
            "funnel-by-program": funnel.by_program,
            "funnel-by-source": funnel.by_source,
            "funnel-by-heard-about": funnel.by_heard_about,
        }[table]
        first = {"funnel": "", "funnel-by-program": "program", "funnel-by-source": "source"}.get(
            table, "heard about us from"
        )
        return [first, *FUNNEL_HEADER[1:]], [[row.label, *row.cells] for row in rows]
    if table == "cohort-fill":
        fill = _fill(cohort, program)
        days = fill.days if fill else []
        code = fill.cohort.code if fill else ""
        return (
            ["cohort", "day", "applications received", "applications in all", "seats taken", "capacity"],
            [
                [
                    code,
                    day.day.isoformat(),
                    day.applications,
                    day.applications_total,
                    day.seats_taken,
                    fill.cohort.capacity,
                ]
                for day in days
            ],
        )
    if table == "offers":
        return (
            ["month", "offers made", "accepted", "expired", "turned down or withdrawn"],
            [
                [f"{row.month:%Y-%m}", row.made, row.accepted, row.expired, row.turned_down]
                for row in figures.offers(period, program=program)
            ],
        )
    months, whole = figures.replies(period, program=program)
    return (
        [
            "month",
            "enquiries received",
            "answered",
            "median hours to first reply",
            "90th percentile hours",
            "answered within a working day",
            "share within a working day (%)",
        ],
        [
            [
                f"{row.month:%Y-%m}" if row.month else row.label,
                row.received,
                row.answered,
                _blank(row.median_hours),
                _blank(row.p90_hours),
                row.within_a_working_day,
                _blank(row.share_within),
            ]
            for row in [*months, whole]
        ],
    )


def _blank(value):
    return "" if value is None else value
