"""A province's dashboard and a round's recap: every number equals a count made here from the rows, the
files carry the page's rows, and only the province's bureau and national admins see them."""

import csv
import datetime
import io
from collections import Counter

import pytest
import time_machine
from openpyxl import load_workbook

from replications.models import Action, Commitment, Milestone, ProgressReport, Proposal, ProposalEvent, Status
from tests.factories import InnovationFactory, ProposalFactory, RoundFactory, province, regency
from tests.replications.reminder_helpers import WIB, local

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2021, 10, 1)
PADANG_PANJANG, PARIAMAN, BUKITTINGGI, SOLOK = "13.74", "13.77", "13.75", "13.72"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(local(WIB, 2021, 10, 1, 10), tick=False):
        yield


def lettered(**fields) -> Proposal:
    """A proposal past draft carries its letter (a database constraint)."""
    return ProposalFactory(
        letter_number="B/1/2021",
        letter_date=datetime.date(2021, 8, 27),
        letter_file="private/letters/x.pdf",
        **fields,
    )


@pytest.fixture
def world():
    """A Sumatera Barat round of four regencies: Padang Panjang far along (with a late milestone),
    Pariaman rejected only, Bukittinggi a draft only, Solok nothing; and an older round of 2020."""
    gigi, imud, sijab = (
        InnovationFactory(name=name) for name in ("Menyeting Gigi Emas", "Kelas IMUD", "SI-JABPRI")
    )
    round_ = RoundFactory(
        province=province("13"), title="Replikasi Sumbar 2021", deadline=datetime.date(2021, 8, 30)
    )
    round_.participants.set([regency(code) for code in (PADANG_PANJANG, PARIAMAN, BUKITTINGGI, SOLOK)])
    committed = lettered(
        round=round_, regency=regency(PADANG_PANJANG), innovation=gigi, status=Status.COMMITTED
    )
    Commitment.objects.create(proposal=committed, signed_on=datetime.date(2021, 9, 10))
    ProposalEvent.objects.create(
        proposal=committed, action=Action.APPROVE, from_status="verified", to_status="approved"
    )
    Milestone.objects.create(
        proposal=committed, title="SK tim", due_on=datetime.date(2021, 9, 15), done_on=TODAY
    )
    Milestone.objects.create(proposal=committed, title="Pelatihan", due_on=datetime.date(2021, 9, 20))
    Milestone.objects.create(proposal=committed, title="Peluncuran", due_on=datetime.date(2021, 11, 1))
    ProgressReport.objects.create(
        proposal=committed, reported_on=datetime.date(2021, 9, 25), summary="Tim dibentuk"
    )
    lettered(round=round_, regency=regency(PADANG_PANJANG), innovation=imud, status=Status.SUBMITTED)
    lettered(round=round_, regency=regency(PARIAMAN), innovation=gigi, status=Status.REJECTED)
    ProposalFactory(round=round_, regency=regency(BUKITTINGGI), innovation=sijab, status=Status.DRAFT)
    older = RoundFactory(
        province=province("13"),
        title="Replikasi Sumbar 2020",
        fgd_date=None,
        deadline=datetime.date(2020, 8, 30),
    )
    older.participants.set([regency(PARIAMAN)])
    lettered(round=older, regency=regency(PARIAMAN), innovation=sijab, status=Status.REPLICATED)
    return {"round": round_, "older": older}


