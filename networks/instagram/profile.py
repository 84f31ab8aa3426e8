"""Which Instagram professional accounts a Facebook Login token opens."""

from __future__ import annotations

from datetime import UTC, datetime

from networks.adapter import parse_time
from networks.base import AppCredentials, Author, Comment, NetworkError, TokenSet
from networks.connect import ConnectedProfile, expires_at
from networks.facebook.adapter import FacebookAdapter


def _facebook(adapter) -> FacebookAdapter:
    """The Facebook side of the Graph API, same version, same guarded connection."""
    facebook = FacebookAdapter(adapter.http, graph_version=adapter.version)
    facebook.outbound = adapter.outbound
    return facebook


def connected_profiles(adapter, app: AppCredentials, tokens: TokenSet) -> list[ConnectedProfile]:
    """The Instagram accounts linked to the person's Pages (Facebook Login), found through
    the Facebook side of the Graph API at the same version and over the same connection."""
    facebook = _facebook(adapter)
    user = facebook.long_lived_token(app, tokens.access_token)
    profiles = []
    for page in facebook.list_pages(user.access_token):
        ig = page.get("instagram_business_account") or {}
        if not ig.get("id"):
            continue
        info = adapter.request(
            "GET",
            adapter.url(str(ig["id"])),
            params={
                "fields": "username,name,profile_picture_url",
                "access_token": user.access_token,
            },
        ).json()
        profiles.append(
            ConnectedProfile(
                **adapter.profile_fields(tokens),
                external_id=str(ig["id"]),
                handle=f"@{info['username']}" if info.get("username") else "",
                display_name=info.get("name") or page.get("name", ""),
                avatar_url=info.get("profile_picture_url", ""),
                access_token=user.access_token,
                expires_at=expires_at(user.expires_in),
                # The Page-level calls (its conversations, installing the app) need these.
                linked_page_id=str(page.get("id", "")),
                linked_page_token=page.get("access_token", ""),
            )
        )
    return profiles


def linked_page(adapter, user_token: str, ig_user_id: str) -> tuple[str, str]:
    """(Page id, Page token) of the person's Page linked to the Instagram account, or
    ("", "") when it is not among them or the look-up failed: a token refresh must not fail
    for want of it (the account keeps the Page token it had)."""
    try:
        pages = _facebook(adapter).list_pages(user_token)
    except NetworkError:
        return "", ""
    for page in pages:
        ig = page.get("instagram_business_account") or {}
        if str(ig.get("id", "")) == ig_user_id and page.get("access_token"):
            return str(page["id"]), page["access_token"]
    return "", ""


def _time(value) -> datetime | None:
    """The conversations API's times: ISO 8601, or the Unix time its guide shows."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        try:
            return datetime.fromtimestamp(int(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_time(value) if isinstance(value, str) else None


def conversation_messages(body: dict, *, own_id: str, since=None) -> list[tuple[str, Comment]]:
    """[(the other party's id, message)] of a /{page-id}/conversations?platform=instagram
    answer: participants and message senders carry ``id`` and ``username``."""
    found = []
    for conversation in body.get("data", []) if isinstance(body, dict) else []:
        updated = _time(conversation.get("updated_time"))
        if since and updated and updated <= since:
            continue
        people = (conversation.get("participants") or {}).get("data", [])
        others = [str(p.get("id", "")) for p in people if str(p.get("id", "")) != own_id]
        if not others or not others[0]:
            continue
        for m in (conversation.get("messages") or {}).get("data", []):
            created = _time(m.get("created_time"))
            if not m.get("id") or (since and created and created <= since):
                continue
            sender = m.get("from") or {}
            found.append(
                (
                    others[0],
                    Comment(
                        external_id=str(m["id"]),
                        author=Author(
                            external_id=str(sender.get("id", "")),
                            handle=sender.get("username", ""),
                        ),
                        text=m.get("message", "") or "[attachment]",
                        created_at=created,
                        raw=m,
                    ),
                )
            )
    return found
