import datetime
import re
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import Agency

from .querysets import REVIEW_INTERVAL_DAYS, InnovationQuerySet, SearchDocumentQuerySet

# Proposal statuses (replications.models.Status) read by the bank through reverse relations; the bank
# sits below replications and may not import it, so tests/innovations/test_layers.py keeps these in step.
PROPOSAL_DRAFT_STATUSES = ("draft", "returned", "cancelled")
PROPOSAL_ADOPTED_STATUSES = ("committed", "implementing", "replicated")
PROPOSAL_COMPLETED_STATUS = "replicated"
# Proposals the public may see on a profile or region page: approved by the province, or further.
PROPOSAL_PUBLIC_STATUSES = ("approved", "committed", "implementing", "replicated")


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of one choice, translating only that one.

    Django's get_FOO_display() hashes every choice of the field on each call, which translates every
    label: a page of cards or a table of replications paid for it hundreds of times. Models override
    it for the choices their lists show; an unknown value shows as itself, as with Django's.
    """
    return str(choices(value).label) if value in choices.values else value


class Category(models.TextChoices):
    """The ten KIPP categories of 2021."""

    POVERTY = "poverty", _("Penanggulangan kemiskinan")
    EDUCATION = "education", _("Pendidikan")
    HEALTH = "health", _("Kesehatan")
    FOOD_SECURITY = "food_security", _("Ketahanan pangan")
    ECONOMY = "economy", _("Pertumbuhan ekonomi dan lapangan kerja")
    EMPOWERMENT = "empowerment", _("Pemberdayaan masyarakat")
    GENDER = "gender", _("Pelayanan responsif gender")
    ENVIRONMENT = "environment", _("Lingkungan hidup")
    GOVERNANCE = "governance", _("Tata kelola pemerintahan")
    LAW = "law", _("Supremasi hukum")


class Affair(models.TextChoices):
    """Government affairs (urusan pemerintahan) of UU 23/2014, plus the supporting functions."""

    EDUCATION = "pendidikan", _("Pendidikan")
    HEALTH = "kesehatan", _("Kesehatan")
    PUBLIC_WORKS = "pekerjaan_umum", _("Pekerjaan umum dan penataan ruang")
    HOUSING = "perumahan", _("Perumahan rakyat dan kawasan permukiman")
    PUBLIC_ORDER = "ketenteraman", _("Ketenteraman, ketertiban umum dan pelindungan masyarakat")
    SOCIAL = "sosial", _("Sosial")
    LABOUR = "tenaga_kerja", _("Tenaga kerja")
    WOMEN_CHILDREN = "pemberdayaan_perempuan", _("Pemberdayaan perempuan dan pelindungan anak")
    FOOD = "pangan", _("Pangan")
    LAND = "pertanahan", _("Pertanahan")
    ENVIRONMENT = "lingkungan_hidup", _("Lingkungan hidup")
    CIVIL_REGISTRY = "adminduk", _("Administrasi kependudukan dan pencatatan sipil")
    VILLAGES = "pemberdayaan_desa", _("Pemberdayaan masyarakat dan desa")
    FAMILY_PLANNING = "keluarga_berencana", _("Pengendalian penduduk dan keluarga berencana")
    TRANSPORT = "perhubungan", _("Perhubungan")
    INFORMATICS = "kominfo", _("Komunikasi dan informatika")
    COOPERATIVES = "koperasi_ukm", _("Koperasi, usaha kecil dan menengah")
    INVESTMENT = "penanaman_modal", _("Penanaman modal")
    YOUTH_SPORT = "kepemudaan_olahraga", _("Kepemudaan dan olahraga")
    STATISTICS = "statistik", _("Statistik")
    CULTURE = "kebudayaan", _("Kebudayaan")
    LIBRARIES = "perpustakaan", _("Perpustakaan")
    ARCHIVES = "kearsipan", _("Kearsipan")
    FISHERIES = "kelautan_perikanan", _("Kelautan dan perikanan")
    TOURISM = "pariwisata", _("Pariwisata")
    AGRICULTURE = "pertanian", _("Pertanian")
    TRADE = "perdagangan", _("Perdagangan")
    INDUSTRY = "perindustrian", _("Perindustrian")
    RESEARCH = "penelitian", _("Penelitian dan pengembangan")
    APPARATUS = "kepegawaian", _("Kepegawaian dan aparatur")
    PLANNING = "perencanaan", _("Perencanaan pembangunan")
    FINANCE = "keuangan", _("Keuangan daerah")
    OTHER = "lainnya", _("Lainnya")


class InnovationForm(models.TextChoices):
    GOVERNANCE = "governance", _("Inovasi tata kelola pemerintahan")
    PUBLIC_SERVICE = "public_service", _("Inovasi pelayanan publik")
    OTHER = "other", _("Inovasi lainnya")


class Stage(models.TextChoices):
    INITIATIVE = "initiative", _("Inisiatif")
    TRIAL = "trial", _("Uji coba")
    IMPLEMENTATION = "implementation", _("Penerapan")


class SDG(models.Model):
    """One of the 17 Sustainable Development Goals (Tujuan Pembangunan Berkelanjutan)."""

    number = models.PositiveSmallIntegerField(
        _("nomor"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("nama"), max_length=120)
    name_en = models.CharField(_("nama (Inggris)"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("tujuan SDG")
        verbose_name_plural = _("tujuan SDG")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17), name="%(app_label)s_%(class)s_number_1_to_17"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name


class Innovation(models.Model):
    name = models.CharField(_("nama inovasi"), max_length=200)
    long_name = models.CharField(
        _("kepanjangan"), max_length=400, blank=True, help_text=_("Kepanjangan dari akronim nama inovasi.")
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="innovations", verbose_name=_("instansi pemilik")
    )
    category = models.CharField(_("kategori KIPP"), max_length=20, choices=Category.choices)
    affair = models.CharField(_("urusan pemerintahan"), max_length=32, choices=Affair.choices, blank=True)
    sdgs = models.ManyToManyField(SDG, blank=True, related_name="innovations", verbose_name=_("tujuan SDG"))
    form = models.CharField(
        _("bentuk inovasi"),
        max_length=20,
        choices=InnovationForm.choices,
        default=InnovationForm.PUBLIC_SERVICE,
    )
    is_digital = models.BooleanField(_("inovasi digital"), default=False)
    stage = models.CharField(_("tahapan"), max_length=20, choices=Stage.choices, default=Stage.IMPLEMENTATION)
    launch_year = models.PositiveSmallIntegerField(_("tahun mulai"), null=True, blank=True)

    summary = models.TextField(_("ringkasan"))
    background = models.TextField(_("latar belakang dan tujuan"), blank=True)
    novelty = models.TextField(_("kebaruan"), blank=True)
    implementation = models.TextField(_("implementasi"), blank=True)
    significance = models.TextField(_("signifikansi"), blank=True)
    results_before = models.TextField(_("kondisi sebelum inovasi"), blank=True)
    results_after = models.TextField(_("hasil setelah inovasi"), blank=True)
    adaptability = models.TextField(_("adaptabilitas"), blank=True)
    resources = models.TextField(_("sumber daya"), blank=True)
    sustainability = models.TextField(_("strategi keberlanjutan"), blank=True)
    replication_prerequisites = models.TextField(
        _("prasyarat replikasi"), blank=True, help_text=_("Apa yang perlu dimiliki daerah yang mereplikasi.")
    )

    contact_name = models.CharField(_("nama narahubung"), max_length=200, blank=True)
    contact_email = models.EmailField(_("surel narahubung"), blank=True)
    contact_phone = models.CharField(_("telepon narahubung"), max_length=40, blank=True)

    replicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications_of_record",
        verbose_name=_("replikasi dari"),
    )
    is_published = models.BooleanField(_("diterbitkan"), default=False)
    last_reviewed_on = models.DateField(_("terakhir ditinjau"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    # Proposals of this innovation that reached a commitment or beyond; kept by a trigger on
    # replications_proposal (replications migration 0002), so sorting and the facet need no join.
    replication_count = models.PositiveIntegerField(_("jumlah replikasi"), default=0, editable=False)

    objects = InnovationQuerySet.as_manager()
    # Who changed which field of the public record, and when (admin, imports, the innovators' edits).
    history = HistoricalRecords(verbose_name=_("riwayat inovasi"), excluded_fields=["replication_count"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("inovasi")
        verbose_name_plural = _("inovasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="%(app_label)s_%(class)s_category_known"
            ),
            models.CheckConstraint(
                condition=Q(form__in=InnovationForm.values), name="%(app_label)s_%(class)s_form_known"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="%(app_label)s_%(class)s_stage_known"
            ),
            models.CheckConstraint(
                condition=Q(launch_year__isnull=True) | Q(launch_year__gte=1945, launch_year__lte=2100),
                name="%(app_label)s_%(class)s_launch_year_sane",
            ),
            models.CheckConstraint(
                condition=~Q(replicated_from=models.F("pk")), name="%(app_label)s_%(class)s_not_own_replica"
            ),
            models.UniqueConstraint(
                fields=["owner_agency", "name"], name="%(app_label)s_%(class)s_unique_name"
            ),
        ]
        indexes = [
            # The public lists read published innovations, newest first.
            models.Index(
                fields=["-created_at"], condition=Q(is_published=True), name="innovations_published_recent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_category_display(self) -> str:
        return choice_label(Category, self.category)

    @property
    def possibly_out_of_date(self) -> bool:
        """Not reviewed for two years (a record never reviewed counts from its creation)."""
        reviewed = self.last_reviewed_on or timezone.localdate(self.created_at)
        return reviewed < timezone.localdate() - datetime.timedelta(days=2 * REVIEW_INTERVAL_DAYS)

    def clean(self) -> None:
        if self.replicated_from_id and self.pk and self.replicated_from_id == self.pk:
            raise ValidationError(
                {"replicated_from": _("Inovasi tidak dapat menjadi replikasi dari dirinya.")}
            )


class SearchDocument(models.Model):
    """The narrow row the search reads, one per innovation, written only by database triggers.

    The bank's pages rank, count and facet over this table, never over the wide innovation rows:
    100,000 of these fit in a tenth of the pages. Migration 0007 keeps every row current on each
    write to an innovation, its agency or its region (bulk writes included).
    """

    innovation = models.OneToOneField(
        Innovation, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    search_vector = SearchVectorField()
    is_published = models.BooleanField()
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20)
    owner_agency_id = models.BigIntegerField()
    province_code = models.CharField(max_length=2, blank=True)
    regency_id = models.BigIntegerField(null=True)
    agency_level = models.CharField(max_length=24)
    replication_count = models.PositiveIntegerField()
    launch_year = models.PositiveSmallIntegerField(null=True)
    created_at = models.DateTimeField()
    sdg_numbers = ArrayField(models.PositiveSmallIntegerField(), default=list)
    # "year:tier:group" of each KIPP award: the three award facets describe one award together.
    award_keys = ArrayField(models.CharField(max_length=40), default=list)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen pencarian")
        verbose_name_plural = _("dokumen pencarian")
        indexes = [
            GinIndex(fields=["search_vector"], name="innovations_search_vector"),
            # The list without a query: newest first, most replicated, by name (published only).
            models.Index(
                F("launch_year").desc(nulls_last=True),
                F("created_at").desc(),
                "innovation_id",
                condition=Q(is_published=True),
                name="innovations_search_latest",
            ),
            models.Index(
                F("replication_count").desc(),
                "name",
                condition=Q(is_published=True),
                name="innovations_search_popular",
            ),
            models.Index("name", condition=Q(is_published=True), name="innovations_search_name"),
            # Region pages.
            models.Index("province_code", "name", name="innovations_search_province"),
            models.Index("regency_id", "name", name="innovations_search_regency"),
            models.Index("owner_agency_id", name="innovations_search_agency"),
            # Related innovations: the sector's most replicated candidates (querysets.with_related_ids).
            models.Index(
                "category",
                F("replication_count").desc(),
                "innovation_id",
                name="innovations_search_sector_top",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BitStringField(models.Field):
    """A PostgreSQL bit string (varbit). Only SQL reads and writes these; Python never loads one."""

    def db_type(self, connection) -> str:
        return "varbit"


class SearchTerm(models.Model):
    """A lexeme of the search documents, with how many documents hold it.

    Once a lexeme is held by enough documents (innovations_bitmap_min_documents(), 100), it also keeps the
    bitmap of those documents (bit n set: innovation n holds it) and its postings (SearchPosting).
    Like every table of the search index, written only by the database (migration 0012).
    """

    id = models.AutoField(primary_key=True)  # an int4, as SearchPosting.term_id
    lexeme = models.TextField(_("leksem"), unique=True)
    documents = models.PositiveIntegerField(_("jumlah dokumen"), default=0)
    bits = BitStringField(null=True)

    class Meta:
        verbose_name = _("istilah pencarian")
        verbose_name_plural = _("istilah pencarian")

    def __str__(self) -> str:
        return self.lexeme


class SearchFacet(models.Model):
    """The bitmap of the documents having one facet value ("category:health", "sdg:3", "award:2020:top45:
    general") or one visibility ("published", "all"): facet counts are bit counts of these."""

    key = models.TextField(_("kunci"), primary_key=True)
    bits = BitStringField()

    class Meta:
        verbose_name = _("faset pencarian")
        verbose_name_plural = _("faset pencarian")

    def __str__(self) -> str:
        return self.key


class SearchPosting(models.Model):
    """One document holding one bitmapped lexeme, with its rank for that lexeme alone: a query's
    relevance is the sum of its lexemes' scores, so ranking reads these instead of the documents."""

    pk = models.CompositePrimaryKey("term_id", "innovation_id")
    term_id = models.IntegerField()
    innovation_id = models.IntegerField()
    score = models.FloatField()

    class Meta:
        verbose_name = _("posting pencarian")
        verbose_name_plural = _("posting pencarian")

    def __str__(self) -> str:
        return f"{self.term_id} · {self.innovation_id}"


class SearchBacklog(models.Model):
    """A document whose text changed since the lexemes' bitmaps and postings last took it in.

    Writers only queue here (migration 0013): the text part of the index is brought up to date in
    batches by innovations.tasks.catch_up_search_index, each bitmap rewritten once per batch however
    many documents changed. ``vector`` is the text the index still holds for the document (NULL: none
    yet); the document's own row says what it holds now. Facet bitmaps are kept current by the
    writer's own transaction and never wait here.
    """

    innovation_id = models.BigIntegerField(primary_key=True)  # no foreign key: deleted documents queue too
    vector = SearchVectorField(null=True)
    queued_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("antrean indeks pencarian")
        verbose_name_plural = _("antrean indeks pencarian")
        indexes = [models.Index("queued_at", name="innovations_backlog_queued")]

    def __str__(self) -> str:
        return str(self.innovation_id)


class SearchSynonym(models.Model):
    """A spelling variant, acronym or synonym the search links to one standard word, applied when a text
    is indexed and when a query is read (replikasi_lexemes, migration 0024).

    A single word is read as its standard word ("antrian" as "antrean"); a phrase adds its standard word
    beside itself ("pedagang kaki lima" also reads as "pkl", so a query "PKL" finds it and a query
    "pedagang kaki lima" finds a record saying "PKL"). The national team extends the list in the admin;
    texts already indexed follow a change once `manage.py learn_search_words` re-analyses the bank.
    """

    term = models.CharField(
        _("istilah"),
        max_length=100,
        unique=True,
        help_text=_("Kata atau frasa seperti ditulis orang, mis. “antrian”, “pedagang kaki lima”."),
    )
    standard = models.CharField(
        _("kata baku"), max_length=40, help_text=_("Satu kata yang mewakilinya, mis. “antrean”, “pkl”.")
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("sinonim pencarian")
        verbose_name_plural = _("sinonim pencarian")
        constraints = [
            models.CheckConstraint(
                condition=Q(term__regex=r"^[a-z0-9]+(-[a-z0-9]+)*( [a-z0-9]+(-[a-z0-9]+)*)*$"),
                name="%(app_label)s_%(class)s_term_plain_words",
            ),
            models.CheckConstraint(
                condition=Q(standard__regex=r"^[a-z0-9]+$"), name="%(app_label)s_%(class)s_standard_one_word"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.standard}"

    def clean(self) -> None:
        self.term = " ".join(self.term.lower().split())
        self.standard = self.standard.strip().lower()
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*( [a-z0-9]+(-[a-z0-9]+)*)*", self.term):
            raise ValidationError(
                {"term": _("Istilah hanya boleh berisi huruf, angka, tanda hubung dan spasi.")}
            )
        if not re.fullmatch(r"[a-z0-9]+", self.standard):
            raise ValidationError({"standard": _("Kata baku harus satu kata dari huruf dan angka.")})
        if self.term == self.standard:
            raise ValidationError({"standard": _("Kata baku harus berbeda dari istilahnya.")})


class SearchLemma(models.Model):
    """A word as written and its lemma (Sastrawi, the dictionary-based Indonesian stemmer), learned from
    the bank's texts by `manage.py learn_search_words` (innovations/analysis.py). ``lemma`` blank: the
    dictionary does not know the word, the `indonesian` Snowball stemmer stems it. A word not learned
    yet is stemmed by Snowball too, in documents and queries alike."""

    word = models.TextField(_("kata"), primary_key=True)
    lemma = models.TextField(_("kata dasar"), blank=True)

    class Meta:
        verbose_name = _("kata dasar pencarian")
        verbose_name_plural = _("kata dasar pencarian")

    def __str__(self) -> str:
        return f"{self.word} → {self.lemma or '-'}"


class InnovationLink(models.Model):
    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="links", verbose_name=_("inovasi")
    )
    title = models.CharField(_("judul"), max_length=200)
    url = models.URLField(_("tautan"), max_length=500)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tautan")
        verbose_name_plural = _("tautan")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "url"], name="%(app_label)s_%(class)s_unique_url")
        ]

    def __str__(self) -> str:
        return self.title


