"""The school's pages: each shows settings.SCHOOL_STATEMENTS (the school's own policy) or facts of the
system itself (what the forms store, the retention period), next to program data (costs, deposits)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from enrollment.models import Program
from sitepages import share_image


class StatementView(TemplateView):
    """A page made of the school's statements (settings.SCHOOL_STATEMENTS, in every template's context as
    `statements`: emsprogram/context_processors.py), in the template's words."""


class AccreditationView(StatementView):
    template_name = "sitepages/accreditation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programs"] = Program.objects.published().select_related("level").order_by("order", "name")
        return context


class PayingView(StatementView):
    """Ways to pay, with each program's total and deposit (program data, edited in the admin)."""

    template_name = "sitepages/paying.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programs"] = Program.objects.published().prefetch_related("fees").order_by("order", "name")
        return context


class PrivacyView(StatementView):
    template_name = "sitepages/privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = settings.DATA_RETENTION_DAYS
        context["retention_days"] = days
        # "730 days (about 2 years)": the figure the purge uses, and what it means to a person.
        context["retention_years"] = round(days / 365, 1) if days >= 365 else None
        return context


def _png(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def program_share_image(request, slug):
    """The picture a link to a program shows on social networks: its name, cost and length, drawn from
    the program's data when asked for (and kept by the page cache until content changes)."""
    program = get_object_or_404(Program.objects.published().prefetch_related("fees"), slug=slug)
    return _png(share_image.program_image(program))


@require_safe
def school_share_image(request):
    """The picture of every other page: the school's name and tagline."""
    return _png(share_image.school_image())
