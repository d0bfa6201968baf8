"""The applicant's own page, without an account (docs/lifecycle.md, "The applicant's page"): the signed link
from an e-mail opens it, and only it; it shows where the application stands and lets the applicant answer an
offer, withdraw after confirming, send documents and correct their phone and address; "send me my link"
answers the same whoever asks. Bad input gets a 4xx, never a server error."""

import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enrollment import access, emails, services
from enrollment.forms import PHONE_FORMAT, ZIP_CODE_FORMAT
from enrollment.models import Application, ApplicationEvent, ChecklistItem, Document, EmailNotification
from enrollment.views import APPLIED_COOKIE
from tests.enrollment.conftest import make_cohort, submit

pytestmark = pytest.mark.django_db

Status = Application.Status
Kind = EmailNotification.Kind

# The smallest files of each accepted type that their signatures identify.
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
# A HEIC photo whose file type box names the general HEIF brand first (many Android phones).
HEIC_MIF1 = b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic" + b"\x00" * 64
# The same box for an AVIF picture: not a type we take.
AVIF = b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif" + b"\x00" * 64
# What a person might rename to look like a scan: its content gives it away.
SECRET_TEXT = b"Diagnosis: confidential. My card number is 4111 1111 1111 1111.\n" * 4


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def link_path(application) -> str:
    """The path and query of the link the e-mails carry."""
    return path_of(access.applicant_page_link(application))


def page_url(application, name: str = "my-application", **kwargs) -> str:
    return reverse(f"enrollment:{name}", kwargs={"reference": application.reference, **kwargs})


def opened(application) -> Client:
    """A browser of its own that opened the application's link (and so holds its cookie)."""
    browser = Client()
    response = browser.get(link_path(application))
    assert response.status_code == 302, response.status_code
    return browser


def reload(application) -> Application:
    return Application.objects.get(pk=application.pk)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def document_post(browser, application, item, file, **extra):
    prefix = f"item-{item.pk}"
    data = {f"{prefix}-file": file, **{f"{prefix}-{key}": value for key, value in extra.items()}}
    return browser.post(page_url(application, "my-application-document", item_id=item.pk), data)


