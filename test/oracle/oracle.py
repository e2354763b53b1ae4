"""Python half of the cross-writer oracle (run by make-oracle.sh with Debian's python3-openpyxl and
python3-xlsxwriter, /usr/bin/python3).

  oracle.py write DIR        writes DIR/openpyxl.xlsx, DIR/xlsxwriter.xlsx, DIR/xlsxwriter-inline.xlsx and
                             DIR/xlsxwriter-1904.xlsx (the 1904 date system of old Mac Excel)
  oracle.py read DIR OUT     reads every DIR/*.xlsx with openpyxl, writes OUT/<file>.openpyxl.json
"""
import datetime
import json
import os
import sys

import openpyxl
import xlsxwriter

HERE = os.path.dirname(os.path.abspath(__file__))


def table():
    with open(os.path.join(HERE, 'table.json'), encoding='utf-8') as f:
        return json.load(f)


def native(cell):
    """The Python value of a spec cell, or None."""
    if cell is None:
        return None
    if 'date' in cell:
        return datetime.datetime.fromisoformat(cell['date'])
    if 'datetime' in cell:
        return datetime.datetime.fromisoformat(cell['datetime'])
    if 'time' in cell:
        return datetime.time.fromisoformat(cell['time'])
    if 'dur' in cell:
        return cell['dur']
    if 'b' in cell:
        return cell['b']
    if 'n' in cell:
        return cell['n']
    if 'rich' in cell:
        return ''.join(text for text, _ in cell['rich'])
    return cell.get('s')


def write_openpyxl(path, t):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = t['sheet']
    for r, row in enumerate(t['rows'], start=1):
        for c, cell in enumerate(row, start=1):
            if cell is None:
                continue
            target = ws.cell(row=r, column=c)
            if 'f' in cell:
                # openpyxl writes no cached result: a reader sees a formula never calculated.
                target.value = '=' + cell['f']
            else:
                # openpyxl 3.0 cannot write rich text: the runs are written as one plain string.
                target.value = native(cell)
            if 'link' in cell:
                target.hyperlink = cell['link']
            if 'fmt' in cell:
                target.number_format = cell['fmt']
    wb.save(path)


def write_xlsxwriter(path, t, inline=False, date1904=False):
    # constant_memory makes xlsxwriter write inline strings instead of sharedStrings.xml.
    wb = xlsxwriter.Workbook(path, {'constant_memory': inline, 'date_1904': date1904})
    ws = wb.add_worksheet(t['sheet'])
    formats = {}
    bold = wb.add_format({'bold': True})

    def fmt(cell):
        code = cell.get('fmt')
        if code is None:
            return None
        if code not in formats:
            formats[code] = wb.add_format({'num_format': code})
        return formats[code]

    for r, row in enumerate(t['rows']):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            f = fmt(cell)
            if 'f' in cell:
                ws.write_formula(r, c, '=' + cell['f'], f, cell['v'])
            elif 'link' in cell:
                ws.write_url(r, c, cell['link'], string=cell['s'])
            elif 'rich' in cell:
                parts = []
                for text, strong in cell['rich']:
                    parts += [bold, text] if strong else [text]
                ws.write_rich_string(r, c, *parts)
            elif 'b' in cell:
                ws.write_boolean(r, c, cell['b'])
            elif 'date' in cell or 'datetime' in cell or 'time' in cell:
                ws.write_datetime(r, c, native(cell), f)
            elif 'n' in cell or 'dur' in cell:
                ws.write_number(r, c, native(cell), f)
            else:
                ws.write_string(r, c, cell['s'])
    wb.close()


def tagged(v):
    """A JSON-safe value with its Python type, as openpyxl returned it."""
    if v is None:
        return None
    if isinstance(v, bool):
        return {'bool': v}
    if isinstance(v, (int, float)):
        return {'number': v}
    if isinstance(v, datetime.datetime):
        return {'datetime': v.isoformat()}
    if isinstance(v, datetime.date):
        return {'date': v.isoformat()}
    if isinstance(v, datetime.time):
        return {'time': v.isoformat()}
    if isinstance(v, datetime.timedelta):
        return {'timedelta': v.total_seconds()}
    return {'string': str(v)}


def read_all(src, out):
    for name in sorted(os.listdir(src)):
        if not name.endswith('.xlsx'):
            continue
        wb = openpyxl.load_workbook(os.path.join(src, name), data_only=True)
        ws = wb.worksheets[0]
        rows = [[tagged(c.value) for c in row] for row in ws.iter_rows()]
        with open(os.path.join(out, name + '.openpyxl.json'), 'w', encoding='utf-8') as f:
            f.write(dump(f'openpyxl {openpyxl.__version__}', wb.epoch.year == 1904, rows))


def dump(reader, date1904, rows):
    """One row per line, so a diff of the committed expectations reads cell by cell."""
    lines = ',\n'.join('  ' + json.dumps(r, ensure_ascii=False) for r in rows)
    return f'{{"reader": {json.dumps(reader)}, "date1904": {json.dumps(date1904)}, "rows": [\n{lines}\n]}}\n'


def main():
    cmd = sys.argv[1]
    if cmd == 'write':
        d = sys.argv[2]
        t = table()
        write_openpyxl(os.path.join(d, 'openpyxl.xlsx'), t)
        write_xlsxwriter(os.path.join(d, 'xlsxwriter.xlsx'), t)
        write_xlsxwriter(os.path.join(d, 'xlsxwriter-inline.xlsx'), t, inline=True)
        write_xlsxwriter(os.path.join(d, 'xlsxwriter-1904.xlsx'), t, date1904=True)
    elif cmd == 'read':
        read_all(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit('usage: oracle.py write DIR | read DIR OUT')


if __name__ == '__main__':
    main()
