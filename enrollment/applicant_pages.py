"""The applicant's own page, without an account (issue: the admissions lifecycle).

Every e-mail about an application carries a signed link (enrollment.access). Opening it puts the application in
the browser's signed cookie of applications (the one the confirmation after applying uses) and leads to the
page at an address without the token. The page shows where the application stands, what is missing and by
when, and the latest message; from it the applicant answers an offer, withdraws (after a confirmation),
sends documents and corrects their phone number or address. Each action calls one service; nothing on the
page can touch another application: the reference must be in this browser's signed cookie.

Documents sent from the page are limited to settings.RATE_LIMIT_UPLOADS per window, per client address and
per application (enrollment/ratelimit.py, its own "uploads" bucket): over it, a 429 page says when to try again.

A lost link: "send me my link" e-mails the links of the address's live applications, with the same answer
whether or not the address is known, within the forms' rate limit."""

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from enrollment import access, emails, ratelimit, services
from enrollment.forms import ContactDetailsForm, DocumentForm, LinkRequestForm
from enrollment.models import Application, ChecklistItem, Document, EmailNotification
from enrollment.views import applied_references, rate_limited_response, remember_application

Status = Application.Status
# The e-mails the page may show as "our latest message": those to the applicant (not the staff notices).
NOT_TO_THE_APPLICANT = [EmailNotification.Kind.ADMISSIONS_NOTICE, EmailNotification.Kind.HOLD_OVERDUE]


def _page_url(application) -> str:
    return reverse("enrollment:my-application", kwargs={"reference": application.reference})


@method_decorator(never_cache, name="dispatch")
class MyApplicationOpenView(View):
    """The link from an e-mail (?t=<signed token>), or without one the "send me my link" form."""

    template_name = "enrollment/my_application_link.html"

    def get(self, request):
        token = request.GET.get(access.TOKEN_PARAMETER)
        if token is None:
            return render(request, self.template_name, {"form": LinkRequestForm()})
        named = access.application_from_token(token)
        application = None
        if named is not None:
            application = Application.objects.filter(pk=named[0], reference=named[1]).first()
        if application is None:
            return render(
                request, self.template_name, {"form": LinkRequestForm(), "link_refused": True}, status=400
            )
        response = redirect(_page_url(application))
        remember_application(request, response, application.reference)
        return response

    def post(self, request):
        form = LinkRequestForm(request.POST)
        if form.is_bot():
            ratelimit.hit(request, "attempts")
            return redirect("enrollment:my-application-link-sent")
        if not form.is_valid():
            if ratelimit.hit(request, "attempts"):
                return rate_limited_response(request)
            return render(request, self.template_name, {"form": form})
        if ratelimit.hit(request, "submissions"):
            return rate_limited_response(request)
        services.applicant_links_send(email=form.cleaned_data["email"])
        # The same answer whether or not the address has applied: nobody learns who has.
        return redirect("enrollment:my-application-link-sent")


def link_sent(request):
    return render(request, "enrollment/my_application_link_sent.html")


class ApplicantActionView(View):
    """An applicant's page or one of its actions: only for an application this browser may open."""

    def dispatch(self, request, *args, reference, **kwargs):
        if reference not in applied_references(request):
            # A bookmarked page after the cookie ran out, or someone else's reference: the same answer
            # whether or not the reference exists, with the way to get the link.
            context = {"form": LinkRequestForm(), "link_needed": True}
            response = render(request, "enrollment/my_application_link.html", context, status=404)
        else:
            self.application = get_object_or_404(
                Application.objects.select_related("cohort__program__level"), reference=reference
            )
            response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        response["X-Robots-Tag"] = "noindex"
        return response

    def back(self, anchor: str = ""):
        return redirect(_page_url(self.application) + (f"#{anchor}" if anchor else ""))


class MyApplicationView(ApplicantActionView):
    template_name = "enrollment/my_application.html"

    def get(self, request):
        return render(request, self.template_name, self.context())

    def context(self, **extra):
        # An offer read after its deadline is over (its seat offered on) before the page says anything.
        if services.offers_expire(cohort_ids=[self.application.cohort_id]):
            self.application = Application.objects.select_related("cohort__program__level").get(
                pk=self.application.pk
            )
        application = self.application
        items = services.checklist_sync(application)
        # Only what the page shows of each document (its date): never the file's name or content.
        prefetch_related_objects(
            items,
            Prefetch("documents", queryset=Document.objects.only("item", "uploaded_at"), to_attr="sent"),
        )
        for item in items:
            item.application = application  # for expiry_falls_short: the start's dates, already read
        forms_by_item = extra.pop("forms_by_item", {})
        return {
            "application": application,
            "cohort": application.cohort,
            "program": application.cohort.program,
            "items": [
                (item, forms_by_item.get(item.pk) or DocumentForm(item=item), self.takes_documents(item))
                for item in items
            ],
            "can_withdraw": application.status in services.WITHDRAWABLE_STATUSES,
            "latest_message": latest_message(application),
            **extra,
        }

    def takes_documents(self, item) -> bool:
        """Whether the page offers to send a document for the item (services.document_upload decides)."""
        return (
            self.application.is_live
            and item.requirement.document_required
            and item.state != ChecklistItem.State.VERIFIED
        )


