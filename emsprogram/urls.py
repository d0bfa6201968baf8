from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from emsprogram import views
from emsprogram.sitemaps import sitemaps
from sitetools.pagecache import public_page

urlpatterns = [
    path("", public_page(views.HomeView.as_view(), shows_seats=True), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", views.read_only(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("", include("roles.urls")),
    path("", include("enrollment.urls")),
    path("", include("sitepages.urls")),
    path("", include("infosessions.urls")),
]

handler400 = "emsprogram.views.bad_request"
handler403 = "emsprogram.views.permission_denied"
handler500 = "emsprogram.views.server_error"
