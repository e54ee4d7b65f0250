"""The public pages of the bank: search with facets, find by problem, profiles, regions, agencies,
KIPP editions. Only published innovations are public; bad query strings give a normal page."""

import datetime
import re

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from innovations.filters import Facet, FacetValue
from innovations.models import SDG, Category, Group, KippAward, SearchDocument, Tier
from innovations.search import Sort
from regions.models import AgencyLevel
from replications.models import Status
from tests.factories import AgencyFactory, InnovationFactory, ProposalFactory, edition, regency

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    """A small bank: three published innovations in two provinces, one draft."""
    pangandaran = AgencyFactory(name="Pemerintah Kabupaten Pangandaran", regency=regency("32.18"))
    padang = AgencyFactory(name="Pemerintah Kota Padang", regency=regency("13.71"))
    gigi = InnovationFactory(
        name="Menyeting Gigi Emas",
        summary="Mencegah stunting dengan gerakan masyarakat desa.",
        owner_agency=pangandaran,
        category=Category.HEALTH,
    )
    gigi.sdgs.set(SDG.objects.filter(number__in=[2, 3]))
    KippAward.objects.create(innovation=gigi, edition=edition(2020), tier=Tier.TOP_45, group=Group.GENERAL)
    imud = InnovationFactory(
        name="Kelas IMUD", summary="Kelas ibu muda untuk pencegahan stunting.", owner_agency=padang
    )
    imud.sdgs.set(SDG.objects.filter(number=3))
    sekolah = InnovationFactory(
        name="Gerakan Kembali Bersekolah",
        summary="Mengatasi anak tidak sekolah.",
        owner_agency=padang,
        category=Category.EDUCATION,
    )
    KippAward.objects.create(innovation=sekolah, edition=edition(2019), tier=Tier.TOP_99)
    draft = InnovationFactory(
        name="Draf Stunting Rahasia",
        summary="Stunting stunting stunting.",
        owner_agency=padang,
        is_published=False,
    )
    KippAward.objects.create(innovation=draft, edition=edition(2020), tier=Tier.TOP_99)
    return {"gigi": gigi, "imud": imud, "sekolah": sekolah, "draft": draft}


def names(response) -> list[str]:
    return [innovation.name for innovation in response.context["page"].object_list]


def facet(response, name: str) -> dict[str, int]:
    return {
        value.value: value.count for f in response.context["facets"] if f.name == name for value in f.values
    }


def test_search_ranks_stemmed_matches_and_highlights_them(client, bank, search_path):
    response = client.get("/inovasi/", {"q": "pencegahan stunting"})
    assert response.status_code == 200
    assert set(names(response)) == {"Menyeting Gigi Emas", "Kelas IMUD"}
    body = response.content.decode()
    assert "<mark>Mencegah</mark> <mark>stunting</mark>" in body or "<mark>stunting</mark>" in body
    assert "Draf Stunting Rahasia" not in body


def test_facet_counts_agree_with_the_filtered_results(client, bank, search_path):
    response = client.get("/inovasi/")
    for facet_name in ["category", "sdg", "province", "level", "kipp_year", "tier", "group", "replicated"]:
        for value, count in facet(response, facet_name).items():
            narrowed = client.get("/inovasi/", {facet_name: value})
            assert narrowed.context["page"].paginator.count == count, (facet_name, value)
    assert facet(response, "category") == {"health": 2, "education": 1}
    assert facet(response, "kipp_year") == {"2020": 1, "2019": 1}  # the draft's award is not counted
    assert facet(response, "province") == {"32": 1, "13": 2}


def test_two_facets_narrow_together_and_counts_follow_the_other_facets(client, bank, search_path):
    response = client.get("/inovasi/", {"category": "health", "province": "13"})
    assert names(response) == ["Kelas IMUD"]
    # Province counts are over health innovations; category counts over province 13.
    assert facet(response, "province") == {"32": 1, "13": 1}
    assert facet(response, "category") == {"health": 1, "education": 1}


def test_award_facets_describe_one_award(client, bank, search_path):
    assert names(client.get("/inovasi/", {"kipp_year": "2020", "tier": "top45"})) == ["Menyeting Gigi Emas"]
    assert names(client.get("/inovasi/", {"kipp_year": "2020", "tier": "top99"})) == []


