from django.urls import path, register_converter

from enrollment import applicant_pages, views
from sitetools.pagecache import public_form_page, public_page


class ReferenceConverter:
    """An application reference such as EMS-7K3QXP; nothing else reaches the confirmation view."""

    regex = "EMS-[A-Z0-9]{6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "reference")

app_name = "enrollment"

urlpatterns = [
    path("programs/", public_page(views.ProgramListView.as_view()), name="program-list"),
    path(
        "programs/<slug:slug>/",
        public_page(views.ProgramDetailView.as_view(), shows_seats=True),
        name="program-detail",
    ),
    path(
        "programs/<slug:slug>/apply/",
        public_form_page(views.ApplyView.as_view(), query=["cohort"], shows_seats=True),
        name="apply",
    ),
    path("apply/", public_page(views.ApplyStartView.as_view(), shows_seats=True), name="apply-start"),
    path("applications/received/", views.ApplicationReceivedView.as_view(), name="application-received"),
    path("applications/already-in/", views.ApplicationAlreadyInView.as_view(), name="application-already-in"),
    path("applications/<reference:reference>/", views.ApplicationDoneView.as_view(), name="application-done"),
    path("my-application/", applicant_pages.MyApplicationOpenView.as_view(), name="my-application-open"),
    path("my-application/link-sent/", applicant_pages.link_sent, name="my-application-link-sent"),
    path(
        "my-application/<reference:reference>/",
        applicant_pages.MyApplicationView.as_view(),
        name="my-application",
    ),
    path(
        "my-application/<reference:reference>/offer/",
        applicant_pages.OfferAnswerView.as_view(),
        name="my-application-offer",
    ),
    path(
        "my-application/<reference:reference>/withdraw/",
        applicant_pages.WithdrawView.as_view(),
        name="my-application-withdraw",
    ),
    path(
        "my-application/<reference:reference>/documents/<int:item_id>/",
        applicant_pages.DocumentUploadView.as_view(),
        name="my-application-document",
    ),
    path(
        "my-application/<reference:reference>/details/",
        applicant_pages.ContactDetailsView.as_view(),
        name="my-application-details",
    ),
    path("contact/", public_form_page(views.ContactView.as_view(), query=["program"]), name="contact"),
    path("contact/thank-you/", views.ContactDoneView.as_view(), name="contact-done"),
]
