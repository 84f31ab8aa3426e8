# ruff: noqa: E501 - feed documents are data, kept as publishers lay them out
"""Write the feed corpus used by ``test_rss_corpus.py`` (run: python make_corpus.py).

Each feed is shaped like what real publishers serve: the layouts of WordPress, Blogger,
Drupal and newspaper CMS feeds, with real-looking text encoded in the encoding the feed
declares (or that only its HTTP Content-Type names). ``MANIFEST`` in the test says how each
one is served and whether it is hostile. The files are committed; this script documents them.
"""

from pathlib import Path

HERE = Path(__file__).parent

RSS2 = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>{channel}</title>
<link>https://{host}/</link>
<description>{channel}</description>
<language>{language}</language>
<lastBuildDate>Mon, 02 Mar 2026 09:00:00 +0000</lastBuildDate>
{items}
</channel>
</rss>
"""
ITEM = """<item>
<title>{title}</title>
<link>https://{host}/{n}</link>
<guid isPermaLink="false">{host}-{n}</guid>
<dc:creator>{author}</dc:creator>
<pubDate>{date}</pubDate>
<description>{summary}</description>
</item>"""


def rss2(*, encoding, channel, host, language, items, date="Mon, 02 Mar 2026 08:{n:02d}:00 +0100"):
    body = "\n".join(
        ITEM.format(host=host, n=n, date=date.format(n=n), **item) for n, item in enumerate(items)
    )
    return RSS2.format(encoding=encoding, channel=channel, host=host, language=language, items=body)


def items(titles, author, summary):
    return [{"title": t, "author": author, "summary": summary} for t in titles]


FEEDS = {}

# WordPress-style French news: HTML named entities, undeclared, as many real feeds carry them.
FEEDS["rss2_html_entities.xml"] = rss2(
    encoding="UTF-8",
    channel="Le Matin&nbsp;&ndash; &Eacute;conomie",
    host="lematin.example",
    language="fr-MA",
    items=[
        {
            "title": "Caf&eacute;s de Tanger&nbsp;: la client&egrave;le revient",
            "author": "Samira El Idrissi",
            "summary": "<![CDATA[<p>Les caf&eacute;s du centre&hellip; &copy; Le Matin</p>]]>",
        },
        {
            "title": "Inwi&nbsp;: &laquo;&nbsp;la 5G avant l&rsquo;&eacute;t&eacute;&nbsp;&raquo;",
            "author": "Karim Benjelloun",
            "summary": "L&rsquo;op&eacute;rateur annonce&hellip; &euro; &amp; MAD",
        },
        {
            "title": "March&eacute;s&nbsp;: le MASI gagne 1,2&nbsp;%",
            "author": "R&eacute;daction",
            "summary": "Bourse de Casablanca &mdash; s&eacute;ance du lundi",
        },
    ],
)

FEEDS["atom_fr.xml"] = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Le blog d&rsquo;Atlas T&eacute;l&eacute;com</title>
  <link href="https://blog.atlas.example/"/>
  <id>tag:blog.atlas.example,2026:feed</id>
  <updated>2026-03-02T18:30:02Z</updated>
  <entry>
    <title type="html">Nouvelle offre fibre&nbsp;: 200&nbsp;Mb/s</title>
    <link href="/billets/fibre"/>
    <id>tag:blog.atlas.example,2026:1</id>
    <updated>2026-03-02T18:30:02Z</updated>
    <author><name>&Eacute;quipe Atlas</name></author>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>D&eacute;ploiement &agrave; Rabat&nbsp;!</p></div></content>
  </entry>
  <entry>
    <title>Maintenance planifi&#233;e</title>
    <link href="https://blog.atlas.example/billets/maintenance"/>
    <id>tag:blog.atlas.example,2026:2</id>
    <published>2026-03-01T07:00:00+01:00</published>
    <updated>2026-03-01T07:00:00+01:00</updated>
    <summary>Coupure de 2h &lt;b&gt;dimanche&lt;/b&gt;</summary>
  </entry>
</feed>
"""

