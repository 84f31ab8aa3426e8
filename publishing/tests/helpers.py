"""What the engine's tests share: scheduled variants ready to claim, what beat and a worker do
in-process, and a Mastodon status as the network answers it."""

import datetime as dt

from django.utils import timezone

from agency.tenancy import tenant_scope
from campaigns.models import PostState, PostVariant, VariantState
from campaigns.tests.factories import PostFactory, PostVariantFactory
from clients.tests.factories import SocialAccountFactory
from publishing import dispatch, worker

MASTODON = "https://mastodon.social"
STATUSES = f"{MASTODON}/api/v1/statuses"


def status_json(status_id="109", text="Bonjour Tanger !"):
    """A status as POST /api/v1/statuses answers (Mastodon docs: entities/Status)."""
    return {
        "id": status_id,
        # Just now: a lookup only takes a post created after the send started.
        "created_at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
        "url": f"https://mastodon.social/@cafe/{status_id}",
        "uri": f"https://mastodon.social/users/cafe/statuses/{status_id}",
        "content": f"<p>{text}</p>",
        "visibility": "public",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
    }


def scheduled_variant(agency, brand, *, due=None, text="Bonjour Tanger !", account=None):
    due = due or timezone.now() - dt.timedelta(seconds=5)
    post = PostFactory(
        agency=agency, brand=brand, text=text, state=PostState.SCHEDULED, scheduled_at=due
    )
    account = account or SocialAccountFactory(
        agency=agency, brand=brand, network="mastodon", instance_url=MASTODON
    )
    return PostVariantFactory(
        agency=agency, post=post, social_account=account, state=VariantState.SCHEDULED, due_at=due
    )


def dispatch_and_publish(now=None):
    """What beat and a worker do, in-process: claim, then run each claimed publish."""
    claims = dispatch.due_variants_claim_across_agencies(now=now)
    outcomes = {}
    for claim in claims:
        with tenant_scope(claim.agency_id):
            outcomes[claim.post_variant_id] = worker.variant_publish(
                post_variant_id=claim.post_variant_id, attempt=claim.attempt
            )
    return outcomes


def fresh(variant):
    return PostVariant.unscoped.get(pk=variant.pk)


def variant_on(agency, brand, network, *, text, link="", media_urls=None, account=None):
    due = timezone.now() - dt.timedelta(seconds=5)
    account = account or SocialAccountFactory(
        agency=agency, brand=brand, network=network, external_id="1789", instance_url=""
    )
    if network == "mastodon":
        account.instance_url = "https://mastodon.social"
        account.save()
    post = PostFactory(
        agency=agency,
        brand=brand,
        text=text,
        link=link,
        media_urls=media_urls or [],
        state=PostState.SCHEDULED,
        scheduled_at=due,
    )
    return PostVariantFactory(
        agency=agency, post=post, social_account=account, state=VariantState.SCHEDULED, due_at=due
    )