def test_the_dashboard_counts_equal_counts_made_from_the_rows(client, bureau_sumbar, world):
    client.force_login(bureau_sumbar)
    response = client.get("/dasbor/provinsi/13/")
    assert response.status_code == 200
    context = response.context
    assert context["scope"].round == world["round"]  # the latest round by default

    proposals = list(Proposal.objects.filter(round=world["round"]).exclude(status=Status.DRAFT))
    by_status = Counter(p.status for p in proposals)
    assert {stage.key: stage.count for stage in context["statuses"]} == {
        status.value: by_status.get(status.value, 0) for status in Status if status != Status.DRAFT
    }
    furthest = {}
    order = [
        Status.SUBMITTED,
        Status.VERIFIED,
        Status.APPROVED,
        Status.COMMITTED,
        Status.IMPLEMENTING,
        Status.REPLICATED,
    ]
    for proposal in proposals:
        if proposal.status in order or proposal.status == Status.RETURNED:
            rank = (
                order.index(Status.SUBMITTED if proposal.status == Status.RETURNED else proposal.status) + 1
            )
            furthest[proposal.regency_id] = max(rank, furthest.get(proposal.regency_id, 0))
    participants = list(world["round"].participants.all())
    expected = Counter(furthest.get(regency.pk, 0) for regency in participants)
    bar = [stage.count for stage in context["progress"]]
    assert bar == [expected.get(rank, 0) for rank in range(1, 7)] + [expected.get(0, 0)]
    assert sum(bar) == len(participants) == 4
    assert bar[-1] == 3  # rejected only, draft only and nothing at all are "not yet"

    rows = {row.regency.code: row for row in context["rows"]}
    assert set(rows) == {PADANG_PANJANG, PARIAMAN, BUKITTINGGI, SOLOK}
    for code, row in rows.items():
        ours = [p for p in proposals if p.regency.code == code]
        assert row.statuses == dict(Counter(p.status for p in ours))  # a draft is not counted
        milestones = list(Milestone.objects.filter(proposal__in=ours))
        assert row.milestones_done == sum(1 for m in milestones if m.done_on)
        assert row.milestones_overdue == sum(1 for m in milestones if not m.done_on and m.due_on < TODAY)
        assert row.milestones_due == sum(1 for m in milestones if not m.done_on and m.due_on >= TODAY)
        reports = ProgressReport.objects.filter(proposal__in=ours).values_list("reported_on", flat=True)
        assert row.last_report == max(reports, default=None)
        commitments = Commitment.objects.filter(proposal__in=ours).values_list("signed_on", flat=True)
        assert (row.commitments, row.last_commitment) == (len(commitments), max(commitments, default=None))
    assert rows[PADANG_PANJANG].milestones_overdue == 1 and rows[PADANG_PANJANG].milestones_due == 1
    assert rows[BUKITTINGGI].statuses == {} and rows[SOLOK].statuses == {}
    assert [row.regency.code for row in context["late_rows"]] == [PADANG_PANJANG]
    assert [(t["innovation__name"], t["regencies"]) for t in context["top_innovations"]] == [
        ("Kelas IMUD", 1),
        ("Menyeting Gigi Emas", 1),
    ]  # the rejected Pariaman proposal does not count
    page = response.content.decode()
    assert "Kota Solok" in page and "Belum mengusulkan" in page and "row-late" in page


def test_a_year_reads_every_round_whose_deadline_falls_in_it(client, bureau_sumbar, world):
    client.force_login(bureau_sumbar)
    context = client.get("/dasbor/provinsi/13/", {"tahun": 2020}).context
    assert context["scope"].rounds == [world["older"]]
    assert [(row.regency.code, row.statuses) for row in context["rows"]] == [
        (PARIAMAN, {Status.REPLICATED: 1})
    ]
    assert [stage.count for stage in context["progress"]] == [0, 0, 0, 0, 0, 1, 0]


def test_a_round_of_another_province_or_a_bad_year_is_refused_with_a_message(client, bureau_sumbar, world):
    client.force_login(bureau_sumbar)
    other = RoundFactory(province=province("33"))
    response = client.get("/dasbor/provinsi/13/", {"putaran": other.pk})
    assert response.status_code == 400
    assert "Putaran itu bukan putaran provinsi ini." in response.content.decode()
    response = client.get("/dasbor/provinsi/13/", {"tahun": "dua ribu"})
    assert response.status_code == 400 and "Tulis tahun dengan angka, mis. 2021." in response.content.decode()


