"""The reports' charts as shapes for an SVG drawn by the template (templates/admin/reports/_chart.html): no
script, no inline style (the CSP allows neither), the look in static/admin-extra/reports.css. Each series is
told apart by a pattern or a dash as well as a colour, and carries its numbers as text; the page has the same
numbers in a table beside each chart, and the SVG a title and a description for screen readers."""

from dataclasses import dataclass, field

WIDTH = 640
LEFT = 190  # room for the bars' labels
RIGHT = 60
TOP = 30
BOTTOM = 40
ROW = 28


@dataclass
class Shape:
    kind: str  # rect, line, polyline, text
    css: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    x2: float = 0
    y2: float = 0
    points: str = ""
    text: str = ""
    anchor: str = "start"


@dataclass
class Chart:
    id: str
    title: str
    description: str
    height: int
    width: int = WIDTH
    shapes: list[Shape] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, label)

    def add(self, kind, css, **values):
        self.shapes.append(Shape(kind, css, **{k: _round(v) for k, v in values.items()}))

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _round(value):
    return round(value, 1) if isinstance(value, float) else value


def _scale(maximum: float, room: float):
    return (lambda value: room * value / maximum) if maximum else (lambda value: 0)


def funnel_chart(stages: list[dict]) -> Chart:
    """One horizontal bar a stage, its count and the share of the stage before written beside it."""
    height = TOP + ROW * len(stages) + 10
    chart = Chart(
        "funnel-chart",
        "The funnel",
        "Horizontal bars, one a stage: "
        + "; ".join(f"{stage['label']}: {stage['count']}" for stage in stages)
        + ".",
        height,
    )
    scale = _scale(max((stage["count"] for stage in stages), default=0), WIDTH - LEFT - RIGHT - 60)
    for number, stage in enumerate(stages):
        y = TOP + number * ROW
        chart.add("text", "chart-label", x=LEFT - 8, y=y + 17, text=stage["label"], anchor="end")
        chart.add("rect", "chart-bar", x=LEFT, y=y + 4, width=max(scale(stage["count"]), 1), height=ROW - 8)
        share = f" ({stage['share_of_previous']}%)" if stage["share_of_previous"] is not None else ""
        chart.add(
            "text",
            "chart-value",
            x=LEFT + max(scale(stage["count"]), 1) + 6,
            y=y + 17,
            text=f"{stage['count']}{share}",
        )
    return chart


def columns_chart(
    chart_id, title, labels: list[str], series: list[tuple[str, str, list]], *, unit=""
) -> Chart:
    """Columns grouped by label (a month), one a series: (css class, name, values). Values may be None."""
    height = 260
    chart = Chart(chart_id, title, "", height)
    chart.legend = [(css, name) for css, name, _ in series]
    plot_left, plot_width, plot_height = 50, WIDTH - 50 - 20, height - TOP - BOTTOM - 20
    maximum = max((value for _, _, values in series for value in values if value is not None), default=0)
    scale = _scale(maximum, plot_height)
    base = TOP + 20 + plot_height
    chart.add("line", "chart-axis", x=plot_left, y=base, x2=plot_left + plot_width, y2=base)
    group = plot_width / max(len(labels), 1)
    bar = min(group * 0.8 / max(len(series), 1), 40)
    parts = []
    for number, label in enumerate(labels):
        x0 = plot_left + number * group + (group - bar * len(series)) / 2
        chart.add(
            "text",
            "chart-tick",
            x=plot_left + (number + 0.5) * group,
            y=base + 16,
            text=label,
            anchor="middle",
        )
        values_said = []
        for position, (css, name, values) in enumerate(series):
            value = values[number]
            values_said.append(f"{name} {'none' if value is None else f'{value}{unit}'}")
            if value is None:
                continue
            x = x0 + position * bar
            chart.add("rect", css, x=x, y=base - scale(value), width=bar - 2, height=scale(value))
            if len(labels) * len(series) <= 40:  # the numbers on the columns while they fit
                chart.add(
                    "text",
                    "chart-value chart-small",
                    x=x + bar / 2,
                    y=base - scale(value) - 4,
                    text=f"{value}{unit}",
                    anchor="middle",
                )
        parts.append(f"{label}: {', '.join(values_said)}")
    chart.description = (
        "Columns by month. " + "; ".join(parts) + "." if parts else "No figures in this period."
    )
    return chart


