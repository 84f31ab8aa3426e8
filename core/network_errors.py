"""What went wrong on a network, in the reader's language.

Adapters explain their errors in English (``NetworkError.explanation``, often the network's own
words). A French message must not carry an English sentence as its reason: the error's class
(the taxonomy every adapter raises) and, for a refusal, its code give the words; the network's
own text follows only as a detail, quoted, for support and for the rare case nobody mapped."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.base import (
    AuthExpired,
    NetworkError,
    NotSupported,
    OutcomeUnknown,
    PermanentError,
    RateLimited,
    TransientError,
)

# Refusal codes several adapters share (networks/*/adapter.py); a code not here falls back to
# the generic "refused the request".
REFUSAL_WORDS = {
    "duplicate": gettext_lazy("the same text was posted recently"),
    "media_required": gettext_lazy("this network needs an image or a video"),
    "media_url_required": gettext_lazy("this network needs the media at a public address"),
    "media_too_large": gettext_lazy("a media file is too large"),
    "media_download": gettext_lazy("the network could not download the media"),
    "no_media": gettext_lazy("the media is missing"),
    "option_required": gettext_lazy("a required network option is missing"),
    "option_invalid": gettext_lazy("a network option is not valid"),
    "missing_scope": gettext_lazy("the account was connected without the needed permission"),
    "reply_too_long": gettext_lazy("the reply is too long"),
}


def network_error_summary(exc: NetworkError) -> str:
    """The kind of failure, translated, from the error's class and code alone."""
    if isinstance(exc, AuthExpired):
        return _("the account's access was refused or has expired")
    if isinstance(exc, RateLimited):
        return _("too many requests for now")
    if isinstance(exc, OutcomeUnknown):
        return _("no answer came back")
    if isinstance(exc, TransientError):
        return _("the network is unavailable for now")
    if isinstance(exc, NotSupported):
        return _("the network does not allow this")
    if isinstance(exc, PermanentError):
        words = REFUSAL_WORDS.get(exc.code or "")
        if words is not None:
            return str(words)
        if exc.code:
            return _("the network refused the request (code %(code)s)") % {"code": exc.code}
        return _("the network refused the request")
    return _("the network failed")


def network_error_words(exc: NetworkError) -> str:
    """The summary, then the network's own words as a quoted detail when it gave any."""
    summary = network_error_summary(exc)
    detail = (exc.explanation or "").strip()
    if not detail:
        return summary
    return _("%(summary)s (the network said: “%(detail)s”)") % {
        "summary": summary,
        "detail": detail[:300],
    }
