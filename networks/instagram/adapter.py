"""Instagram professional accounts through the Graph API with Facebook Login.

What an Instagram account does whichever login connected it (publishing containers,
comments, conversations, insights) is in ``networks/instagram/graph.py``; this adapter adds
Facebook Login's part: the accounts found through the person's Pages, the linked Page that
sends private messages and installs the app for webhooks, hashtag search and likes.
``external_id`` is the IG user id.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from networks import meta
from networks.adapter import parse_time
from networks.base import (
    AppCredentials,
    Author,
    Capabilities,
    Credentials,
    Mention,
    Network,
    PermanentError,
)
from networks.instagram import profile
from networks.instagram.graph import InstagramGraphAdapter


class InstagramAdapter(InstagramGraphAdapter):
    network = Network.INSTAGRAM
    display_name = "Instagram"
    scopes = meta.INSTAGRAM_SCOPES
    capabilities = Capabilities(
        publish_images=True,
        publish_video=True,
        carousel=True,
        first_comment=True,
        read_comments=True,
        read_own_posts=True,
        search_mentions=True,  # hashtag search
        reply=True,
        hide_comment=True,
        delete_comment=True,
        like=True,
        private_reply=True,  # through the linked Page, like the private messages
        send_direct_messages=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
        read_direct_messages=True,  # through the linked Page (Credentials.linked_page_*)
        install_webhooks=True,
    )
    docs = (
        "Meta for Developers: Instagram Platform, Content Publishing guide",
        "Meta for Developers: IG User Media (POST /{ig-user-id}/media), Media Publish",
        "Meta for Developers: IG Container (status_code), IG User Content Publishing Limit",
        "Meta for Developers: IG Media Comments, IG Comment Replies, IG Comment (hide)",
        "Meta for Developers: IG Media Insights, IG Hashtag Search, Hashtag recent_media",
        "Meta for Developers: Instagram Graph API Error Codes",
        "Meta for Developers: Conversations API (GET /{page-id}/conversations?platform=instagram)",
        "Meta for Developers: Page Subscribed Apps (the linked Page installs the app)",
        "Meta for Developers: IG User Likes (POST /{ig-user-id}/likes with comment_id)",
        "Meta for Developers: Messenger Platform for Instagram, Send a Message (POST "
        "/{page-id}/messages, recipient IGSID, the Page token, 24 hours), Private Replies "
        "(recipient comment_id, one per comment within 7 days), Conversations API "
        "(platform=instagram&user_id=)",
    )
    # Private messages are sent through the linked Page (networks.meta_messages).

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, app, tokens)

    def refresh(self, creds: Credentials, app: AppCredentials) -> Credentials:
        """A new long-lived user token from the current one (Facebook Login tokens), and the
        linked Page's token derived from it again (so an account connected before the Page
        token was kept gets it here)."""
        tokens = self.long_lived_token(app, creds.refresh_token or creds.access_token)
        expires_at = (
            datetime.now(UTC) + timedelta(seconds=tokens.expires_in) if tokens.expires_in else None
        )
        fresh = replace(
            creds, access_token=tokens.access_token, refresh_token="", expires_at=expires_at
        )
        page_id, page_token = profile.linked_page(self, tokens.access_token, creds.external_id)
        if page_token:
            fresh = replace(fresh, linked_page_id=page_id, linked_page_token=page_token)
        return fresh

    def search_mentions(self, creds, query, since_id=None):
        """Recent public media with the hashtag ``query`` (Instagram has no full-text search)."""
        tag = query.strip().lstrip("#")
        if not tag or any(ch.isspace() for ch in tag):
            raise PermanentError(
                "Instagram can only search one hashtag at a time",
                code="query_not_hashtag",
                network=self.network,
            )
        found = self._get("ig_hashtag_search", creds, user_id=creds.external_id, q=tag)
        if not found.get("data"):
            return []
        hashtag_id = found["data"][0]["id"]
        media = self._get(
            f"{hashtag_id}/recent_media",
            creds,
            user_id=creds.external_id,
            fields="id,caption,permalink,timestamp,media_type",
            limit=50,
        )
        mentions = [
            Mention(
                external_id=m["id"],
                author=Author(),  # Instagram does not disclose who posted hashtag media
                text=m.get("caption", ""),
                url=m.get("permalink", ""),
                created_at=parse_time(m.get("timestamp")),
                raw=m,
            )
            for m in media.get("data", [])
        ]
        if since_id:
            ids = [m.external_id for m in mentions]
            if since_id in ids:
                mentions = mentions[: ids.index(since_id)]
        return mentions

    def messaging_page(self, creds: Credentials) -> tuple[str, str]:
        """The linked Page and its token: Instagram's private messages and private replies go
        through it (Messenger Platform for Instagram)."""
        if not (creds.linked_page_id and creds.linked_page_token):
            raise PermanentError(
                "Instagram private messages go through the linked Facebook Page: reconnect "
                "the account so that its Page token is kept",
                code="linked_page_missing",
                network=self.network,
            )
        return creds.linked_page_id, creds.linked_page_token

    def install_webhooks(self, creds):
        if not (creds.linked_page_id and creds.linked_page_token):
            raise PermanentError(
                "the Facebook Page linked to this Instagram account is not known: reconnect "
                "the account",
                code="linked_page_missing",
                network=self.network,
            )
        return self.subscribe_page(
            creds.linked_page_id, creds.linked_page_token, meta.INSTAGRAM_PAGE_WEBHOOK_FIELDS
        )

    def like_comment(self, creds, comment_id, liked=True):
        """IG User Likes: POST /{ig-user-id}/likes with ``comment_id`` likes it as the account
        (instagram_manage_engagement), DELETE unlikes; {"success": true}. The API ignores a
        like of what the account already likes: safe to repeat."""
        self.request(
            "POST" if liked else "DELETE",
            self.url(f"{creds.external_id}/likes"),
            params={"access_token": creds.access_token, "comment_id": comment_id},
            idempotent=True,
        )
