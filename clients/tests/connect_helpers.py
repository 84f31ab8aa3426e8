"""What the connect-flow tests share: starting a connection from the brand page, X's answers."""

from urllib.parse import parse_qs, urlsplit

from clients.models import SocialAccount

X_TOKEN_URL = "https://api.x.com/2/oauth2/token"
X_ME_URL = "https://api.x.com/2/users/me"
X_ME = {
    "data": {
        "id": "2244994945",
        "name": "Café Tanger",
        "username": "cafetanger",
        "profile_image_url": "https://pbs.twimg.com/profile_images/1/a_normal.jpg",
    }
}


def start_connection(client, brand, network, **data):
    response = client.post(f"/brands/{brand.pk}/connect/", {"network": network, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    location = response["Location"]
    return location, {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def stored_accounts(agency):
    return SocialAccount.unscoped.filter(agency=agency)
