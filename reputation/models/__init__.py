"""The listening and crisis tables, one module per topic. Django loads the models through this
package; code imports them from their module (``from reputation.models.mentions import
Mention``)."""

from reputation.models import account_posts, crises, mentions, queries, sources  # noqa: F401
