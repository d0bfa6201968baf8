from django.urls import path, register_converter

from enrollment import views
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
    path("contact/", public_form_page(views.ContactView.as_view(), query=["program"]), name="contact"),
    path("contact/thank-you/", views.ContactDoneView.as_view(), name="contact-done"),
]