FEEDS["rss1_rdf.xml"] = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://hespress.example/rss">
    <title>هسبريس - اقتصاد</title>
    <link>https://hespress.example/</link>
    <description>أخبار الاقتصاد المغربي</description>
    <dc:language>ar</dc:language>
    <items><rdf:Seq><rdf:li rdf:resource="https://hespress.example/1"/><rdf:li rdf:resource="https://hespress.example/2"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://hespress.example/1">
    <title>ارتفاع أسعار المحروقات بالمغرب</title>
    <link>https://hespress.example/1</link>
    <dc:date>2026-03-02T10:15:00+01:00</dc:date>
    <dc:creator>هسبريس</dc:creator>
  </item>
  <item rdf:about="https://hespress.example/2">
    <title>بورصة الدار البيضاء تنهي الأسبوع على ارتفاع</title>
    <link>https://hespress.example/2</link>
    <dc:date>2026-03-01T17:40:00+01:00</dc:date>
  </item>
</rdf:RDF>
"""

# RSS 0.91 with Netscape's DOCTYPE: the external DTD defines the HTML entities it uses.
FEEDS["rss091_netscape.xml"] = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Vieux journal</title><link>https://vieux.example/</link>
<description>Archives</description><language>fr</language>
<item><title>L&#39;&eacute;dition du soir</title><link>https://vieux.example/1</link></item>
<item><title>Météo</title><link>https://vieux.example/2</link></item>
</channel></rss>
"""

CJK = {
    "shift_jis.xml": (
        "Shift_JIS",
        "ja",
        "日経ニュース",
        ["東京株式市場、日経平均が続伸", "円相場、１ドル＝１５０円台に", "新型スマホの予約開始"],
        "編集部",
        "詳しくは本文をご覧ください。",
    ),
    "euc_jp.xml": (
        "EUC-JP",
        "ja",
        "朝日新聞デジタル",
        ["大阪で桜が開花、平年より早く", "春の交通安全運動始まる"],
        "記者",
        "全国のニュースをお届けします。",
    ),
    "gb2312.xml": (
        "GB2312",
        "zh-CN",
        "新浪财经",
        ["上海证券交易所：沪指收涨百分之一", "人民币汇率保持稳定", "电商平台春季促销开始"],
        "新浪",
        "更多内容请阅读全文。",
    ),
    "big5.xml": (
        "Big5",
        "zh-TW",
        "聯合新聞網",
        ["台北股市收盤上漲", "颱風警報解除，交通恢復正常"],
        "記者",
        "詳細內容請見全文。",
    ),
    "euc_kr.xml": (
        "EUC-KR",
        "ko",
        "연합뉴스 경제",
        ["코스피, 외국인 매수에 상승 마감", "서울 아파트 가격 보합세", "반도체 수출 증가"],
        "기자",
        "자세한 내용은 기사 본문을 참고하세요.",
    ),
}
for name, (encoding, language, channel, titles, author, summary) in CJK.items():
    text = rss2(
        encoding=encoding,
        channel=channel,
        host=name.split(".")[0].replace("_", "") + ".example",
        language=language,
        items=items(titles, author, summary),
    )
    FEEDS[name] = text.encode(encoding)

ARABIC = rss2(
    encoding="{encoding}",
    channel="Le360 - اقتصاد",
    host="le360.example",
    language="ar",
    items=items(
        ["اتصالات المغرب تعلن نتائجها", "Maroc Telecom : résultats annuels"], "Le360", "تفاصيل"
    ),
)
FEEDS["utf16le_bom.xml"] = b"\xff\xfe" + ARABIC.replace("{encoding}", "UTF-16").encode("utf-16-le")
FEEDS["utf16be_bom.xml"] = b"\xfe\xff" + ARABIC.replace("{encoding}", "UTF-16").encode("utf-16-be")
FEEDS["utf16le_nobom.xml"] = ARABIC.replace("{encoding}", "UTF-16LE").encode("utf-16-le")
FEEDS["utf16be_nobom.xml"] = ARABIC.replace("{encoding}", "UTF-16BE").encode("utf-16-be")

