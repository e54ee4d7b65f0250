import dataclasses
import functools

from axes.utils import reset as reset_sign_in_failures
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from core import export, ratelimit, spreadsheets

from . import bulk_invitations, invitations
from .forms import AcceptForm, InvitationForm, PlaceForm, QueuedPasswordResetForm
from .middleware import UserLanguageMiddleware
from .models import ApiToken, Invitation, UserPreference
from .tasks import enqueue_invitation


@require_POST
def set_language(request):
    """Django's language switch, which also stores a signed-in user's choice for pages and emails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(UserPreference._meta.get_field("language").choices):
        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[UserLanguageMiddleware.SESSION_KEY] = language
    return response


class PasswordReset(auth_views.PasswordResetView):
    """Django's reset request, limited per address (a 429 past it) and per email address (past it, the
    same answer and no mail, so the limit tells nothing about accounts); the mail leaves through a task."""

    form_class = QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        if ratelimit.PASSWORD_RESET_ADDRESS.hit(ratelimit.client_address(request)):
            return ratelimit.too_many_requests(request, ratelimit.PASSWORD_RESET_ADDRESS)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if ratelimit.PASSWORD_RESET_EMAIL.hit(form.cleaned_data["email"].strip()):
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change, with a limit on one user's attempts (the old password is guessed)."""

    def post(self, request, *args, **kwargs):
        if ratelimit.PASSWORD_CHANGE.hit(str(request.user.pk)):
            return ratelimit.too_many_requests(request, ratelimit.PASSWORD_CHANGE)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's new-password page; once the password is set, the account's sign-in lockout ends too
    (whoever can read the account's mail is its owner)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_sign_in_failures(username=form.user.get_username())
        return response


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini, mis. “Portal provinsi”."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if ApiToken.objects.filter(user=self.user, name=name, revoked_at__isnull=True).exists():
            raise forms.ValidationError(_("Anda sudah memiliki token aktif dengan nama ini."))
        return name


NEW_TOKEN_SESSION_KEY = "replikasi_new_api_token"


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The user's personal API tokens: create one (its secret is shown once), see their last use, revoke."""
    form = ApiTokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token, secret = ApiToken.objects.issue(request.user, form.cleaned_data["name"])
        request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "secret": secret}
        return redirect("api-tokens")
    new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    tokens = list(ApiToken.objects.filter(user=request.user))
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new": new})


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, _("Token “%(name)s” dicabut.") % {"name": token.name})
    return redirect("api-tokens")


# --- Invitations and members: what a national admin or a provincial bureau may do, within its reach ---


