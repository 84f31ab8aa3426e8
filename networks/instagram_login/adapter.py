"""Instagram professional accounts through the Instagram API with Instagram Login.

No Facebook Page is needed: the person signs in with Instagram (Business Login for Instagram),
the token is the account's own, and every call goes to graph.instagram.com with the same Graph
API paths as with Facebook Login. So this adapter is ``InstagramGraphAdapter`` (publishing
containers, comments, conversations, insights: networks/instagram/graph.py) on another host,
with Instagram's login and long-lived tokens; the account sends its private messages itself
(``POST /<IG_ID>/messages``). Hashtag search and liking comments exist only with Facebook
Login.
"""

from __future__ import annotations

from dataclasses import replace

import httpx

from networks.base import (
    AppCredentials,
    Capabilities,
    Credentials,
    Network,
    NetworkError,
    PermanentError,
    TokenSet,
)
from networks.connect import ApiVersions, expires_at
from networks.http import json_or_none
from networks.instagram.graph import InstagramGraphAdapter
from networks.instagram_login import profile
from networks.meta import DEFAULT_GRAPH_VERSION
from networks.oauth import OAuthSpec

SCOPES = (
    "instagram_business_basic",  # the account's profile and media (required by the others)
    "instagram_business_content_publish",  # containers and media_publish
    "instagram_business_manage_comments",  # read, answer, hide and delete comments
    "instagram_business_manage_messages",  # its conversations, answers and private replies
    "instagram_business_manage_insights",  # media and account insights (metrics)
)


class InstagramLoginAdapter(InstagramGraphAdapter):
    network = Network.INSTAGRAM_LOGIN
    display_name = "Instagram (Instagram login)"
    app_settings = "INSTAGRAM_LOGIN_CLIENT_ID / INSTAGRAM_LOGIN_CLIENT_SECRET"
    scopes = SCOPES
    capabilities = Capabilities(
        publish_images=True,
        publish_video=True,
        carousel=True,
        first_comment=True,
        read_comments=True,
        read_own_posts=True,
        reply=True,
        hide_comment=True,
        delete_comment=True,
        private_reply=True,  # POST /<IG_ID>/messages with recipient comment_id
        read_direct_messages=True,
        send_direct_messages=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
    )
    docs = (
        "Meta for Developers: Instagram API with Instagram Login, Overview and Get Started",
        "Meta for Developers: Business Login for Instagram (https://www.instagram.com/oauth/"
        "authorize, instagram_business_* scopes; POST https://api.instagram.com/oauth/"
        "access_token answering data[{access_token, user_id, permissions}])",
        "Meta for Developers: Instagram Platform reference, Access Token (GET graph.instagram."
        "com/access_token?grant_type=ig_exchange_token), Refresh Access Token "
        "(grant_type=ig_refresh_token), Oauth Authorize",
        "Meta for Developers: IG User (GET /me?fields=user_id,username,name,"
        "profile_picture_url on graph.instagram.com)",
        "Meta for Developers: Instagram API with Instagram Login, Content Publishing "
        "(POST /<IG_ID>/media, /media_publish, content_publishing_limit)",
        "Meta for Developers: Instagram API with Instagram Login, Comment Moderation "
        "(/<IG_MEDIA_ID>/comments, /<IG_COMMENT_ID>/replies, hide, delete)",
        "Meta for Developers: Instagram API with Instagram Login, Messaging API and Private "
        "Replies (POST /<IG_ID>/messages, GET /<IG_ID>/conversations?platform=instagram)",
        "Meta for Developers: Instagram API with Instagram Login, Insights (media and account "
        "insights, instagram_business_manage_insights)",
        "Meta for Developers: Instagram Graph API Error Codes",
    )

    @classmethod
    def options_for(cls, versions: ApiVersions) -> dict[str, str]:
        # The pinned Graph version applies to graph.instagram.com too; META_GRAPH_BASE_URL is
        # graph.facebook.com's stand-in and does not.
        return {"graph_version": versions.meta_graph} if versions.meta_graph else {}

    def __init__(
        self,
        *args,
        graph_version: str = DEFAULT_GRAPH_VERSION,
        graph_base_url: str = profile.GRAPH_INSTAGRAM,
        **kwargs,
    ):
        super().__init__(
            *args, graph_version=graph_version, graph_base_url=graph_base_url, **kwargs
        )

    def oauth(self, instance_url: str = "") -> OAuthSpec:
        return OAuthSpec(
            authorize_url="https://www.instagram.com/oauth/authorize",
            token_url=profile.TOKEN_URL,
            default_scopes=self.scopes,
            scope_separator=",",
            pkce=False,
        )

    def classify_response(self, response: httpx.Response) -> NetworkError:
        body = json_or_none(response)
        if isinstance(body, dict) and "error_message" in body:
            # api.instagram.com's own shape: {"error_type", "code", "error_message"}
            return PermanentError(
                f"{self.display_name} refused the authorisation: {body['error_message']}",
                code=body.get("error_type") or body.get("code"),
                network=self.network,
                raw=body,
            )
        return super().classify_response(response)

    # ---------------------------------------------------------------- connecting

    def exchange_code(
        self, app: AppCredentials, *, code, redirect_uri, code_verifier=None, instance_url=""
    ) -> TokenSet:
        """The short-lived token (an hour); ``connected_profiles`` makes it long-lived."""
        body = self.request(
            "POST",
            profile.TOKEN_URL,
            data={
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
                "code": code,
            },
            # A code is redeemed once: a lost answer means a new authorisation anyway.
            idempotent=True,
        ).json()
        return profile.short_lived_token(body if isinstance(body, dict) else {})

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, app, tokens)

    def refresh(self, creds: Credentials, app: AppCredentials) -> Credentials:
        """60 more days from the current long-lived token (there is no refresh token)."""
        tokens = profile.refreshed_token(self, creds.access_token)
        return replace(
            creds,
            access_token=tokens.access_token,
            expires_at=expires_at(tokens.expires_in) or creds.expires_at,
        )

    # ---------------------------------------------------------------- messages

    def messaging_page(self, creds: Credentials) -> tuple[str, str]:
        """The account sends its own messages (no Page): its id and its token."""
        return creds.external_id, creds.access_token
