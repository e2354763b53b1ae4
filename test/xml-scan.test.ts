import { describe, expect, it } from 'vitest';
import { attribute, XmlScanner } from '../src/io/xml-scan.js';

/** Scans the chunks and returns a readable trace of what the handler saw (text joined per element). */
function trace(chunks: string[]): string[] {
  const out: string[] = [];
  let raw = '';
  const scanner = new XmlScanner({
    open: (name, tag, selfClosing) => {
      if (raw) out.push(`text:${raw}`);
      raw = '';
      out.push(`open:${name}${selfClosing ? '/' : ''}:${attribute(tag, 'r') ?? ''}`);
    },
    close: (name) => {
      if (raw) out.push(`text:${raw}`);
      raw = '';
      out.push(`close:${name}`);
    },
    text: (text) => {
      raw += text;
    },
  });
  for (const c of chunks) scanner.write(c);
  scanner.end();
  return out;
}

const XML =
  '<?xml version="1.0"?><!-- a comment with <row> inside --><x:sheetData xmlns:x="urn">' +
  '<x:row r="1"><c r="A1" t="inlineStr" note="a>b"><is><t>Zo&#235; &amp; &lt;co&gt;</t></is></c>' +
  '<c r="B1"><v><![CDATA[<5 & 6>]]></v></c><c r=\'C1\'/></x:row></x:sheetData>';

const EXPECTED = [
  'open:sheetData:', 'open:row:1', 'open:c:A1', 'open:is:', 'open:t:', 'text:Zoë & <co>', 'close:t', 'close:is', 'close:c',
  'open:c:B1', 'open:v:', 'text:<5 & 6>', 'close:v', 'close:c', 'open:c/:C1', 'close:c', 'close:row', 'close:sheetData',
];

describe('XmlScanner', () => {
  it('reads tags, prefixes, attributes, entities, CDATA, comments and processing instructions', () => {
    expect(trace([XML])).toEqual(EXPECTED);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    for (let cut = 1; cut < XML.length; cut++) expect(trace([XML.slice(0, cut), XML.slice(cut)]), `cut at ${cut}`).toEqual(EXPECTED);
    expect(trace(XML.split(''))).toEqual(EXPECTED);
  });

  it('refuses a tag cut off at the end and a < inside a tag', () => {
    expect(() => trace(['<row r="1"><c r="A1'])).toThrow(/afgebroken tag/);
    expect(() => trace(['<row <c>'])).toThrow(/< binnen een tag/);
  });

  it('finds attributes written with spaces, tabs or single quotes', () => {
    expect(attribute('c r = "A1"\tt=\'s\'', 'r')).toBe('A1');
    expect(attribute('c r = "A1"\tt=\'s\'', 't')).toBe('s');
    expect(attribute('c r="A1" t="s"', 's')).toBeUndefined();
    expect(attribute('c r="A&amp;1"', 'r')).toBe('A&1');
  });
});
