from django.contrib import admin
from django.urls import include, path

from emsprogram import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("roles.urls")),
    path("", include("enrollment.urls")),
]

handler500 = "emsprogram.views.server_error"
