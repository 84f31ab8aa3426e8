"""One vocabulary: the stored metric names are the networks' vocabulary, and every network
maps only to names in it."""

import importlib

import pytest

from analytics.models import Metric
from analytics.services.collection import LEASE
from config.celery import app
from networks.metrics import VOCABULARY


def test_stored_metrics_are_the_networks_vocabulary():
    assert tuple(Metric.values) == VOCABULARY


@pytest.mark.parametrize(
    "network", ["facebook", "instagram", "linkedin", "x", "mastodon", "bluesky"]
)
def test_each_network_maps_its_names_to_the_vocabulary_only(network):
    module = importlib.import_module(f"networks.{network}.metrics")
    mappings = [v for name, v in vars(module).items() if name.isupper() and isinstance(v, dict)]
    assert mappings
    for mapping in mappings:
        assert set(mapping.values()) <= set(VOCABULARY), mapping


def test_the_collection_task_ends_before_its_lease():
    app.loader.import_default_modules()
    task = app.tasks["analytics.collect_account_metrics"]
    assert task.soft_time_limit < task.time_limit < LEASE.total_seconds()