def reach_or_404(request) -> invitations.Reach:
    reach = invitations.reach_of(request.user)
    if not reach:
        raise Http404
    return reach


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request):
    """Invite someone into a role and place within reach; the invitations made, with resend and revoke."""
    reach = reach_or_404(request)
    form = InvitationForm(request.POST or None, reach=reach)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, secret = invitations.invite(
                request.user, name=data["name"], email=data["email"], role=data["role"],
                regency=data["regency"], province=data["province"], agency=data["agency"],
                language=data["language"],
            )  # fmt: skip
        except invitations.InvitationRefused as refused:
            form.add_error(None, str(refused))
        else:
            transaction.on_commit(lambda: enqueue_invitation(invitation, secret))
            messages.success(
                request, _("Undangan untuk %(email)s sedang dikirim.") % {"email": invitation.email}
            )
            return redirect("invitation-list")
    if request.method == "GET" and "format" in request.GET:
        rows = (
            [i.name, i.email, i.get_role_display(), str(i.place or ""), str(i.state), i.expires_at]
            for i in reach.invitations()[: export.MAX_ROWS]
        )
        return export.page_file(request.GET["format"], "undangan", INVITATION_COLUMNS, rows)
    page = Paginator(reach.invitations(), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/invitations.html", {"form": form, "page": page})


INVITATION_COLUMNS = [_l("Nama"), _l("Surel"), _l("Peran"), _l("Wilayah"), _l("Status"), _l("Berlaku sampai")]


def managed_invitation(request, pk: int) -> Invitation:
    invitation = get_object_or_404(reach_or_404(request).invitations(), pk=pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise Http404
    return invitation


@login_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = managed_invitation(request, pk)
    secret = invitations.renew(invitation)
    transaction.on_commit(lambda: enqueue_invitation(invitation, secret))
    messages.success(
        request,
        _("Undangan dikirim ulang ke %(email)s; tautan lama tidak berlaku lagi.")
        % {"email": invitation.email},
    )
    return redirect("invitation-list")


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = managed_invitation(request, pk)
    invitations.revoke(invitation)
    messages.success(request, _("Undangan untuk %(email)s dicabut.") % {"email": invitation.email})
    return redirect("invitation-list")


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request, secret: str):
    """The invitee's way in: a username and a password, then straight to where their work is."""
    invitation = invitations.find(secret)
    reason = invitations.refusal(invitation)
    if reason:
        return render(request, "accounts/invitation_closed.html", {"reason": reason}, status=410)
    initial = {"username": invitation.email.split("@")[0][:150]}
    form = AcceptForm(request.POST or None, invitation=invitation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(
                invitation, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except invitations.InvitationClosed as closed:
            return render(request, "accounts/invitation_closed.html", {"reason": str(closed)}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[UserLanguageMiddleware.SESSION_KEY] = invitation.language
        messages.success(request, _("Selamat datang di Replikasi, %(name)s.") % {"name": invitation.name})
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
@require_safe
def member_list(request):
    """The people within reach, filtered by regency and by state, with where each works."""
    reach = reach_or_404(request)
    members = (
        reach.members()
        .prefetch_related("memberships__regency", "memberships__province", "memberships__agency")
        .order_by("first_name", "last_name", "username")
    )
    regencies = list(reach.regencies())
    chosen = next((r for r in regencies if str(r.pk) == request.GET.get("kabupaten")), None)
    if chosen is not None:
        members = members.filter(memberships__regency=chosen)
    state = request.GET.get("status")
    if state in ("aktif", "nonaktif"):
        members = members.filter(is_active=state == "aktif")
    if "format" in request.GET:
        return export.page_file(request.GET["format"], "anggota", MEMBER_COLUMNS, member_rows(members))
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "regencies": regencies,
        "chosen": chosen,
        "state": state,
        "export_query": export.page_query(request),
    }
    return render(request, "accounts/members.html", context)


MEMBER_COLUMNS = [
    _l("Nama"),
    _l("Nama pengguna"),
    _l("Surel"),
    _l("Peran"),
    _l("Wilayah"),
    _l("Terakhir masuk"),
    _l("Status"),
]


def member_rows(members):
    for member in members[: export.MAX_ROWS]:
        for membership in member.memberships.all():
            yield [
                member.get_full_name(),
                member.username,
                member.email,
                membership.get_role_display(),
                str(membership.regency or membership.province or membership.agency or ""),
                member.last_login,
                _("aktif") if member.is_active else _("nonaktif"),
            ]


def managed_member(request, pk: int):
    reach = reach_or_404(request)
    return reach, get_object_or_404(reach.members(), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    """Move a member to another role or place within reach."""
    reach, member = managed_member(request, pk)
    membership = member.memberships.select_related("regency", "province", "agency").order_by("pk").first()
    initial = {"role": membership.role, "regency": membership.regency, "province": membership.province}
    if membership.agency:
        agency = membership.agency
        initial |= {"agency_name": agency.name, "regency": agency.regency, "province": agency.province}
    form = PlaceForm(request.POST or None, reach=reach, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not reach.holds(data["role"], data["regency"], data["province"], data["agency"]):
            raise Http404
        invitations.change_role(
            member, membership, role=data["role"], regency=data["regency"], province=data["province"],
            agency=data["agency"],
        )  # fmt: skip
        messages.success(
            request, _("Peran %(name)s diubah.") % {"name": member.get_full_name() or member.username}
        )
        return redirect("member-list")
    return render(request, "accounts/member_form.html", {"form": form, "member": member})


@login_required
@require_POST
def member_status(request, pk: int):
    """Deactivate a member (their sessions and API tokens end at once) or let them back in."""
    _reach, member = managed_member(request, pk)
    name = member.get_full_name() or member.username
    if member == request.user:
        messages.error(request, _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    elif request.POST.get("action") == "deactivate":
        invitations.deactivate(member)
        messages.success(
            request, _("%(name)s dinonaktifkan; sesi dan token API-nya berakhir.") % {"name": name}
        )
    elif request.POST.get("action") == "reactivate":
        invitations.reactivate(member)
        messages.success(request, _("%(name)s aktif kembali.") % {"name": name})
    return redirect("member-list")


class InvitationFileForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas (XLSX atau CSV)"),
        help_text=_("Kolom nama, surel, wilayah, peran (dan bahasa); paling besar 2 MB. Diperiksa dulu."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 2**20:
            raise forms.ValidationError(_("Berkas lebih dari 2 MB; bagi menjadi beberapa berkas."))
        return upload


PLAN_SALT = "accounts.bulk-invitations"
PLAN_MAX_AGE = 3600  # seconds between the preview and its confirmation


@login_required
@require_http_methods(["GET", "POST"])
def invitation_import(request):
    """Many invitations from a spreadsheet: a preview of every row (the reason for any that cannot be
    invited), then, once confirmed, all invited together or none."""
    reach_or_404(request)
    form = InvitationFileForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            rows = spreadsheets.read(form.cleaned_data["file"].read(), bulk_invitations.COLUMNS)
        except spreadsheets.SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            plan = bulk_invitations.plan_rows(rows, request.user)
            payload = {"inviter": request.user.pk, "rows": [dataclasses.asdict(row) for row in plan.rows]}
            context |= {
                "plan": plan,
                "payload": "" if plan.errors else signing.dumps(payload, salt=PLAN_SALT, compress=True),
            }
    return render(request, "accounts/invitation_import.html", context)


@login_required
@require_POST
def invitation_import_confirm(request):
    reach_or_404(request)
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=PLAN_SALT, max_age=PLAN_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("Pratinjau ini sudah kedaluwarsa atau rusak; unggah berkasnya lagi."))
        return redirect("invitation-import")
    if payload["inviter"] != request.user.pk:
        raise Http404
    rows = [bulk_invitations.InvitationRow(**row) for row in payload["rows"]]
    try:
        invited = bulk_invitations.invite_all(rows, request.user)
    except invitations.InvitationRefused as refused:
        messages.error(request, _("Tidak ada yang diundang: %(reason)s") % {"reason": refused})
        return redirect("invitation-import")
    for invitation, secret in invited:
        transaction.on_commit(functools.partial(enqueue_invitation, invitation, secret))
    count = len(invited)
    messages.success(
        request,
        ngettext("%(count)d undangan sedang dikirim.", "%(count)d undangan sedang dikirim.", count)
        % {"count": count},
    )
    return redirect("invitation-list")


@login_required
@require_safe
def invitation_template(request):
    reach_or_404(request)
    columns = bulk_invitations.COLUMNS
    return export.file_response(
        export.XLSX, "templat-undangan", [c.header for c in columns], [[c.example for c in columns]]
    )
