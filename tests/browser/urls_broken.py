"""Test-only URLconf: the whole site plus a page with a known accessibility fault (and its fixed twin)."""

from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path(
        "test-only/broken/",
        TemplateView.as_view(template_name="broken_page.html", extra_context={"broken": True}),
        name="broken-page",
    ),
    path(
        "test-only/fixed/",
        TemplateView.as_view(template_name="broken_page.html", extra_context={"broken": False}),
        name="fixed-page",
    ),
    path("", include("emsprogram.urls")),
]
