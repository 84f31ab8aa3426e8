"""LinkedIn's "little text": escaping the commentary, and reading it back.

LinkedIn's commentary field is not plain text: reserved characters are escaped and a hashtag
is written ``{hashtag|\\#|tag}``. Publishing escapes; recognising our own post reads back.
"""

from __future__ import annotations

import regex

from networks.base import PostContent

_RESERVED = regex.compile(r"([|{}@\[\]()<>#\\*_~])")
_HASHTAG = regex.compile(r"(?<![\w#&])#(\w*[^\W\d]\w*)")


def little_text(text: str) -> str:
    """Escape text for LinkedIn's "little text" commentary; ``#tag`` stays a hashtag."""
    out, cursor = [], 0
    for match in _HASHTAG.finditer(text):
        out.append(_RESERVED.sub(r"\\\1", text[cursor : match.start()]))
        out.append("{hashtag|\\#|" + _RESERVED.sub(r"\\\1", match.group(1)) + "}")
        cursor = match.end()
    out.append(_RESERVED.sub(r"\\\1", text[cursor:]))
    return "".join(out)


def plain_text(commentary: str) -> str:
    """Back from little text to what a person wrote (for recognising our own posts)."""
    text = regex.sub(r"\{hashtag\|\\#\|([^}]*)\}", r"#\1", commentary)
    return regex.sub(r"\\(.)", r"\1", text)


def commentary_text(content: PostContent) -> str:
    """The text publish sends (and a lookup must compare): an article card cannot carry
    media, so with media the link goes at the end of the text."""
    text = content.text
    if content.media and content.link and content.link not in text:
        text = f"{text}\n\n{content.link}" if text else content.link
    return text
