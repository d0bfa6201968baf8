"""An application's checklist for Admissions: each item with its state and documents, a download of each
document (from the private storage, as an attachment, for users with the download permission), and per item
a Verify form (with the expiry date read from the card) and a Reject form (with the reason the applicant
reads and is e-mailed). Both go through enrollment.services.checklist, which writes the history.

The checklist is shown on the application's page; each item also has a page of its own, where a form sent
with a mistake comes back with its message (400)."""

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from enrollment import services
from enrollment.eligibility import day
from enrollment.forms import NormalisedDateField, check_expiry_year
from enrollment.models import ChecklistItem, Document, Requirement
from sitetools.modeladmin import object_or_404
from sitetools.validators import validate_single_line

logger = logging.getLogger(__name__)

State = ChecklistItem.State


class VerifyForm(forms.Form):
    """Verify an item; with the expiry date on the card when the requirement has one."""

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, prefix=f"item-{item.pk}-verify", **kwargs)
        self.item = item
        if item.requirement.expiry:
            self.fields["expiry_date"] = NormalisedDateField(
                label="Expiry date on the card",
                help_text=f"{item.requirement.get_expiry_display()}: {day(needed_by(item))}.",
                initial=item.expiry_date,
                widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d"),
                error_messages={
                    "required": "Enter the expiry date you read on the document.",
                    "invalid": "Enter the expiry date as a real date, for example 2027-06-30.",
                },
            )

    def clean_expiry_date(self):
        return check_expiry_year(self.cleaned_data["expiry_date"])


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why it is not accepted",
        max_length=300,
        help_text="The applicant reads it on their page and by e-mail.",
        validators=[validate_single_line],
        error_messages={
            "required": "Say why it is not accepted: the applicant reads it.",
            "max_length": "Keep the reason to 300 characters or fewer.",
        },
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, prefix=f"item-{item.pk}-reject", **kwargs)
        self.item = item


def needed_by(item):
    """The day the item's expiry must cover (the first or the last day of the course), or None."""
    cohort = item.application.cohort
    if item.requirement.expiry == Requirement.Expiry.START:
        return cohort.start_date
    if item.requirement.expiry == Requirement.Expiry.END:
        return cohort.end_date
    return None


def can_check(request) -> bool:
    return request.user.has_perm("enrollment.change_checklistitem")


def can_download(request) -> bool:
    return request.user.has_perm("enrollment.download_document")


def rows(request, application, *, bound=None):
    """The checklist of the application's page or an item's page: each item with its documents and, for
    users who may check items, its two forms (`bound`: a form sent back with its errors)."""
    items = services.checklist_sync(application)
    prefetch_related_objects(items, "documents")
    checking = can_check(request)
    result = []
    for item in items:
        item.application = application  # the page's own, with its start
        row = {"item": item, "documents": list(item.documents.all()), "needed_by": needed_by(item)}
        if checking:
            row["verify_form"] = VerifyForm(item=item)
            row["reject_form"] = RejectForm(item=item)
            if bound is not None and bound.item.pk == item.pk:
                row["verify_form" if isinstance(bound, VerifyForm) else "reject_form"] = bound
        result.append(row)
    return result


def context(request, application) -> dict:
    """What the application's page needs to show its checklist."""
    if not request.user.has_perm("enrollment.view_checklistitem"):
        return {}
    items = rows(request, application)
    return {
        "checklist": items,
        "checklist_done": sum(
            1 for row in items if row["item"].is_done and not row["item"].expiry_falls_short
        ),
        "can_download": can_download(request),
    }


def _item_of(modeladmin, request, object_id, item_id):
    application = object_or_404(modeladmin, request, object_id)
    item = (
        ChecklistItem.objects.select_related("requirement")
        .filter(pk=item_id, application=application)
        .first()
    )
    if item is None:
        raise Http404("No such item on this application's checklist.")
    item.application = application
    return application, item


def item_view(modeladmin, request, object_id, item_id):
    """GET: one item, its documents and its forms. POST ("verify" or "reject"): the check, through the
    services, then back to the application's page; a form with a mistake comes back here with a 400."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not request.user.has_perm("enrollment.view_checklistitem"):
        raise PermissionDenied
    application, item = _item_of(modeladmin, request, object_id, item_id)
    change_url = reverse("admin:enrollment_application_change", args=[application.pk])
    bound, status = None, 200
    if request.method == "POST":
        if not can_check(request):
            raise PermissionDenied
        if "verify" in request.POST:
            bound = VerifyForm(request.POST, item=item)
            if bound.is_valid():
                try:
                    item = services.checklist_item_verify(
                        item=item, expiry_date=bound.cleaned_data.get("expiry_date"), by=request.user
                    )
                except services.ApplicationStateError as error:  # the application was closed meanwhile
                    modeladmin.message_user(request, error.message, messages.ERROR)
                    return HttpResponseRedirect(change_url)
                else:
                    _verified_message(modeladmin, request, item)
                    return HttpResponseRedirect(change_url)
        elif "reject" in request.POST:
            bound = RejectForm(request.POST, item=item)
            if bound.is_valid():
                try:
                    services.checklist_item_reject(
                        item=item, reason=bound.cleaned_data["reason"], by=request.user
                    )
                except services.ApplicationStateError as error:
                    if error.field != "note":  # the application was closed meanwhile
                        modeladmin.message_user(request, error.message, messages.ERROR)
                        return HttpResponseRedirect(change_url)
                    bound.add_error("reason", error.message)
                else:
                    modeladmin.message_user(
                        request,
                        f"{item.requirement.name}: not accepted. The applicant was e-mailed the reason and can "
                        "send it again from their page.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
        else:
            modeladmin.message_user(request, "Choose Verify or Reject.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        status = 400
    items = [row for row in rows(request, application, bound=bound) if row["item"].pk == item.pk]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"{item.requirement.name}: {application.reference}",
        "opts": modeladmin.opts,
        "original": application,
        "checklist": items,
        "can_download": can_download(request),
        "change_url": change_url,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request, "admin/enrollment/application/checklist_item.html", context, status=status
    )


def _verified_message(modeladmin, request, item):
    if item.expiry_falls_short:
        modeladmin.message_user(
            request,
            f"{item.requirement.name}: verified, but its expiry ({day(item.expiry_date)}) does not cover the "
            f"course: {item.requirement.get_expiry_display().lower()} ({day(needed_by(item))}). The student "
            "cannot be enrolled until a document that covers it is verified.",
            messages.WARNING,
        )
    else:
        modeladmin.message_user(request, f"{item.requirement.name}: verified.", messages.SUCCESS)


def _download_name(document) -> str:
    # The name the applicant gave the file, without anything a header cannot carry (line breaks, controls).
    name = "".join(character for character in document.original_name if character.isprintable()).strip()
    return name or f"document-{document.pk}"


def document_download(modeladmin, request, object_id, document_id):
    """A document of this application, from the private storage, as an attachment: never shown inline by the
    browser (nosniff), never cached. 403 without the download permission, 404 for another's document."""
    if not can_download(request):
        raise PermissionDenied
    application = object_or_404(modeladmin, request, object_id)
    document = Document.objects.filter(pk=document_id, item__application=application).first()
    if document is None:
        raise Http404("No such document on this application.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("This document's file is no longer in the storage.") from None
    # The reference and the document's number only: nothing about the file in a log.
    logger.info(
        "Document %s of application %s downloaded by user %s",
        document.pk,
        application.reference,
        request.user.pk,
    )
    response = FileResponse(
        handle, as_attachment=True, filename=_download_name(document), content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response
