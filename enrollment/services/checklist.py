"""The checklist of an application: one item per requirement of its program (a CPR card, immunisations, a
background check), the documents the applicant sends for them, and what Admissions find. A student is
enrolled only when every item is verified (services.seats.application_enrol).

Documents are checked from their content (puremagic reads the file's signature), not their name or the type
the browser claims; they go to the private documents storage (settings.STORAGES["documents"]). Nothing about
a file (its name, its content) is ever written to a log: log lines carry the reference and the item only."""

from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from enrollment.models import Application, ApplicationEvent, ChecklistItem, Document, EmailNotification
from enrollment.services import history
from enrollment.services.errors import ApplicationStateError

Event = ApplicationEvent.Kind
State = ChecklistItem.State
Mail = EmailNotification.Kind

# What may be sent, by the type read from the content: the name a file is stored and downloaded under.
ACCEPTED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",
    "image/heif": "heic",
}
ACCEPTED_DESCRIPTION = "a PDF, JPEG, PNG or HEIC (iPhone photo) file"
# HEIC photos whose file type box names the general HEIF brand first ("mif1", from many Android phones),
# which puremagic does not identify: read from the same box, a HEVC brand among its compatible brands.
HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
HEIF_BRANDS = {b"mif1", b"msf1"}


def _is_heic(head: bytes) -> bool:
    if head[4:8] != b"ftyp":
        return False
    size = int.from_bytes(head[:4], "big")
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)]
    return brands[0] in HEVC_BRANDS or (brands[0] in HEIF_BRANDS and any(b in HEVC_BRANDS for b in brands))


def checklist_sync(application: Application) -> list[ChecklistItem]:
    """Give the application an item for each of its program's requirements it has none for yet (requirements
    added later included). Returns the checklist, in the program's order."""
    requirements = list(application.cohort.program.requirements.all())
    items = list(application.checklist.select_related("requirement", "application__cohort"))
    have = {item.requirement_id for item in items}
    missing = [
        ChecklistItem(application=application, requirement=r) for r in requirements if r.pk not in have
    ]
    if missing:
        ChecklistItem.objects.bulk_create(missing, ignore_conflicts=True)
        items = list(application.checklist.select_related("requirement", "application__cohort"))
    return items


def checklist_missing(application: Application) -> list[str]:
    """The requirements not verified yet, or verified with an expiry that does not cover the course."""
    return [
        item.requirement.name
        for item in checklist_sync(application)
        if not item.is_done or item.expiry_falls_short
    ]


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def check_upload(uploaded) -> CheckedFile:
    """The file's real type and size, or a refusal that says what to send instead."""
    limit = settings.DOCUMENT_MAX_BYTES
    if uploaded.size == 0:
        raise ApplicationStateError.at("file", "The file is empty: choose the file again.")
    if uploaded.size > limit:
        raise ApplicationStateError.at(
            "file",
            f"The file is {uploaded.size / 1024 / 1024:.1f} MB; the most we take is {limit // 1024 // 1024} MB. "
            "Send a smaller scan or photo (a phone photo at normal size is fine).",
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    try:
        content_type = puremagic.from_string(head, mime=True)
    except puremagic.PureError:
        content_type = ""
    if content_type not in ACCEPTED_TYPES and _is_heic(head):
        content_type = "image/heic"
    if content_type not in ACCEPTED_TYPES:
        raise ApplicationStateError.at(
            "file",
            f"This file is not {ACCEPTED_DESCRIPTION} (we read the file itself, not its name). Send one of those.",
        )
    return CheckedFile(content_type, ACCEPTED_TYPES[content_type], uploaded.size)


def document_upload(*, item: ChecklistItem, uploaded, expiry_date=None, by=None) -> Document:
    """Keep a document sent for a checklist item (by the applicant, or staff for them): checked, stored
    privately, and the item is then to be checked by Admissions."""
    checked = check_upload(uploaded)
    application = item.application
    if not application.is_live:
        raise ApplicationStateError.at(
            "file", "This application is closed: documents are no longer taken for it."
        )
    if by is None and not item.requirement.document_required:
        raise ApplicationStateError.at("file", f"No document is needed for “{item.requirement.name}”.")
    if by is None and item.state == State.VERIFIED:
        raise ApplicationStateError.at(
            "file",
            f"“{item.requirement.name}” is verified already. To replace it, write to us.",
        )
    name = (getattr(uploaded, "name", "") or "document").rsplit("/", 1)[-1][:150]
    document = Document(
        item=item,
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    try:
        with transaction.atomic():
            _keep_document(document, item, uploaded, checked, expiry_date=expiry_date, by=by)
    except BaseException:
        # The records were rolled back: the file written for them must not stay behind, unnamed by anything.
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    history.log("Application %s: document sent for checklist item %s", application.reference, item.pk)
    return document


def _keep_document(document, item, uploaded, checked, *, expiry_date, by) -> None:
    """Write the file, then its record, the item's new state and the history entry (in the caller's
    transaction)."""
    document.file.save(f"{item.pk}.{checked.extension}", uploaded, save=False)
    document.save()
    item.state = State.SUBMITTED
    item.note = ""
    if expiry_date is not None:
        item.expiry_date = expiry_date
    item.save(update_fields=["state", "note", "expiry_date", "updated_at"])
    history.add_event(
        application=item.application,
        actor=by,
        kind=Event.CHECKLIST,
        description=f"{item.requirement.name}: a document was sent"
        + (" by the applicant" if by is None else " for the applicant"),
        changes={"item": item.requirement.name, "state": [None, State.SUBMITTED]},
    )


def checklist_item_verify(*, item: ChecklistItem, expiry_date=None, by) -> ChecklistItem:
    """Admissions accept the item (with the expiry date they read, when it has one)."""
    return _check(item=item, state=State.VERIFIED, expiry_date=expiry_date, note="", by=by)


def checklist_item_reject(*, item: ChecklistItem, reason: str, by) -> ChecklistItem:
    """Admissions do not accept the item, and say why: the applicant reads the reason on their page and by
    e-mail, and can send it again."""
    reason = " ".join(reason.split())
    if not reason:
        raise ApplicationStateError.at("note", "Say why it is not accepted: the applicant reads it.")
    item = _check(item=item, state=State.REJECTED, expiry_date=None, note=reason[:300], by=by)
    history.mail(Mail.CHECKLIST_UPDATE, application=item.application, payload={"item": item.pk})
    return item


def _check(*, item, state, expiry_date, note, by) -> ChecklistItem:
    with transaction.atomic():
        item = (
            ChecklistItem.objects.select_related("requirement", "application__cohort")
            .select_for_update()
            .get(pk=item.pk)
        )
        if not item.application.is_live:
            raise ApplicationStateError.at(
                None,
                f"{item.application.reference} is closed ({item.application.get_status_display().lower()}): "
                "its checklist is no longer checked.",
            )
        before = item.state
        item.state, item.note = state, note
        if expiry_date is not None:
            item.expiry_date = expiry_date
        item.checked_by, item.checked_at = by, timezone.now()
        item.save(update_fields=["state", "note", "expiry_date", "checked_by", "checked_at", "updated_at"])
        description = f"{item.requirement.name}: {item.get_state_display()}"
        if note:
            description += f" ({note})"
        if item.expiry_falls_short:
            description += f"; its expiry, {item.expiry_date.isoformat()}, does not cover the course"
        history.add_event(
            application=item.application,
            actor=by,
            kind=Event.CHECKLIST,
            description=description[:300],
            changes={"item": item.requirement.name, "state": [before, state]},
        )
    return item
