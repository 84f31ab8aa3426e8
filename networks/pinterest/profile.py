"""The account a Pinterest token opens (GET /v5/user_account) and its boards (GET /v5/boards)."""

from __future__ import annotations

from networks.base import Credentials, TokenSet
from networks.connect import ConnectedProfile, expires_at

MAX_BOARD_PAGES = 20  # 2,000 boards: more than any account chooses among in a composer


def connected_profiles(adapter, tokens: TokenSet) -> list[ConnectedProfile]:
    """One profile: the Pinterest account itself (a token opens exactly one)."""
    creds = Credentials(access_token=tokens.access_token)
    user = adapter.call("GET", "/user_account", creds).json()
    username = user.get("username") or ""
    return [
        ConnectedProfile(
            **adapter.profile_fields(tokens),
            external_id=str(user.get("id") or username),
            handle=username,
            display_name=user.get("business_name") or username,
            avatar_url=user.get("profile_image") or "",
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_at=expires_at(tokens.expires_in),
        )
    ]


def boards(adapter, creds: Credentials) -> list[tuple[str, str]]:
    """(board id, name) of every board the account may pin to, paged by ``bookmark``. Secret
    boards are left out: pinning to them takes ``pins:write_secret``, which is not asked."""
    found: list[tuple[str, str]] = []
    bookmark = ""
    for _page in range(MAX_BOARD_PAGES):
        params = {"page_size": 250}
        if bookmark:
            params["bookmark"] = bookmark
        body = adapter.call("GET", "/boards", creds, params=params).json()
        for board in body.get("items") or []:
            if board.get("id") and board.get("privacy") != "SECRET":
                found.append((str(board["id"]), board.get("name") or str(board["id"])))
        bookmark = body.get("bookmark") or ""
        if not bookmark:
            break
    return found
