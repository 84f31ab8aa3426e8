"""One fake per network for the post that goes to all of them (test_every_network.py); a new
network gets its fake here, in the module of its kind."""

from .base import Composed, Fake
from .google import GoogleBusiness
from .meta import Facebook, Instagram, InstagramLogin, Threads
from .pinterest import Pinterest
from .social import Bluesky, LinkedIn, LinkedInProfile, Mastodon, X
from .video import TikTok, YouTube

FAKES: tuple[type[Fake], ...] = (
    Mastodon,
    Bluesky,
    Facebook,
    Instagram,
    InstagramLogin,
    LinkedIn,
    X,
    LinkedInProfile,
    TikTok,
    YouTube,
    Pinterest,
    GoogleBusiness,
    Threads,
)

__all__ = ["FAKES", "Composed", "Fake"]
