"""What every network's fake shares (test_every_network.py, one post for all of them).

Each fake says which account to connect, which publishing options the composer is given for
it and whether it gets the library's image or its video; it installs the network's endpoints
on a respx router, answering with the fixtures of the adapter's own tests
(networks/tests/fixtures, shaped like each network's documented responses); and it checks that
its requests carried what was composed. Routes match the account's token, so two networks on
one host (the LinkedIn page and the LinkedIn profile) each see only their own requests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs

from networks.base import Network
from networks.meta import DEFAULT_GRAPH_VERSION

GRAPH = f"https://graph.facebook.com/{DEFAULT_GRAPH_VERSION}"
LINKEDIN = "https://api.linkedin.com/rest"


@dataclass
class Composed:
    """What the composer was given, as the fakes compare it with their requests."""

    text: str
    link: str
    image: bytes
    video: bytes
    alt_text: str
    opens: Callable[[str], bytes]  # what a public media address serves, signed out

    @property
    def text_and_link(self) -> str:
        """The text as the networks without a link field get it: the link at its end."""
        return f"{self.text}\n\n{self.link}"


def form(request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


class Fake:
    network: Network
    media = "image"  # the post's image; "video": the library video as this account's media
    account: dict = {}  # SocialAccount fields besides the network and the token
    options: dict = {}  # the composer's option_<account>_<name> fields, by name
    stored_options: dict = {}  # PostVariant.network_options after the composer
    external_id = ""  # what the network's answer names the post
    url = ""

    def __init__(self, router, token: str):
        self.token = token
        self.bearer = {"Authorization": f"Bearer {token}"}
        self.routes = {}
        self.install(router)

    def install(self, router) -> None:
        raise NotImplementedError

    def check(self, composed: Composed) -> None:
        raise NotImplementedError

    def sent(self, name: str):
        """The last request of the route ``name``."""
        return self.routes[name].calls.last.request

    def sent_json(self, name: str) -> dict:
        return json.loads(self.sent(name).content)
