"""What a YouTube upload needs besides its description and video (networks/options.py)."""

from __future__ import annotations

from networks.options import OptionKind, PublishOption

PRIVACY_CHOICES = (("public", "Public"), ("unlisted", "Unlisted"), ("private", "Private"))
# The categories YouTube lets videos be assigned to (videoCategories.list, "assignable": the
# same ids in every region; the labels are YouTube's own).
CATEGORY_CHOICES = (
    ("1", "Film & Animation"),
    ("2", "Autos & Vehicles"),
    ("10", "Music"),
    ("15", "Pets & Animals"),
    ("17", "Sports"),
    ("19", "Travel & Events"),
    ("20", "Gaming"),
    ("22", "People & Blogs"),
    ("23", "Comedy"),
    ("24", "Entertainment"),
    ("25", "News & Politics"),
    ("26", "Howto & Style"),
    ("27", "Education"),
    ("28", "Science & Technology"),
    ("29", "Nonprofits & Activism"),
)
TITLE_MAX = 100  # videos.insert: snippet.title, 100 characters, no < or >

PUBLISH_OPTIONS = (
    PublishOption(
        name="title",
        label="Title",
        required=True,
        max_length=TITLE_MAX,
        help_text="The video's title on YouTube: 100 characters at most, without < or >.",
    ),
    PublishOption(
        name="privacy_status",
        label="Visibility",
        kind=OptionKind.CHOICE,
        required=True,
        choices=PRIVACY_CHOICES,
        default="public",
        help_text="Who can watch the video. Until Google has audited our API project, "
        "YouTube keeps every video uploaded through it private.",
    ),
    PublishOption(
        name="made_for_kids",
        label="Made for kids",
        kind=OptionKind.BOOL,
        required=True,
        help_text="YouTube requires every video to say whether it is made for children "
        "(COPPA): such videos get no personalised ads and no comments.",
    ),
    PublishOption(
        name="category_id",
        label="Category",
        kind=OptionKind.CHOICE,
        choices=CATEGORY_CHOICES,
        help_text="YouTube's category for the video (People & Blogs when none is chosen).",
    ),
    PublishOption(
        name="thumbnail_url",
        label="Thumbnail",
        kind=OptionKind.URL,
        help_text="The web address of a JPEG or PNG image of at most 2 MB, set as the "
        "video's custom thumbnail (the channel must be verified by YouTube).",
    ),
)
