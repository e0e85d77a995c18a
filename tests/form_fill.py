#!/usr/bin/python3
"""Fills a form jixiao wrote, as a department would, with openpyxl: an
independent writer of .xlsx. Used by tests/form_integration_test.cc.

  form_fill.py fill FORM.xlsx REPORT.json OUT.xlsx [--numbers]
      every input cell from the report JSON, found by the hidden 字段
      column; with --numbers, figures typed as numbers (as most people do)
      rather than text
  form_fill.py bad FORM.xlsx OUT.xlsx KIND
      the form with one mistake of KIND (see BAD below)
"""

import json
import sys
import zipfile

import openpyxl

FIELD = "字段"


def columns(sheet):
    return {cell.value: cell.column for cell in sheet[1] if cell.value}


def rows(sheet):
    field = columns(sheet)[FIELD]
    for row in range(2, sheet.max_row + 1):
        value = sheet.cell(row, field).value
        if value:
            yield row, value


def value_at(report, path):
    node = report
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):
        return node.get("value")
    return node


def as_typed(text, numbers):
    """A figure as a person types it: as text, or as a number."""
    if not numbers or text is None:
        return text
    return int(text) if text.isdigit() else float(text)


def fill(form, report_path, out, numbers):
    report = json.load(open(report_path, encoding="utf-8"))
    book = openpyxl.load_workbook(form)
    cover = book["封面"]
    for row, path in rows(cover):
        value = value_at(report, path)
        if value is not None:
            cover.cell(row, columns(cover)["填报内容"], str(value))
    figures = book["基础数据"]
    for row, path in rows(figures):
        if path.startswith("prior."):
            continue
        value = value_at(report, path)
        if value is not None:
            typed = value if path == "satisfaction.source" else as_typed(value, numbers)
            figures.cell(row, columns(figures)["数值"], typed)
    checklist = book["定性指标"]
    answers = {a["item_id"]: a for a in report.get("checklist", [])}
    for row, item in rows(checklist):
        if item in answers:
            checklist.cell(row, columns(checklist)["是否达到"], "是" if answers[item].get("met") else "否")
            checklist.cell(row, columns(checklist)["佐证"], answers[item].get("evidence", ""))
    targets = book["绩效目标"]
    pending = list(report.get("targets", []))
    directions = {"DIRECTION_AT_MOST": "≤", "DIRECTION_EQUAL": "="}
    c = columns(targets)
    for row, indicator in rows(targets):
        match = next((t for t in pending if t.get("indicator_id") == indicator), None)
        if match is None:
            continue
        pending.remove(match)
        targets.cell(row, c["目标名称"], match.get("name", ""))
        targets.cell(row, c["方向"], directions.get(match.get("direction"), "≥"))
        for column, key in (("目标值", "target"), ("实际值", "actual"), ("权重", "weight")):
            if key in match:
                targets.cell(row, c[column], as_typed(match[key]["value"], numbers))
        targets.cell(row, c["单位"], match.get("unit", ""))
        targets.cell(row, c["备注"], match.get("note", ""))
    scores = book["自评得分"]
    declared = {s["indicator_id"]: s["score"]["value"]
                for s in report.get("self_evaluation", {}).get("scores", [])}
    for row, indicator in rows(scores):
        if indicator == "total":
            total = report.get("self_evaluation", {}).get("total", {}).get("value")
            if total is not None:
                scores.cell(row, columns(scores)["自评得分"], as_typed(total, numbers))
        elif indicator in declared:
            scores.cell(row, columns(scores)["自评得分"], as_typed(declared[indicator], numbers))
    # The text: a part's paragraphs in its cell, a line each, subsections
    # under "# title" lines.
    text = book["文字说明"]
    narrative = report.get("narrative", {})

    def body(section, depth):
        out = list(section.get("paragraphs", []))
        for child in section.get("subsections", []):
            out.append("#" * (depth + 1) + " " + child.get("title", ""))
            out.extend(body(child, depth + 1))
        return out

    for row, path in rows(text):
        parts = path.split(".")
        if path == "narrative.preamble":
            lines = narrative.get("preamble", [])
        elif path.startswith("narrative.indicators."):
            indicator = path[len("narrative.indicators."):]
            texts = {t["indicator_id"]: t for t in narrative.get("indicators", [])}
            lines = list(texts.get(indicator, {}).get("paragraphs", []))
        else:
            section = narrative.get(parts[1], {})
            if parts[2] == "title":
                lines = [section["title"]] if section.get("title") else []
            else:
                lines = body(section, 0)
        if lines:
            text.cell(row, columns(text)["内容"], "\n".join(lines))
    book.save(out)


