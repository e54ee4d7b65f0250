from django.db.models import Count, Q
from django.shortcuts import render

from .models import (
    PROPOSAL_ADOPTED_STATUSES,
    PROPOSAL_COMPLETED_STATUS,
    PROPOSAL_DRAFT_STATUSES,
    Innovation,
    KippAward,
)


def home(request):
    """What the bank holds, the newest KIPP winners and the most replicated innovations."""
    published = Innovation.objects.filter(is_published=True)
    counts = published.aggregate(
        innovations=Count("pk", distinct=True),
        agencies=Count("owner_agency", distinct=True),
        regions_replicating=Count(
            "proposals__regency", distinct=True, filter=~Q(proposals__status__in=PROPOSAL_DRAFT_STATUSES)
        ),
        replications_completed=Count(
            "proposals", distinct=True, filter=Q(proposals__status=PROPOSAL_COMPLETED_STATUS)
        ),
    )
    latest_awards = (
        KippAward.objects.filter(innovation__is_published=True)
        .select_related("innovation__owner_agency__regency", "innovation__owner_agency__province", "edition")
        .order_by("-edition__year", "tier", "innovation__name")[:6]
    )
    most_replicated = (
        published.annotate(
            replication_count=Count("proposals", filter=Q(proposals__status__in=PROPOSAL_ADOPTED_STATUSES))
        )
        .filter(replication_count__gt=0)
        .select_related("owner_agency__regency", "owner_agency__province")
        .order_by("-replication_count", "name")[:6]
    )
    return render(
        request,
        "innovations/home.html",
        {"counts": counts, "latest_awards": latest_awards, "most_replicated": most_replicated},
    )