def innovation_document_path(instance, filename: str) -> str:
    return f"innovations/documents/{uuid.uuid4().hex}.pdf"


class InnovationDocument(models.Model):
    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="documents", verbose_name=_("inovasi")
    )
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=innovation_document_path)
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")

    def __str__(self) -> str:
        return self.title


class Tier(models.TextChoices):
    TOP_9 = "top9", _("Top 9")
    TOP_25 = "top25", _("Top 25")
    TOP_35 = "top35", _("Top 35")
    TOP_40 = "top40", _("Top 40")
    TOP_45 = "top45", _("Top 45")
    TOP_99 = "top99", _("Top 99 (finalis)")
    OUTSTANDING = "outstanding", _("Outstanding Achievement")


def top_tier_of(year: int) -> str:
    """The name of a KIPP edition's winners' tier: Top 9 in 2014 … Top 45 from 2019 on."""
    if year <= 2014:
        return Tier.TOP_9
    if year == 2015:
        return Tier.TOP_25
    if year == 2016:
        return Tier.TOP_35
    if year <= 2018:
        return Tier.TOP_40
    return Tier.TOP_45


class Group(models.TextChoices):
    GENERAL = "umum", _("Kelompok umum")
    REPLICATION = "replikasi", _("Kelompok replikasi")
    SPECIAL = "khusus", _("Kelompok khusus")


