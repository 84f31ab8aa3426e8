"""What a post on a member's profile may hold: the same Posts API as an organisation page, so
the same rules (sources in docs/networks.md), under the member network's name."""

from __future__ import annotations

from dataclasses import replace

from networks.base import Network
from networks.linkedin.rules import RULES as ORGANISATION_RULES

RULES = replace(ORGANISATION_RULES, network=Network.LINKEDIN_PROFILE)
