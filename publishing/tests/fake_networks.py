"""Stateful fakes of the networks' publishing endpoints, for respx: each create really creates
the post (then may fail the way real servers do), and the listing endpoints the lookups read
answer with what was created, shaped like each network's documented responses."""

import datetime as dt
import itertools
import json
from urllib.parse import parse_qs

import httpx
from django.utils import timezone


def _now_iso(meta: bool = False) -> str:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return now.strftime("%Y-%m-%dT%H:%M:%S+0000") if meta else now.isoformat()


class FakeNetwork:
    """Creates the post on every create request, then answers `fail_with` (a status code, or
    an exception standing for a dropped connection) for the first `failures` of them."""

    def __init__(self, network: str, *, fail_with=502, failures: int = 1):
        self.network = network
        self.fail_with = fail_with
        self.failures = failures
        self.created: list[dict] = []  # {"id", "text", "created"}
        self.creates = 0
        self._ids = itertools.count(9000)

    def create(self, text: str):
        self.creates += 1
        post = {"id": str(next(self._ids)), "text": text}
        if self.network == "linkedin":
            post["id"] = f"urn:li:share:{post['id']}"
        self.created.append(post)
        if self.creates <= self.failures:
            if isinstance(self.fail_with, int):
                return httpx.Response(self.fail_with, text="<html>Bad Gateway</html>")
            raise self.fail_with
        return post

    def install(self, router, account):
        if self.network == "mastodon":
            router.post("https://mastodon.social/api/v1/statuses").mock(side_effect=self._mastodon)
            router.get(url__regex=r"https://mastodon\.social/api/v1/accounts/.*/statuses").mock(
                side_effect=lambda request: httpx.Response(
                    200,
                    json=[
                        {
                            "id": p["id"],
                            "created_at": _now_iso(),
                            "content": f"<p>{p['text']}</p>",
                            "url": f"https://mastodon.social/@cafe/{p['id']}",
                        }
                        for p in reversed(self.created)
                    ],
                )
            )
        elif self.network == "facebook":
            router.post(url__regex=r"https://graph\.facebook\.com/.*/(feed|photos)$").mock(
                side_effect=self._facebook
            )
            router.get(url__regex=r"https://graph\.facebook\.com/.*/published_posts").mock(
                side_effect=lambda request: httpx.Response(
                    200,
                    json={
                        "data": [
                            {
                                "id": p["id"],
                                "message": p["text"],
                                "created_time": _now_iso(meta=True),
                                "permalink_url": f"https://www.facebook.com/{p['id']}",
                            }
                            for p in reversed(self.created)
                        ]
                    },
                )
            )
        elif self.network == "linkedin":
            router.post("https://api.linkedin.com/rest/posts").mock(side_effect=self._linkedin)
            router.get(url__regex=r"https://api\.linkedin\.com/rest/posts\?").mock(
                side_effect=lambda request: httpx.Response(
                    200,
                    json={
                        "elements": [
                            {
                                "id": p["id"],
                                "commentary": p["text"],
                                "createdAt": int(timezone.now().timestamp() * 1000),
                            }
                            for p in reversed(self.created)
                        ]
                    },
                )
            )
        elif self.network == "x":
            router.post("https://api.x.com/2/tweets").mock(side_effect=self._x)
            router.get(url__regex=r"https://api\.x\.com/2/users/.*/tweets").mock(
                side_effect=lambda request: httpx.Response(
                    200,
                    json={
                        "data": [
                            {"id": p["id"], "text": p["text"], "created_at": _now_iso()}
                            for p in reversed(self.created)
                        ]
                    },
                )
            )

    def _mastodon(self, request):
        answer = self.create(json.loads(request.content)["status"])
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(
            200, json={"id": answer["id"], "url": f"https://mastodon.social/@cafe/{answer['id']}"}
        )

    def _facebook(self, request):
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        answer = self.create(form.get("message") or form.get("caption", ""))
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(200, json={"id": answer["id"], "post_id": answer["id"]})

    def _linkedin(self, request):
        answer = self.create(json.loads(request.content)["commentary"])
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(201, headers={"x-restli-id": answer["id"]})

    def _x(self, request):
        answer = self.create(json.loads(request.content)["text"])
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(201, json={"data": {"id": answer["id"], "text": answer["text"]}})