# KIPP split its entries into three groups from the 2020 edition on (KepMenPANRB 44/2020).
GROUPS_SINCE_YEAR = 2020


class KippEdition(models.Model):
    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    number = models.PositiveSmallIntegerField(_("penyelenggaraan ke-"), unique=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    top_tier = models.CharField(_("peringkat utama"), max_length=12, choices=Tier.choices)
    has_outstanding = models.BooleanField(_("ada Outstanding Achievement"), default=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("edisi KIPP")
        verbose_name_plural = _("edisi KIPP")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2014), name="%(app_label)s_%(class)s_year_from_2014"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="%(app_label)s_%(class)s_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(top_tier__in=[Tier.TOP_9, Tier.TOP_25, Tier.TOP_35, Tier.TOP_40, Tier.TOP_45]),
                name="%(app_label)s_%(class)s_top_tier_is_a_top",
            ),
        ]

    def __str__(self) -> str:
        return f"KIPP {self.year}"

    def save(self, *args, **kwargs) -> None:
        if not self.top_tier:
            self.top_tier = top_tier_of(self.year)
        super().save(*args, **kwargs)

    @property
    def tiers(self) -> list[str]:
        tiers = [self.top_tier or top_tier_of(self.year), Tier.TOP_99]
        if self.has_outstanding:
            tiers.append(Tier.OUTSTANDING)
        return tiers


