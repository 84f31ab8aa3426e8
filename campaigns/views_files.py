"""Uploaded files (``MEDIA_URL``) served only to the people who may see what they belong to.

Every file under MEDIA_ROOT belongs to a row: a media-library file or its thumbnail (a brand's),
a brand's logo, or an agency's logo. The path is looked up among those rows (so nothing else
on disk is reachable, whatever the path says) and the file is sent only to a signed-in member
of the owning agency, in its active agency, who may see the brand; everyone else gets 404,
the same answer as for a file that does not exist. The same view serves media in development
and in production (docs/setup.md): a proxy must not serve MEDIA_ROOT itself.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from agency.models import Agency
from campaigns.media_links import MediaLinkUnusable, content_type_of, media_from_token
from campaigns.models import MediaAsset
from campaigns.selectors.media import media_visible_to
from clients.models import Brand
from clients.selectors import brands_visible_to


def _may_see(membership, path: str) -> bool:
    """Whether `membership` may read the uploaded file stored at `path`."""
    if membership is None:
        return False
    agency_id = membership.agency_id
    if MediaAsset.objects.filter(Q(file=path) | Q(thumbnail=path), agency_id=agency_id).exists():
        return media_visible_to(membership).filter(Q(file=path) | Q(thumbnail=path)).exists()
    if Brand.objects.filter(logo=path, agency_id=agency_id).exists():
        return brands_visible_to(membership, include_archived=True).filter(logo=path).exists()
    return Agency.objects.filter(pk=agency_id, logo=path).exists()


@require_safe
def media_file(request: HttpRequest, path: str) -> FileResponse:
    if not path or ".." in path.split("/") or path.startswith("/") or "\\" in path:
        raise Http404
    if not _may_see(getattr(request, "membership", None), path):
        raise Http404
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    # Another member's upload must never run as a page of ours (an SVG or HTML renamed .png).
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
def media_public(request: HttpRequest, token: str, name: str) -> HttpResponse:
    """A media-library file behind its signed public address (campaigns.media_links), for the
    networks that fetch a post's media themselves. ``name`` is for the networks that judge a
    file by its address; the token alone says which file it is."""
    try:
        asset = media_from_token(token)
    except MediaLinkUnusable as exc:
        if exc.status == 410:
            return HttpResponse(status=410, content=b"This media link has expired.")
        raise Http404 from None
    try:
        handle = asset.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type_of(asset))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response


media_public.public = True  # fetched by the networks; the signed token is the credential
