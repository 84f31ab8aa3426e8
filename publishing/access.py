"""Who may act on the publishing queue: campaigns' permission checks, applied to a post."""

from agency import permissions
from campaigns.models import Post
from campaigns.services.access import require, require_brand


def post_writer_require(*, actor, post: Post) -> None:
    """Raise PermissionDenied unless `actor` may change `post`: write posts, and for client
    roles, the post's brand was given to them."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, post.brand)
