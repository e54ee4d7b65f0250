"""Forms of the accounts pages: inviting, accepting an invitation, moving a member to another role."""

from __future__ import annotations

import functools

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm, UsernameField
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import invitations, tasks
from .invitations import Reach
from .models import Role


class PlaceForm(forms.Form):
    """A role and its place chosen together, within a reach: staff a regency, a bureau a province, an
    innovator their agency (named, within the regency or province chosen)."""

    role = forms.ChoiceField(label=_("Peran"))
    regency = forms.ModelChoiceField(
        label=_("Kabupaten/kota"), queryset=None, required=False, help_text=_("Untuk staf kabupaten/kota.")
    )
    province = forms.ModelChoiceField(
        label=_("Provinsi"), queryset=None, required=False, help_text=_("Untuk Biro Organisasi provinsi.")
    )
    agency_name = forms.CharField(
        label=_("Instansi"),
        max_length=200,
        required=False,
        help_text=_(
            "Untuk inovator: nama instansi pemilik inovasinya, di kabupaten/kota atau provinsi di atas."
        ),
    )

    def __init__(self, *args, reach: Reach, **kwargs):
        super().__init__(*args, **kwargs)
        self.reach = reach
        self.fields["role"].choices = reach.roles()
        self.fields["regency"].queryset = reach.regencies()
        self.fields["regency"].label_from_instance = lambda r: f"{r.name} ({r.province.name})"
        self.fields["province"].queryset = reach.provinces()

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.REGIONAL_STAFF:
            if not data.get("regency"):
                self.add_error("regency", _("Pilih kabupaten/kota staf ini."))
            data["province"] = None
        elif role == Role.PROVINCIAL_BUREAU:
            if not data.get("province"):
                self.add_error("province", _("Pilih provinsi biro ini."))
            data["regency"] = None
        elif role == Role.NATIONAL_ADMIN:
            data["regency"] = data["province"] = None
        elif role == Role.INNOVATOR:
            region = data.get("regency") or data.get("province")
            if region is None:
                self.add_error("regency", _("Pilih kabupaten/kota atau provinsi instansi inovator ini."))
            elif not data.get("agency_name"):
                self.add_error("agency_name", _("Tulis nama instansi inovator ini."))
            else:
                try:
                    data["agency"] = invitations.agency_named(data["agency_name"], region)
                except ValueError as error:
                    self.add_error("agency_name", str(error))
            data["regency"] = data["province"] = None
        data.setdefault("agency", None)
        return data


class InvitationForm(PlaceForm):
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Surel"))
    language = forms.ChoiceField(label=_("Bahasa surel"), choices=settings.LANGUAGES, initial="id")

    field_order = ["name", "email", "role", "regency", "province", "language"]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AcceptForm(forms.Form):
    """The invitee chooses how to sign in: a username and a password (twice), checked by Django's
    password validators."""

    username = UsernameField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Untuk masuk. Huruf, angka dan @ . + - _ saja."),
    )
    password1 = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_username(self):
        username = self.cleaned_data["username"]
        get_user_model().username_validator(username)
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai; pilih yang lain."))
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif first:
            user = get_user_model()(username=data.get("username", ""), email=self.invitation.email)
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form whose email a worker sends after commit (accounts.tasks), never the request."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        enqueue = functools.partial(
            tasks.enqueue_password_reset,
            context["user"].pk,
            context["domain"],
            context["site_name"],
            context["protocol"],
            translation.get_language(),
        )
        transaction.on_commit(enqueue)