def test_no_result_says_so_and_suggests_removing_filters(client, bank, search_path):
    response = client.get("/inovasi/", {"q": "stunting", "category": "education"})
    body = response.content.decode()
    assert "Tidak ada inovasi yang cocok." in body
    assert "Coba hapus sebagian saringan" in body
    assert 'href="?q=stunting">Sektor: Pendidikan' in body  # one tap drops the filter
    assert 'name="sort"' not in body.split('class="results"')[1]  # nothing to sort


def test_a_search_that_finds_nothing_without_filters_shows_no_empty_sidebar(client, bank, search_path):
    body = client.get("/inovasi/", {"q": "zzzzqqq"}).content.decode()
    assert "Tidak ada inovasi yang cocok." in body
    assert 'class="facets"' not in body and "search-layout-single" in body


def test_active_filters_are_listed_above_the_results_each_with_a_link_that_drops_it(
    client, bank, search_path
):
    response = client.get("/inovasi/", {"q": "stunting", "sdg": ["2", "3"], "province": "32", "sort": "name"})
    body = response.content.decode()
    active = body[body.index('<ul class="active-filters"') : body.index('<ol class="cards"')]

    assert names(response) == ["Menyeting Gigi Emas"]
    links = dict(re.findall(r'<a href="\?([^"]*)"[^>]*>([^<]*?) <span', active))
    assert links == {
        "q=stunting&amp;sdg=3&amp;province=32&amp;sort=name": "Tujuan SDG: 2. Tanpa Kelaparan",
        "q=stunting&amp;sdg=2&amp;province=32&amp;sort=name": "Tujuan SDG: 3. Kehidupan Sehat dan Sejahtera",
        "q=stunting&amp;sdg=2&amp;sdg=3&amp;sort=name": "Provinsi: Jawa Barat",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"category": "astrologi"},
        {"sdg": "99"},
        {"sdg": "abc"},
        {"province": "'; DROP TABLE x;--"},
        {"kipp_year": "1800"},
        {"page": "99999"},
        {"page": "-1"},
        {"page": "abc"},
        {"sort": "bogus"},
        {"q": "a" * 20000},
        {"q": "stunting\x00"},
        {"q": "\"'\\%_*&|!():<>"},
        {"q": "dan yang di untuk"},
        {"replicated": ["yes", "no", "maybe"]},
    ],
)
def test_bad_query_strings_give_a_normal_page(client, bank, params):
    response = client.get("/inovasi/", params)
    assert response.status_code == 200


def test_unknown_facet_values_are_ignored_not_fatal(client, bank):
    response = client.get("/inovasi/", {"category": ["health", "astrologi"]})
    assert set(names(response)) == {"Menyeting Gigi Emas", "Kelas IMUD"}


def test_the_url_holds_the_whole_state(client, bank):
    response = client.get("/inovasi/", {"q": "stunting", "category": "health", "sort": "name", "page": "1"})
    assert names(response) == ["Kelas IMUD", "Menyeting Gigi Emas"]
    assert response.context["sort"] == "name"


@pytest.fixture
def larger_bank(bank):
    """Enough innovations for three pages, ranked apart by where "stunting" appears."""
    for number in range(45):
        InnovationFactory(
            name=f"Posyandu Stunting {number}" if number % 3 == 0 else f"Layanan Gizi {number}",
            summary="Pemantauan stunting balita." if number % 2 else "Gizi balita di posyandu.",
            category=Category.HEALTH if number % 4 else Category.EDUCATION,
            launch_year=2010 + number % 12,
        )
    return bank


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "stunting"},
        {"q": "stunting", "category": "health"},
        {"q": "stunting balita", "sort": "name"},
        {"q": "posyandu stunting", "page": "2"},  # one page only: the last is shown
        {"sort": "replicated", "page": "2"},
        {"category": "education", "sort": "newest"},
        {"q": "stunting sekolah"},  # no record holds both words: partial matches
        {"q": "stunting", "sdg": "3", "kipp_year": "2020"},
    ],
)
def test_the_page_shows_what_the_filterset_returns_in_the_same_order(
    client, larger_bank, search_path, params
):
    """The page's one statement (count, facets and page together) agrees with the FilterSet's
    queryset, which the API serves: the same total and the same innovations in the same order."""
    from urllib.parse import urlencode

    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from innovations.filters import InnovationFilterSet
    from innovations.models import SearchDocument

    response = client.get("/inovasi/", params)
    filterset = InnovationFilterSet(
        QueryDict(urlencode(params)), queryset=SearchDocument.objects.visible_to(AnonymousUser())
    )
    filterset.terms  # noqa: B018 (resolves the query as the API does)
    number = response.context["page"].number  # a page past the end shows the last one
    expected = list(filterset.results().values_list("name", flat=True)[(number - 1) * 20 : number * 20])
    assert response.context["page"].paginator.count == filterset.results().count()
    assert names(response) == expected