def test_the_dashboard_belongs_to_its_province_bureau_and_national_admins(
    client, bureau_sumbar, bureau_jateng, national_admin, staff_padang_panjang, world
):
    for user, status in ((bureau_jateng, 404), (staff_padang_panjang, 404), (national_admin, 200)):
        client.force_login(user)
        assert client.get("/dasbor/provinsi/13/").status_code == status
        assert client.get(f"/putaran/{world['round'].pk}/rekap/").status_code == status
    client.force_login(bureau_sumbar)
    assert client.get("/dasbor/provinsi/").url == "/dasbor/provinsi/13/"
    client.logout()
    assert client.get("/dasbor/provinsi/13/").status_code == 302  # to the login page


def test_the_dashboard_export_carries_the_pages_rows_with_the_same_filter(client, bureau_sumbar, world):
    client.force_login(bureau_sumbar)
    page = client.get("/dasbor/provinsi/13/", {"tahun": 2021})
    assert "?tahun=2021&amp;format=xlsx" in page.content.decode()
    response = client.get("/dasbor/provinsi/13/", {"tahun": 2021, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kode wilayah", "Kabupaten/kota", "Diajukan")
    shown = {row.regency.name: row for row in page.context["rows"]}
    assert [r[1] for r in rows[1:]] == list(shown)  # the page's regencies, in its order
    header = rows[0]
    for line in rows[1:]:
        row = shown[line[1]]
        assert line[header.index("Tahapan terlambat")] == row.milestones_overdue
        assert sum(line[2 : 2 + 9]) == row.proposals  # a column for each status past draft
    csv_rows = list(csv.reader(io.StringIO(client.get(
        "/dasbor/provinsi/13/", {"tahun": 2021, "format": "csv"}).content.decode("utf-8-sig"))))  # fmt: skip
    assert len(csv_rows) == len(rows)
    bad = client.get("/dasbor/provinsi/13/", {"format": "pdf"})
    assert bad.status_code == 400 and "csv atau xlsx" in bad.content.decode()


def test_the_export_column_titles_follow_the_users_language(client, bureau_sumbar, world):
    client.force_login(bureau_sumbar)
    response = client.get("/dasbor/provinsi/13/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:3] == ["Region code", "Regencies and cities", "Submitted"]


def test_the_recap_lists_every_participant_proposed_or_not_with_dates(client, bureau_sumbar, world):
    client.force_login(bureau_sumbar)
    response = client.get(f"/putaran/{world['round'].pk}/rekap/")
    page = response.content.decode()
    for name in ("Kota Padang Panjang", "Kota Pariaman", "Kota Bukittinggi", "Kota Solok"):
        assert name in page
    assert "Provinsi Sumatera Barat" in page and "Dicetak" in page
    assert "10-09-2021" in page  # the commitment's signing, in the Indonesian short date
    workbook = load_workbook(
        io.BytesIO(client.get(f"/putaran/{world['round'].pk}/rekap/", {"format": "xlsx"}).content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))[1:]
    assert {row[1] for row in rows} == {
        "Kota Padang Panjang",
        "Kota Pariaman",
        "Kota Bukittinggi",
        "Kota Solok",
    }
    committed = next(
        row for row in rows if row[2] == "Menyeting Gigi Emas" and row[1] == "Kota Padang Panjang"
    )
    assert committed[9] == datetime.datetime(2021, 9, 10)
    assert [row[4] for row in rows if row[1] == "Kota Solok"] == ["Belum mengusulkan"]


def test_the_dashboard_makes_the_same_queries_for_one_or_many_regencies(
    client, bureau_sumbar, world, django_assert_num_queries
):
    client.force_login(bureau_sumbar)
    client.get("/dasbor/provinsi/13/")  # warm the session and roles caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dasbor/provinsi/13/").status_code == 200
        return len(queries)

    few = count()
    more = [regency(code) for code in ("13.01", "13.02", "13.03", "13.04", "13.05")]
    world["round"].participants.add(*more)
    for number, regency_ in enumerate(more):
        proposal = lettered(
            round=world["round"], regency=regency_, innovation=InnovationFactory(), status=Status.APPROVED
        )
        Milestone.objects.create(proposal=proposal, title=f"T{number}", due_on=datetime.date(2021, 9, 1))
    assert count() == few
