"""The public pages of the enrollment app: programs, course starts, the application and contact forms,
and the pages that confirm a submission. Each form view calls one service and redirects (post/redirect/get)."""

import logging
import re

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, TemplateView

from enrollment import ratelimit, services
from enrollment.forms import ApplicationForm, EnquiryForm, parse_cohort_id
from enrollment.models import Application, Cohort, Program
from sitetools import pagecache, structured_data
from sitetools.source_capture import with_referer_source

logger = logging.getLogger(__name__)

PROGRAM_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")

# The references applied for from this browser, in a signed cookie rather than the session: showing the
# confirmation needs no database write after the application is committed, so a connection that drops
# right after the commit cannot turn a stored application into an error page.
APPLIED_COOKIE = "applied"
APPLIED_SALT = "enrollment.applied"
APPLIED_LIMIT = 20
APPLIED_MAX_AGE = 7 * 24 * 3600


def applied_references(request) -> list[str]:
    value = request.get_signed_cookie(APPLIED_COOKIE, default="", salt=APPLIED_SALT, max_age=APPLIED_MAX_AGE)
    return [reference for reference in value.split(",") if reference]


def remember_application(request, response, reference: str) -> None:
    references = [*applied_references(request), reference][-APPLIED_LIMIT:]
    response.set_signed_cookie(
        APPLIED_COOKIE,
        ",".join(references),
        salt=APPLIED_SALT,
        max_age=APPLIED_MAX_AGE,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def rate_limited_response(request):
    retry_after = ratelimit.retry_after_seconds(request)
    response = render(
        request,
        "enrollment/rate_limited.html",
        {"retry_after_minutes": max(1, round(retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


class SubmissionFormView(FormView):
    """A public form: GET shows it, POST sends it (PUT and other methods get 405). What is stored counts against the address's submissions limit; a form sent back
    with mistakes to fix (the form's own, or the services' refusal: too young, a certification that
    expires) counts against the wider attempts limit (enrollment/ratelimit.py). A filled honeypot is
    answered like a success without storing anything, so that bots learn nothing."""

    bot_success_url = None
    http_method_names = ["get", "post", "head", "options"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "data" in kwargs:
            # Where the person came from, from the Referer when the page's script did not say (no JavaScript).
            kwargs["data"] = with_referer_source(self.request, kwargs["data"])
        return kwargs

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bot():
            ratelimit.hit(request, "attempts")
            return redirect(self.bot_success_url)
        if not form.is_valid():
            return self._sent_back(request, self.form_invalid(form))
        # Counted before storing, atomically across app servers, so that the limit holds under load.
        if ratelimit.hit(request, "submissions"):
            return rate_limited_response(request)
        self.was_refused = False
        response = self.form_valid(form)
        if self.was_refused:
            ratelimit.refund(request, "submissions")
            return self._sent_back(request, response)
        return response

    def _sent_back(self, request, response):
        if ratelimit.hit(request, "attempts"):
            return rate_limited_response(request)
        return response

    def refused(self, form, error: services.EnrollmentError):
        self.was_refused = True
        for field, message in error.errors:
            form.add_error(field if field in form.fields else None, message)
        return self.form_invalid(form)


class SeatsAsTheyAreNow:
    """For a page that shows seats: offers whose deadline passed are expired first (their seats offered on),
    so that nobody is shown a seat still held by an offer that is over (the scheduled job does it too)."""

    def dispatch(self, request, *args, **kwargs):
        services.offers_expire_due()
        return super().dispatch(request, *args, **kwargs)


class ProgramListView(ListView):
    template_name = "enrollment/program_list.html"
    context_object_name = "programs"

    def get_queryset(self):
        return Program.objects.published().for_cards().prefetch_related("fees")  # each card shows its price


class ProgramDetailView(SeatsAsTheyAreNow, DetailView):
    template_name = "enrollment/program_detail.html"
    context_object_name = "program"

    def programs(self):
        """The programs the page may show: published ones (the admin's preview shows drafts too)."""
        return Program.objects.published()

    def get_queryset(self):
        return (
            self.programs()
            .select_related("level", "level__prerequisite")
            .prefetch_related(
                "fees",
                "requirements",
                "outcomes",
                Prefetch("cohorts", queryset=Cohort.objects.for_public_display(), to_attr="upcoming_cohorts"),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = structured_data.with_context(program_structured_data(self.object))
        return context


def program_structured_data(program: Program) -> dict:
    """Schema.org: the program (EducationalOccupationalProgram) and its course with every start still
    open for applications (Course, CourseInstance), for search engines: a start whose applications have
    closed is not offered to searchers, though the page still lists it."""
    modes = {"in-person": "Onsite", "hybrid": "Blended", "online": "Online"}
    url = f"{settings.SITE_URL}{program.get_absolute_url()}"
    provider = structured_data.organization()
    offer = {"@type": "Offer", "category": "Paid", "price": str(program.total_cost), "priceCurrency": "USD"}
    instances = [
        {
            "@type": "CourseInstance",
            "courseMode": modes.get(program.format, "Onsite"),
            "startDate": cohort.start_date.isoformat(),
            "endDate": cohort.end_date.isoformat(),
            "location": cohort.location,
            "courseSchedule": {"@type": "Schedule", "description": cohort.schedule},
        }
        for cohort in program.upcoming_cohorts
        if cohort.is_accepting_applications()
    ]
    return {
        "@type": "EducationalOccupationalProgram",
        "name": program.name,
        "description": program.summary,
        "url": url,
        "provider": provider,
        "occupationalCredentialAwarded": f"Eligibility for {program.level.name} certification",
        "programPrerequisites": program.requirements_list,
        "offers": offer,
        **({"startDate": instances[0]["startDate"]} if instances else {}),
        "hasCourse": {
            "@type": "Course",
            "name": program.name,
            "description": program.summary,
            "url": url,
            "provider": provider,
            "offers": offer,
            "hasCourseInstance": instances,
        },
    }


class ApplyStartView(SeatsAsTheyAreNow, TemplateView):
    """ "Choose your course start": every upcoming cohort across programs, grouped by program."""

    template_name = "enrollment/apply_start.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohorts = (
            Cohort.objects.for_public_display()
            .order_by("program__order", "program__name", "start_date", "code")
            .prefetch_related("program__fees")  # each program's price, in one query
        )
        context["cohorts"] = cohorts
        return context


class ApplyView(SeatsAsTheyAreNow, SubmissionFormView):
    template_name = "enrollment/application_form.html"
    form_class = ApplicationForm
    bot_success_url = "enrollment:application-received"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.program = get_object_or_404(
            Program.objects.published().select_related("level", "level__prerequisite"), slug=kwargs["slug"]
        )
        self.cohorts = (
            Cohort.objects.filter(program=self.program)
            .open_for_applications()
            .with_seat_counts()
            .order_by("start_date", "code")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program, "cohorts": self.cohorts}

    def requested_cohort_id(self):
        return parse_cohort_id(self.request.GET.get("cohort", ""))

    def get_initial(self):
        initial = super().get_initial()
        cohort_id = self.requested_cohort_id()
        if cohort_id is not None:
            initial["cohort"] = cohort_id
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        choices = list(form.fields["cohort"].queryset)
        context["program"] = self.program
        context["has_open_cohorts"] = bool(choices)
        requested = self.request.GET.get("cohort")
        # A link to a closed start, another program's, or a mangled one: say so, and offer the open ones.
        context["requested_cohort_unavailable"] = (
            self.request.method == "GET"
            and requested is not None
            and self.requested_cohort_id() not in {cohort.pk for cohort in choices}
        )
        if requested is not None and (
            context["requested_cohort_unavailable"]
            or self.request.GET.getlist("cohort") != [str(self.requested_cohort_id())]
        ):
            pagecache.do_not_cache(self.request)  # kept for ?cohort=<id> as the site writes it, only
        if len(choices) == 1 and not form.is_bound:
            form.initial.setdefault("cohort", choices[0].pk)
        return context

    def form_valid(self, form):
        try:
            application = services.application_submit(
                cohort=form.cleaned_data["cohort"], details=form.applicant_details(), source=form.source()
            )
        except services.AlreadyApplied:
            self.was_refused = True
            return redirect("enrollment:application-already-in")
        except services.EnrollmentError as error:
            return self.refused(form, error)
        response = redirect("enrollment:application-done", reference=application.reference)
        remember_application(self.request, response, application.reference)
        return response


@method_decorator(never_cache, name="dispatch")
class ApplicationDoneView(DetailView):
    """The confirmation after applying: only for the browser session that submitted the application."""

    template_name = "enrollment/application_done.html"
    context_object_name = "application"

    def get(self, request, *args, **kwargs):
        reference = self.kwargs["reference"]
        if reference not in applied_references(request):
            raise Http404("No application with this reference was sent from this browser.")
        try:
            return super().get(request, *args, **kwargs)
        except DatabaseError:
            # The application is in (the signed cookie says so, written after its commit); its details
            # cannot be read right now. The reference is what the person needs.
            logger.error("Confirmation of %s shown without details: the database did not answer", reference)
            html = loader.render_to_string(
                "enrollment/application_done_brief.html", {"reference": reference, "school": settings.SCHOOL}
            )
            return HttpResponse(html, status=503, headers={"Retry-After": "60"})

    def get_object(self, queryset=None):
        return get_object_or_404(
            Application.objects.select_related("cohort", "cohort__program", "cohort__program__level"),
            reference=self.kwargs["reference"],
        )


class ApplicationAlreadyInView(TemplateView):
    """After the form was sent for a start the same e-mail address has already applied to: most often the
    same person again, after an error page or a second click. Their details went to that address again."""

    template_name = "enrollment/application_already_in.html"


class ApplicationReceivedView(TemplateView):
    """A generic thank-you, shown where a specific confirmation cannot be (the honeypot's answer)."""

    template_name = "enrollment/application_received.html"


class ContactView(SubmissionFormView):
    template_name = "enrollment/contact_form.html"
    form_class = EnquiryForm
    bot_success_url = "enrollment:contact-done"

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("program", "")
        if slug:
            program_id = None
            if PROGRAM_SLUG.fullmatch(slug):  # checked before it reaches the database
                program_id = (
                    Program.objects.published().filter(slug=slug).values_list("pk", flat=True).first()
                )
            if program_id is None or len(self.request.GET.getlist("program")) > 1:
                pagecache.do_not_cache(self.request)  # no such program: not a page to keep for others
            initial["program"] = program_id
        return initial

    def form_valid(self, form):
        try:
            services.enquiry_submit(**form.enquiry_details())
        except services.EnrollmentError as error:
            return self.refused(form, error)
        return redirect("enrollment:contact-done")


class ContactDoneView(TemplateView):
    template_name = "enrollment/contact_done.html"
