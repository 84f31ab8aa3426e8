"""What a YouTube video post may hold (sources in docs/networks.md, "YouTube").

The post's text is the video's description: at most 5,000 bytes of UTF-8 and no angle
brackets (videos.insert refuses ``invalidDescription``). The title and the privacy status are
publishing options (networks/youtube/options.py), not text.
"""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import ContentRules
from networks.text import count_code_points

GB = 1024 * 1024 * 1024

# "Upload videos: supported file formats" (YouTube Help): .MOV, .MPEG-1/2, .MP4, .MPG, .AVI,
# .WMV, .MPEGPS, .FLV, 3GPP, WebM, DNxHR, ProRes, CineForm, HEVC; as the MIME types our
# uploads carry. videos.insert itself takes any video/* or application/octet-stream.
VIDEO_TYPES = frozenset(
    {
        "video/mp4",
        "video/quicktime",
        "video/mpeg",
        "video/x-msvideo",
        "video/x-ms-wmv",
        "video/x-flv",
        "video/3gpp",
        "video/webm",
    }
)

RULES = ContentRules(
    network=Network.YOUTUBE,
    max_length=5_000,
    count=count_code_points,
    max_text_bytes=5_000,  # the description's limit is in bytes
    forbidden_characters=frozenset("<>"),
    max_media=1,
    media_required=True,
    allowed_kinds=frozenset({MediaKind.VIDEO}),
    allowed_mime_types=VIDEO_TYPES,
    max_bytes={MediaKind.VIDEO: 256 * GB},  # videos.insert: "Maximum file size: 256GB"
    # YouTube Help, "Upload videos longer than 15 minutes": at most 12 hours (or 256 GB). A
    # channel that is not verified is held to 15 minutes, which the channel alone knows:
    # YouTube refuses such an upload then. Checked only when the file's duration is known.
    video_duration=(1.0, 12 * 3600.0),
)