def latest_message(application) -> dict | None:
    """The latest e-mail sent to the applicant about this application, as its text part reads (the HTML
    part is not rendered: the page shows the text, and it is the larger render)."""
    latest = (
        EmailNotification.objects.filter(application=application, status=EmailNotification.Status.SENT)
        .exclude(kind__in=NOT_TO_THE_APPLICANT)
        .order_by("-sent_at", "-id")
        .first()
    )
    if latest is None:
        return None
    latest.application = application
    text = emails.build_text(latest)
    return {"at": latest.sent_at, "subject": text.subject, "body": text.body}


class OfferAnswerView(ApplicantActionView):
    def post(self, request):
        decision = request.POST.get("decision")
        if decision not in ("accept", "decline"):
            messages.error(request, "Choose to accept the seat or to turn it down.")
            return self.back("status")
        if self.application.status == Status.EXPIRED:
            messages.error(request, services.OFFER_PASSED)
            return self.back("status")
        if self.application.status != Status.OFFERED:
            messages.error(request, "There is no seat offer to answer on this application now.")
            return self.back("status")
        try:
            if decision == "accept":
                services.offer_accept(application=self.application)
                messages.success(
                    request, "Thank you: the seat is yours. We hold it while you send your documents."
                )
            else:
                services.offer_decline(application=self.application)
                messages.info(request, "You turned the seat down. It is offered to the next person waiting.")
        except services.EnrollmentError as error:
            messages.error(request, error.message)
        return self.back("status")


class WithdrawView(ApplicantActionView):
    """Withdrawing takes two steps: this page asks, its button confirms. Refused, with a page that says why
    (409), once the course has started or the application is closed."""

    template_name = "enrollment/my_application_withdraw.html"

    def get(self, request):
        return self.confirmation()

    def confirmation(self, refusal: str = ""):
        can_withdraw = self.application.status in services.WITHDRAWABLE_STATUSES and not refusal
        context = {"application": self.application, "can_withdraw": can_withdraw, "refusal": refusal}
        return render(self.request, self.template_name, context, status=200 if can_withdraw else 409)

    def post(self, request):
        if request.POST.get("confirm") != "yes":
            return self.confirmation()
        try:
            services.application_withdraw(application=self.application)
        except services.EnrollmentError as error:
            self.application.refresh_from_db()
            return self.confirmation(refusal=error.message)
        messages.success(request, "Your application is withdrawn. We are sending you an e-mail that says so.")
        return self.back("status")


class DocumentUploadView(ApplicantActionView):
    def post(self, request, item_id):
        # Both counted, whatever comes of the upload: per connection, and per application.
        over_address = ratelimit.hit(request, "uploads")
        over_application = ratelimit.hit(request, "uploads", who=self.application.reference)
        if over_address or over_application:
            return uploads_limited_response(request, self.application)
        item = get_object_or_404(
            ChecklistItem.objects.select_related("requirement", "application__cohort"),
            pk=item_id,
            application=self.application,
        )
        form = DocumentForm(request.POST, request.FILES, item=item)
        refused = ""
        if form.is_valid():
            try:
                services.document_upload(
                    item=item,
                    uploaded=form.cleaned_data["file"],
                    expiry_date=form.cleaned_data.get("expiry_date"),
                )
            except services.EnrollmentError as error:
                form.add_error("file" if error.field == "file" else None, error.message)
                refused = error.message
            else:
                messages.success(
                    request, f"Thank you: we received it for “{item.requirement.name}” and will check it."
                )
                return self.back(f"item-{item.pk}")
        page = MyApplicationView()
        page.setup(request, reference=self.application.reference)
        page.application = self.application
        context = page.context(forms_by_item={item.pk: form}, failed_item=item)
        if refused and not page.takes_documents(item):
            # The item's form is not on the page (the application closed, the item was verified): say it
            # at the top instead.
            messages.error(request, refused)
            return render(request, MyApplicationView.template_name, context, status=409)
        return render(request, MyApplicationView.template_name, context, status=400)


def uploads_limited_response(request, application):
    retry_after = ratelimit.retry_after_seconds(request)
    response = render(
        request,
        "enrollment/my_application_uploads_limited.html",
        {"application": application, "retry_after_minutes": max(1, round(retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


class ContactDetailsView(ApplicantActionView):
    template_name = "enrollment/my_application_contact.html"

    def get(self, request):
        form = ContactDetailsForm(
            initial={name: getattr(self.application, name) for name in services.CONTACT_FIELDS}
        )
        return render(request, self.template_name, {"application": self.application, "form": form})

    def post(self, request):
        form = ContactDetailsForm(request.POST)
        if not form.is_valid():
            return render(
                request, self.template_name, {"application": self.application, "form": form}, status=400
            )
        try:
            services.applicant_contact_update(application=self.application, changes=form.cleaned_data)
        except services.EnrollmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your details are saved.")
        return self.back()
