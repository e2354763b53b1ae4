import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attribute, attributes, XmlDecoder, XmlFormatError, XmlScanner } from '../src/io/xml-scan.js';

/** Scans the chunks and returns a readable trace of what the handler saw (text joined per element). */
function trace(chunks: string[]): string[] {
  const { scanner, out } = tracing();
  for (const c of chunks) scanner.write(c);
  scanner.end();
  return out;
}

function tracing(): { scanner: XmlScanner; out: string[] } {
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
  return { scanner, out };
}

const XML =
  '<?xml version="1.0"?><!-- a comment with <row> inside --><x:sheetData xmlns:x="urn">' +
  '<x:row r="1"><c r="A1" t="inlineStr" note="a>b"><is><t>Zo&#235; &amp; &lt;co&gt;</t></is></c>' +
  '<c r="B1"><v><![CDATA[<5 & 6>]]></v></c><c r=\'C1\'/></x:row></x:sheetData>';

const EXPECTED = [
  'open:sheetData:',
  'open:row:1',
  'open:c:A1',
  'open:is:',
  'open:t:',
  'text:Zoë & <co>',
  'close:t',
  'close:is',
  'close:c',
  'open:c:B1',
  'open:v:',
  'text:<5 & 6>',
  'close:v',
  'close:c',
  'open:c/:C1',
  'close:c',
  'close:row',
  'close:sheetData',
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

  it('reads a tag longer than many pieces once it is whole, a quoted > included, and refuses one over 1 MiB', () => {
    const pieces = (text: string) => Array.from({ length: Math.ceil(text.length / 65_536) }, (_, k) => text.slice(k * 65_536, (k + 1) * 65_536));
    const long = `<row r="1"><c r="A1" note="${'>'.repeat(500_000)}${' '.repeat(400_000)}"/></row>`;
    expect(trace(pieces(long))).toEqual(['open:row:1', 'open:c/:A1', 'close:c', 'close:row']);
    expect(() => trace(pieces(`<row r="1"><c r="A1" ${'x'.repeat(2 * 1024 * 1024)}/></row>`))).toThrow(/tag van meer dan 1 MiB/);
  });

  it('finds attributes written with spaces, tabs or single quotes', () => {
    expect(attribute('c r = "A1"\tt=\'s\'', 'r')).toBe('A1');
    expect(attribute('c r = "A1"\tt=\'s\'', 't')).toBe('s');
    expect(attribute('c r="A1" t="s"', 's')).toBeUndefined();
    expect(attribute('c r="A&amp;1"', 'r')).toBe('A&1');
  });
});

describe('XML text and attributes', () => {
  const text = (xml: string) => {
    let t = '';
    const s = new XmlScanner({ open: () => {}, close: () => {}, text: (x) => (t += x) });
    for (const c of xml.match(/[\s\S]{1,3}/g)!) s.write(c);
    s.end();
    return t;
  };

  it('refuses character references to characters XML does not allow', () => {
    for (const ref of ['&#0;', '&#xD800;', '&#x110000;', '&#xFFFE;', '&#8;']) expect(() => text(`<t>a${ref}</t>`), ref).toThrow(/ongeldig teken/);
    expect(text('<t>&#x1F600;&#9;&#233;&amp;&lt;</t>')).toBe('\u{1F600}\té&<');
  });

  it('keeps a bare & and unknown entities as written, in linear time', () => {
    expect(text('<t>a & b &foo; c&</t>')).toBe('a & b &foo; c&');
    const many = '&'.repeat(200_000);
    expect(text(`<t>${many}</t>`)).toBe(many);
    expect(text(`<t><![CDATA[${many}]]></t>`)).toBe(many);
  });

  it('reads CDATA and comments split at any point, and short markup at the very end', () => {
    expect(text('<t>x<![CDATA[<a> & ]]]]><!-- <t>no</t> -->y</t>')).toBe('x<a> & ]]y');
    expect(text('<t>z</t><!---->')).toBe('z');
    expect(text('<t>z</t><?a?>')).toBe('z');
  });

  it('never takes an attribute value for an attribute', () => {
    expect(attribute(`c note='r="Z9" t="e"' r="B2"`, 'r')).toBe('B2');
    expect(attribute(`c note='r="Z9" t="e"' r="B2"`, 't')).toBeUndefined();
    expect(() => attribute('c r="A1" r="B1"', 'r')).toThrow(/twee keer/);
    expect(() => attribute(`c\t${'x'.repeat(100_000)}`, 'r')).toThrow(/attribuut zonder waarde/);
  });

  it('refuses a DOCTYPE', () => {
    expect(() => text('<!DOCTYPE x [<!ENTITY a "b">]><t>&a;</t>')).toThrow(/DOCTYPE/);
  });
});