def fill_chart(fill) -> Chart:
    """A cohort's applications received and seats taken, as steps over the days, against its capacity (a
    dashed level) and its deadline (a dotted upright line)."""
    cohort, days = fill.cohort, fill.days
    height = 300
    plot_left, plot_width, plot_top, plot_height = 50, WIDTH - 50 - 150, TOP, height - TOP - BOTTOM - 10
    first = min([day.day for day in days] + [cohort.application_deadline])
    last = max([day.day for day in days] + [cohort.application_deadline])
    span = max((last - first).days, 1)
    top = max([cohort.capacity] + [day.applications_total for day in days] + [1])
    base = plot_top + plot_height

    def x(day):
        return plot_left + plot_width * (day - first).days / span

    def y(value):
        return base - plot_height * value / top

    chart = Chart(
        "fill-chart",
        f"{cohort.code}: applications and seats taken",
        f"Lines over the days from {first:%d %b %Y} to {last:%d %b %Y}: by the end, {fill.applications} "
        f"applications received and {fill.seats_taken} of {cohort.capacity} seats taken; the deadline to apply "
        f"is {cohort.application_deadline:%d %b %Y}.",
        height,
    )
    chart.legend = [
        ("chart-line-applications", "Applications received"),
        ("chart-line-seats", "Seats taken"),
        ("chart-line-capacity", "Capacity"),
        ("chart-line-deadline", "Deadline to apply"),
    ]
    chart.add("line", "chart-axis", x=plot_left, y=base, x2=plot_left + plot_width, y2=base)
    chart.add("line", "chart-axis", x=plot_left, y=base, x2=plot_left, y2=plot_top)
    chart.add("text", "chart-tick", x=plot_left - 6, y=base + 4, text="0", anchor="end")
    chart.add("text", "chart-tick", x=plot_left - 6, y=y(top) + 4, text=str(top), anchor="end")
    chart.add("text", "chart-tick", x=plot_left, y=base + 18, text=f"{first:%d %b}", anchor="start")
    chart.add("text", "chart-tick", x=plot_left + plot_width, y=base + 18, text=f"{last:%d %b}", anchor="end")
    chart.add(
        "line",
        "chart-line-capacity",
        x=plot_left,
        y=y(cohort.capacity),
        x2=plot_left + plot_width,
        y2=y(cohort.capacity),
    )
    # Capacity named at the left, inside the plot; the series at the right, beyond it: apart when equal.
    chart.add(
        "text", "chart-value", x=plot_left + 6, y=y(cohort.capacity) - 5, text=f"Capacity {cohort.capacity}"
    )
    deadline = x(cohort.application_deadline)
    chart.add("line", "chart-line-deadline", x=deadline, y=base, x2=deadline, y2=plot_top)
    chart.add(
        "text",
        "chart-value",
        x=deadline,
        y=plot_top - 10,
        text=f"Deadline {cohort.application_deadline:%d %b}",
        anchor="end" if deadline > plot_left + plot_width / 2 else "start",
    )
    for css, name, value_of in [
        ("chart-line-applications", "Applications", lambda day: day.applications_total),
        ("chart-line-seats", "Seats taken", lambda day: day.seats_taken),
    ]:
        if not days:
            continue
        points, level = [f"{x(first)},{y(0)}"], 0
        for day in days:
            points.append(f"{x(day.day):.1f},{y(level):.1f}")
            level = value_of(day)
            points.append(f"{x(day.day):.1f},{y(level):.1f}")
        points.append(f"{x(last):.1f},{y(level):.1f}")
        chart.add("polyline", css, points=" ".join(points))
        chart.add(
            "text",
            "chart-value",
            x=plot_left + plot_width + 6,
            y=y(level) + (14 if css.endswith("seats") else -4),
            text=f"{name} {level}",
        )
    return chart
