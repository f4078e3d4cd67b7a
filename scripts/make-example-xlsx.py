#!/usr/bin/env python3
"""Writes examples/roster.xlsx from examples/roster.xml (the persons) and
examples/course.xml (the course-wide fields), with Python's standard
library only. Sheet "Sheet1": the header row and a row per person (shared
strings; hours as numbers). Sheet "course": key/value rows (inline strings;
dates as Excel serial numbers, hours as a number; a value given per
language keyed "programme (ru)"). The zip is deterministic:
running this again gives the same bytes.

    python3 scripts/make-example-xlsx.py [ROSTER.xml COURSE.xml OUT.xlsx]
"""
import datetime
import sys
import xml.etree.ElementTree as ET
import zipfile
from xml.sax.saxutils import escape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def col(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def serial(iso):
    """Excel's 1900 date system (serials after 1900-02-28)."""
    d = datetime.date.fromisoformat(iso)
    return (d - datetime.date(1899, 12, 30)).days


def sheet_xml(rows):
    """rows: lists of cells, each ('s', index) | ('n', number) |
    ('inline', text) | None."""
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
           f'<worksheet xmlns="{NS}" xmlns:r="{RNS}"><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append(f'<row r="{r}">')
        for c, cell in enumerate(row, 1):
            if cell is None:
                continue
            ref = f"{col(c)}{r}"
            kind, v = cell
            if kind == "s":
                out.append(f'<c r="{ref}" t="s"><v>{v}</v></c>')
            elif kind == "n":
                out.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def main(roster_path, course_path, out_path):
    roster = ET.parse(roster_path).getroot()
    course = ET.parse(course_path).getroot()
    strings, index = [], {}

    def s(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return ("s", index[text])

    people = [[s("serial"), s("name"), s("hours")]]
    for p in roster.findall("person"):
        h = p.get("hours")
        people.append([s(p.get("serial")), s(p.get("name")), ("n", h) if h else None])

    def per_lang(name):
        """(key, text) rows of the elements name: "name (kk)" for one with
        xml:lang, "name" for one without."""
        rows = []
        for e in course.findall(name):
            lang = e.get(XML_LANG)
            rows.append((f"{name} ({lang})" if lang else name, e.text))
        return rows

    prog = course.find("programme")
    emblem = course.find("emblem")
    kv = [("lang", course.get("lang")), ("issued", ("n", serial(course.get("issued")))),
          ("city", course.get("city"))] + per_lang("city")
    kv += [("emblem", emblem.get("src") if emblem is not None else None)]
    kv += per_lang("organization") + per_lang("programme")
    kv += [("hours", ("n", prog.get("hours"))),
           ("from", ("n", serial(prog.get("from")))), ("to", ("n", serial(prog.get("to"))))]
    kv += [(sg.get("role"), sg.get("name")) for sg in course.findall("signer")]
    course_rows = [[("inline", k), v if isinstance(v, tuple) else ("inline", v)]
                   for k, v in kv if v is not None]

    sst = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS}" '
           f'count="{len(strings)}" uniqueCount="{len(strings)}">']
    sst += [f"<si><t>{escape(t)}</t></si>" for t in strings]
    sst.append("</sst>")

    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>',
        "_rels/.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS}" xmlns:r="{RNS}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
            '<sheet name="course" sheetId="2" r:id="rId2"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{RNS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RNS}/worksheet" Target="worksheets/sheet2.xml"/>'
            f'<Relationship Id="rId3" Type="{RNS}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml(people),
        "xl/worksheets/sheet2.xml": sheet_xml(course_rows),
        "xl/sharedStrings.xml": "".join(sst),
    }
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    args = sys.argv[1:] or ["examples/roster.xml", "examples/course.xml", "examples/roster.xlsx"]
    if len(args) != 3:
        sys.exit(__doc__)
    main(*args)
