"""A provincial bureau opens and edits its province's rounds; nobody else can, and another province's
round is a 404."""

import datetime
import re

import pytest
import time_machine

from innovations.models import Innovation
from replications.models import Round
from tests.factories import AgencyFactory, InnovationFactory, RoundFactory, province, regency
from tests.replications.reminder_helpers import WIB, local

pytestmark = pytest.mark.django_db

TODAY = local(WIB, 2021, 8, 20, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def gigi_emas() -> Innovation:
    return Innovation.objects.filter(name="Menyeting Gigi Emas").first() or InnovationFactory(
        name="Menyeting Gigi Emas"
    )


def round_data(**changes) -> dict:
    data = {
        "title": "Replikasi Inovasi Sumatera Barat 2021",
        "fgd_date": "2021-08-26",
        "deadline": "2021-08-30",
        "mentor": "Universitas Andalas",
        "participants": [regency("13.74").pk, regency("13.77").pk],
        "shortlist": [gigi_emas().pk],
        "reminder_offsets": "",
        "notes": "",
    }
    data.update(changes)
    return data


def test_a_bureau_creates_a_round_of_its_own_province(client, bureau_sumbar):
    client.force_login(bureau_sumbar)
    assert client.get("/putaran/baru/").status_code == 200
    response = client.post("/putaran/baru/", round_data(reminder_offsets="1,7,3"))
    round_ = Round.objects.get()
    assert response.status_code == 302 and response.url == f"/putaran/{round_.pk}/"
    assert round_.province == province("13") and round_.deadline == datetime.date(2021, 8, 30)
    assert sorted(r.name for r in round_.participants.all()) == ["Kota Padang Panjang", "Kota Pariaman"]
    assert [i.name for i in round_.shortlist.all()] == ["Menyeting Gigi Emas"]
    assert round_.reminder_offsets == [7, 3, 1]
    assert round_.next_reminder_at == local(WIB, 2021, 8, 23, 8)  # seven days before, 08.00 WIB
    page = client.get(f"/putaran/{round_.pk}/").content.decode()
    assert "Menyeting Gigi Emas" in page and "Kota Pariaman" in page and "Ubah putaran" in page


def test_participants_from_another_province_are_refused(client, bureau_sumbar):
    client.force_login(bureau_sumbar)
    response = client.post("/putaran/baru/", round_data(participants=[regency("33.74").pk]))
    assert response.status_code == 200
    assert "Peserta harus kabupaten/kota di provinsi Anda." in response.content.decode()
    assert not Round.objects.exists()


def test_a_deadline_before_the_fgd_or_in_the_past_gets_a_clear_message(client, bureau_sumbar):
    client.force_login(bureau_sumbar)
    before_fgd = client.post("/putaran/baru/", round_data(deadline="2021-08-25")).content.decode()
    assert "Batas waktu tidak boleh sebelum tanggal FGD." in before_fgd
    past = client.post("/putaran/baru/", round_data(fgd_date="", deadline="2021-08-19")).content.decode()
    assert "Batas waktu tidak boleh di masa lalu." in past
    assert not Round.objects.exists()


def test_a_draft_innovation_cannot_be_shortlisted(client, bureau_sumbar):
    client.force_login(bureau_sumbar)
    draft = InnovationFactory(name="Belum Terbit", is_published=False)
    response = client.post("/putaran/baru/", round_data(shortlist=[draft.pk]))
    assert "Inovasi pilihan harus inovasi yang terbit di bank." in response.content.decode()
    assert not Round.objects.exists()


def test_a_second_round_with_the_same_title_is_refused(client, bureau_sumbar):
    RoundFactory(province=province("13"), title="Replikasi Inovasi Sumatera Barat 2021")
    client.force_login(bureau_sumbar)
    response = client.post("/putaran/baru/", round_data(title="replikasi inovasi  sumatera barat 2021"))
    assert "Provinsi Anda sudah memiliki putaran dengan judul ini." in response.content.decode()


def test_the_bureau_edits_its_round_and_the_reminders_follow_the_new_deadline(client, bureau_sumbar):
    round_ = RoundFactory(province=province("13"), deadline=datetime.date(2021, 8, 30))
    client.force_login(bureau_sumbar)
    response = client.post(
        f"/putaran/{round_.pk}/ubah/", round_data(title=round_.title, deadline="2021-09-06")
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.deadline == datetime.date(2021, 9, 6)
    assert round_.next_reminder_at == local(WIB, 2021, 8, 30, 8)


@pytest.mark.parametrize("who", ["bureau_jateng", "staff_padang_panjang", "national_admin"])
def test_others_cannot_edit_a_sumatera_barat_round(client, request, who):
    round_ = RoundFactory(province=province("13"))
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/putaran/{round_.pk}/ubah/").status_code == 404
    assert client.post(f"/putaran/{round_.pk}/ubah/", round_data()).status_code == 404


@pytest.mark.parametrize("who", ["staff_padang_panjang", "no_membership_user"])
def test_only_a_bureau_may_open_a_round(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/putaran/baru/").status_code == 403


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get("/putaran/baru/").url.startswith("/accounts/login/")


@pytest.mark.parametrize("size", [3, 30])
def test_the_round_form_makes_a_fixed_number_of_queries(
    client, bureau_sumbar, django_assert_num_queries, size
):
    round_ = RoundFactory(province=province("13"), deadline=datetime.date(2021, 8, 30))
    round_.shortlist.set([InnovationFactory() for _ in range(size)])
    for _ in range(size):  # innovations of the province and of elsewhere to offer beside the chosen ones
        InnovationFactory()
        InnovationFactory(owner_agency=AgencyFactory(regency=regency("33.74")))
    client.force_login(bureau_sumbar)
    client.get("/putaran/baru/")  # roles cached, as on any later request
    with django_assert_num_queries(9):
        assert client.get(f"/putaran/{round_.pk}/ubah/").status_code == 200


def checkboxes(body: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)"', body)


def test_every_regency_of_the_province_is_a_checkbox_and_posting_them_all_takes_them_all(
    client, bureau_sumbar
):
    client.force_login(bureau_sumbar)
    body = client.get("/putaran/baru/").content.decode()
    every = checkboxes(body, "participants")
    regencies = province("13").regencies.all()
    assert sorted(every) == sorted(str(r.pk) for r in regencies) and len(every) == 19
    # "Pilih semua" is only the script's shortcut for ticking every box: hidden until the script shows it.
    assert re.search(r'<div class="picker-tools" hidden>\s*<button type="button" class="button button-small" '
                     r'data-pick="all">Pilih semua</button>', body)  # fmt: skip
    assert 'data-pick="none">Kosongkan</button>' in body
    response = client.post("/putaran/baru/", round_data(participants=every))
    assert response.status_code == 302
    assert Round.objects.get().participants.count() == 19


def test_the_shortlist_offers_the_chosen_the_provinces_and_the_most_replicated_as_checkboxes(
    client, bureau_sumbar
):
    from innovations.models import Innovation

    chosen = InnovationFactory(name="Sudah Dipilih", owner_agency=AgencyFactory(regency=regency("33.74")))
    ours = InnovationFactory(name="Inovasi Padang Panjang")
    popular = InnovationFactory(
        name="Paling Direplikasi", owner_agency=AgencyFactory(regency=regency("33.74"))
    )
    Innovation.objects.filter(pk=popular.pk).update(replication_count=9)
    quiet = InnovationFactory(name="Jarang Dilirik", owner_agency=AgencyFactory(regency=regency("33.74")))
    round_ = RoundFactory(province=province("13"), deadline=datetime.date(2021, 8, 30))
    round_.shortlist.set([chosen])
    client.force_login(bureau_sumbar)
    response = client.get(f"/putaran/{round_.pk}/ubah/")
    body = response.content.decode()
    groups = [(label, [box.choice_label.split(" — ")[0] for box in boxes])
              for label, boxes in response.context["form"].shortlist_groups()]  # fmt: skip
    assert groups[0] == ("Sudah dipilih", ["Sudah Dipilih"])
    assert groups[1] == ("Dari Sumatera Barat", ["Inovasi Padang Panjang"])
    assert groups[2][0] == "Paling banyak direplikasi" and groups[2][1][0] == "Paling Direplikasi"
    assert set(checkboxes(body, "shortlist")) >= {
        str(chosen.pk),
        str(ours.pk),
        str(popular.pk),
        str(quiet.pk),
    }
    assert re.search(rf'<input type="checkbox" name="shortlist" value="{chosen.pk}"[^>]* checked>', body)
    assert 'data-suggest="/inovasi/saran/"' in body and 'id="id_shortlist-filter"' in body


def test_the_pickers_script_is_loaded_deferred_by_the_round_form_only(client, bureau_sumbar):
    client.force_login(bureau_sumbar)
    assert (
        '<script src="/static/js/pickers.js" defer></script>' in client.get("/putaran/baru/").content.decode()
    )
    assert "pickers.js" not in client.get("/tinjauan/").content.decode()


def test_the_shortlist_offers_a_bounded_list_and_accepts_any_published_innovation_found_by_search(
    client, bureau_sumbar, monkeypatch
):
    from replications.forms import RoundForm

    monkeypatch.setattr(RoundForm, "OFFERED_FROM_PROVINCE", 2)
    monkeypatch.setattr(RoundForm, "OFFERED_FROM_BANK", 3)
    for _ in range(5):
        InnovationFactory()
        InnovationFactory(owner_agency=AgencyFactory(regency=regency("33.74")))
    client.force_login(bureau_sumbar)
    offered = checkboxes(client.get("/putaran/baru/").content.decode(), "shortlist")
    assert len(offered) == 5  # however large the bank
    elsewhere = InnovationFactory(
        name="Tidak Ditawarkan", owner_agency=AgencyFactory(regency=regency("33.74"))
    )
    assert str(elsewhere.pk) not in offered
    response = client.post("/putaran/baru/", round_data(shortlist=[elsewhere.pk]))
    assert response.status_code == 302
    assert [i.name for i in Round.objects.get().shortlist.all()] == ["Tidak Ditawarkan"]
