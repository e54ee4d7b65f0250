"""A small programme in four provinces, two years and every status, for the statistics pages; its
fixture reaches the tests through tests/portal/conftest.py."""

import datetime

import pytest

from regions.models import AgencyLevel
from replications.models import Milestone, Status
from tests.factories import AgencyFactory, InnovationFactory, ProposalFactory, RoundFactory, province, regency

# The statuses the public sees, written out here so that the tests do not read the code's own groups.
PUBLIC = {"approved", "committed", "implementing", "replicated"}
PROPOSED_NATIONALLY = {"submitted", "verified", "approved", "rejected", "committed", "implementing", "replicated", "cancelled"}  # fmt: skip
COMMITTED = {"committed", "implementing", "replicated"}

# (province, regency, innovation, status, year)
PROPOSALS = [
    ("13", "13.77", "gigi", Status.REPLICATED, 2021),
    ("13", "13.71", "akta", Status.COMMITTED, 2021),
    ("13", "13.72", "gigi", Status.SUBMITTED, 2021),
    ("13", "13.73", "gigi", Status.DRAFT, 2021),
    ("13", "13.75", "rahasia", Status.REPLICATED, 2021),
    ("33", "33.01", "gigi", Status.IMPLEMENTING, 2022),
    ("33", "33.02", "gigi", Status.APPROVED, 2022),
    ("33", "33.03", "akta", Status.REJECTED, 2022),
    ("33", "33.04", "jabar", Status.REPLICATED, 2022),
    ("33", "33.05", "akta", Status.RETURNED, 2022),
    ("33", "33.06", "gigi", Status.CANCELLED, 2022),
    ("73", "73.71", "akta", Status.REPLICATED, 2021),
    ("73", "73.72", "jabar", Status.VERIFIED, 2021),
    ("32", "32.01", "gigi", Status.COMMITTED, 2022),
]

LETTER = {"letter_number": "B/1/2021", "letter_date": datetime.date(2021, 8, 27), "letter_file": "x.pdf"}


class World:
    def __init__(self):
        self.innovations = {}
        self.rounds = {}
        self.proposals = []

    def innovation(self, key: str, **fields):
        self.innovations[key] = InnovationFactory(**fields)
        return self.innovations[key]

    def round(self, province_code: str, year: int, participants=()):
        key = (province_code, year)
        if key not in self.rounds:
            self.rounds[key] = RoundFactory(
                province=province(province_code),
                fgd_date=datetime.date(year, 8, 1),
                deadline=datetime.date(year, 8, 30),
            )
        self.rounds[key].participants.add(*(regency(code) for code in participants))
        return self.rounds[key]

    def propose(self, province_code, regency_code, innovation, status, year):
        letter = {} if status in (Status.DRAFT, Status.RETURNED) else LETTER
        proposal = ProposalFactory(
            round=self.round(province_code, year, [regency_code]),
            regency=regency(regency_code),
            innovation=self.innovations[innovation],
            status=status,
            **letter,
        )
        self.proposals.append(proposal)
        return proposal


def build_world(times: int = 1) -> World:
    """The programme of PROPOSALS, ``times`` over (each copy in a round of its own year)."""
    world = World()
    padang_panjang = AgencyFactory(name="Pemerintah Kota Padang Panjang", regency=regency("13.74"))
    banyumas = AgencyFactory(name="Pemerintah Kabupaten Banyumas", regency=regency("33.02"))
    jabar = AgencyFactory(
        name="Pemerintah Provinsi Jawa Barat", level=AgencyLevel.PROVINCIAL_GOVERNMENT, regency=None,
        province=province("32"),
    )  # fmt: skip
    world.innovation("gigi", name="Menyeting Gigi Emas", owner_agency=padang_panjang)
    world.innovation("akta", name="Akta Langsung Jadi", owner_agency=banyumas)
    world.innovation("jabar", name="PIKOBAR", owner_agency=jabar)
    world.innovation("rahasia", name="Inovasi Belum Terbit", owner_agency=padang_panjang, is_published=False)
    for copy in range(times):
        for province_code, regency_code, innovation, status, year in PROPOSALS:
            world.propose(province_code, regency_code, innovation, status, year + 2 * copy)
    return world


@pytest.fixture
def world(db):
    world = build_world()
    today = datetime.date.today()
    by_regency = {proposal.regency.code: proposal for proposal in world.proposals}
    # Overdue: open and past due on proposals in implementation (Jateng 33.01, Jabar 32.01, Jateng 33.02).
    Milestone.objects.create(proposal=by_regency["33.01"], title="Sosialisasi", due_on=today - datetime.timedelta(days=5))  # fmt: skip
    Milestone.objects.create(proposal=by_regency["33.02"], title="Pelatihan", due_on=today - datetime.timedelta(days=40))  # fmt: skip
    Milestone.objects.create(proposal=by_regency["32.01"], title="Peluncuran", due_on=today - datetime.timedelta(days=2))  # fmt: skip
    # Not overdue: done, not yet due, or of a finished replication.
    Milestone.objects.create(proposal=by_regency["33.01"], title="Uji coba", due_on=today - datetime.timedelta(days=9), done_on=today)  # fmt: skip
    Milestone.objects.create(proposal=by_regency["32.01"], title="Evaluasi", due_on=today + datetime.timedelta(days=9))  # fmt: skip
    Milestone.objects.create(proposal=by_regency["13.77"], title="Penutupan", due_on=today - datetime.timedelta(days=9))  # fmt: skip
    world.overdue = {"33": 2, "32": 1}
    return world


def grow_world(times: int) -> None:
    """More of the same programme: each copy for an innovation of its own, in rounds of its own."""
    for _copy in range(times):
        innovation = InnovationFactory()
        for province_code, regency_code, _, status, year in PROPOSALS:
            round_ = RoundFactory(
                province=province(province_code), deadline=datetime.date(year, 8, 30), fgd_date=None
            )
            letter = {} if status in (Status.DRAFT, Status.RETURNED) else LETTER
            proposal = ProposalFactory(
                round=round_, regency=regency(regency_code), innovation=innovation, status=status, **letter
            )
            if status in Status.IN_IMPLEMENTATION:
                Milestone.objects.create(
                    proposal=proposal, title="Terlambat", due_on=datetime.date(2000, 1, 1)
                )
