"""The Django side of the outbound guard: the policy from settings, and field errors.

Every fetch the product makes on a user's behalf (feeds, webhook deliveries, media URLs,
Mastodon servers) goes through ``networks.outbound.fetch`` or its transport with the policy
built here, so that OUTBOUND_ALLOW_PRIVATE_ADDRESSES is read in one place. ``networks`` imports
no Django, hence this module in the leaf app that every other app may import.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from networks.addresses import OutboundError, OutboundPolicy, system_resolver
from networks.outbound import check_url


def outbound_policy() -> OutboundPolicy:
    """What a fetch on a user's behalf may reach, from settings.

    ``OUTBOUND_RESOLVER`` is not a documented setting: tests set it to a resolver they control
    (a name that resolves to loopback, a rebinding answer) so that they need no DNS.
    """
    return OutboundPolicy(
        allow_private=settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES,
        resolver=getattr(settings, "OUTBOUND_RESOLVER", None) or system_resolver,
    )


def outbound_url_problem(url: str) -> str | None:
    """Why a fetch of ``url`` would be refused, for a form or API field error; or None.

    The name is resolved now and every address checked. A name that does not resolve (yet)
    is accepted: the guard checks it again at every fetch, which is what really protects.
    """
    try:
        check_url(url, outbound_policy(), resolve=True)
    except OutboundError as exc:
        if exc.kind == OutboundError.BLOCKED:
            return _("This address points to a private or internal network, which is not allowed.")
        if exc.kind == OutboundError.BAD_URL:
            return _("Enter a full address starting with https://.")
        return None
    return None
