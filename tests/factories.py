"""factory_boy factories for the domain; reference rows (provinces, regencies, SDGs, KIPP editions)
come from the migrations, so factories look them up instead of inventing them."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Membership, Role
from innovations.models import Category, Innovation, KippEdition
from regions.models import Agency, AgencyLevel, Province, Regency
from replications.models import Proposal, Round, Status


def province(code: str) -> Province:
    return Province.objects.get(code=code)


def regency(code: str) -> Regency:
    return Regency.objects.get(code=code)


def edition(year: int) -> KippEdition:
    return KippEdition.objects.get(year=year)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.id")
    password = factory.django.Password("sandi-uji-123")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Pemerintah Kota Uji {n}")
    level = AgencyLevel.REGENCY_GOVERNMENT
    regency = factory.LazyFunction(lambda: regency("13.74"))


class InnovationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Innovation

    name = factory.Sequence(lambda n: f"Inovasi Uji {n}")
    slug = factory.LazyAttribute(lambda innovation: slugify(innovation.name))
    owner_agency = factory.SubFactory(AgencyFactory)
    category = Category.HEALTH
    summary = "Layanan pencegahan stunting berbasis posyandu."
    is_published = True


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    province = factory.LazyFunction(lambda: province("13"))
    title = factory.Sequence(lambda n: f"Putaran Uji {n}")
    # Open unless a test says otherwise: a month from today (the travelled today under time-machine).
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    fgd_date = factory.LazyAttribute(lambda round_: round_.deadline - datetime.timedelta(days=4))


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    round = factory.SubFactory(RoundFactory)
    regency = factory.LazyFunction(lambda: regency("13.74"))
    innovation = factory.SubFactory(InnovationFactory)
    status = Status.DRAFT


def member(username: str, role: str, *, regency_code: str = "", province_code: str = "", agency=None):
    user = UserFactory(username=username)
    Membership.objects.get_or_create(
        user=user,
        role=role,
        regency=regency(regency_code) if regency_code else None,
        province=province(province_code) if province_code else None,
        agency=agency,
    )
    return user


__all__ = ["Role", "member"]
