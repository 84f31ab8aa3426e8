"""Metric rows for the analytics tests (and the reports'): a published variant, and its
figures on a day, written through the unscoped manager in the row's own agency."""

from __future__ import annotations

import datetime as dt

from agency.tenancy import tenant_scope
from analytics.models import AccountMetricDay, PostMetricDay
from campaigns.tests.factories import PostFactory, PostVariantFactory


def published_variant(account, *, at: dt.datetime, campaign=None, **post):
    """A post of the account's brand published on ``account`` at ``at``."""
    made = PostFactory(agency=account.agency, brand=account.brand, campaign=campaign, **post)
    return PostVariantFactory(
        agency=account.agency,
        post=made,
        social_account=account,
        state="published",
        external_id=f"ext-{made.pk}",
        published_at=at,
    )


def post_metrics(variant, day: dt.date, **values: int) -> None:
    """The variant's lifetime counters read on ``day`` (a metric left out: not given)."""
    at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    with tenant_scope(variant.agency_id):
        for metric, value in values.items():
            PostMetricDay.unscoped.update_or_create(
                agency_id=variant.agency_id,
                post_variant=variant,
                metric=metric,
                day=day,
                defaults={
                    "social_account_id": variant.social_account_id,
                    "value": value,
                    "collected_at": at,
                },
            )


def account_metrics(account, day: dt.date, **values: int) -> None:
    at = dt.datetime.combine(day, dt.time(23), tzinfo=dt.UTC)
    with tenant_scope(account.agency_id):
        for metric, value in values.items():
            AccountMetricDay.unscoped.update_or_create(
                agency_id=account.agency_id,
                social_account=account,
                metric=metric,
                day=day,
                defaults={"value": value, "collected_at": at},
            )
