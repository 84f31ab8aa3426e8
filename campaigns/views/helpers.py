"""What the campaigns pages share: error messages (a bulk approval's too), and the brand a page
is about."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from agency.views.common import current_brand_id
from clients.selectors import brands_visible_to

PAGE_SIZE = 25


def messages_of(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def brand_or_default(request, brand_id=None):
    """The brand the request names (404 when the caller may not see it: another agency's,
    or not given to this client), else the current brand, else the first one."""
    brands = brands_visible_to(request.membership)
    if brand_id:
        try:
            return brands.get(pk=int(brand_id))
        except (TypeError, ValueError, ObjectDoesNotExist):
            raise Http404 from None
    current = current_brand_id(request)
    return (brands.filter(pk=current).first() if current else None) or brands.first()


def bulk_outcome_messages(request: HttpRequest, outcomes) -> None:
    """One line for the posts approved, one per post refused with its reason."""
    approved = [o for o in outcomes if o.approved]
    if approved:
        messages.success(request, _("%(count)s post(s) approved.") % {"count": len(approved)})
    for outcome in outcomes:
        if not outcome.approved:
            messages.error(
                request,
                _("Post %(id)s was not approved: %(reason)s")
                % {"id": outcome.post_id, "reason": outcome.message},
            )
