"""Signals of the listening app: decoupled side effects only.

``mentions_ingested`` is sent after the transaction that stored new mentions has committed,
with keyword arguments ``agency_id`` (int), ``brand_ids`` (sorted list of int) and
``mention_ids`` (list of int, the new mentions only). Crisis evaluation subscribes to it.
"""

from django.dispatch import Signal

mentions_ingested = Signal()
