from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/lanjut/", views.landing, name="landing"),
    path("inovasi-saya/", views.my_innovations, name="my-innovations"),
    path("inovasi/<slug:slug>/", views.innovation_detail, name="innovation-detail"),
    re_path(r"^wilayah/(?P<code>[0-9]{2})/$", views.province_detail, name="province-detail"),
    re_path(r"^wilayah/(?P<code>[0-9]{2}\.[0-9]{2})/$", views.regency_detail, name="regency-detail"),
    path("instansi/<int:pk>/", views.agency_detail, name="agency-detail"),
    path("statistik/", views.statistics_view, name="statistics"),
    path("statistik/unduh/", views.statistics_export, name="statistics-export"),
    path("dasbor/nasional/", views.national_dashboard, name="national-dashboard"),
    path("dasbor/nasional/unduh/", views.national_dashboard_export, name="national-dashboard-export"),
]
