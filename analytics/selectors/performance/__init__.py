"""The analytics pages' reads (and the reports'): a period's KPIs with their change, daily
series, the per-network breakdown, the posts with their metrics, top and bottom posts, the best
time to post, and a campaign's KPIs against its targets. Public names only here; the modules
are split by topic. A figure nobody gave is None ("not available"), never 0."""

from analytics.selectors.performance.campaigns import (
    KpiTarget,
    campaign_kpis,
    campaign_period_bounds,
)
from analytics.selectors.performance.kpis import (
    KPI_LABELS,
    SERIES_METRICS,
    Kpi,
    NetworkRow,
    brand_kpis,
    daily_series,
    network_breakdown,
)
from analytics.selectors.performance.posts import (
    DEFAULT_POST_SORT,
    POST_SORTS,
    HeatCell,
    Heatmap,
    best_times,
    post_rows,
    post_sort_valid,
    top_posts,
)
from analytics.selectors.performance.scope import (
    POST_COLUMNS,
    accounts_in_scope,
    brands_in_scope,
    time_zone_of,
)

__all__ = [
    "DEFAULT_POST_SORT",
    "KPI_LABELS",
    "POST_COLUMNS",
    "POST_SORTS",
    "SERIES_METRICS",
    "HeatCell",
    "Heatmap",
    "Kpi",
    "KpiTarget",
    "NetworkRow",
    "accounts_in_scope",
    "best_times",
    "brand_kpis",
    "brands_in_scope",
    "campaign_kpis",
    "campaign_period_bounds",
    "daily_series",
    "network_breakdown",
    "post_rows",
    "post_sort_valid",
    "time_zone_of",
    "top_posts",
]
