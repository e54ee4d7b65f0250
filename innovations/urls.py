from django.urls import path

from . import views

urlpatterns = [
    path("inovasi/", views.innovation_list, name="innovation-list"),
    path("inovasi/unduh/", views.innovation_export, name="innovation-export"),
    path("inovasi/cari-masalah/", views.find_by_problem, name="find-by-problem"),
    path("inovasi/saran/", views.suggest, name="innovation-suggest"),
    path("inovasi/<slug:slug>/usulkan-perubahan/", views.propose_change, name="propose-change"),
    path("inovasi/<slug:slug>/masih-akurat/", views.confirm_accurate, name="confirm-accurate"),
    path("tinjauan-perubahan/", views.change_list, name="change-list"),
    path("tinjauan-perubahan/<int:pk>/", views.change_review, name="change-review"),
    path(
        "tinjauan-perubahan/<int:pk>/dokumen/<int:document_pk>.pdf",
        views.proposed_document,
        name="proposed-document",
    ),
    path("kipp/", views.edition_list, name="edition-list"),
    path("kipp/<int:year>/", views.edition_detail, name="edition-detail"),
]
