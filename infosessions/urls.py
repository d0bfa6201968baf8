from django.urls import path, register_converter

from enrollment.urls import ReferenceConverter
from infosessions import views
from sitetools.pagecache import public_form_page, public_page


class SignupReferenceConverter(ReferenceConverter):
    """A sign-up reference such as INF-7K3QXP; nothing else reaches the confirmation views."""

    regex = "INF-[A-Z0-9]{6}"


register_converter(SignupReferenceConverter, "signup_reference")

app_name = "infosessions"

urlpatterns = [
    path("info-sessions/", public_page(views.SessionListView.as_view(), shows_seats=True), name="list"),
    path(
        "info-sessions/<int:pk>/",
        public_form_page(views.SessionDetailView.as_view(), shows_seats=True),
        name="detail",
    ),
    path("info-sessions/thank-you/", views.SignupReceivedView.as_view(), name="signup-received"),
    path("info-sessions/already-signed-up/", views.SignupAlreadyView.as_view(), name="signup-already"),
    path(
        "info-sessions/signed-up/<signup_reference:reference>/",
        views.SignupDoneView.as_view(),
        name="signup-done",
    ),
    path(
        "info-sessions/signed-up/<signup_reference:reference>/info-session.ics",
        views.SignupCalendarView.as_view(),
        name="signup-calendar",
    ),
    # Not in the page cache: it keeps a page's body and type, and this answer's file name is a header.
    path("course-starts/<int:pk>/first-day.ics", views.cohort_calendar, name="cohort-calendar"),
]