def bad(form, out, kind):
    if kind == "not-a-zip":
        open(out, "w").write("部门,金额\nLH,100\n")
        return
    if kind == "zip-bomb":
        # A small file whose one sheet inflates to 300 MiB of spaces.
        with zipfile.ZipFile(form) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for item in source.infolist():
                if item.filename == "xl/worksheets/sheet3.xml":
                    with z.open(item.filename, "w") as sheet:
                        chunk = b" " * (1 << 20)
                        for _ in range(300):
                            sheet.write(chunk)
                else:
                    z.writestr(item, source.read(item.filename))
        return
    raw = {
        # A cell far below any form's rows.
        "far-cell": lambda xml: xml.replace(
            "</sheetData>",
            '<row r="100"><c r="A2000000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'),
        # A cell naming a shared string there is not.
        "bad-shared-index": lambda xml: xml.replace(
            "</sheetData>", '<row r="101"><c r="D101" t="s"><v>99999999</v></c></row></sheetData>'),
        # An 8 MiB shared string named by 2,000 cells: 16 GB if each cell
        # held its own copy.
        "shared-string-fanout": lambda xml: xml.replace(
            "</sheetData>",
            "".join('<row r="%d"><c r="G%d" t="s"><v>0</v></c></row>' % (r, r)
                    for r in range(300, 2300)) + "</sheetData>"),
    }
    if kind in raw:
        with zipfile.ZipFile(form) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet3.xml":
                    data = raw[kind](data.decode("utf-8")).encode("utf-8")
                if item.filename == "xl/sharedStrings.xml" and kind == "shared-string-fanout":
                    text = data.decode("utf-8")
                    at = text.index("<si>")
                    data = (text[:at] + "<si><t>" + "A" * (8 << 20) + "</t></si>" +
                            text[at:]).encode("utf-8")
                z.writestr(item, data)
            names = [item.filename for item in source.infolist()]
            if kind == "shared-string-fanout" and "xl/sharedStrings.xml" not in names:
                z.writestr("xl/sharedStrings.xml",
                           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                           "<si><t>" + "A" * (8 << 20) + "</t></si></sst>")
        return
    if kind == "huge":
        # 20 MB of incompressible bytes beside the form.
        import os
        with zipfile.ZipFile(form) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            for item in source.infolist():
                z.writestr(item, source.read(item.filename))
            z.writestr("xl/media/noise.bin", os.urandom(20 << 20))
        return
    book = openpyxl.load_workbook(form)
    figures = book["基础数据"]
    value = columns(figures)["数值"]
    if kind == "word-in-amount":
        figures.cell(2, value, "一千二百")
    elif kind == "negative-amount":
        figures.cell(2, value, "-5")
    elif kind == "free-text-answer":
        book["定性指标"].cell(2, columns(book["定性指标"])["是否达到"], "基本达到")
    elif kind == "deleted-sheet":
        del book["定性指标"]
    elif kind == "units-and-separators":
        figures.cell(2, value, "12,000万元")
        figures.cell(3, value, "95.5%")
    elif kind == "duplicate-field":
        figures.cell(2, columns(figures)[FIELD], figures.cell(3, columns(figures)[FIELD]).value)
    elif kind == "date-format":
        figures.cell(2, value, 43831).number_format = "yyyy-mm-dd"
    elif kind == "unknown-field":
        figures.cell(2, columns(figures)[FIELD], "procurement.actuall")
    elif kind == "moved-row":
        # Row 2 moved to the end, field id and all: still read right.
        last = figures.max_row + 1
        for column in range(1, figures.max_column + 1):
            figures.cell(last, column, figures.cell(2, column).value)
            figures.cell(2, column).value = None  # (cell(r, c, None) would keep it)
        figures.cell(last, value, "1234.5")
    else:
        raise SystemExit("unknown kind " + kind)
    book.save(out)


if __name__ == "__main__":
    if sys.argv[1] == "fill":
        fill(sys.argv[2], sys.argv[3], sys.argv[4], "--numbers" in sys.argv)
    elif sys.argv[1] == "bad":
        bad(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(__doc__)
