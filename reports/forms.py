"""The reports page's choices (a GET form): the period, a program, a cohort, and a table to download."""

from datetime import timedelta

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from enrollment.models import Cohort, Program
from reports.figures import Period

# The tables a CSV can be asked for (format=csv&table=...).
TABLES = {
    "funnel": "The funnel",
    "funnel-by-program": "The funnel by program",
    "funnel-by-source": "The funnel by source",
    "funnel-by-heard-about": "The funnel by how people heard about us",
    "cohort-fill": "The cohort's fill by day",
    "offers": "Waitlist offers by month",
    "replies": "Time to first reply by month",
}
# A period longer than this is refused: the page stays quick, and a month-by-month table stays readable.
LONGEST_PERIOD = timedelta(days=366 * 5)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LongSelect(forms.Select):
    """A select of many options (every course start of ten years: some 500), its options written here rather
    than by a template each, which took 20 ms of the page. Every value and label is escaped. Plain options
    only: no groups (<optgroup>), no attributes on an option."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class CohortChoices(forms.models.ModelChoiceIterator):
    """The starts' ids and labels read as values, without making an object of each (so by primary key, and
    labelled here rather than by the field's label_from_instance)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, code, start_date in self.queryset.values_list("pk", "code", "start_date"):
            yield (pk, f"{code} ({start_date:%d %b %Y})")


class CohortChoiceField(forms.ModelChoiceField):
    widget = LongSelect
    iterator = CohortChoices


# The school's records lie well within these years; a date outside them is a typing mistake (and the ends of
# the calendar cannot be turned into moments in every time zone).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


class ReportForm(forms.Form):
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=DATE_INPUT,
        help_text="Empty: a year before the end.",
    )
    date_to = forms.DateField(
        label="To", required=False, widget=DATE_INPUT, help_text="Included; empty: today."
    )
    program = forms.ModelChoiceField(
        Program.objects.order_by("order", "name"), required=False, empty_label="All programs"
    )
    cohort = CohortChoiceField(
        Cohort.objects.order_by("-start_date", "code"),
        required=False,
        empty_label="The next start",
        help_text="For its fill over time.",
    )
    format = forms.ChoiceField(choices=[("html", "Page"), ("csv", "CSV")], required=False)
    table = forms.ChoiceField(choices=list(TABLES.items()), required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        for name in ("date_from", "date_to"):
            if data.get(name) and not EARLIEST_YEAR <= data[name].year <= LATEST_YEAR:
                self.add_error(name, f"Choose a date between {EARLIEST_YEAR} and {LATEST_YEAR}.")
        if self.errors:
            return data
        end = data.get("date_to") or today
        start = data.get("date_from") or Period.last_twelve_months(end).start
        if start > end:
            raise forms.ValidationError("The period starts after it ends: put the earlier date in “From”.")
        if end - start > LONGEST_PERIOD:
            raise forms.ValidationError("Choose a period of at most five years.")
        data["period"] = Period(start, end)
        if data.get("format") == "csv" and not data.get("table"):
            self.add_error("table", "Say which table to download.")
        return data
