"""Google Business Profile locations: local posts, reviews and replies, performance metrics."""