def text_of(response) -> str:
    """The page's visible words, tags dropped and spaces collapsed (for phrases split over lines)."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def full_start(program, *, waiting=2, capacity=1):
    cohort = make_cohort(program=program, capacity=capacity)
    seats = [submit(cohort, notify=False) for _ in range(capacity)]
    queue = [submit(cohort, notify=False) for _ in range(waiting)]
    return cohort, seats, queue


@pytest.fixture
def held(emt_program):
    return submit(make_cohort(program=emt_program), notify=False)


@pytest.fixture
def offered(emt_program):
    """The first person waiting, offered the seat that was freed; another waits behind them."""
    cohort, seats, queue = full_start(emt_program)
    services.application_withdraw(application=seats[0], notify=False)
    return reload(queue[0]), reload(queue[1])


# The link


def test_the_link_in_an_email_opens_the_page_at_an_address_without_the_token(
    emt_program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(make_cohort(program=emt_program))
    [confirmation] = [m for m in mail.outbox if m.to == [application.email]]
    [link] = {url for url in re.findall(r"https?://\S+", confirmation.body) if "/my-application/" in url}
    browser = Client()

    response = browser.get(path_of(link))

    assert response.status_code == 302
    assert response["Location"] == page_url(application)
    assert access.TOKEN_PARAMETER + "=" not in response["Location"]
    assert application.reference in browser.cookies[APPLIED_COOKIE].value  # signed, with the reference
    page = browser.get(response["Location"])
    assert page.status_code == 200
    assert application.reference in page.content.decode()
    assert page["Cache-Control"] == "no-store, private"
    assert page["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("taken_along", [".", ")", "%3E", "%20", "%E2%80%9D"])
def test_a_link_copied_with_the_end_of_its_sentence_still_opens(held, taken_along):
    response = Client().get(link_path(held) + taken_along)
    assert (response.status_code, response["Location"]) == (302, page_url(held))


def test_without_the_link_the_page_does_not_open_and_says_how_to_get_it(held):
    response = Client().get(page_url(held))
    assert response.status_code == 404
    assert "This page opens from the link in our e-mails" in text_of(response)
    assert held.first_name not in text_of(response)
    # The same for a reference nobody has: nobody learns which ones exist.
    nobody = Client().get("/my-application/EMS-ZZZZZZ/")
    assert (nobody.status_code, text_of(nobody)) == (
        404,
        text_of(response).replace(held.reference, "EMS-ZZZZZZ"),
    )
    # Its form asks for the link.
    assert f'action="{reverse("enrollment:my-application-open")}"' in response.content.decode()


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="signature changed"),
        pytest.param(lambda token: token[:-8], id="cut short"),
        pytest.param(lambda token: "x" + token, id="data changed"),
        pytest.param(lambda token: "", id="empty"),
        pytest.param(lambda token: "garbage", id="garbage"),
        pytest.param(lambda token: "é:ü:" * 2000, id="huge and not ascii"),
    ],
)
def test_a_tampered_link_gets_a_clear_page_that_offers_a_new_one(held, spoil):
    browser = Client()
    response = browser.get(
        reverse("enrollment:my-application-open"),
        {access.TOKEN_PARAMETER: spoil(access.applicant_token(held))},
    )
    assert response.status_code == 400
    assert "This link does not open an application" in response.content.decode()
    assert "Send me my link" in response.content.decode()
    assert APPLIED_COOKIE not in browser.cookies


def test_a_link_older_than_its_days_gets_the_same_page(held):
    path = link_path(held)
    with time_machine.travel(timezone.now() + timedelta(days=access.LINK_DAYS, hours=1)):
        response = Client().get(path)
    assert response.status_code == 400
    assert "older than four months" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=access.LINK_DAYS - 1)):
        assert Client().get(path).status_code == 302


def test_a_link_to_an_application_that_is_no_more_gets_the_same_page(held):
    path = link_path(held)
    held.delete()
    assert Client().get(path).status_code == 400


def test_a_nul_character_in_the_link_is_refused_with_a_400(held):
    assert Client().get(link_path(held) + "%00").status_code == 400


# One application's link never shows or acts on another


def test_one_applications_link_never_shows_or_changes_another(emt_program, offered):
    mine, theirs = offered
    services.application_withdraw(application=reload(theirs), notify=False)  # theirs: closed, mine: offered
    theirs = submit(make_cohort(program=emt_program), notify=False)  # a held seat with a checklist
    their_item = theirs.checklist.first()
    browser = opened(mine)
    before = (theirs.status, theirs.phone, Document.objects.count())

    assert browser.get(page_url(theirs)).status_code == 404
    assert browser.get(page_url(theirs, "my-application-withdraw")).status_code == 404
    assert browser.get(page_url(theirs, "my-application-details")).status_code == 404
    assert browser.post(page_url(theirs, "my-application-offer"), {"decision": "decline"}).status_code == 404
    assert browser.post(page_url(theirs, "my-application-withdraw"), {"confirm": "yes"}).status_code == 404
    details = {"phone": "555 010 9999", "address_line1": "9 Other Road", "city": "X", "state": "MA"}
    assert browser.post(page_url(theirs, "my-application-details"), details).status_code == 404
    assert document_post(browser, theirs, their_item, upload("card.pdf", PDF)).status_code == 404
    # Their checklist item through my own page's address: not mine, so not found either.
    assert document_post(browser, mine, their_item, upload("card.pdf", PDF)).status_code == 404

    theirs = reload(theirs)
    assert (theirs.status, theirs.phone, Document.objects.count()) == before
    assert ChecklistItem.objects.get(pk=their_item.pk).state == ChecklistItem.State.MISSING
    assert reload(mine).status == Status.OFFERED


@pytest.mark.parametrize(
    "path",
    [
        "/my-application/EMS-abcdef/",
        "/my-application/EMS-ABCDEFG/",
        "/my-application/../admin/",
        "/my-application/EMS-ABCDEF/documents/99999999999999999999999/",
        "/my-application/EMS-ABCDEF/documents/-1/",
        "/my-application/%F0%9F%92%A5/",
        "/my-application/" + "A" * 5000 + "/",
    ],
)
def test_garbage_addresses_are_not_found(held, path):
    browser = opened(held)
    assert browser.get(path).status_code == 404
    assert browser.post(path, {}).status_code in (403, 404)


def test_a_form_too_big_or_with_too_many_fields_gets_a_400(offered):
    application, _ = offered
    browser = opened(application)
    path = page_url(application, "my-application-offer")
    assert (
        browser.post(path, {"decision": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}).status_code == 400
    )
    fields = {f"field{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert browser.post(path, fields).status_code == 400
    assert reload(application).status == Status.OFFERED


@pytest.mark.parametrize("item_id", ["99999999999999999999999", "9223372036854775808", "0"])
def test_an_item_number_out_of_any_range_is_not_found(held, item_id):
    browser = opened(held)
    path = f"/my-application/{held.reference}/documents/{item_id}/"
    assert browser.post(path, {}).status_code == 404


# What the page shows


def test_the_page_shows_the_waitlist_place(offered):
    _, waiting = offered
    page = opened(waiting).get(page_url(waiting))
    assert re.search(r"You are on the waitlist ?: you are number 1\b", text_of(page))
    assert "Withdraw your application" in text_of(page)


def test_the_page_shows_the_offer_and_its_deadline(offered):
    application, _ = offered
    deadline = timezone.localtime(application.offer_expires_at)
    page = text_of(opened(application).get(page_url(application)))
    assert "A seat is offered to you: please answer" in page
    assert f"Please answer by {deadline:%A, %B %-d, %Y}" in page
    assert "Accept the seat" in page and "Turn the seat down" in page


def test_the_page_shows_what_is_missing_and_by_when(held):
    services.document_upload(item=held.checklist.first(), uploaded=upload("diploma.pdf", PDF))
    page = text_of(opened(held).get(page_url(held)))
    assert f"Due by {held.hold_until:%A, %B %-d, %Y}" in page
    assert "A diploma Sent: to be checked" in page
    assert "A CPR card Not sent yet" in page
    assert "diploma.pdf" not in page  # what a file was called is for Admissions only


def test_the_page_shows_the_latest_message_sent(emt_program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(make_cohort(program=emt_program))
    [confirmation] = [m for m in mail.outbox if m.to == [application.email]]
    page = opened(application).get(page_url(application))
    assert "Our latest message" in text_of(page)
    assert confirmation.subject in text_of(page)
    assert "Hello" in text_of(page)


def test_the_page_renders_only_the_text_of_the_latest_message_in_bounded_queries(
    emt_program, django_capture_on_commit_callbacks, django_assert_max_num_queries, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(make_cohort(program=emt_program))
    for item in services.checklist_sync(application):
        for _ in range(3):
            services.document_upload(item=item, uploaded=upload("scan.pdf", PDF))
    browser = opened(application)
    rendered = []
    original = emails._render
    monkeypatch.setattr(
        emails, "_render", lambda *args, **kwargs: rendered.append(kwargs) or original(*args, **kwargs)
    )

    with django_assert_max_num_queries(8):
        response = browser.get(page_url(application))

    assert response.status_code == 200
    assert rendered and not any(call["html"] for call in rendered)


# Offers


def test_the_applicant_accepts_the_seat_offered(offered, django_capture_on_commit_callbacks):
    application, _ = offered
    browser = opened(application)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(page_url(application, "my-application-offer"), {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"] == page_url(application) + "#status"

    application = reload(application)
    assert (application.status, application.offer_expires_at) == (Status.HELD, None)
    latest = application.events.filter(kind=ApplicationEvent.Kind.STATUS).first()
    assert "accepted the seat offered by the applicant" in latest.description
    assert latest.actor is None
    assert [m.to for m in mail.outbox] == [[application.email]]
    assert "the seat is yours" in text_of(browser.get(response["Location"]))


def test_the_applicant_turns_the_seat_down_and_it_passes_to_the_next(
    offered, django_capture_on_commit_callbacks
):
    application, waiting = offered
    with django_capture_on_commit_callbacks(execute=True):
        opened(application).post(page_url(application, "my-application-offer"), {"decision": "decline"})
    application = reload(application)
    assert application.status == Status.WITHDRAWN
    assert "turned down the seat offered by the applicant" in application.events.first().description
    assert reload(waiting).status == Status.OFFERED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([application.email, waiting.email])


def test_an_answer_after_the_deadline_is_refused_and_the_seat_passes_on(offered):
    application, waiting = offered
    browser = opened(application)
    with time_machine.travel(application.offer_expires_at + timedelta(minutes=1)):
        response = browser.post(page_url(application, "my-application-offer"), {"decision": "accept"})
        page = text_of(browser.get(response["Location"]))
    assert "The time to answer this offer has passed" in page
    assert reload(application).status == Status.EXPIRED
    assert reload(waiting).status == Status.OFFERED


def test_an_answer_to_an_offer_that_expired_already_says_its_time_passed(offered):
    application, _ = offered
    with time_machine.travel(application.offer_expires_at + timedelta(minutes=1)):
        services.offers_expire()
    browser = opened(application)
    response = browser.post(page_url(application, "my-application-offer"), {"decision": "decline"})
    assert "The time to answer this offer has passed" in text_of(browser.get(response["Location"]))
    assert reload(application).status == Status.EXPIRED


def test_the_phone_may_be_typed_in_full_width_digits(held):
    data = {"phone": "５５５ ０１０ ０７７７", "address_line1": "1 Example Street", "city": "Springfield"}
    data |= {"state": "MA", "postal_code": "０１０００"}
    assert opened(held).post(page_url(held, "my-application-details"), data).status_code == 302
    assert (reload(held).phone, reload(held).postal_code) == ("555 010 0777", "01000")


@pytest.mark.parametrize("decision", ["", "maybe", "accept\x00", "x" * 10_000])
def test_an_answer_that_is_neither_yes_nor_no_changes_nothing(offered, decision):
    application, _ = offered
    browser = opened(application)
    response = browser.post(page_url(application, "my-application-offer"), {"decision": decision})
    assert response.status_code == 302
    assert reload(application).status == Status.OFFERED
    assert "Choose to accept the seat or to turn it down" in text_of(browser.get(response["Location"]))


def test_there_is_nothing_to_accept_without_an_offer(held):
    browser = opened(held)
    response = browser.post(page_url(held, "my-application-offer"), {"decision": "accept"})
    assert reload(held).status == Status.HELD
    assert "no seat offer to answer" in text_of(browser.get(response["Location"]))
    assert browser.get(page_url(held, "my-application-offer")).status_code == 405


# Withdrawing


def test_withdrawing_asks_first_then_withdraws(offered, django_capture_on_commit_callbacks):
    application, waiting = offered
    browser = opened(application)

    confirmation = browser.get(page_url(application, "my-application-withdraw"))
    assert confirmation.status_code == 200
    assert "Withdraw your application?" in text_of(confirmation)
    assert reload(application).status == Status.OFFERED
    # Without the confirmation's own answer, nothing happens.
    assert browser.post(page_url(application, "my-application-withdraw"), {}).status_code == 200
    assert reload(application).status == Status.OFFERED

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(page_url(application, "my-application-withdraw"), {"confirm": "yes"})
    assert response.status_code == 302
    application = reload(application)
    assert application.status == Status.WITHDRAWN
    assert "withdrawn by the applicant" in application.events.first().description
    assert [application.email] in [m.to for m in mail.outbox]
    assert reload(waiting).status == Status.OFFERED  # the seat passed on
    page = text_of(browser.get(response["Location"]))
    assert "Your application is withdrawn" in page
    assert "Withdraw your application" not in page


@pytest.mark.parametrize("status", [Status.STARTED, Status.COMPLETED, Status.WITHDRAWN, Status.EXPIRED])
def test_withdrawing_is_refused_where_it_cannot_be(held, status):
    Application.objects.filter(pk=held.pk).update(status=status)
    browser = opened(held)

    assert "Withdraw your application" not in text_of(browser.get(page_url(held)))
    assert browser.get(page_url(held, "my-application-withdraw")).status_code == 409
    response = browser.post(page_url(held, "my-application-withdraw"), {"confirm": "yes"})
    assert response.status_code == 409
    assert "cannot be withdrawn" in text_of(response)
    assert reload(held).status == status


# Phone and address


def test_the_applicant_corrects_their_phone_and_address(held):
    browser = opened(held)
    form = browser.get(page_url(held, "my-application-details"))
    assert form.status_code == 200 and held.phone in form.content.decode()
    changes = {
        "phone": "555 010 0777",
        "address_line1": "7 New Street",
        "address_line2": "",
        "city": "Northfield",
        "state": "MA",
        "postal_code": "01360",
    }
    response = browser.post(page_url(held, "my-application-details"), changes)
    assert response.status_code == 302
    held = reload(held)
    assert (held.phone, held.address_line1, held.postal_code) == ("555 010 0777", "7 New Street", "01360")
    event = held.events.filter(kind=ApplicationEvent.Kind.EDITED).get()
    assert event.description.startswith("Changed by the applicant on their page")
    assert event.changes["phone"] == ["555 010 0123", "555 010 0777"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12", PHONE_FORMAT),
        ("phone", "1" * 5000, PHONE_FORMAT),
        ("postal_code", "ABCDE", ZIP_CODE_FORMAT),
        ("address_line1", "", "Enter your street address."),
        ("address_line1", "x" * 151, "Address line 1 must be 150 characters or fewer."),
        ("address_line1", "1 Main\x00 Street", None),
        ("city", "Line\nbreak", None),
    ],
)
def test_contact_details_are_checked_as_the_application_form_checks_them(held, field, value, message):
    data = {
        "phone": "555 010 0777",
        "address_line1": "7 New Street",
        "city": "Northfield",
        "state": "MA",
        "postal_code": "01360",
        field: value,
    }
    response = opened(held).post(page_url(held, "my-application-details"), data)
    assert response.status_code == 400
    assert response.context["form"].has_error(field)
    if message:
        assert message in response.context["form"].errors[field]
    assert reload(held).phone == "555 010 0123"


# Documents


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("bls-card.pdf", PDF, "application/pdf"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("screenshot.png", PNG, "image/png"),
        ("IMG_0001.HEIC", HEIC, "image/heif"),
        ("20261130_101010.heic", HEIC_MIF1, "image/heic"),
        ("no-extension", PDF, "application/pdf"),  # the content says what it is, not the name
    ],
)
def test_documents_are_accepted_by_their_content(held, name, content, content_type):
    item = held.checklist.first()
    browser = opened(held)
    response = document_post(browser, held, item, upload(name, content))
    assert response.status_code == 302
    assert response["Location"] == page_url(held) + f"#item-{item.pk}"
    document = Document.objects.get(item=item)
    assert (document.content_type, document.size, document.uploaded_by) == (content_type, len(content), None)
    assert ChecklistItem.objects.get(pk=item.pk).state == ChecklistItem.State.SUBMITTED
    assert held.events.first().description == "A diploma: a document was sent by the applicant"
    assert "we received it for “A diploma”" in text_of(browser.get(response["Location"]))


@pytest.mark.parametrize(
    "name",
    [
        "card\x00.pdf",
        "line\nbreak\r.pdf",
        "tab\there.pdf",
        "../../etc/passwd",
        "x" * 500 + ".pdf",
        "\u202egnp.pdf",
    ],
)
def test_whatever_the_file_is_called_it_is_kept_as_plain_text(held, name):
    item = held.checklist.first()
    response = document_post(opened(held), held, item, upload(name, PDF))
    assert response.status_code == 302
    kept = Document.objects.get(item=item)
    assert kept.original_name and len(kept.original_name) <= 150
    assert kept.original_name.isprintable() and "/" not in kept.original_name
    assert name not in kept.file.name


def test_a_renamed_text_file_is_refused_with_a_clear_message(held, caplog):
    item = held.checklist.first()
    caplog.set_level(logging.DEBUG)
    response = document_post(
        opened(held), held, item, upload("medical-record.pdf", SECRET_TEXT, "application/pdf")
    )
    assert response.status_code == 400
    assert "This file is not a PDF, JPEG, PNG or HEIC (iPhone photo) file" in text_of(response)
    assert not Document.objects.exists()
    assert ChecklistItem.objects.get(pk=item.pk).state == ChecklistItem.State.MISSING
    assert "medical-record" not in caplog.text and "confidential" not in caplog.text


@pytest.mark.parametrize("content", [AVIF, b"\x00\x00\x00\x08ftyp", b"\x00\x00\x00\x18ftypmif1"])
def test_other_pictures_in_the_heif_box_are_refused(held, content):
    response = document_post(opened(held), held, held.checklist.first(), upload("photo.heic", content))
    assert response.status_code == 400
    assert "This file is not a PDF, JPEG, PNG or HEIC" in text_of(response)


def test_a_file_over_10_mb_is_refused(held):
    item = held.checklist.first()
    too_big = PDF + b"0" * (settings.DOCUMENT_MAX_BYTES - len(PDF) + 1)
    response = document_post(opened(held), held, item, upload("scan.pdf", too_big))
    assert response.status_code == 400
    assert "the most we take is 10 MB" in text_of(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize("file", [None, b""])
def test_no_file_or_an_empty_one_is_asked_for_again(held, file):
    item = held.checklist.first()
    browser = opened(held)
    if file is None:
        response = browser.post(page_url(held, "my-application-document", item_id=item.pk), {})
    else:
        response = document_post(browser, held, item, upload("scan.pdf", file))
    assert response.status_code == 400
    assert "Choose the file" in text_of(response) or "The file is empty" in text_of(response)


def test_nothing_about_a_file_is_written_to_the_logs(held, caplog):
    item = held.checklist.first()
    caplog.set_level(logging.DEBUG)
    secret = PDF + b"% Patient: Jordan Privateperson\n"
    response = document_post(opened(held), held, item, upload("jordan-privateperson-hepatitis.pdf", secret))
    assert response.status_code == 302
    assert held.reference in caplog.text  # the log says what happened, about which application
    for private in ("privateperson", "hepatitis", "Patient"):
        assert private.lower() not in caplog.text.lower()


def test_a_closed_application_takes_no_documents(held):
    Application.objects.filter(pk=held.pk).update(status=Status.WITHDRAWN)
    item = held.checklist.first()
    browser = opened(held)
    assert "Your file" not in text_of(browser.get(page_url(held)))
    response = document_post(browser, held, item, upload("card.pdf", PDF))
    assert response.status_code == 409
    assert "This application is closed: documents are no longer taken for it." in text_of(response)
    assert not Document.objects.exists()


def test_a_verified_item_takes_no_new_document_from_the_applicant(held):
    item = held.checklist.first()
    services.checklist_item_verify(item=item, by=None)
    browser = opened(held)
    response = document_post(browser, held, item, upload("card.pdf", PDF))
    assert response.status_code == 409
    assert "“A diploma” is verified already" in text_of(response)
    assert ChecklistItem.objects.get(pk=item.pk).state == ChecklistItem.State.VERIFIED
    assert not Document.objects.exists()


def test_uploads_are_limited_per_address(emt_program, settings):
    settings.RATE_LIMIT_UPLOADS = 2
    cohort = make_cohort(program=emt_program)
    first, second = submit(cohort, notify=False), submit(cohort, notify=False)
    browser = Client(REMOTE_ADDR="203.0.113.7")
    browser.get(link_path(first))
    browser.get(link_path(second))

    for application in (first, second):
        item = application.checklist.first()
        assert document_post(browser, application, item, upload("a.pdf", PDF)).status_code == 302
    response = document_post(browser, first, first.checklist.last(), upload("a.pdf", PDF))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Please wait a little before sending more files" in text_of(response)
    assert "The file you just sent was not saved" in text_of(response)
    assert Document.objects.count() == 2
    # Another connection may still send.
    other = Client(REMOTE_ADDR="203.0.113.8")
    other.get(link_path(second))
    assert document_post(other, second, second.checklist.last(), upload("a.pdf", PDF)).status_code == 302


def test_uploads_are_limited_per_application_whatever_the_address(held, settings):
    settings.RATE_LIMIT_UPLOADS = 2
    item = held.checklist.first()
    statuses = []
    for number in range(3):
        browser = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
        browser.get(link_path(held))
        statuses.append(document_post(browser, held, item, upload("a.pdf", PDF)).status_code)
    assert statuses == [302, 302, 429]
    assert Document.objects.count() == 2


# "Send me my link"


def link_request(browser, email, **extra):
    return browser.post(reverse("enrollment:my-application-open"), {"email": email, "website": "", **extra})


def test_send_me_my_link_answers_the_same_whether_the_address_is_known(
    emt_program, django_capture_on_commit_callbacks
):
    cohort = make_cohort(program=emt_program, capacity=3)
    live = submit(cohort, notify=False, email="known@example.org")
    other_start = submit(make_cohort(program=emt_program), notify=False, email="known@example.org")
    closed = submit(make_cohort(program=emt_program), notify=False, email="known@example.org")
    services.application_withdraw(application=closed, notify=False)

    with django_capture_on_commit_callbacks(execute=True):
        known = link_request(Client(), "Known@Example.org")
        unknown = link_request(Client(), "nobody@example.org")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == reverse("enrollment:my-application-link-sent")
    assert Client().get(known["Location"]).content == Client().get(unknown["Location"]).content
    assert {tuple(m.to) for m in mail.outbox} == {("known@example.org",)}
    links = {path_of(url) for m in mail.outbox for url in re.findall(r"https?://\S+", m.body) if "?t=" in url}
    opened_pages = {Client().get(link)["Location"] for link in links}
    assert opened_pages == {page_url(live), page_url(other_start)}


def test_asking_again_and_again_brings_one_email(held, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert link_request(Client(), held.email).status_code == 302
    assert len(mail.outbox) == 1


def test_send_me_my_link_is_rate_limited(held, settings):
    settings.RATE_LIMIT_SUBMISSIONS = 2
    browser = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [link_request(browser, f"someone{n}@example.org").status_code for n in range(3)]
    assert statuses == [302, 302, 429]


@pytest.mark.parametrize("email", ["", "not an address", "a\x00b@example.org", "x" * 300 + "@example.org"])
def test_send_me_my_link_explains_a_wrong_address(email):
    response = link_request(Client(), email)
    assert response.status_code == 200
    assert response.context["form"].has_error("email")
    assert not mail.outbox


def test_the_page_to_ask_for_the_link_is_there_without_a_token():
    response = Client().get(reverse("enrollment:my-application-open"))
    assert response.status_code == 200
    assert "Send me my link" in response.content.decode()


# CSRF


def test_every_form_of_the_page_needs_its_csrf_token(offered):
    application, _ = offered
    item = services.checklist_sync(application)[0]
    browser = Client(enforce_csrf_checks=True)
    browser.get(link_path(application))
    posts = [
        (page_url(application, "my-application-offer"), {"decision": "accept"}),
        (page_url(application, "my-application-withdraw"), {"confirm": "yes"}),
        (page_url(application, "my-application-details"), {"phone": "555 010 0777"}),
        (
            page_url(application, "my-application-document", item_id=item.pk),
            {f"item-{item.pk}-file": upload("a.pdf", PDF)},
        ),
        (reverse("enrollment:my-application-open"), {"email": application.email}),
    ]
    for path, data in posts:
        assert browser.post(path, data).status_code == 403, path
    assert reload(application).status == Status.OFFERED
    assert not Document.objects.exists()
    assert not EmailNotification.objects.filter(kind=Kind.APPLICANT_LINK).exists()
