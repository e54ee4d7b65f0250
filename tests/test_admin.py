"""Django admin is usable from day one: every model is registered and its pages answer."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ["regions", "innovations", "replications"]

SYSTEM_MODELS = {
    "innovations.SearchDocument",
    "innovations.SearchTerm",
    "innovations.SearchFacet",
    "innovations.SearchPosting",
    "innovations.SearchBacklog",
    "replications.ReviewMark",
}


def domain_models():
    return [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        # History rows, the search documents and index, and review marks are written by the system,
        # never by hand.
        if not model._meta.object_name.startswith("Historical") and model._meta.label not in SYSTEM_MODELS
    ]


def test_every_domain_model_is_registered_in_admin():
    missing = [model._meta.label for model in domain_models() if not admin.site.is_registered(model)]
    assert missing == []


@pytest.mark.parametrize("model", domain_models(), ids=lambda model: model._meta.label)
def test_admin_list_search_and_add_pages_answer(client, national_admin, model):
    ProposalFactory()
    client.force_login(national_admin)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_changelist"), {"q": "padang"}).status_code == 200
    # History kept by the life cycle (ProposalEvent) is read-only: its add page is refused.
    request = RequestFactory().get("/")
    request.user = national_admin
    addable = admin.site._registry[model].has_add_permission(request)
    assert client.get(reverse(f"{prefix}_add")).status_code == (200 if addable else 403)


def test_admin_is_closed_to_signed_out_visitors_and_non_staff(client, staff_padang_panjang):
    assert client.get("/admin/").status_code == 302
    client.force_login(staff_padang_panjang)
    assert client.get("/admin/replications/proposal/").status_code == 302


def test_admin_shows_staff_who_are_not_superusers_only_their_own_proposals(
    client, bureau_jateng, bureau_sumbar
):
    from django.contrib.auth.models import Permission

    sumbar_proposal = ProposalFactory()  # a Sumatera Barat round
    for user in [bureau_jateng, bureau_sumbar]:
        user.is_staff = True
        user.save()
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_proposal", "view_milestone"])
        )
    client.force_login(bureau_jateng)
    changelist = client.get(reverse("admin:replications_proposal_changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].queryset) == []
    change = client.get(reverse("admin:replications_proposal_change", args=[sumbar_proposal.pk]))
    assert change.status_code == 302  # "does not exist", like any record outside the user's reach
    client.force_login(bureau_sumbar)
    changelist = client.get(reverse("admin:replications_proposal_changelist"))
    assert list(changelist.context["cl"].queryset) == [sumbar_proposal]


def test_admin_hides_drafts_and_memberships_from_staff_who_are_not_national_admins(client, bureau_sumbar):
    from django.contrib.auth.models import Permission

    from tests.factories import InnovationFactory

    draft = InnovationFactory(is_published=False)
    published = InnovationFactory()
    bureau_sumbar.is_staff = True
    bureau_sumbar.save()
    bureau_sumbar.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_innovation", "view_membership"])
    )
    client.force_login(bureau_sumbar)
    innovations = client.get(reverse("admin:innovations_innovation_changelist")).context["cl"].queryset
    assert published in innovations and draft not in innovations
    assert client.get(reverse("admin:accounts_membership_changelist")).status_code == 403
