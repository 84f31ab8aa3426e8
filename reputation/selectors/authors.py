"""An author's record in listening, as another app shows it beside what they wrote (the
inbox's conversation page): audience, how much they said about the actor's brands and in
which tone, and their latest mentions. Three queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from reputation.models.mentions import Author, Mention


@dataclass
class AuthorHistory:
    author: Author
    mention_count: int = 0
    sentiments: dict[str, int] = field(default_factory=dict)  # label -> count
    recent: list[Mention] = field(default_factory=list)


def author_history(actor, *, author_id: int | None, limit: int = 5) -> AuthorHistory | None:
    """None when there is no such author in the actor's agency. Mentions are those of the
    brands the actor may see."""
    if author_id is None:
        return None
    author = Author.objects.visible_to(actor).filter(pk=author_id).first()
    if author is None:
        return None
    mentions = Mention.objects.visible_to(actor).filter(author_id=author_id)
    sentiments = dict(mentions.order_by().values_list("sentiment_label").annotate(n=Count("id")))
    return AuthorHistory(
        author=author,
        mention_count=sum(sentiments.values()),
        sentiments=sentiments,
        recent=list(mentions.select_related("brand").order_by("-published_at", "-id")[:limit]),
    )
