"""What the campaigns pages share: error messages, and the brand a page is about."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404

from clients.selectors import brands_visible_to

PAGE_SIZE = 25


def messages_of(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def current_brand_id(request) -> int | None:
    value = request.GET.get("brand") or request.session.get("current_brand_id")
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


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
