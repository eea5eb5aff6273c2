"""sitemap: the XML read back with ElementTree, expectations by hand."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from midcycle.sitemap import NAMESPACE, robots_txt, sitemap_index, sitemap_parts, urlset

NS = {"s": NAMESPACE}
SYDNEY = datetime.timezone(datetime.timedelta(hours=10))


def url(file: str) -> str:
    return f"https://blog.example.org/{file}"


def test_each_file_once_sorted_with_its_date():
    entries = [("b.html", datetime.datetime(2014, 8, 13, 23, 57, tzinfo=SYDNEY)),
               ("a & <b>.html", None),
               ("b.html", datetime.datetime(2014, 8, 13, 23, 57, tzinfo=SYDNEY))]
    parts = sitemap_parts(entries)
    assert list(parts) == ["sitemap.xml"]
    root = ET.fromstring(urlset(parts["sitemap.xml"], url))
    assert root.tag == f"{{{NAMESPACE}}}urlset"
    items = [(u.findtext("s:loc", namespaces=NS), u.findtext("s:lastmod", namespaces=NS))
             for u in root.findall("s:url", NS)]
    assert items == [("https://blog.example.org/a & <b>.html", None),
                     ("https://blog.example.org/b.html", "2014-08-13T23:57:00+10:00")]


def test_too_many_urls_for_one_file_make_an_index():
    day = datetime.datetime(2015, 1, 1, tzinfo=SYDNEY)
    entries = [(f"p{i}.html", day + datetime.timedelta(days=i)) for i in range(5)]
    parts = sitemap_parts(entries, most=2)
    assert {name: [file for file, _ in part] for name, part in parts.items()} == {
        "sitemap-1.xml": ["p0.html", "p1.html"], "sitemap-2.xml": ["p2.html", "p3.html"], "sitemap-3.xml": ["p4.html"]}
    index = ET.fromstring(sitemap_index(parts, url))
    assert index.tag == f"{{{NAMESPACE}}}sitemapindex"
    assert [(s.findtext("s:loc", namespaces=NS), s.findtext("s:lastmod", namespaces=NS))
            for s in index.findall("s:sitemap", NS)] == [
        ("https://blog.example.org/sitemap-1.xml", "2015-01-02T00:00:00+10:00"),
        ("https://blog.example.org/sitemap-2.xml", "2015-01-04T00:00:00+10:00"),
        ("https://blog.example.org/sitemap-3.xml", "2015-01-05T00:00:00+10:00")]


def test_robots_txt_names_the_sitemap():
    assert robots_txt("https://blog.example.org/sitemap.xml") == (
        b"User-agent: *\nDisallow:\n\nSitemap: https://blog.example.org/sitemap.xml\n")


def test_the_bytes_are_what_elementtree_writes():
    # The sitemap is written line by line; ElementTree, which it replaced
    # (and which escapes by the book), says what the bytes must be.
    day = datetime.datetime(2014, 8, 13, 23, 57, 30, tzinfo=SYDNEY)
    entries = [("a & <b> 'c' \"d\".html", day), ("ü/ß.html", None), ("e.html", day)]

    def by_elementtree(root_tag, tag, items):
        root = ET.Element(root_tag, xmlns=NAMESPACE)
        for loc, lastmod in items:
            item = ET.SubElement(root, tag)
            ET.SubElement(item, "loc").text = loc
            if lastmod is not None:
                ET.SubElement(item, "lastmod").text = lastmod.isoformat(timespec="seconds")
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

    assert urlset(entries, url) == by_elementtree("urlset", "url", [(url(f), d) for f, d in entries])
    parts = {"sitemap-1.xml": entries, "sitemap-2.xml": entries[1:2]}
    assert sitemap_index(parts, url) == by_elementtree("sitemapindex", "sitemap",
                                                       [(url("sitemap-1.xml"), day), (url("sitemap-2.xml"), None)])
