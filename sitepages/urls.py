from django.urls import path

from sitepages import views
from sitetools.pagecache import public_page

app_name = "sitepages"

urlpatterns = [
    path("about/accreditation/", public_page(views.AccreditationView.as_view()), name="accreditation"),
    path("paying/", public_page(views.PayingView.as_view()), name="paying"),
    path(
        "refunds/",
        public_page(views.StatementView.as_view(template_name="sitepages/refunds.html")),
        name="refunds",
    ),
    path(
        "terms/", public_page(views.StatementView.as_view(template_name="sitepages/terms.html")), name="terms"
    ),
    path("privacy/", public_page(views.PrivacyView.as_view()), name="privacy"),
    path(
        "accessibility/",
        public_page(views.StatementView.as_view(template_name="sitepages/accessibility.html")),
        name="accessibility",
    ),
    path("share.png", public_page(views.school_share_image), name="share-image"),
    path(
        "programs/<slug:slug>/share.png", public_page(views.program_share_image), name="program-share-image"
    ),
]