describe('XmlDecoder', () => {
  const decode = (bytes: Buffer, step = 1) => {
    const d = new XmlDecoder();
    let out = '';
    for (let i = 0; i < bytes.length; i += step) out += d.decode(bytes.subarray(i, i + step));
    return out + d.end();
  };
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\r\n<t>Zoë\r\n€ \u{1F600}\r</t>\r';

  it('reads UTF-8 with and without BOM and UTF-16 LE/BE with BOM, split anywhere; CRLF and CR become LF', () => {
    const expected = xml.replace(/\r\n?/g, '\n');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    for (const step of [1, 2, 3, 7, 1000]) {
      expect(decode(Buffer.from(xml), step)).toBe(expected);
      expect(decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]), step)).toBe(expected);
      expect(decode(le, step)).toBe(expected);
      expect(decode(Buffer.from(le).swap16(), step)).toBe(expected);
    }
  });

  it('gives the same events for bytes decoded in pieces of any size as for the whole, CR and UTF-8 cut anywhere', () => {
    const unit = fc.constantFrom('<c r="A1">', '<c\r\nr="B2"\r>', '&am', '</c>', '<v>', '</v>', '<t/>', 'ë', '€', '\u{1F600}', '\r', '\n', '\r\n', 'x', '&amp;', '<![CDATA[a]]>', '<!-- - -->');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (units, step, declared) => {
        const bytes = Buffer.from(`${declared ? '<?xml version="1.0"?>' : ''}<r>${units.join('')}</r>`);
        const whole = tracing();
        const d = new XmlDecoder();
        whole.scanner.write(d.decode(bytes) + d.end());
        whole.scanner.end();
        const pieces = tracing();
        const p = new XmlDecoder();
        for (let i = 0; i < bytes.length; i += step) pieces.scanner.write(p.decode(bytes.subarray(i, i + step)));
        pieces.scanner.write(p.end());
        pieces.scanner.end();
        expect(pieces.out).toEqual(whole.out);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses invalid UTF-8 and a declared single-byte encoding', () => {
    expect(() => decode(Buffer.from([0x3c, 0x74, 0x3e, 0xc3, 0x28]))).toThrow(/ongeldige UTF-8/);
    expect(() => decode(Buffer.from([0x3c, 0x74, 0x3e, 0xed, 0xa0, 0x80]))).toThrow(/ongeldige UTF-8/);
    expect(() => decode(Buffer.from([0x3c, 0x74, 0x3e, 0xe2, 0x82]))).toThrow(/ongeldige UTF-8/);
    expect(() => decode(Buffer.from('<?xml version="1.0" encoding="windows-1252"?><t/>'))).toThrow(/tekenset windows-1252/);
  });
});

describe('any input', () => {
  it('ends in text and tags or an XmlFormatError, never another exception', () => {
    const alphabet = ['<', '>', '/', '!', '?', '[', ']', '-', '&', '#', 'x', ';', '"', "'", '=', ' ', '\t', 'a', 'r', 'CDATA', 'DOCTYPE', '&#0;', '&amp;', '\r'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (parts, step) => {
        const xml = parts.join('');
        try {
          const d = new XmlDecoder();
          const scanner = new XmlScanner({ open: (_n, tag) => void attributes(tag), close: () => {}, text: () => {} });
          const bytes = Buffer.from(xml);
          for (let i = 0; i < bytes.length; i += step) scanner.write(d.decode(bytes.subarray(i, i + step)));
          scanner.write(d.end());
          scanner.end();
        } catch (err) {
          if (!(err instanceof XmlFormatError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
