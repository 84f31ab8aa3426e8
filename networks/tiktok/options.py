"""What the composer asks for a TikTok post (networks.options).

TikTok's Content Sharing Guidelines make the privacy level the creator's explicit choice
among the levels their account allows (creator_info's ``privacy_level_options``), with no
default; comments, duets and stitches may be turned off; a post promoting the creator's own
business (``brand_organic_toggle``) or a paid partnership with a third party
(``brand_content_toggle``) must be disclosed as such.
"""

from __future__ import annotations

from networks.options import OptionKind, PublishOption

PRIVACY_LEVELS = (
    ("PUBLIC_TO_EVERYONE", "Everyone"),
    ("MUTUAL_FOLLOW_FRIENDS", "Friends (followers you follow back)"),
    ("FOLLOWER_OF_CREATOR", "Followers"),
    ("SELF_ONLY", "Only me"),
)
DIRECT, INBOX = "direct", "inbox"

PUBLISH_OPTIONS = (
    PublishOption(
        name="privacy_level",
        label="Who can watch",
        kind=OptionKind.CHOICE,
        required=True,
        choices=PRIVACY_LEVELS,
        account_choices=True,
        help_text="TikTok offers the levels this account allows. Until our TikTok app is "
        "audited, TikTok accepts only 'Only me'.",
    ),
    PublishOption(
        name="mode",
        label="How to send it",
        kind=OptionKind.CHOICE,
        choices=(
            (DIRECT, "Publish directly"),
            (INBOX, "Send to the TikTok app's inbox; the creator finishes the post there"),
        ),
        default=DIRECT,
    ),
    PublishOption(name="disable_comment", label="Turn off comments", kind=OptionKind.BOOL),
    PublishOption(name="disable_duet", label="Turn off duets", kind=OptionKind.BOOL),
    PublishOption(name="disable_stitch", label="Turn off stitches", kind=OptionKind.BOOL),
    PublishOption(
        name="brand_organic_toggle",
        label="Promotes the creator's own business",
        kind=OptionKind.BOOL,
        help_text="TikTok labels the post 'Promotional content'.",
    ),
    PublishOption(
        name="brand_content_toggle",
        label="Paid partnership (branded content)",
        kind=OptionKind.BOOL,
        help_text="TikTok requires paid partnerships to be disclosed; it labels the post "
        "'Paid partnership'. Branded content cannot be private.",
    ),
)


def privacy_label(value: str) -> str:
    return dict(PRIVACY_LEVELS).get(value, value)
