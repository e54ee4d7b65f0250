from django.urls import path, re_path

from . import views

urlpatterns = [
    path("wilayah-saya/", views.my_region, name="my-region"),
    path("usulan/baru/", views.proposal_create, name="proposal-create"),
    path("usulan/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("usulan/<int:pk>/ubah/", views.proposal_edit, name="proposal-edit"),
    path("usulan/<int:pk>/pindah/", views.proposal_move, name="proposal-move"),
    path("usulan/<int:pk>/hapus/", views.proposal_delete, name="proposal-delete"),
    path("usulan/<int:pk>/aksi/<slug:action>/", views.proposal_action, name="proposal-action"),
    path("usulan/<int:pk>/surat.pdf", views.proposal_letter, name="proposal-letter"),
    path("usulan/<int:pk>/komitmen/", views.commitment_edit, name="commitment-edit"),
    path("usulan/<int:pk>/tahapan/baru/", views.milestone_add, name="milestone-add"),
    path("usulan/<int:pk>/tahapan/<int:milestone_pk>/selesai/", views.milestone_done, name="milestone-done"),
    path("usulan/<int:pk>/laporan/baru/", views.report_add, name="report-add"),
    path("usulan/<int:pk>/<slug:kind>/<int:doc_pk>.pdf", views.proposal_document, name="proposal-document"),
    path("tinjauan/", views.review_queue, name="review-queue"),
    path("notifikasi/", views.notification_list, name="notification-list"),
    path("notifikasi/pengaturan/", views.notification_settings, name="notification-settings"),
    path("putaran/baru/", views.round_create, name="round-create"),
    path("putaran/<int:pk>/", views.round_detail, name="round-detail"),
    path("putaran/<int:pk>/ubah/", views.round_edit, name="round-edit"),
    path("putaran/<int:pk>/rekap/", views.round_recap, name="round-recap"),
    path("dasbor/provinsi/", views.province_dashboard_home, name="province-dashboard-home"),
    re_path(r"^dasbor/provinsi/(?P<code>[0-9]{2})/$", views.province_dashboard, name="province-dashboard"),
]
