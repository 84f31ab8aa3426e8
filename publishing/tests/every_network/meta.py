"""The fakes of Meta's networks: Graph API calls with the token in the form or the query."""

from networks.base import Network
from networks.tests.conftest import load

from .base import GRAPH, Fake, form


class Facebook(Fake):
    network = Network.FACEBOOK
    account = {"external_id": "104729925234"}
    external_id = load("facebook_photo.json")["post_id"]
    url = f"https://www.facebook.com/{external_id}"

    def install(self, router):
        self.routes["photo"] = router.post(f"{GRAPH}/104729925234/photos").respond(
            200, json=load("facebook_photo.json")
        )

    def check(self, composed):
        photo = form(self.sent("photo"))
        assert photo["caption"] == composed.text_and_link and photo["published"] == "true"
        assert photo["access_token"] == self.token
        assert composed.opens(photo["url"]) == composed.image  # Facebook fetches it


class Instagram(Fake):
    network = Network.INSTAGRAM
    ig = "17841405822304914"
    account = {"external_id": ig}
    external_id, url = "17920238422030506", "https://www.instagram.com/p/C4xYz12AbCd/"

    graph = GRAPH

    def install(self, router):
        GRAPH = self.graph  # noqa: N806 - the host differs by login
        token = {"access_token": self.token}
        router.get(f"{GRAPH}/{self.ig}/content_publishing_limit", params=token).respond(
            200, json=load("instagram_publishing_limit.json")
        )
        self.routes["container"] = router.post(f"{GRAPH}/{self.ig}/media").respond(
            200, json=load("instagram_container.json")
        )
        router.get(f"{GRAPH}/17889455560051444", params=token).respond(
            200, json=load("instagram_container_finished.json")
        )
        self.routes["publish"] = router.post(f"{GRAPH}/{self.ig}/media_publish").respond(
            200, json=load("instagram_media_publish.json")
        )
        router.get(f"{GRAPH}/{self.external_id}", params=token).respond(
            200, json=load("instagram_permalink.json")
        )

    def check(self, composed):
        container = form(self.sent("container"))
        assert container["caption"] == composed.text_and_link
        assert container["alt_text"] == composed.alt_text
        assert container["access_token"] == self.token
        assert composed.opens(container["image_url"]) == composed.image  # Instagram fetches it
        assert form(self.sent("publish"))["creation_id"] == "17889455560051444"


class InstagramLogin(Instagram):
    """The same calls on graph.instagram.com (Instagram Login: no Facebook Page)."""

    network = Network.INSTAGRAM_LOGIN
    graph = GRAPH.replace("graph.facebook.com", "graph.instagram.com")


class Threads(Fake):
    network = Network.THREADS
    user = load("threads_me.json")["id"]
    account = {"external_id": user}
    external_id = load("threads_publish.json")["id"]
    url = load("threads_permalink.json")["permalink"]

    def install(self, router):
        api, token = "https://graph.threads.net/v1.0", {"access_token": self.token}
        router.get(f"{api}/{self.user}/threads_publishing_limit", params=token).respond(
            200, json=load("threads_publishing_limit.json")
        )
        self.routes["container"] = router.post(f"{api}/{self.user}/threads").respond(
            200, json=load("threads_container.json")
        )
        router.get(f"{api}/17889615691921648", params=token).respond(
            200, json=load("threads_container_finished.json")
        )
        self.routes["publish"] = router.post(f"{api}/{self.user}/threads_publish").respond(
            200, json=load("threads_publish.json")
        )
        router.get(f"{api}/{self.external_id}", params=token).respond(
            200, json=load("threads_permalink.json")
        )

    def check(self, composed):
        container = form(self.sent("container"))
        assert composed.opens(container.pop("image_url")) == composed.image  # Threads fetches it
        assert container == {
            "media_type": "IMAGE",
            "text": composed.text_and_link,
            "alt_text": composed.alt_text,
            "access_token": self.token,
        }
        assert form(self.sent("publish"))["creation_id"] == "17889615691921648"