def test_the_best_matches_come_first(client, larger_bank, search_path):
    """A match in the name outranks one in the problem only; both outrank a record without it."""
    ranked = names(client.get("/inovasi/", {"q": "stunting"}))
    in_name = [name for name in ranked if "Stunting" in name]
    assert ranked[: len(in_name)] == in_name and len(in_name) == 15
    assert names(client.get("/inovasi/", {"q": "stunting", "page": "3"}))[-1] != ranked[0]


@pytest.mark.parametrize("sort", ["newest", "replicated", "name"])
def test_the_pages_of_a_long_list_follow_one_another_in_every_order(client, larger_bank, search_path, sort):
    """Walking the sort's index, a page in the back half is read from the far end: the pages must
    still join up, each innovation once, in the order of the documents themselves."""
    for number in range(23):  # four pages, the third read from the far end; NULLs sort last
        InnovationFactory(name=f"Tanpa Tahun {number:02}", launch_year=None)
    ordering = Sort.ORDERING[sort]
    expected = list(
        SearchDocument.objects.filter(is_published=True).order_by(*ordering).values_list("name", flat=True)
    )
    shown = [
        name
        for number in (1, 2, 3, 4)
        for name in names(client.get("/inovasi/", {"sort": sort, "page": number}))
    ]
    assert shown == expected and len(expected) == 71


