"""The feed reader measured against a corpus of real-world-shaped feeds (``feeds/``).

The yardstick is plain feedparser: every corpus feed it reads (no bozo, or a bozo it recovers
from on its own), we read too, with the same entries. Hostile feeds stay refused. Whatever the
bytes, the reader answers a result or a :class:`FeedError`, nothing else.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networks.feeds import FeedError, FeedResult, parse_feed
from networks.rss import fetch_feed

CORPUS = Path(__file__).parent / "feeds"
URL = "https://corpus.example/feed"
RSS = "application/rss+xml"

# name -> how it is served (Content-Type) and what it is.
MANIFEST = {
    "rss2_html_entities.xml": (RSS, "feed"),
    "atom_fr.xml": ("application/atom+xml", "feed"),
    "rss1_rdf.xml": ("application/rdf+xml", "feed"),
    "rss091_netscape.xml": ("text/xml; charset=iso-8859-1", "feed"),
    "shift_jis.xml": (RSS, "feed"),
    "euc_jp.xml": (RSS, "feed"),
    "gb2312.xml": (RSS, "feed"),
    "big5.xml": (RSS, "feed"),
    "euc_kr.xml": (RSS, "feed"),
    "utf16le_bom.xml": (RSS, "feed"),
    "utf16be_bom.xml": (RSS, "feed"),
    "utf16le_nobom.xml": (RSS, "feed"),
    "utf16be_nobom.xml": (RSS, "feed"),
    "charset_in_content_type_only.xml": ("application/rss+xml; charset=windows-1252", "feed"),
    "shift_jis_content_type_only.xml": ("text/xml; charset=Shift_JIS", "feed"),
    "bom_whitespace.xml": (RSS, "feed"),
    "unknown_encoding.xml": (RSS, "feed"),
    "bad_dates.xml": (RSS, "feed"),
    "jsonfeed.json": ("application/feed+json", "json"),
    "hostile_billion_laughs.xml": (RSS, "hostile"),
    "hostile_xxe.xml": (RSS, "hostile"),
    "hostile_xxe_parameter.xml": (RSS, "hostile"),
    "hostile_declared_nbsp.xml": (RSS, "hostile"),
}
FEEDS = [name for name, (_, kind) in MANIFEST.items() if kind == "feed"]
HOSTILE = [name for name, (_, kind) in MANIFEST.items() if kind == "hostile"]


def body(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def read(name: str) -> FeedResult:
    return parse_feed(body(name), content_type=MANIFEST[name][0], url=URL)


def plain_feedparser(name: str):
    return feedparser.parse(
        body(name),
        sanitize_html=False,
        response_headers={"content-type": MANIFEST[name][0], "content-location": URL},
    )


def recovers(parsed) -> bool:
    """feedparser read the document: well-formed, or a flaw it recovers from by design."""
    if not parsed.bozo:
        return True
    error = parsed.bozo_exception
    if isinstance(error, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
        return True
    # Undeclared HTML entities and whitespace before the declaration: its loose parser reads them.
    return str(getattr(error, "getMessage", lambda: error)()) in (
        "undefined entity",
        "XML or text declaration not at start of entity",
    )


def test_the_corpus_lists_every_file():
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".xml", ".json")}
    assert on_disk == set(MANIFEST)


@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_plain_feedparser_reads_is_read_the_same(name):
    plain = plain_feedparser(name)
    assert recovers(plain) and plain.entries, f"feedparser does not read {name}: fix the corpus"

    ours = read(name)

    assert [(e.title, e.link, e.summary) for e in ours.entries] == [
        (e.get("title", ""), e.get("link", ""), e.get("summary") or "") for e in plain.entries
    ]
    assert ours.title == plain.feed.get("title", "")


@pytest.mark.parametrize("name", HOSTILE)
def test_entity_declarations_are_refused(name):
    with pytest.raises(FeedError, match="declares XML entities, which we refuse"):
        read(name)


def test_feed_with_html_named_entities_is_read():
    titles = [e.title for e in read("rss2_html_entities.xml").entries]
    assert titles == [
        "Cafés de Tanger\xa0: la clientèle revient",
        "Inwi\xa0: «\xa0la 5G avant l\u2019été\xa0»",
        "Marchés\xa0: le MASI gagne 1,2\xa0%",
    ]
    assert read("rss2_html_entities.xml").entries[1].summary == "L\u2019opérateur annonce… € & MAD"


def test_an_unknown_entity_is_kept_as_text_and_xml_entities_still_work():
    feed = (
        b"<rss><channel><item><title>AT&amp;T &foo; &lt;b&gt; &#233;</title></item></channel></rss>"
    )
    assert parse_feed(feed).entries[0].title == "AT&T &foo; <b> é"


@pytest.mark.parametrize(
    "name, first_title",
    [
        ("shift_jis.xml", "東京株式市場、日経平均が続伸"),
        ("euc_jp.xml", "大阪で桜が開花、平年より早く"),
        ("gb2312.xml", "上海证券交易所：沪指收涨百分之一"),
        ("big5.xml", "台北股市收盤上漲"),
        ("euc_kr.xml", "코스피, 외국인 매수에 상승 마감"),
        ("utf16le_bom.xml", "اتصالات المغرب تعلن نتائجها"),
        ("utf16be_bom.xml", "اتصالات المغرب تعلن نتائجها"),
        ("utf16le_nobom.xml", "اتصالات المغرب تعلن نتائجها"),
        ("utf16be_nobom.xml", "اتصالات المغرب تعلن نتائجها"),
    ],
)
def test_multi_byte_encodings_are_decoded(name, first_title):
    assert read(name).entries[0].title == first_title


@pytest.mark.parametrize(
    "text, label",
    [
        ("丸数字①と～", "cp932"),  # Windows characters under the Shift_JIS label
        ("朱镕基", "gbk"),  # 镕 is in GBK, not in GB2312
        ("믜", "cp949"),  # a Unified Hangul Code syllable, not in EUC-KR
    ],
)
def test_legacy_labels_are_read_as_what_servers_send(text, label):
    declared = {"cp932": "Shift_JIS", "gbk": "GB2312", "cp949": "EUC-KR"}[label]
    feed = f'<?xml version="1.0" encoding="{declared}"?><rss><channel><item><title>{text}</title>'
    feed += "</item></channel></rss>"
    assert parse_feed(feed.encode(label)).entries[0].title == text


@pytest.mark.parametrize(
    "name, title",
    [
        ("charset_in_content_type_only.xml", "Crédit : les banques serrent la vis"),
        ("shift_jis_content_type_only.xml", "東京株式市場、日経平均が続伸"),
    ],
)
@respx.mock
def test_a_charset_only_in_the_content_type_is_honoured(name, title):
    respx.get(URL).respond(200, content=body(name), headers={"Content-Type": MANIFEST[name][0]})
    assert fetch_feed(URL).entries[0].title == title


def test_the_http_charset_wins_over_the_declaration_for_application_xml():
    feed = '<?xml version="1.0" encoding="utf-8"?><rss><channel><item><title>Économie</title>'
    feed = (feed + "</item></channel></rss>").encode("windows-1252")
    result = parse_feed(feed, content_type="application/xml; charset=windows-1252")
    assert result.entries[0].title == "Économie"


def test_a_byte_order_mark_followed_by_whitespace_is_read():
    assert [e.title for e in read("bom_whitespace.xml").entries] == [
        "Le dirham se stabilise",
        "Tourisme : record de nuitées",
    ]


def test_an_unknown_encoding_falls_back_to_utf8():
    assert read("unknown_encoding.xml").entries[0].title == "Déménagement à Fès"


def test_utf7_is_never_used_to_decode():
    feed = b'<?xml version="1.0" encoding="utf-7"?><rss><channel><item>'
    feed += b"<title>+ADw-script+AD4-</title></item></channel></rss>"
    assert parse_feed(feed).entries[0].title == "+ADw-script+AD4-"


def test_unreadable_dates_are_dropped_and_the_entries_kept():
    entries = read("bad_dates.xml").entries
    assert [e.title for e in entries] == [
        "Sujet sans date valide",
        "Sujet daté de l'an 9999",
        "Sujet illisible",
        "Sujet normal",
    ]
    assert [e.published for e in entries] == [None, None, None, datetime(2026, 3, 2, 7, tzinfo=UTC)]


@pytest.mark.parametrize(
    "content_type", ["application/feed+json", "application/json", "text/plain", ""]
)
def test_json_feed_is_read_whatever_its_content_type(content_type):
    # networks/tests/test_jsonfeed.py reads JSON Feed in detail.
    result = parse_feed(body("jsonfeed.json"), content_type=content_type, url=URL)
    assert [e.title for e in result.entries] == ["Déménagement à Fès"]


def test_other_json_is_not_a_feed():
    with pytest.raises(FeedError, match="not a JSON Feed"):
        parse_feed(b'{"error": "rate limited"}', content_type="application/json", url=URL)


# --- whatever the bytes: a result or a FeedError ----------------------------------------

CONTENT_TYPES = st.sampled_from(
    [
        "",
        RSS,
        "text/xml",
        "text/html; charset=utf-8",
        "application/xml; charset=shift_jis",
        "application/atom+xml; charset=utf-16",
        "text/xml; charset=x-unknown",
        "application/rss+xml; charset=utf-7",
        "application/feed+json",
        "application/xml; charset=",
        'application/xml; charset="zlib"',
    ]
)


def only_feed_errors(data: bytes, content_type: str) -> None:
    try:
        result = parse_feed(data, content_type=content_type, url=URL)
    except FeedError as error:
        assert str(error)  # a message a person can read
    else:
        assert isinstance(result, FeedResult) and result.status == "ok"
        for entry in result.entries:
            assert entry.published is None or entry.published.tzinfo is UTC


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), content_type=CONTENT_TYPES)
def test_random_bytes_give_a_result_or_a_feed_error(data, content_type):
    only_feed_errors(data, content_type)


@st.composite
def mutated_feeds(draw):
    """A corpus feed with a few random edits: cut, insert, overwrite, truncate."""
    data = bytearray(body(draw(st.sampled_from(sorted(MANIFEST)))))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "overwrite", "truncate"]))
        if action == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=20),
                    st.sampled_from(
                        [
                            b"&nbsp;",
                            b"&",
                            b"<!ENTITY x 'y'>",
                            b"<![CDATA[",
                            b"]]>",
                            b"<!--",
                            b"\xef\xbb\xbf",
                            b"\x00",
                            b"&#0;",
                            b"&#x110000;",
                            b"<pubDate>0000-00-00T00:00:00Z</pubDate>",
                            b"<updated>99999-99-99</updated>",
                            b"<?xml version='1.0' encoding='utf-16'?>",
                        ]
                    ),
                    st.text(max_size=10).map(lambda t: t.encode("utf-8", "surrogatepass")),
                )
            )
        elif action == "overwrite" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            del data[at:]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_feeds(), content_type=CONTENT_TYPES)
def test_mutated_feeds_give_a_result_or_a_feed_error(data, content_type):
    only_feed_errors(data, content_type)


def test_a_namespace_name_with_a_space_is_a_feed_error():
    # Found by the property below: feedparser's SAX reader raised ValueError on it.
    feed = '<rss xmlns:dc="http://pu\xa0rl.org/dc/"><channel><item><dc:creator>x</dc:creator>'
    with pytest.raises(FeedError, match="namespace name contains a space"):
        parse_feed((feed + "</item></channel></rss>").encode())


# --- whatever the address: a FeedError -------------------------------------------------

ADDRESSES = st.one_of(
    st.text(max_size=40),
    st.builds(
        "".join,
        st.tuples(
            st.sampled_from(["http://", "https://", "HTTP://", "http:", "https:///"]),
            st.text(max_size=30)
            | st.sampled_from(["[::1", "[fd00::1]", "127.1", "0x7f000001", "a.example:65536"]),
            st.text(max_size=20),
        ),
    ),
)


@pytest.mark.parametrize("url", ["http://[::1", "https://[::1h]/feed?token=x", "http://a b/"])
@respx.mock(assert_all_called=False)
def test_an_address_that_cannot_be_parsed_is_a_feed_error(url, respx_mock):
    respx_mock.route().respond(404)  # nothing leaves the machine
    with pytest.raises(FeedError):
        fetch_feed(url)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(url=ADDRESSES)
def test_any_address_gives_a_feed_error(url):
    with respx.mock(assert_all_called=False) as router:
        router.route().respond(404)  # whatever is reached answers 404: no DNS, no internet
        with pytest.raises(FeedError):
            fetch_feed(url)
