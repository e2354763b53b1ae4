"""Writes cp1252-python.json: Python's own cp1252 codec for every byte (null where the byte is undefined).
Run once: python3 test/oracle/make-cp1252.py; the output is committed."""
import json, os
table = []
for b in range(256):
    try:
        table.append(bytes([b]).decode('cp1252'))
    except UnicodeDecodeError:
        table.append(None)
with open(os.path.join(os.path.dirname(__file__), 'cp1252-python.json'), 'w') as f:
    json.dump(table, f, ensure_ascii=True)
