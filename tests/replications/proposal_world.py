"""The proposal world shared by the pages' and the API's tests: a Padang Panjang proposal in a Sumatera
Barat round, a user for every role, and who may make which transition. Its fixture reaches the tests
through tests/replications/conftest.py and tests/api/conftest.py."""

import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from regions.models import Agency, AgencyLevel
from replications.services import perform
from tests.factories import InnovationFactory, ProposalFactory, RoundFactory, province, regency


def real_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def setting(
    staff_padang_panjang, staff_pariaman, bureau_sumbar, bureau_jateng, national_admin, no_membership_user
):
    office = Agency.objects.create(
        name="Dinas Kesehatan Kota Padang Panjang", level=AgencyLevel.OFFICE,
        parent=Agency.objects.create(name="Pemerintah Kota Padang Panjang", level=AgencyLevel.REGENCY_GOVERNMENT,
                                     regency=regency("13.74")),
        regency=regency("13.74"),
    )  # fmt: skip
    round_ = RoundFactory(province=province("13"), deadline=datetime.date(2030, 8, 30))
    round_.participants.set([regency("13.74"), regency("13.77")])
    proposal = ProposalFactory(round=round_, innovation=InnovationFactory(name="Menyeting Gigi Emas"),
                               adopting_agency=office, problem="Stunting", letter_number="B/061/143/SETDAKO-PP/VIII/2021",
                               letter_date=datetime.date(2021, 8, 27))  # fmt: skip
    proposal.letter_file.save("surat.pdf", SimpleUploadedFile("s.pdf", real_pdf()))
    return {
        "proposal": proposal,
        "office": office,
        "round": round_,
        "imud": InnovationFactory(name="Kelas IMUD"),
        "users": {
            "staff": staff_padang_panjang,
            "outsider staff": staff_pariaman,
            "bureau": bureau_sumbar,
            "other bureau": bureau_jateng,
            "admin": national_admin,
            "no role": no_membership_user,
            "visitor": AnonymousUser(),
        },
    }


def approved(setting):
    proposal = setting["proposal"]
    perform(proposal.pk, "submit", setting["users"]["staff"])
    perform(proposal.pk, "verify", setting["users"]["bureau"])
    perform(proposal.pk, "approve", setting["users"]["bureau"])
    return proposal


TRANSITION_MATRIX = {
    "submit": ("draft", {"staff"}),
    "return": ("submitted", {"bureau", "admin"}),
    "verify": ("submitted", {"bureau", "admin"}),
    "reject": ("submitted", {"bureau", "admin"}),
    "approve": ("verified", {"bureau", "admin"}),
    "commit": ("approved", {"staff", "bureau", "admin"}),
    "start": ("committed", {"staff", "bureau", "admin"}),
    "complete": ("implementing", {"bureau", "admin"}),
    "cancel": ("implementing", {"staff", "bureau", "admin"}),
}
SEES_THE_PROPOSAL = {"staff", "bureau", "admin"}
