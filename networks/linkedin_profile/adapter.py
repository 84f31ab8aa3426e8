"""LinkedIn member profiles: the organisation adapter's Posts, Images and Videos code with a
person as the author.

``external_id`` is ``urn:li:person:{sub}`` (OpenID Connect's ``sub``). Posting takes
``w_member_social`` (the self-serve "Share on LinkedIn" product); signing in takes ``openid
profile email`` ("Sign In with LinkedIn using OpenID Connect"). Reading a member's posts,
comments or statistics takes ``r_member_social`` / member analytics, which LinkedIn grants only
to approved partners: those capabilities are off here, so the inbox reads nothing from a
member's profile and an unknown publishing outcome goes to a person (no ``find_existing_post``).
The first comment is written with ``w_member_social`` (``socialActions``), which allows it.
"""

from __future__ import annotations

from networks.adapter import NetworkAdapter
from networks.base import Capabilities, Network
from networks.linkedin import adapter as organisation
from networks.linkedin_profile import profile
from networks.oauth import OAuthSpec

SCOPES = ("openid", "profile", "email", "w_member_social")


class LinkedInProfileAdapter(organisation.LinkedInAdapter):
    network = Network.LINKEDIN_PROFILE
    display_name = "LinkedIn (profile)"
    # The Community Management API (pages) must be the only product on its LinkedIn app, so
    # members sign in through another app ("Share on LinkedIn" + OpenID Connect): its own
    # settings, which default to the pages' app (docs/networks.md, docs/decisions.md).
    app_settings = "LINKEDIN_PROFILE_CLIENT_ID / LINKEDIN_PROFILE_CLIENT_SECRET"
    capabilities = Capabilities(
        publish_text=True,
        publish_link=True,
        publish_images=True,
        publish_video=True,
        carousel=True,
        first_comment=True,
        # Refresh tokens only for apps LinkedIn enabled them for; otherwise refresh() says
        # to reconnect (the 60-day token's end).
        token_refresh=True,
    )
    docs = (
        "LinkedIn: Sign In with LinkedIn using OpenID Connect (GET /v2/userinfo: sub, name, "
        "picture, email)",
        "LinkedIn: Share on LinkedIn (w_member_social; author urn:li:person:{id})",
        "LinkedIn Marketing API: Posts API, Images API, Videos API (person as author/owner)",
        "LinkedIn Marketing API: Versioning; Migrations (sunset dates)",
        "LinkedIn Authentication: Authorization Code Flow (3-legged), Refresh Tokens",
        "LinkedIn: Getting Access to LinkedIn APIs (r_member_social is restricted to partners)",
    )
    oauth_spec = OAuthSpec(
        authorize_url=organisation.LinkedInAdapter.oauth_spec.authorize_url,
        token_url=organisation.LinkedInAdapter.oauth_spec.token_url,
        default_scopes=SCOPES,
        pkce=False,
    )

    # What a member's token cannot read without LinkedIn's partner programmes: back to the
    # base class's "not supported" (raised before any call).
    find_existing_post = NetworkAdapter.find_existing_post
    list_comments = NetworkAdapter.list_comments
    list_recent_posts = NetworkAdapter.list_recent_posts
    reply = NetworkAdapter.reply
    delete_comment = NetworkAdapter.delete_comment
    post_metrics = NetworkAdapter.post_metrics
    account_metrics = NetworkAdapter.account_metrics

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, tokens)