class KippAward(models.Model):
    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="awards", verbose_name=_("inovasi")
    )
    edition = models.ForeignKey(
        KippEdition, on_delete=models.PROTECT, related_name="awards", verbose_name=_("edisi KIPP")
    )
    group = models.CharField(_("kelompok"), max_length=12, choices=Group.choices, default=Group.GENERAL)
    tier = models.CharField(_("peringkat"), max_length=12, choices=Tier.choices)

    class Meta:
        ordering = ["-edition__year", "tier"]
        verbose_name = _("penghargaan KIPP")
        verbose_name_plural = _("penghargaan KIPP")
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "edition"], name="%(app_label)s_%(class)s_once_per_edition"
            ),
            models.CheckConstraint(
                condition=Q(group__in=Group.values), name="%(app_label)s_%(class)s_group_known"
            ),
            models.CheckConstraint(
                condition=Q(tier__in=Tier.values), name="%(app_label)s_%(class)s_tier_known"
            ),
        ]
        indexes = [models.Index(fields=["edition", "group", "tier"], name="innovations_award_edition_tier")]

    def __str__(self) -> str:
        return f"{self.innovation} · {self.edition} · {self.get_tier_display()}"

    def get_tier_display(self) -> str:
        return choice_label(Tier, self.tier)

    def get_group_display(self) -> str:
        return choice_label(Group, self.group)

    def clean(self) -> None:
        if not self.edition_id:
            return
        errors = {}
        if self.tier and self.tier not in self.edition.tiers:
            errors["tier"] = _("Peringkat ini tidak ada pada %(edition)s.") % {"edition": self.edition}
        if self.edition.year < GROUPS_SINCE_YEAR and self.group != Group.GENERAL:
            errors["group"] = _("Kelompok replikasi dan khusus baru ada sejak KIPP 2020.")
        if errors:
            raise ValidationError(errors)


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Sedang diperiksa")
    CHECKED = "checked", _("Siap diimpor")
    REFUSED = "refused", _("Ditolak")
    IMPORTING = "importing", _("Sedang diimpor")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class InnovationImport(models.Model):
    """One spreadsheet uploaded by the national team: checked row by row by a Celery job, confirmed by
    a person, then imported by another job (innovations/spreadsheets/jobs.py). The file is kept with
    its report, so nothing submitted is lost and every import can be traced."""

    filename = models.CharField(_("nama berkas"), max_length=200)
    data = models.BinaryField(_("isi berkas"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    rows_total = models.PositiveIntegerField(_("jumlah baris"), default=0)
    counts = models.JSONField(_("ringkasan"), default=dict)
    report = models.JSONField(_("laporan per baris"), default=list)
    message = models.TextField(_("pesan"), blank=True)
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor inovasi")
        verbose_name_plural = _("impor inovasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="%(app_label)s_%(class)s_status_known"
            ),
            # One import writes at a time: a second one waits for its turn to be confirmed.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="importing"),
                name="%(app_label)s_%(class)s_one_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return self.filename


class PossibleDuplicate(models.Model):
    """An innovation whose name is nearly that of another one of its agency, or the same as one of
    another agency of its region, found when it was imported; listed in admin until someone decides."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="+", verbose_name=_("inovasi")
    )
    similar_to = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="+", verbose_name=_("mirip dengan")
    )
    reason = models.CharField(_("alasan"), max_length=500)
    found_by = models.ForeignKey(
        InnovationImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
        verbose_name=_("ditemukan oleh impor"),
    )
    created_at = models.DateTimeField(_("ditemukan"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kemungkinan duplikat")
        verbose_name_plural = _("kemungkinan duplikat")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "similar_to"], name="%(app_label)s_%(class)s_once"),
            models.CheckConstraint(
                condition=~Q(innovation=F("similar_to")), name="%(app_label)s_%(class)s_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} ~ {self.similar_to}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu tinjauan")
    PUBLISHED = "published", _("Diterbitkan")
    RETURNED = "returned", _("Dikembalikan")


class InnovationChange(models.Model):
    """A change to an innovation's public record proposed by one of its innovators, published only
    after the national team reviewed it as a diff against the record (innovations/changes.py)."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="changes", verbose_name=_("inovasi")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("diusulkan oleh"),
    )  # fmt: skip
    values = models.JSONField(_("nilai baru"), default=dict)  # field -> proposed value
    before = models.JSONField(_("nilai terbit saat diusulkan"), default=dict)  # field -> value then
    note = models.TextField(_("catatan inovator"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    review_note = models.TextField(_("catatan peninjau"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ditinjau oleh"),
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("diusulkan pada"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("usulan perubahan inovasi")
        verbose_name_plural = _("usulan perubahan inovasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChangeStatus.values), name="%(app_label)s_%(class)s_status_known"
            ),
            # One change waits at a time per innovation: the innovator edits it until it is reviewed.
            models.UniqueConstraint(
                fields=["innovation"],
                condition=Q(status="pending"),
                name="%(app_label)s_%(class)s_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} · {self.get_status_display()}"

    def proposer_name(self) -> str:
        """Who proposed it, by name or username ("" once their account is deleted)."""
        user = self.proposed_by
        return (user.get_full_name() or user.username) if user else ""


class ProposedDocument(models.Model):
    """A document an innovator added to a proposed change: held aside, never shown on the record, until
    the national team publishes the change (innovations/changes.py)."""

    change = models.ForeignKey(
        InnovationChange,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("usulan perubahan"),
    )
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=innovation_document_path)
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("dokumen yang diusulkan")
        verbose_name_plural = _("dokumen yang diusulkan")

    def __str__(self) -> str:
        return self.title
