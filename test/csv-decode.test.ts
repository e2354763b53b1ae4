import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeCp1252, encodeCp1252 } from '../src/io/cp1252.js';
import { csvSheet, decodeText } from '../src/io/csv-read.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function rowsOf(buf: Buffer): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of csvSheet('x.csv', buf).rows) out.push(r.cells);
  return out;
}

describe('single-byte CSV: ISO-8859-1 or Windows-1252, decided from the content', () => {
  it('reads accented names without 0x80–0x9F as ISO-8859-1, the same text either way', () => {
    const text = 'Nummer;Roepnaam;Achternaam\r\n1;Zoë;Müller\r\n2;Hélène;Ødegård\r\n';
    const d = decodeText(Buffer.from(text, 'latin1'));
    expect(d).toEqual({ text, encoding: 'iso-8859-1' });
  });
  it('reads € Š Œ ‘ ’ – from 0x80–0x9F as Windows-1252 with its own table, not as C1 controls', () => {
    const text = 'Stamnr;Roepnaam;Achternaam\r\n1;Šárka;Œuvre–Dąb\r\n'.replace('ą', 'a');
    const bytes = encodeCp1252(text);
    expect(bytes.includes(0x8a)).toBe(true);
    expect(decodeText(bytes)).toEqual({ text, encoding: 'windows-1252' });
  });
  it('matches iconv CP1252 for every defined byte', () => {
    let iconv: string | undefined;
    const defined = Buffer.from([...Array(256).keys()].filter((b) => ![0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(b)));
    try {
      iconv = execFileSync('iconv', ['-f', 'CP1252', '-t', 'UTF-8'], { input: defined }).toString('utf8');
    } catch {
      return; // no iconv on this machine: the table test below still runs
    }
    expect(decodeCp1252(defined)).toBe(iconv);
  });
  it('refuses bytes undefined in Windows-1252 and DOS code page text, naming the line', () => {
    expect(() => decodeText(Buffer.from([...utf8('a;b\r\n1;x'), 0x81, ...utf8('y\r\n')]), 'e.csv')).toThrow(/e\.csv, regel 2: onbekende tekencodering/);
    // cp850: "Zoë" is 5A 6F 89, which Windows-1252 would read as "Zo‰".
    expect(() => decodeText(Buffer.from([...utf8('a;b\r\n1;Zo'), 0x89, ...utf8('l\r\n')]), 'e.csv')).toThrow(/regel 2: onbekende tekencodering/);
  });
});

describe('a CSV that mixes UTF-8 and Windows-1252 lines', () => {
  const head = 'Stamnr;Roepnaam;Achternaam\r\n';
  it('decodes each line in its own encoding and says which lines were Windows-1252', async () => {
    const bytes = Buffer.concat([BOM, utf8(`${head}1;Zoë;Çelik\r\n`), encodeCp1252('2;Chloë;Šimic\r\n3;Joëlle;Dijk\r\n'), utf8('4;Daniël;Yılmaz\r\n')]);
    const d = decodeText(bytes);
    expect(d.encoding).toBe('utf-8+windows-1252');
    expect(d.legacyLines).toEqual([3, 4]);
    expect(d.text).toBe(`${head}1;Zoë;Çelik\r\n2;Chloë;Šimic\r\n3;Joëlle;Dijk\r\n4;Daniël;Yılmaz\r\n`);
    const sheet = csvSheet('x.csv', bytes);
    expect(sheet.warnings).toEqual([expect.stringContaining('regels 3–4 als Windows-1252 gelezen')]);
    expect((await rowsOf(bytes)).map((r) => r[1])).toEqual(['Roepnaam', 'Zoë', 'Chloë', 'Joëlle', 'Daniël']);
  });
  it('refuses a line that itself mixes both, with its number', () => {
    const bytes = Buffer.concat([utf8(`${head}1;Zoë;Dijk\r\n2;Zoë;`), encodeCp1252('Chloë\r\n')]);
    expect(() => decodeText(bytes, 'm.csv')).toThrow(/m\.csv, regel 3: UTF-8 en Windows-1252 door elkaar in één regel/);
  });
  it('property: any mix of whole lines in either encoding decodes to the original text', async () => {
    const fc = (await import('fast-check')).default;
    const { isUtf8 } = await import('node:buffer');
    // Letters of names that Windows-1252 can hold (so either encoding is possible per line); € and other
    // punctuation between letters is refused as a DOS code page (tested above).
    const letter = fc.constantFrom(...'aeiouAEZëéèïöüçÇÉŠšŒœŽžŸñß -'.split(''));
    const line = fc.tuple(fc.string({ unit: letter, minLength: 1, maxLength: 12 }), fc.boolean());
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), fc.boolean(), (lines, bom) => {
        const parts = lines.map(([t, legacy], i) => (legacy ? encodeCp1252(`${i};${t}\r\n`) : utf8(`${i};${t}\r\n`)));
        // The one ambiguity, shown below: a Windows-1252 line whose bytes are all valid UTF-8 is read as UTF-8.
        fc.pre(lines.every(([t, legacy]) => !legacy || !/[^\x00-\x7f]/.test(t) || !isUtf8(encodeCp1252(t))));
        const expected = lines.map(([t], i) => `${i};${t}\r\n`).join('');
        // A Windows-1252 line that contains a valid UTF-8 sequence (Ç followed by Š) may be refused — never misread.
        const maybeRefused = lines.some(([t, legacy]) => legacy && /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u20ac]/.test(t));
        let text: string | undefined;
        try {
          text = decodeText(Buffer.concat([...(bom ? [BOM] : []), ...parts])).text;
        } catch (err) {
          expect(maybeRefused).toBe(true);
          expect(String(err)).toMatch(/regel \d+: UTF-8 en Windows-1252 door elkaar/);
        }
        if (text !== undefined) expect(text).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
  it('documents the one ambiguity: Windows-1252 bytes that are valid UTF-8 too (É followed by Œ) read as UTF-8', () => {
    const bytes = Buffer.concat([utf8('a;b\r\n1;Zoë\r\n'), encodeCp1252('2;ÉŒ\r\n'), encodeCp1252('3;Chloë\r\n')]);
    expect(decodeText(bytes).text).toBe('a;b\r\n1;Zoë\r\n2;Ɍ\r\n3;Chloë\r\n');
  });
});
