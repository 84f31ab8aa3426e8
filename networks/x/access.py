"""The X API's refusals of the developer App's access (not of one request), in words a person
can act on; XAdapter.classify_response makes them permanent errors."""

from __future__ import annotations

# X's problem types for what the developer App's access does not include (its Project, its
# plan, its monthly cap): a person must change the App, so each is a permanent refusal.
_ACCESS_REFUSALS = {
    "client-forbidden": (
        "X refuses this app: its developer App must be attached to a Project whose access "
        "level includes this endpoint (direct messages need a paid X API plan)"
    ),
    "unsupported-authentication": (
        "X does not accept this kind of sign-in for that endpoint (it needs a user's OAuth 2.0 "
        "token from a connected account)"
    ),
    "usage-capped": (
        "the app's X API plan has used its monthly cap: nothing more is read or sent until "
        "the cap resets or the plan is raised"
    ),
}


def access_refusal(body, code) -> str:
    """The refusal ``body`` means when it is about the App's access; "" for the others."""
    if not isinstance(body, dict):
        return ""
    known = _ACCESS_REFUSALS.get(str(code))
    if known is None and body.get("reason") == "client-not-enrolled":
        known = _ACCESS_REFUSALS["client-forbidden"]
    if known is None:
        return ""
    said = body.get("detail") or body.get("title") or ""
    return f"{known} ({said})" if said else known
