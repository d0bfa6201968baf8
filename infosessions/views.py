"""The public pages of info sessions: the list, a page per session with its sign-up form (the public forms'
protections: CSRF, honeypot, rate limit, post/redirect/get), the confirmation for the browser that signed up
(with the joining link of an online session, and the calendar file), and "Add to calendar" for course starts."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView, View

from enrollment.models import Cohort
from enrollment.views import SubmissionFormView, applied_references, remember_application
from infosessions import ics, services
from infosessions.forms import SignupForm
from infosessions.models import InfoSession, SessionSignup


class SessionListView(ListView):
    template_name = "infosessions/session_list.html"
    context_object_name = "sessions"

    def get_queryset(self):
        return InfoSession.objects.for_public_display().prefetch_related("programs")


class SessionDetailView(SubmissionFormView):
    """A session's page and its sign-up form. A session that has started, or is full without a waitlist,
    shows why there is no form."""

    template_name = "infosessions/session_detail.html"
    form_class = SignupForm
    bot_success_url = "infosessions:signup-received"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        sessions = InfoSession.objects.published().with_seat_counts().prefetch_related("programs")
        self.session = get_object_or_404(sessions, pk=kwargs["pk"])

    def get_form_kwargs(self):
        label = "Join the waitlist" if self.session.availability == "waitlist" else "Sign me up"
        return {**super().get_form_kwargs(), "submit_label": label}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "session": self.session}

    def form_valid(self, form):
        try:
            signup = services.signup_create(session=self.session, **form.signup_details())
        except services.AlreadySignedUp:
            self.was_refused = True
            return redirect("infosessions:signup-already")
        except services.SignupError as error:
            return self.refused(form, error)
        response = redirect("infosessions:signup-done", reference=signup.reference)
        # The references sent from this browser: enrollment's signed cookie (its references start EMS-, ours INF-).
        remember_application(self.request, response, signup.reference)
        return response


class SignedUpOnly:
    """For the pages of one sign-up: only for the browser that made it (its signed cookie)."""

    def signup(self) -> SessionSignup:
        reference = self.kwargs["reference"]
        if reference not in applied_references(self.request):
            raise Http404("No sign-up with this reference was made from this browser.")
        return get_object_or_404(SessionSignup.objects.select_related("session"), reference=reference)


@method_decorator(never_cache, name="dispatch")
class SignupDoneView(SignedUpOnly, DetailView):
    template_name = "infosessions/signup_done.html"
    context_object_name = "signup"

    def get_object(self, queryset=None):
        return self.signup()


@method_decorator(never_cache, name="dispatch")
class SignupCalendarView(SignedUpOnly, View):
    """The calendar file of the browser's own seat (it holds an online session's joining link)."""

    def get(self, request, *args, **kwargs):
        signup = self.signup()
        if not signup.has_seat:
            raise Http404("Only a seat has a calendar invitation.")
        return calendar_response(ics.signup_invitation(signup), "info-session.ics")


class SignupAlreadyView(TemplateView):
    """After the form was sent with an address that is signed up already: its details went to it again."""

    template_name = "infosessions/signup_already.html"


class SignupReceivedView(TemplateView):
    """A generic thank-you, the honeypot's answer."""

    template_name = "infosessions/signup_received.html"


def calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cohort_calendar(request, pk):
    """ "Add to calendar" for a course start that has not begun, of a published program."""
    cohort = get_object_or_404(
        Cohort.objects.upcoming().filter(program__is_published=True).select_related("program"), pk=pk
    )
    return calendar_response(ics.cohort_start(cohort), f"{cohort.code.lower()}-first-day.ics")
