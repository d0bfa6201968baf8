from django.urls import path

from roles import views
from sitetools.pagecache import public_page

app_name = "roles"

urlpatterns = [
    path("roles/", public_page(views.RolesIndexView.as_view()), name="index"),
    # Before the slug pattern, which would otherwise take "compare" for a level's slug.
    path("roles/compare/", public_page(views.CompareView.as_view(), query=["levels"]), name="compare"),
    path("roles/<slug:slug>/", public_page(views.RoleOrLevelDetailView.as_view()), name="detail"),
    path("guides/<slug:slug>/", public_page(views.GuideDetailView.as_view()), name="guide"),
    path("faq/", public_page(views.FAQView.as_view()), name="faq"),
]