@pytest.mark.parametrize(("page", "shown"), [("99999", 3), ("0", 3), ("-1", 3), ("abc", 1), ("2", 2)])
def test_a_page_number_out_of_range_gives_the_nearest_real_page(
    client, larger_bank, search_path, page, shown
):
    response = client.get("/inovasi/", {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == shown
    assert len(names(response)) == (8 if shown == 3 else 20)


def test_sorting_by_most_replicated_uses_proven_replications(client, bank, search_path):
    proposal = ProposalFactory(innovation=bank["sekolah"])
    proposal.letter_number, proposal.letter_date = "B/1/2021", datetime.date(2021, 8, 27)
    proposal.letter_file.name = "private/letters/x.pdf"
    proposal.status = Status.COMMITTED
    proposal.save()
    assert names(client.get("/inovasi/", {"sort": "replicated"}))[0] == "Gerakan Kembali Bersekolah"
    assert facet(client.get("/inovasi/"), "replicated") == {"yes": 1, "no": 2}


def test_find_by_problem_ranks_and_explains(client, bank):
    response = client.get(
        "/inovasi/cari-masalah/", {"problem": "Angka stunting tinggi dan banyak anak tidak sekolah"}
    )
    assert response.status_code == 200
    matches = response.context["matches"]
    assert {m.name for m in matches} == {"Menyeting Gigi Emas", "Kelas IMUD", "Gerakan Kembali Bersekolah"}
    assert matches[0].name == "Gerakan Kembali Bersekolah"  # holds two of the problem's words
    assert matches[0].matched_words == ["anak", "sekolah"]
    assert {m.name: m.matched_words for m in matches[1:]} == {
        "Menyeting Gigi Emas": ["stunting"],
        "Kelas IMUD": ["stunting"],
    }
    assert "Cocok dengan:" in response.content.decode()


def test_find_by_problem_with_an_empty_or_overlong_text_gives_a_clear_message(client, bank):
    assert client.get("/inovasi/cari-masalah/", {"problem": ""}).status_code == 200
    response = client.get("/inovasi/cari-masalah/", {"problem": "x" * 3000})
    assert response.status_code == 200
    assert "paling banyak 2000 karakter" in response.content.decode()


def test_profile_shows_awards_replications_and_related(client, bank):
    proposal = ProposalFactory(innovation=bank["gigi"], regency=regency("13.74"))
    proposal.letter_number, proposal.letter_date = (
        "B/061/143/SETDAKO-PP/VIII/2021",
        datetime.date(2021, 8, 27),
    )
    proposal.letter_file.name = "private/letters/x.pdf"
    proposal.status = Status.APPROVED
    proposal.save()
    hidden = ProposalFactory(innovation=bank["gigi"], regency=regency("13.77"))  # a draft stays private
    response = client.get(reverse("innovation-detail", args=[bank["gigi"].slug]))
    body = response.content.decode()
    assert "KIPP 2020 · Top 45" in body
    assert "Kota Padang Panjang" in body
    assert hidden.regency.name not in body
    # Similar text, same sector first: both share "stunting", Kelas IMUD is also a health innovation.
    assert [r.name for r in response.context["related"]][0] == "Kelas IMUD"


def test_related_innovations_are_the_nearest_in_text_among_the_sectors_most_replicated(client, bank):
    from innovations.models import Innovation

    nearest = InnovationFactory(
        name="Stunting Gigi Emas", summary="Mencegah stunting, gerakan masyarakat desa."
    )
    unrelated = InnovationFactory(name="Kartu Pustaka", summary="Perpustakaan keliling.")
    Innovation.objects.filter(pk__in=[nearest.pk, unrelated.pk]).update(replication_count=3)
    response = client.get(reverse("innovation-detail", args=[bank["gigi"].slug]))
    related = [r.name for r in response.context["related"]]
    assert related[0] == "Stunting Gigi Emas"  # shares the most of the name and the problem
    assert "Kartu Pustaka" not in related  # shares no word
    assert "Draf Stunting Rahasia" not in related
    # Candidates are the sector's most replicated: past the bound, the rest are not considered.

    bounded = Innovation.objects.filter(pk=bank["gigi"].pk).with_related_ids(drafts=False, candidates=1)
    assert bounded.get().related_ids == [nearest.pk]


def test_unpublished_innovations_never_appear_in_public(client, bank, search_path):
    draft = bank["draft"]
    assert client.get(reverse("innovation-detail", args=[draft.slug])).status_code == 404
    pages = [
        "/",
        "/inovasi/",
        "/inovasi/?q=stunting",
        "/inovasi/cari-masalah/?problem=stunting",
        reverse("innovation-detail", args=[bank["imud"].slug]),
        reverse("province-detail", args=["13"]),
        reverse("regency-detail", args=["13.71"]),
        reverse("agency-detail", args=[draft.owner_agency_id]),
        reverse("edition-detail", args=[2020]),
        reverse("edition-list"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert draft.name not in response.content.decode(), url


def test_national_admins_see_drafts(client, bank, search_path, national_admin):
    client.force_login(national_admin)
    assert client.get(reverse("innovation-detail", args=[bank["draft"].slug])).status_code == 200
    assert "Draf Stunting Rahasia" in names(client.get("/inovasi/", {"q": "stunting"}))


def test_region_and_agency_pages_show_drafts_to_national_admins_only(client, bank, national_admin):
    pages = [
        reverse("province-detail", args=["13"]),
        reverse("regency-detail", args=["13.71"]),
        reverse("agency-detail", args=[bank["draft"].owner_agency_id]),
    ]
    for url in pages:
        assert "Draf Stunting Rahasia" not in names(client.get(url)), url
    client.force_login(national_admin)
    for url in pages:
        response = client.get(url)
        assert "Draf Stunting Rahasia" in names(response), url
        assert response.context["page"].paginator.count == 3, url


def test_an_agency_page_lists_its_units_innovations_with_its_own(client, bank):
    padang = bank["imud"].owner_agency
    office = AgencyFactory(name="Dinas Kesehatan Kota Padang", level=AgencyLevel.OFFICE, parent=padang)
    InnovationFactory(name="Posyandu Keliling", owner_agency=office)

    response = client.get(reverse("agency-detail", args=[padang.pk]))

    assert names(response) == ["Gerakan Kembali Bersekolah", "Kelas IMUD", "Posyandu Keliling"]
    assert response.context["page"].paginator.count == 3
    assert names(client.get(reverse("agency-detail", args=[office.pk]))) == ["Posyandu Keliling"]


def test_an_agency_without_a_parent_names_its_region_without_a_stray_separator(client, bank):
    body = client.get(reverse("agency-detail", args=[bank["imud"].owner_agency_id])).content.decode()
    assert re.search(r'<p class="small">\s*<a href="/wilayah/13\.71/">Kota Padang</a>', body)


def test_find_by_problem_points_its_field_at_its_help_text(client):
    body = client.get(reverse("find-by-problem")).content.decode()
    described_by = re.search(r'<textarea[^>]*aria-describedby="([^"]+)"', body).group(1)
    assert f'id="{described_by}"' in body


def test_region_and_agency_pages(client, bank):
    province = client.get(reverse("province-detail", args=["13"]))
    assert set(names(province)) == {"Kelas IMUD", "Gerakan Kembali Bersekolah"}
    regency_page = client.get(reverse("regency-detail", args=["32.18"]))
    assert names(regency_page) == ["Menyeting Gigi Emas"]
    office = AgencyFactory(name="Dinas Kesehatan", level=AgencyLevel.OFFICE, parent=bank["imud"].owner_agency)
    agency_page = client.get(reverse("agency-detail", args=[bank["imud"].owner_agency_id]))
    assert office.name in agency_page.content.decode()
    assert client.get("/wilayah/99/").status_code == 404
    assert client.get("/wilayah/13.99/").status_code == 404
    assert client.get("/instansi/999999/").status_code == 404


@pytest.mark.parametrize("number", ["99", "0", "-1", "abc", ""])
def test_a_region_page_number_out_of_range_gives_the_nearest_real_page(client, bank, number):
    response = client.get(reverse("province-detail", args=["13"]), {"page": number})
    assert response.context["page"].number == 1
    assert response.context["page"].paginator.count == 2
    assert set(names(response)) == {"Kelas IMUD", "Gerakan Kembali Bersekolah"}


def test_edition_page_lists_winners_by_group_and_tier(client, bank):
    response = client.get(reverse("edition-detail", args=[2020]))
    winners = {
        group: {
            tier: [(award["innovation_name"], award["innovation_url"]) for award in awards]
            for tier, awards in tiers.items()
        }
        for group, tiers in response.context["groups"].items()
    }
    profile = reverse("innovation-detail", args=[bank["gigi"].slug])
    assert winners == {"Kelompok umum": {"Top 45": [("Menyeting Gigi Emas", profile)]}}
    assert f'<a href="{profile}">Menyeting Gigi Emas</a>' in response.content.decode()
    assert str(bank["gigi"].owner_agency) in response.content.decode()
    assert client.get("/kipp/2099/").status_code == 404


def test_an_edition_page_escapes_what_its_winners_are_called(client, bank):
    odd = AgencyFactory(name="Dinas <Kominfo> & Statistik", regency=regency("13.71"))
    winner = InnovationFactory(name="Layanan <script>alert(1)</script>", owner_agency=odd)
    KippAward.objects.create(innovation=winner, edition=edition(2020), tier=Tier.TOP_45)

    body = client.get(reverse("edition-detail", args=[2020])).content.decode()

    assert "<script>alert(1)" not in body
    assert "Layanan &lt;script&gt;alert(1)&lt;/script&gt;</a>" in body
    assert "Dinas &lt;Kominfo&gt; &amp; Statistik" in body


def test_long_replications_tables_are_paged_and_keep_the_cards_page(client, bank):
    from replications.models import Proposal

    for number in range(23):
        ProposalFactory(innovation=InnovationFactory(name=f"Inovasi Direplikasi {number:02}"))
    Proposal.objects.update(
        status=Status.APPROVED,
        letter_number="B/1/2021",
        letter_date=datetime.date(2021, 8, 27),
        letter_file="private/letters/x.pdf",
    )
    url = reverse("regency-detail", args=["13.74"])
    first = client.get(url)
    assert len(first.context["replications"].object_list) == 20
    # A turn of the table's page lands on the table, not at the top of the page.
    assert 'href="?replikasi=2#replicates-title"' in first.content.decode()
    second = client.get(url, {"page": "1", "replikasi": "2"})
    assert len(second.context["replications"].object_list) == 3
    assert 'href="?page=1&amp;replikasi=1#replicates-title"' in second.content.decode()
    assert 'aria-label="Halaman tabel replikasi"' in second.content.decode()
    shown = {row["innovation_name"] for page in (first, second) for row in page.context["replications"]}
    assert len(shown) == 23
    for number, shown in [("abc", 1), ("", 1), ("99", 2), ("0", 2), ("-1", 2)]:
        page = client.get(url, {"replikasi": number}).context["replications"]
        assert (page.number, page.paginator.count) == (shown, 23), number
        assert len(page.object_list) == (20 if shown == 1 else 3), number


def test_editions_count_the_winners_each_visitor_may_see(client, bank, national_admin):
    def winners() -> dict[int, int]:
        editions = client.get(reverse("edition-list")).context["editions"]
        return {int(e["year"]): e["winner_count"] for e in editions if e["year"] in ("2019", "2020")}

    assert winners() == {2020: 1, 2019: 1}  # the draft's award is not counted
    client.force_login(national_admin)
    assert winners() == {2020: 2, 2019: 1}


def test_replications_tables_link_the_innovation_the_region_and_the_adopting_agency(client, bank):
    city = AgencyFactory(name="Pemerintah Kota Padang Panjang", regency=regency("13.74"))
    adopter = AgencyFactory(name="Dinas Kesehatan", level=AgencyLevel.OFFICE, parent=city)
    proposal = ProposalFactory(innovation=bank["gigi"], regency=regency("13.74"), adopting_agency=adopter)
    proposal.letter_number, proposal.letter_date = "B/1/2021", datetime.date(2021, 8, 27)
    proposal.letter_file.name = "private/letters/x.pdf"
    proposal.status = Status.IMPLEMENTING
    proposal.save()
    unapproved = InnovationFactory(name="Usulan Belum Disetujui", owner_agency=bank["gigi"].owner_agency)
    ProposalFactory(innovation=unapproved, regency=regency("13.74"), adopting_agency=adopter)  # a draft
    links = [
        f'<a href="{reverse("innovation-detail", args=[bank["gigi"].slug])}">Menyeting Gigi Emas</a>',
        f'<a href="{reverse("regency-detail", args=["13.74"])}">Kota Padang Panjang</a>',
        f'<a href="{reverse("agency-detail", args=[adopter.pk])}">{adopter.name}</a>',
        f'<span class="status status-implementing">{Status.IMPLEMENTING.label}</span>',
        f"<td>{proposal.round.deadline.year}</td>",
    ]
    for url in [
        reverse("regency-detail", args=["13.74"]),
        reverse("province-detail", args=["13"]),
        reverse("agency-detail", args=[adopter.pk]),
    ]:
        body = client.get(url).content.decode()
        assert all(link in body for link in links), url
        assert unapproved.name not in body, url
    profile = client.get(reverse("innovation-detail", args=[bank["gigi"].slug])).content.decode()
    assert all(link in profile for link in links[1:])


def test_a_drafts_replications_stay_out_of_public_replications_tables(client, bank, national_admin):
    adopter = AgencyFactory(name="Dinas Kesehatan Kota Padang Panjang", regency=regency("13.74"))
    proposal = ProposalFactory(innovation=bank["draft"], regency=regency("13.74"), adopting_agency=adopter)
    proposal.letter_number, proposal.letter_date = "B/2/2021", datetime.date(2021, 8, 27)
    proposal.letter_file.name = "private/letters/x.pdf"
    proposal.status = Status.REPLICATED
    proposal.save()
    pages = [
        reverse("regency-detail", args=["13.74"]),
        reverse("province-detail", args=["13"]),
        reverse("agency-detail", args=[adopter.pk]),
    ]

    for url in pages:
        response = client.get(url)
        assert bank["draft"].name not in response.content.decode(), url
        assert response.context[replications_of(url)].paginator.count == 0, url
    client.force_login(national_admin)
    for url in pages:
        response = client.get(url)
        assert bank["draft"].name in response.content.decode(), url
        assert response.context[replications_of(url)].paginator.count == 1, url


def replications_of(url: str) -> str:
    return "adopted" if url.startswith("/instansi/") else "replications"


@pytest.mark.parametrize("page", ["99999", "99999999999999999999"])
def test_a_page_number_past_any_end_gives_a_region_pages_last_page(client, bank, page):
    for url in [reverse("province-detail", args=["13"]), reverse("regency-detail", args=["13.71"])]:
        response = client.get(url, {"page": page, "replikasi": page})
        assert response.status_code == 200, url
        assert response.context["page"].number == 1, url
        assert names(response), url


def test_the_banks_indonesian_text_is_marked_as_such_in_an_english_page(client, bank):
    """Screen readers then read the innovations' own words with an Indonesian voice."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    profile = client.get(reverse("innovation-detail", args=[bank["gigi"].slug])).content.decode()
    assert '<html lang="en">' in profile
    assert '<p lang="id">Mencegah stunting dengan gerakan masyarakat desa.</p>' in profile
    assert '<p class="snippet" lang="id">' in client.get("/inovasi/", {"q": "stunting"}).content.decode()


def test_pages_switch_to_english_and_remember_it(client, bank):
    client.post("/i18n/setlang/", {"language": "en", "next": "/inovasi/"})
    response = client.get("/inovasi/", {"q": "stunting"})
    assert '<html lang="en">' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/inovasi/"})
    assert '<html lang="id">' in client.get("/inovasi/").content.decode()


def test_cached_pages_and_counts_follow_every_change_to_the_bank(client, bank):
    assert len(names(client.get("/inovasi/", {"q": "stunting"}))) == 2
    assert len(names(client.get("/inovasi/", {"q": "stunting"}))) == 2  # served from the cache
    InnovationFactory(name="Posyandu Stunting", summary="Pemantauan stunting balita.")
    response = client.get("/inovasi/", {"q": "stunting"})
    assert "Posyandu Stunting" in names(response)
    assert facet(response, "category") == {"health": 3}
    bank["imud"].is_published = False
    bank["imud"].save()
    assert "Kelas IMUD" not in names(client.get("/inovasi/", {"q": "stunting"}))


def test_admins_never_read_pages_cached_for_the_public(client, bank, national_admin):
    client.get("/inovasi/", {"q": "stunting"})  # cached for the public
    client.force_login(national_admin)
    assert "Draf Stunting Rahasia" in names(client.get("/inovasi/", {"q": "stunting"}))
    client.logout()
    assert "Draf Stunting Rahasia" not in names(client.get("/inovasi/", {"q": "stunting"}))


def test_suggestions_match_what_is_being_typed_and_hide_drafts(client, bank):
    names_for = lambda q: [r["name"] for r in client.get("/inovasi/saran/", {"q": q}).json()["results"]]  # noqa: E731
    assert names_for("menyet") == ["Menyeting Gigi Emas"]
    assert "Kelas IMUD" in names_for("pencegahan stunting")
    assert "Draf Stunting Rahasia" not in names_for("stunt")
    assert names_for("") == [] and names_for("\\x00'\\\\") == []


def test_suggestions_for_a_described_problem_use_the_find_by_problem_ranking(client, bank):
    results = client.get("/inovasi/saran/", {"masalah": "banyak anak tidak sekolah dan stunting"}).json()[
        "results"
    ]
    assert results[0]["name"] == "Gerakan Kembali Bersekolah"
    assert results[0]["matched"] == ["anak", "sekolah"]
    assert "Draf Stunting Rahasia" not in [r["name"] for r in results]


def sidebar(response) -> str:
    body = response.content.decode()
    return body[body.index('<aside class="facets"') : body.index("</aside>")]


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_facets_checkboxes_escape_their_labels_and_group_counts_as_the_language_does(language):
    facet = Facet(
        "province",
        "Provinsi",
        [FacetValue("13", "Sumatera <Barat>", 12345, True), FacetValue("33", "Jawa & Tengah", 7, False)],
    )

    with translation.override(language):
        html = render_to_string("innovations/facet_values.html", {"facet": facet})
        grouped = intcomma(12345)

    assert grouped == {"id": "12.345", "en": "12,345"}[language]
    assert html == (
        '<label class="facet-value"><input type="checkbox" name="province" value="13" checked> '
        f'Sumatera &lt;Barat&gt; <span class="count">({grouped})</span></label>\n'
        '<label class="facet-value"><input type="checkbox" name="province" value="33"> '
        'Jawa &amp; Tengah <span class="count">(7)</span></label>\n'
    )


def test_the_cached_facet_sidebar_follows_the_words_typed_the_language_and_the_bank(client, bank):
    """The sidebar's HTML is cached per bank version and search: never another visitor's words or language."""
    assert 'value="Stunting"' in sidebar(client.get("/inovasi/", {"q": "Stunting"}))
    typed_otherwise = sidebar(client.get("/inovasi/", {"q": "stunting"}))  # the same lexemes
    assert 'value="stunting"' in typed_otherwise
    assert 'Kesehatan <span class="count">(2)</span>' in typed_otherwise
    InnovationFactory(name="Posyandu Stunting", summary="Pemantauan stunting balita.")
    assert 'Kesehatan <span class="count">(3)</span>' in sidebar(client.get("/inovasi/", {"q": "stunting"}))
    client.post("/i18n/setlang/", {"language": "en", "next": "/inovasi/"})
    english = sidebar(client.get("/inovasi/", {"q": "stunting"}))
    assert 'Health <span class="count">(3)</span>' in english
    assert "Kesehatan" not in english


def card_of(response, name: str) -> str:
    body = response.content.decode()
    start = body.index(f">{name}</a>")
    return body[body.rindex('<li class="card">', 0, start) : body.index("</li>", start)]


def test_a_card_shows_its_agency_place_awards_and_replications_in_the_visitors_language(client, bank):
    from innovations.models import Innovation

    Innovation.objects.filter(pk=bank["gigi"].pk).update(replication_count=3)
    card = card_of(client.get("/inovasi/", {"q": "stunting"}), "Menyeting Gigi Emas")
    assert f'href="{reverse("innovation-detail", args=[bank["gigi"].slug])}"' in card
    agency = bank["gigi"].owner_agency
    assert (
        f'<a href="{reverse("agency-detail", args=[agency.pk])}">{agency.name}</a> · Kabupaten Pangandaran'
        in card
    )
    assert "Kesehatan" in card and "KIPP 2020 · Top 45" in card and "Direplikasi 3 daerah" in card
    assert "<mark>stunting</mark>" in card
    assert "Draf" not in card

    client.post("/i18n/setlang/", {"language": "en", "next": "/inovasi/"})
    card = card_of(client.get("/wilayah/32.18/"), "Menyeting Gigi Emas")
    assert "Health" in card and "KIPP 2020 · Top 45" in card and "Replicated in 3 regions" in card


def test_a_draft_card_is_marked_for_the_admins_who_see_it(client, bank, national_admin):
    client.force_login(national_admin)
    card = card_of(client.get("/inovasi/", {"q": "stunting"}), "Draf Stunting Rahasia")
    assert "Draf" in card.split("</h3>")[0].split("</a>")[1]


def test_an_admins_sidebar_never_reaches_the_public(client, bank, national_admin):
    client.force_login(national_admin)
    # The admin also sees the draft: three health innovations.
    assert 'Kesehatan <span class="count">(3)</span>' in sidebar(client.get("/inovasi/", {"q": "stunting"}))
    client.logout()
    assert 'Kesehatan <span class="count">(2)</span>' in sidebar(client.get("/inovasi/", {"q": "stunting"}))


def test_a_renamed_province_shows_at_once_in_a_cached_sidebar(
    client, bank, django_capture_on_commit_callbacks
):
    from regions.models import Province

    assert "Jawa Barat" in sidebar(client.get("/inovasi/", {"q": "stunting"}))
    province = Province.objects.get(code="32")
    province.name = "Jawa Barat Raya"
    with django_capture_on_commit_callbacks(execute=True):
        province.save()
    assert "Jawa Barat Raya" in sidebar(client.get("/inovasi/", {"q": "stunting"}))


def test_search_cards_say_which_words_matched_in_either_language(client, bank, search_path):
    card = card_of(client.get("/inovasi/", {"q": "stunting desa"}), "Menyeting Gigi Emas")
    assert "Cocok dengan: stunting, desa" in card
    client.post("/i18n/setlang/", {"language": "en", "next": "/inovasi/"})
    card = card_of(client.get("/inovasi/", {"q": "stunting desa"}), "Menyeting Gigi Emas")
    assert "Matches: stunting, desa" in card
    assert "<mark>stunting</mark>" in card and "Health" in card


@pytest.mark.parametrize("sort", ["relevance", "name", "newest"])
def test_partial_matches_say_which_words_each_holds_in_every_order(client, bank, search_path, sort):
    response = client.get("/inovasi/", {"q": "stunting sekolah", "sort": sort})
    assert "Cocok dengan: stunting<" in card_of(response, "Kelas IMUD")
    assert "Cocok dengan: sekolah<" in card_of(response, "Gerakan Kembali Bersekolah")


def test_replicated_is_said_to_mean_the_same_on_the_profile_and_in_the_facet(client):
    gigi = InnovationFactory(name="Menyeting Gigi Emas", slug="menyeting-gigi-emas")
    type(gigi).objects.filter(pk=gigi.pk).update(replication_count=1)  # as the proposals' trigger keeps it
    profile = client.get("/inovasi/menyeting-gigi-emas/").content.decode()
    assert "sejak daerah menandatangani komitmen" in profile
    facets = client.get("/inovasi/", {"q": gigi.name}).content.decode()
    assert "Sudah direplikasi (komitmen ditandatangani)" in facets
