"""Where a person came from, in the admin: the read-only fields of an application, enquiry or sign-up, and
the list filter by source (the campaign source, else the referring site, else direct: SourceFields.source)."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone

from sitetools.sources import DIRECT

SOURCE_FIELDS = ["heard_about", "utm_source", "utm_medium", "utm_campaign", "referrer_host"]
SOURCE_FIELDSET = (
    "Where they came from",
    {
        "fields": ["heard_about", ("utm_source", "utm_medium", "utm_campaign"), "referrer_host"],
        "description": "What the visit that led to the form said (blank: it said nothing), and the "
        "person's answer to “How did you hear about us?”.",
    },
)
# The filter offers the sources of the last year (one grouped query over its rows), most frequent first.
RECENT = timedelta(days=365)
MAX_CHOICES = 30


def _source_expression():
    return Case(
        When(~Q(utm_source=""), then=F("utm_source")),
        When(~Q(referrer_host=""), then=F("referrer_host")),
        default=Value(DIRECT),
    )


def source_filter(date_field: str) -> type[admin.SimpleListFilter]:
    """A list filter by source for a model with SourceFields whose rows are dated by `date_field`."""

    class SourceFilter(admin.SimpleListFilter):
        title = "source"
        parameter_name = "source"

        def lookups(self, request, model_admin):
            since = timezone.now() - RECENT
            rows = (
                model_admin.model.objects.filter(**{f"{date_field}__gte": since})
                .annotate(source_name=_source_expression())
                .values("source_name")
                .annotate(count=Count("pk"))
                .order_by("-count", "source_name")[:MAX_CHOICES]
            )
            names = [row["source_name"] for row in rows]
            chosen = self.value()
            if chosen and chosen not in names:
                names.append(chosen)  # a bookmarked source that is no longer among the frequent ones
            labels = {DIRECT: "Direct (no campaign, no referring site)"}
            return [(name, labels.get(name, name)) for name in names]

        def queryset(self, request, queryset):
            value = self.value()
            if not value:
                return queryset
            if value == DIRECT:
                return queryset.filter(utm_source="", referrer_host="")
            return queryset.filter(Q(utm_source=value) | Q(utm_source="", referrer_host=value))

    return SourceFilter
