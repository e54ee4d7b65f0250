from __future__ import annotations

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.dates import check_programme_date
from core.uploads import validate_pdf
from innovations.models import Innovation
from regions.models import Agency, AgencyLevel

from . import permissions
from .models import (
    Commitment,
    Milestone,
    NotificationPreference,
    ProgressReport,
    Proposal,
    Round,
    Status,
)


class ProposalForm(forms.ModelForm):
    """What regional staff fill in; the round, regency and status are never taken from the request body."""

    new_agency_name = forms.CharField(
        label=_("Atau perangkat daerah baru"),
        required=False,
        max_length=200,
        help_text=_("Isi bila perangkat daerah pelaksana belum ada di daftar, mis. “Dinas Pariwisata”."),
    )
    letter_file = forms.FileField(
        label=_("Surat resmi yang ditandatangani (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = Proposal
        fields = [
            "round",
            "innovation",
            "local_name",
            "adopting_agency",
            "new_agency_name",
            "problem",
            "expected_results",
            "letter_number",
            "letter_date",
            "letter_file",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "letter_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, regency, picked: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.regency = regency
        # Any of the regency's rounds is checked (a closed one gets its own message in clean_round); the
        # menu offers only the open ones, and the draft's own round once it exists.
        rounds = Round.objects.filter(participants=regency).select_related("province").order_by("-deadline")
        self.fields["round"].queryset = rounds
        offered = rounds.filter(Q(pk__in=Round.objects.open().values("pk")) | Q(pk=self.instance.round_id))
        self.fields["round"].choices = [("", "---------"), *[(choice.pk, str(choice)) for choice in offered]]
        # Any published innovation is accepted, but the menu offers only the shortlists of the rounds this
        # regency takes part in and the one picked in the bank ("Usulkan replikasi"), never the whole bank.
        innovation = self.fields["innovation"]
        innovation.queryset = Innovation.objects.published()
        offered = (
            Innovation.objects.published()
            .filter(
                Q(shortlisted_in__participants=regency) | Q(slug=picked) | Q(pk=self.instance.innovation_id)
            )
            .distinct()
            .order_by("name")
        )
        innovation.choices = [("", "---------"), *[(choice.pk, choice.name) for choice in offered]]
        innovation.widget.attrs.update(
            {
                "data-suggest": reverse("innovation-suggest"),
                "data-suggest-label": _("Cari inovasi di seluruh bank"),
                "data-suggest-placeholder": _("Ketik untuk mencari di seluruh bank, mis. stunting"),
                "data-suggest-group": _("Hasil pencarian"),
                "data-suggest-problem-label": _("Cari inovasi untuk permasalahan yang diisi"),
            }
        )
        innovation.help_text = _(
            "Inovasi pilihan putaran Anda. Untuk inovasi lain, cari di bank inovasi lalu pilih "
            "“Usulkan replikasi inovasi ini” pada profilnya."
        )
        self.fields["adopting_agency"].queryset = Agency.objects.filter(regency=regency).exclude(
            level=AgencyLevel.REGENCY_GOVERNMENT
        )
        self.fields["adopting_agency"].required = False
        if self.instance.pk:  # the round and innovation are fixed once the draft exists
            self.fields["round"].disabled = True
            self.fields["innovation"].disabled = True

    def clean_round(self):
        round_ = self.cleaned_data.get("round")
        refusal = permissions.closed_round_refusal(round_) if round_ and not self.instance.pk else ""
        if refusal:
            raise forms.ValidationError(refusal)
        return round_

    def clean_letter_file(self):
        upload = self.cleaned_data.get("letter_file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_pdf(upload)
        return upload

    def clean_letter_date(self):
        letter_date = self.cleaned_data.get("letter_date")
        if letter_date and letter_date > timezone.localdate():
            raise forms.ValidationError(_("Tanggal surat tidak boleh di masa depan."))
        return letter_date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("adopting_agency") and cleaned.get("new_agency_name"):
            self.add_error(
                "new_agency_name",
                _("Pilih perangkat daerah dari daftar atau tulis yang baru, bukan keduanya."),
            )
        # A second proposal for the same innovation and round is not a form error: services.create_proposal
        # answers it (409, naming the proposal that exists), so a client's retry of a create is safe.
        return cleaned

    def has_live_proposal(self, round_, innovation) -> bool:
        """The regency's slot for this innovation in this round is taken (read by create_proposal; the
        database's constraint stops a second one that gets past this check at the same moment)."""
        return (
            Proposal.objects.live().filter(round=round_, regency=self.regency, innovation=innovation).exists()
        )

    def clean_new_agency_name(self):
        return " ".join(self.cleaned_data.get("new_agency_name", "").split())

    def mark_missing_for_submission(self, missing: list[str]) -> None:
        """After ``is_valid()``: an error beside each field that submission still needs (the names come
        from ``services.missing_for_submission``, the submit transition's own rule)."""
        for name in missing:
            self.add_error(name, _("Wajib diisi untuk mengajukan usulan."))

    def save(self, commit=False):
        """The proposal, of the form's regency, unsaved: ``services.create_proposal`` and
        ``update_proposal`` save it, with the new office if one was named and its reminder schedule."""
        proposal = super().save(commit=False)
        proposal.regency = self.regency
        return proposal


class RoundForm(forms.ModelForm):
    """A provincial bureau's round. The province is the bureau's own, never taken from the request body;
    participants are its regencies; the shortlist comes from the published bank."""

    # The shortlist's checkboxes: the chosen innovations, the province's own most replicated ones and the
    # bank's most replicated ones (three queries whatever the bank's size); the filter box (pickers.js,
    # /inovasi/saran/) offers any other published innovation.
    OFFERED_FROM_PROVINCE = 100
    OFFERED_FROM_BANK = 40

    class Meta:
        model = Round
        fields = [
            "title",
            "fgd_date",
            "deadline",
            "mentor",
            "participants",
            "shortlist",
            "reminder_offsets",
            "notes",
        ]
        widgets = {
            "fgd_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.CheckboxSelectMultiple,
            "shortlist": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"mentor": _("Mis. perguruan tinggi pendamping, “Universitas Andalas”.")}

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province
        self.instance.province = province
        participants = self.fields["participants"]
        participants.queryset = province.regencies.order_by("name")
        participants.required = True
        participants.error_messages.update(
            required=_("Pilih minimal satu kabupaten/kota peserta."),
            invalid_choice=_("Peserta harus kabupaten/kota di provinsi Anda."),
        )
        shortlist = self.fields["shortlist"]
        shortlist.queryset = Innovation.objects.published()
        shortlist.error_messages["invalid_choice"] = _("Inovasi pilihan harus inovasi yang terbit di bank.")
        chosen_pks = [pk for pk in (self["shortlist"].value() or []) if str(pk).isdigit()]
        offered = Innovation.objects.published().with_place().order_by("-replication_count", "name")
        chosen = list(offered.filter(pk__in=chosen_pks).order_by("name"))
        local = offered.filter(owner_agency__province=province).exclude(pk__in=chosen_pks)
        local = list(local[: self.OFFERED_FROM_PROVINCE])
        popular = offered.exclude(pk__in=[*chosen_pks, *(innovation.pk for innovation in local)])
        popular = list(popular[: self.OFFERED_FROM_BANK])
        groups = [
            (_("Sudah dipilih"), chosen),
            (_("Dari %(province)s") % {"province": province.name}, local),
            (_("Paling banyak direplikasi"), popular),
        ]
        shortlist.choices = [
            (
                label,
                [(innovation.pk, f"{innovation.name} — {innovation.owner_agency}") for innovation in group],
            )
            for label, group in groups
            if group
        ]
        shortlist.help_text = _(
            "Centang satu atau lebih. Daftar memuat inovasi yang sudah dipilih, inovasi dari provinsi "
            "Anda dan yang paling banyak direplikasi; ketik di kotak saring untuk menyaring daftar dan "
            "mencari inovasi lain di seluruh bank."
        )
        self.fields["reminder_offsets"].help_text = _(
            "Hari sebelum batas waktu untuk mengingatkan daerah yang belum mengusulkan, mis. 7,3,1,0. "
            "Kosongkan untuk memakai pengaturan nasional."
        )

    def participant_groups(self) -> list[tuple[str, list]]:
        """The participants' checkboxes as one group without a heading (includes/checkbox_picker.html)."""
        return [("", list(self["participants"]))]

    def shortlist_groups(self) -> list[tuple[str, list]]:
        """The shortlist's checkboxes under their headings (chosen, the province's, the most replicated)."""
        boxes = {str(box.data["value"]): box for box in self["shortlist"]}
        return [
            (label, [boxes[str(pk)] for pk, _name in options])
            for label, options in self.fields["shortlist"].choices
        ]

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        same = Round.objects.filter(province=self.province, title__iexact=title).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(_("Provinsi Anda sudah memiliki putaran dengan judul ini."))
        return title

    def clean_fgd_date(self):
        return check_programme_date(self.cleaned_data.get("fgd_date"))

    def clean_deadline(self):
        deadline = check_programme_date(self.cleaned_data["deadline"])
        today = timezone.now().astimezone(self.province.tzinfo).date()
        if deadline < today and (self.instance.pk is None or "deadline" in self.changed_data):
            raise forms.ValidationError(_("Batas waktu tidak boleh di masa lalu."))
        return deadline

    def clean_reminder_offsets(self):
        offsets = self.cleaned_data.get("reminder_offsets")
        if offsets is not None and len(set(offsets)) != len(offsets):
            raise forms.ValidationError(_("Setiap hari pengingat cukup disebut sekali."))
        return sorted(offsets, reverse=True) if offsets else None


class MoveDraftForm(forms.Form):
    """The round a draft goes to, among ``rounds`` (services.move_targets)."""

    round = forms.ModelChoiceField(
        label=_("Putaran tujuan"),
        queryset=Round.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Pilih putaran tujuan."),
            "invalid_choice": _(
                "Pilih putaran lain yang masih terbuka di provinsi Anda dan diikuti daerah Anda."
            ),
        },
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda round_: (
            _("%(title)s — batas waktu %(deadline)s")
            % {
                "title": round_.title,
                "deadline": date_format(round_.deadline, "DATE_FORMAT"),
            }
        )


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    # The status the user saw on the page: a proposal changed since is not acted on (services.perform).
    status = forms.ChoiceField(choices=Status.choices, required=False, widget=forms.HiddenInput)


class PdfField(forms.FileField):
    """A PDF checked by content (signature and a parse) and size; the name it arrives with is ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "content_type"):
            validate_pdf(upload)
        return upload


class CommitmentForm(forms.ModelForm):
    document = PdfField(label=_("Dokumen komitmen yang ditandatangani (PDF)"))

    class Meta:
        model = Commitment
        fields = ["signed_on", "document", "notes"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("Tanggal penandatanganan tidak boleh di masa depan."))
        return signed_on


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal

    def clean_due_on(self):
        return check_programme_date(self.cleaned_data["due_on"])

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if self.proposal.milestones.filter(title__iexact=title).exists():
            raise forms.ValidationError(_("Tahapan dengan judul ini sudah ada."))
        return title


class ProgressReportForm(forms.ModelForm):
    evidence = PdfField(label=_("Bukti (PDF)"))

    class Meta:
        model = ProgressReport
        fields = ["reported_on", "milestone", "summary", "evidence"]
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = proposal.milestones.all()
        self.fields["milestone"].required = False


class NotificationPreferenceForm(forms.ModelForm):
    """The reminders a user may turn off; the round deadline reminder is not among them."""

    class Meta:
        model = NotificationPreference
        fields = ["overdue_summary", "review_waiting", "milestone_due"]


class DashboardForm(forms.Form):
    """Which of a province's rounds a dashboard reads: one round, or a year's rounds (by deadline)."""

    putaran = forms.ModelChoiceField(queryset=Round.objects.none(), required=False, label=_("Putaran"))
    tahun = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        label=_("Tahun"),
        error_messages={"invalid": _("Tulis tahun dengan angka, mis. 2021.")},
    )

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = Round.objects.filter(province=province).order_by("-deadline", "-pk")
        self.fields["putaran"].queryset = rounds
        self.fields["putaran"].empty_label = _("Putaran terbaru")
        self.fields["putaran"].error_messages["invalid_choice"] = _("Putaran itu bukan putaran provinsi ini.")

    def clean(self):
        data = super().clean()
        if data.get("putaran") and data.get("tahun"):
            raise forms.ValidationError(_("Pilih satu putaran atau satu tahun, tidak keduanya."))
        return data