# No encoding in the document: only the HTTP Content-Type names it (MANIFEST serves it so).
FEEDS["charset_in_content_type_only.xml"] = (
    rss2(
        encoding="{encoding}",
        channel="L’Économiste",
        host="leconomiste.example",
        language="fr",
        items=items(
            ["Crédit : les banques serrent la vis", "Énergie : « un été décisif »"],
            "Rédaction",
            "Résumé…",
        ),
    )
    .replace(' encoding="{encoding}"', "")
    .encode("windows-1252")
)
FEEDS["shift_jis_content_type_only.xml"] = FEEDS["shift_jis.xml"].replace(
    b' encoding="Shift_JIS"', b""
)

FEEDS["bom_whitespace.xml"] = b"\xef\xbb\xbf\r\n\r\n  " + rss2(
    encoding="utf-8",
    channel="Médias24",
    host="medias24.example",
    language="fr",
    items=items(["Le dirham se stabilise", "Tourisme : record de nuitées"], "Médias24", "…"),
).encode("utf-8")

FEEDS["unknown_encoding.xml"] = rss2(
    encoding="x-mac-unknown-2026",
    channel="Blog perso",
    host="blog.example",
    language="fr",
    items=items(["Déménagement à Fès", "Recette du msemen"], "Yasmine", "Bonjour"),
).encode("utf-8")

FEEDS["bad_dates.xml"] = (
    rss2(
        encoding="utf-8",
        channel="Forum auto",
        host="forum.example",
        language="fr",
        items=items(
            [
                "Sujet sans date valide",
                "Sujet daté de l'an 9999",
                "Sujet illisible",
                "Sujet normal",
            ],
            "membre",
            "…",
        ),
        date="{n}",
    )
    .replace("<pubDate>0</pubDate>", "<pubDate>0000-00-00T00:00:00Z</pubDate>")
    .replace("<pubDate>1</pubDate>", "<pubDate>Fri, 31 Dec 9999 23:59:59 +1400</pubDate>")
    .replace("<pubDate>2</pubDate>", "<pubDate>le 3 mars, vers midi</pubDate>")
    .replace("<pubDate>3</pubDate>", "<pubDate>Mon, 02 Mar 2026 08:00:00 +0100</pubDate>")
)

FEEDS["jsonfeed.json"] = """{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Le blog de Yasmine",
  "home_page_url": "https://yasmine.example/",
  "feed_url": "https://yasmine.example/feed.json",
  "items": [
    {"id": "1", "url": "https://yasmine.example/1", "title": "Déménagement à Fès",
     "content_html": "<p>Bonjour</p>", "date_published": "2026-03-02T10:00:00+01:00"}
  ]
}
"""

FEEDS["hostile_billion_laughs.xml"] = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title><item><title>&lol4;</title></item></channel></rss>
"""
FEEDS["hostile_xxe.xml"] = """<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>
"""
FEEDS["hostile_xxe_parameter.xml"] = """<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY % remote SYSTEM "http://169.254.169.254/latest/meta-data/"> %remote; ]>
<rss version="2.0"><channel><title>x</title></channel></rss>
"""
# Declaring an HTML entity in the internal subset is still a declaration: refused.
FEEDS["hostile_declared_nbsp.xml"] = """<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY nbsp "&#160;"> ]>
<rss version="2.0"><channel><title>a&nbsp;b</title><item><title>a&nbsp;b</title></item></channel></rss>
"""

if __name__ == "__main__":
    for name, content in FEEDS.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        if name == "rss091_netscape.xml":
            data = content.encode("iso-8859-1")
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")
