from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import invitations
from .models import ApiToken, Invitation, Membership, UserPreference
from .roles import roles_of


class NationalAdminOnly(admin.ModelAdmin):
    """Who works where, and their settings, are for national admins (and superusers) only."""

    def has_module_permission(self, request) -> bool:
        return roles_of(request.user).is_national_admin

    def has_view_permission(self, request, obj=None) -> bool:
        return roles_of(request.user).is_national_admin and super().has_view_permission(request, obj)


class MembershipInline(admin.TabularInline):
    """Where a person works: the role and its region chosen together (the model refuses a role with the
    wrong kind of region: staff a regency, a bureau a province, a national admin neither)."""

    model = Membership
    extra = 0
    fields = ["role", "regency", "province"]
    autocomplete_fields = ["regency", "province"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    """People with where they work, searched by name, email or region."""

    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "roles", "is_active", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role", "memberships__province"]
    search_fields = [
        "username", "first_name", "last_name", "email", "memberships__regency__name",
        "memberships__province__name",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__regency", "memberships__province")

    @admin.display(description=_("nama"), ordering="first_name")
    def full_name(self, user) -> str:
        return user.get_full_name()

    @admin.display(description=_("peran"))
    def roles(self, user) -> str:
        return "; ".join(
            f"{membership.get_role_display()} {membership.regency or membership.province or ''}".strip()
            for membership in user.memberships.all()
        )


@admin.register(Membership)
class MembershipAdmin(NationalAdminOnly):
    list_display = ["user", "role", "regency", "province", "created_at"]
    list_filter = ["role", "province"]
    search_fields = ["user__username", "user__email", "regency__name", "province__name"]
    autocomplete_fields = ["user", "regency", "province"]
    list_select_related = ["user", "regency", "province"]


@admin.register(UserPreference)
class UserPreferenceAdmin(NationalAdminOnly):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(NationalAdminOnly):
    """Tokens are created by their owners (/akun/token/), whose secret is shown only to them;
    national admins see who holds which token, when it was last used, and revoke it."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request, queryset) -> None:
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, ngettext("%(count)d token dicabut.", "%(count)d token dicabut.", revoked)
                          % {"count": revoked})  # fmt: skip


@admin.register(Invitation)
class InvitationAdmin(NationalAdminOnly):
    """Invitations are made from /akun/undangan/ (the secret link goes only to the invitee); here
    national admins see every invitation and revoke open ones."""

    list_display = ["name", "email", "role", "regency", "province", "invited_by", "created_at", "expires_at",
                    "accepted_at", "revoked_at"]  # fmt: skip
    list_filter = ["role", "province", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "regency__name", "province__name"]
    list_select_related = ["regency", "province", "invited_by"]
    readonly_fields = [field.name for field in Invitation._meta.fields if field.name != "digest"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Cabut undangan terpilih"))
    def revoke(self, request, queryset) -> None:
        open_ones = list(queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True))
        for invitation in open_ones:
            invitations.revoke(invitation)
        self.message_user(
            request,
            ngettext("%(count)d undangan dicabut.", "%(count)d undangan dicabut.", len(open_ones))
            % {"count": len(open_ones)},
        )
