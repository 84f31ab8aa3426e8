"""The fake of Google Business Profile: a local post, its photo fetched by Google."""

from networks.base import Network
from networks.tests.conftest import load

from .base import Fake

POSTS_API = "https://mybusiness.googleapis.com/v4"
LOCATION = "accounts/108261983375230571234/locations/4511237863512908765"


class GoogleBusiness(Fake):
    network = Network.GOOGLE_BUSINESS
    account = {"external_id": LOCATION}
    options = {
        "topic_type": "EVENT",
        "event_title": "Ftour du vendredi",
        "event_start": "2030-03-08T19:30",
        "event_end": "2030-03-08T23:00",
        "call_to_action": "BOOK",
        "call_to_action_url": "https://cafe-tanger.ma/reserver",
    }
    stored_options = options
    answer = load("google_business_local_post.json")
    external_id, url = answer["name"], answer["searchUrl"]

    def install(self, router):
        self.routes["post"] = router.post(
            f"{POSTS_API}/{LOCATION}/localPosts", headers=self.bearer
        ).respond(200, json=self.answer)

    def check(self, composed):
        post = self.sent_json("post")
        (photo,) = post.pop("media")
        assert photo["mediaFormat"] == "PHOTO"
        assert composed.opens(photo["sourceUrl"]) == composed.image  # Google fetches it
        event = post.pop("event")
        assert post == {
            "topicType": "EVENT",
            "summary": composed.text,
            "callToAction": {"actionType": "BOOK", "url": "https://cafe-tanger.ma/reserver"},
        }
        assert event["title"] == "Ftour du vendredi"
        schedule = event["schedule"]
        assert (schedule["startTime"], schedule["endTime"]) == (
            {"hours": 19, "minutes": 30},
            {"hours": 23, "minutes": 0},
        )
