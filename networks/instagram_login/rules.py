"""An Instagram post is the same post whichever login connected the account."""

from __future__ import annotations

from dataclasses import replace

from networks.base import Network
from networks.instagram.rules import RULES as INSTAGRAM

RULES = replace(INSTAGRAM, network=Network.INSTAGRAM_LOGIN)
