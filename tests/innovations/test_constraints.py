import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from innovations.models import SDG, Group, KippAward, KippEdition, Tier
from tests.factories import InnovationFactory, edition

pytestmark = pytest.mark.django_db


def test_the_17_sdgs_and_the_kipp_editions_since_2014_are_reference_data():
    assert list(SDG.objects.values_list("number", flat=True)) == list(range(1, 18))
    assert KippEdition.objects.filter(year=2014).get().number == 1
    assert KippEdition.objects.get(year=2020).number == 7  # "yang ketujuh kalinya sejak 2014"
    assert "44/2020" in KippEdition.objects.get(year=2020).legal_basis


@pytest.mark.parametrize(
    ("year", "top_tier"),
    [
        (2014, Tier.TOP_9),
        (2015, Tier.TOP_25),
        (2016, Tier.TOP_35),
        (2017, Tier.TOP_40),
        (2018, Tier.TOP_40),
        (2019, Tier.TOP_45),
        (2023, Tier.TOP_45),
    ],
)
def test_each_edition_names_its_top_tier_of_that_year(year, top_tier):
    assert edition(year).top_tier == top_tier
    assert Tier.TOP_99 in edition(year).tiers


def test_an_innovation_wins_at_most_one_award_per_edition():
    innovation = InnovationFactory()
    KippAward.objects.create(innovation=innovation, edition=edition(2020), tier=Tier.TOP_99)
    with pytest.raises(IntegrityError), transaction.atomic():
        KippAward.objects.create(innovation=innovation, edition=edition(2020), tier=Tier.TOP_45)
    KippAward.objects.create(innovation=innovation, edition=edition(2021), tier=Tier.TOP_45)


def test_award_tier_and_group_must_exist_in_that_edition():
    innovation = InnovationFactory()
    with pytest.raises(ValidationError) as error:
        KippAward(innovation=innovation, edition=edition(2016), tier=Tier.TOP_45).full_clean()
    assert "tier" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        KippAward(
            innovation=innovation, edition=edition(2018), tier=Tier.TOP_40, group=Group.REPLICATION
        ).full_clean()
    assert "group" in error.value.message_dict
    KippAward(
        innovation=innovation, edition=edition(2020), tier=Tier.TOP_45, group=Group.REPLICATION
    ).full_clean()


def test_unknown_category_and_impossible_launch_year_are_rejected_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        InnovationFactory(category="astrologi")
    with pytest.raises(IntegrityError), transaction.atomic():
        InnovationFactory(launch_year=1800)


def test_slugs_are_unique():
    InnovationFactory(name="SI-JABPRI", slug="si-jabpri")
    with pytest.raises(IntegrityError), transaction.atomic():
        InnovationFactory(name="SI-JABPRI lain", slug="si-jabpri")
