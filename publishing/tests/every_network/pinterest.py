"""The fakes of the networks that ask for an account's own choices: Pinterest's boards."""

import base64

from networks.base import Network
from networks.tests.conftest import load

from .base import Fake

API = "https://api.pinterest.com/v5"


class Pinterest(Fake):
    network = Network.PINTEREST
    account = {"external_id": "cafetanger"}
    # "Le café", one of the boards the account's first page of boards lists.
    options = {"board_id": "549755885176", "title": "Ftour du vendredi"}
    stored_options = options
    pin = load("pinterest_pin.json")["id"]
    external_id, url = pin, f"https://www.pinterest.com/pin/{pin}/"

    def install(self, router):
        # The composer lists the boards (two pages, by bookmark) when it opens.
        first = load("pinterest_boards.json")
        router.get(
            f"{API}/boards", params={"bookmark": first["bookmark"]}, headers=self.bearer
        ).respond(200, json=load("pinterest_boards_page2.json"))
        router.get(f"{API}/boards", headers=self.bearer).respond(200, json=first)
        self.routes["pin"] = router.post(f"{API}/pins", headers=self.bearer).respond(
            201, json=load("pinterest_pin.json")
        )

    def check(self, composed):
        pin = self.sent_json("pin")
        source = pin.pop("media_source")
        assert pin == {
            "board_id": "549755885176",
            "description": composed.text,
            "link": composed.link,  # where the pin leads
            "title": "Ftour du vendredi",
            "alt_text": composed.alt_text,
        }
        assert (source["source_type"], source["content_type"]) == ("image_base64", "image/jpeg")
        assert base64.b64decode(source["data"]) == composed.image
