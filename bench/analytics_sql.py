"""bench/analytics.py's baseline: the analytics page's figures written by hand in SQL, from the
same rows: each post's latest reading of each metric (DISTINCT ON), pivoted per post, its rate
(interactions over reach, else impressions, else the account's followers), then aggregated."""

PER_POST = """
WITH latest AS (
  SELECT DISTINCT ON (m.post_variant_id, m.metric) m.post_variant_id, m.metric, m.value
  FROM analytics_postmetricday m JOIN campaigns_postvariant v ON v.id = m.post_variant_id
  JOIN campaigns_post p ON p.id = v.post_id
  WHERE m.agency_id = %(agency)s AND v.agency_id = %(agency)s AND v.state = 'published'
    AND p.brand_id = ANY(%(brands)s) AND v.published_at >= %(begin)s AND v.published_at < %(stop)s
  ORDER BY m.post_variant_id, m.metric, m.day DESC
), pivot AS (
  SELECT post_variant_id,
    max(value) FILTER (WHERE metric = 'impressions') AS impressions,
    max(value) FILTER (WHERE metric = 'reach') AS reach,
    max(value) FILTER (WHERE metric = 'clicks') AS clicks,
    max(value) FILTER (WHERE metric = 'video_views') AS video_views,
    sum(value) FILTER (WHERE metric IN ('likes', 'comments', 'shares', 'saves')) AS interactions
  FROM latest GROUP BY post_variant_id
), followers AS (
  SELECT DISTINCT ON (social_account_id) social_account_id, value
  FROM analytics_accountmetricday WHERE agency_id = %(agency)s AND metric = 'followers'
  ORDER BY social_account_id, day DESC
), per_post AS (
  SELECT v.id, v.published_at, pv.*, pv.interactions::float
    / COALESCE(NULLIF(pv.reach, 0), NULLIF(pv.impressions, 0), NULLIF(f.value, 0)) AS rate
  FROM campaigns_postvariant v JOIN campaigns_post p ON p.id = v.post_id
  LEFT JOIN pivot pv ON pv.post_variant_id = v.id
  LEFT JOIN followers f ON f.social_account_id = v.social_account_id
  WHERE v.agency_id = %(agency)s AND v.state = 'published' AND p.brand_id = ANY(%(brands)s)
    AND v.published_at >= %(begin)s AND v.published_at < %(stop)s
)
"""
KPIS = (
    PER_POST
    + """SELECT sum(impressions), sum(reach), sum(interactions), avg(rate), sum(clicks),
       sum(video_views), count(*) FROM per_post"""
)
ACCOUNT_KPIS = """
SELECT (SELECT sum(f.value) FROM (SELECT DISTINCT ON (social_account_id) value
          FROM analytics_accountmetricday a
          JOIN clients_socialaccount s ON s.id = a.social_account_id
          WHERE a.agency_id = %(agency)s AND s.brand_id = ANY(%(brands)s) AND metric = 'followers'
            AND day <= %(end)s ORDER BY social_account_id, day DESC) f),
       (SELECT sum(a.value) FROM analytics_accountmetricday a
          JOIN clients_socialaccount s ON s.id = a.social_account_id
          WHERE a.agency_id = %(agency)s AND s.brand_id = ANY(%(brands)s)
            AND metric = 'follower_growth' AND day BETWEEN %(start)s AND %(end)s)
"""
PAGE = (
    PER_POST
    + """SELECT per_post.*, p.title, s.handle, (SELECT count(*) FROM per_post) AS total
       FROM per_post JOIN campaigns_postvariant v ON v.id = per_post.id
       JOIN campaigns_post p ON p.id = v.post_id
       JOIN clients_socialaccount s ON s.id = v.social_account_id
       ORDER BY rate DESC NULLS LAST, per_post.published_at DESC LIMIT 25"""
)
HEATMAP = (
    PER_POST
    + """SELECT extract(isodow FROM published_at AT TIME ZONE 'Africa/Casablanca'),
       extract(hour FROM published_at AT TIME ZONE 'Africa/Casablanca'), count(*), avg(rate)
       FROM per_post GROUP BY 1, 2"""
)
