import { describe, expect, it } from 'vitest';
import { csvText } from '../src/core/csv-quote.js';
import { rowBatches } from '../src/core/raw-row.js';
import { encodeCp1252 } from '../src/io/cp1252.js';
import { CSV_OPTIONS, csvRows, decodeText, detectDelimiter, unclosedQuoteLine } from '../src/io/csv-read.js';
import { CsvEncoder, CsvRecords, neutralise } from '../src/io/csv-write.js';

const row = { gebruikersnaam: '1001', voornaam: 'Zoë', tussenvoegsel: '', achternaam: 'Vries; de', klas: '2H1', opleiding: 'HAVO-2', 'e-mail': '', wachtwoord: 'a"b', rol: 'leerling' as const };

describe('CsvEncoder', () => {
  it('writes BOM, ; and CRLF, quoting only where needed', () => {
    const e = new CsvEncoder({ encoding: 'utf8-bom', delimiter: ';' }, false);
    const bytes = Buffer.concat([e.header(), e.rows([row])]);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\n' + '1001;Zoë;;"Vries; de";2H1;HAVO-2;;"a""b";leerling\r\n',
    );
  });
  it('adds IDGebr last and can write Windows-1252 with tabs', () => {
    const e = new CsvEncoder({ encoding: 'windows-1252', delimiter: 'tab' }, true);
    const bytes = Buffer.concat([e.header(), e.rows([{ ...row, IDGebr: '35895' }])]);
    expect(bytes.toString('latin1').split('\r\n')[0]!.endsWith('\trol\tIDGebr')).toBe(true);
    expect(bytes.includes(Buffer.from([0xeb]))).toBe(true); // ë as one byte
  });
  it('neutralises every formula start, including LF that csv-stringify misses', () => {
    for (const v of ['=1+1', '+31', '-2', '@SUM(A1)', '\tx', '\rx', '\nx']) expect(neutralise(v).startsWith("'")).toBe(true);
    expect(neutralise('Jan')).toBe('Jan');
  });
});

describe('decodeText', () => {
  const text = 'Stamnr;Roepnaam\r\n1;Zoë\r\n';
  it('detects UTF-8 with and without BOM, UTF-16 LE/BE with BOM and Windows-1252', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'utf-8-bom' });
    expect(decodeText(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]))).toEqual({ text, encoding: 'utf-16be' });
    expect(decodeText(encodeCp1252(text))).toEqual({ text, encoding: 'iso-8859-1' });
    expect(decodeText(encodeCp1252(`${text}2;Šimić€\r\n`.replace('ć', 'c')))).toEqual({ text: `${text}2;Šimic€\r\n`, encoding: 'windows-1252' });
    // A second BOM (put before a file that had one) goes too.
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'utf-8-bom', secondBom: true });
  });
});

describe('detectDelimiter', () => {
  it('finds ; , and tab, ignoring title rows and quoted text', () => {
    expect(detectDelimiter('Deelnemers overzicht\r\nStamnr;Roepnaam;Klas\r\n1;"Jan, Piet";1A\r\n')).toBe(';');
    expect(detectDelimiter('Stamnr,Roepnaam\n1,Jan\n')).toBe(',');
    expect(detectDelimiter('Stamnr\tRoepnaam\n1\tJan\n')).toBe('\t');
    expect(detectDelimiter('Stamnr Roepnaam\n1 Jan\n')).toBeUndefined();
  });
  it('is not thrown by one shifted row when another column holds commas ("Smit, Jan")', () => {
    const rows = Array.from({ length: 5 }, (_, i) => `100${i};Jan;;Smit;Smit, Jan;1A;1 havo;j${i}@school.nl`);
    const text = ['Stamnr;Roepnaam;Tussenv.;Achternaam;Volledige naam;Klas;Studie;E-mail', ...rows, '1006;Anna;Maria;;Jansen;Jansen, Anna;1A;1 havo;a@school.nl'].join('\r\n');
    expect(detectDelimiter(text)).toBe(';');
  });
  it('is not outvoted by a comma in each title line and name cell', () => {
    const text = [
      'Deelnemers, schooljaar 2025-2026',
      'Locatie Noord, Stad',
      'Afdeling onderbouw, havo',
      'Stamnr;Naam;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail',
      '1001;Smit, Jan;Jan;;Smit;1A;1 havo;j@x.nl',
      '1002;Dijk, Piet;Piet;;Dijk;1A;1 havo;p@x.nl',
      '1003;Berg, Anna, M.;Anna;;Berg;1A;1 havo;a@x.nl',
      '1004;Vos, Els;Els;;Vos;1A;1 havo;e@x.nl',
    ].join('\r\n');
    expect(detectDelimiter(text)).toBe(';');
    expect(detectDelimiter('Stamnr,Roepnaam,Notitie\n1,Jan,"a; b; c"\n2,Els,x; y\n')).toBe(',');
  });
  it('is not taken by a column of "4 havo, NT, NG" in a two-column ; list (a mapping, a code list)', () => {
    expect(detectDelimiter('Studie;Opleidingscode\n4 havo, NT, NG;VB-HAVO-4\n4 havo, NT, NG;VB-HAVO-4\n4 havo, NT, NG;VB-HAVO-4\n1 havo;VB-HAVO-1\n')).toBe(';');
    expect(detectDelimiter('Code;Omschrijving\nVB-HAVO-4;Havo 4, profiel NT, NG\nVB-HAVO-5;Havo 5, profiel NT, NG\n')).toBe(';');
  });
});

describe('CSV writer', () => {
  it('writes exactly what csv-stringify writes, for any fields and delimiter', async () => {
    const fc = (await import('fast-check')).default;
    const { stringify } = await import('csv-stringify/sync');
    const field = fc.string({ unit: fc.constantFrom('a', 'ë', ' ', ';', ',', '\t', '"', '\r', '\n', '=', '-', "'", 'x'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(field, { minLength: 9, maxLength: 9 }), fc.constantFrom<';' | ',' | 'tab'>(';', ',', 'tab'), (f, delimiter) => {
        const row = {
          gebruikersnaam: f[0]!,
          voornaam: f[1]!,
          tussenvoegsel: f[2]!,
          achternaam: f[3]!,
          klas: f[4]!,
          opleiding: f[5]!,
          'e-mail': f[6]!,
          wachtwoord: f[7]!,
          rol: 'leerling' as const,
          IDGebr: f[8]!,
        };
        const ours = new CsvEncoder({ encoding: 'utf8', delimiter }, true).rows([row]).toString('utf8');
        // Every field neutralised but the password (a ' would become part of it).
        const record = [row.gebruikersnaam, row.voornaam, row.tussenvoegsel, row.achternaam, row.klas, row.opleiding, row['e-mail'], row.wachtwoord, row.rol, row.IDGebr].map((v, i) =>
          i === 7 ? v : neutralise(v),
        );
        const theirs = stringify([record], { delimiter: delimiter === 'tab' ? '\t' : delimiter, record_delimiter: '\r\n', quote_record_delimiter: true });
        expect(ours).toBe(theirs);
        // The mapping and the report: any fields, no neutralising.
        expect(new CsvRecords({ encoding: 'utf8', delimiter }, []).records([f, f.slice(3)]).toString('utf8')).toBe(
          stringify([f, f.slice(3)], { delimiter: delimiter === 'tab' ? '\t' : delimiter, record_delimiter: '\r\n', quote_record_delimiter: true }),
        );
      }),
      { numRuns: 2000 },
    );
  });
  it('encodes what csv-stringify writes, for any characters, in either encoding', async () => {
    const fc = (await import('fast-check')).default;
    const { stringify } = await import('csv-stringify/sync');
    // Lone surrogates, characters outside Latin-1 and Windows-1252's own (€, Š) next to plain ASCII.
    const anyText = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', ';', '"', '\r', '\n', '=', 'ë', 'é', '€', 'Š', '\u00a0', 'ł', '漢', '😀', '\ud800', '\udfff'), maxLength: 12 });
    const cp1252Text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ';', '"', '\n', '-', 'ë', '€', 'Š', 'ÿ'), maxLength: 12 });
    const check = (records: string[][], encoding: 'utf8' | 'windows-1252') => {
      const text = stringify(records, { delimiter: ';', record_delimiter: '\r\n', quote_record_delimiter: true });
      const ours = new CsvRecords({ encoding, delimiter: ';' }, []).records(records);
      expect(ours.equals(encoding === 'utf8' ? Buffer.from(text, 'utf8') : encodeCp1252(text))).toBe(true);
    };
    fc.assert(
      fc.property(fc.array(fc.array(anyText, { minLength: 1, maxLength: 4 }), { maxLength: 4 }), (records) => check(records, 'utf8')),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.array(fc.array(cp1252Text, { minLength: 1, maxLength: 4 }), { maxLength: 4 }), (records) => check(records, 'windows-1252')),
      { numRuns: 1000 },
    );
    // A long batch with long fields.
    const long = Array.from({ length: 3000 }, (_, i) => [`${i}`, 'ë'.repeat(i % 50), 'x'.repeat(i % 97), i % 7 ? 'a' : 'a;b']);
    check(long, 'utf8');
    check(long, 'windows-1252');
  });
});

describe("csvText (lines added to an admin's own mapping file)", () => {
  it('writes what csv-stringify writes in any dialect', async () => {
    const fc = (await import('fast-check')).default;
    const { stringify } = await import('csv-stringify/sync');
    const field = fc.string({ unit: fc.constantFrom('a', 'ë', ' ', ';', ',', '|', '\t', '"', '\r', '\n', '-'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 3 }), { maxLength: 3 }), fc.constantFrom(';', ',', '\t', '|'), fc.constantFrom('\r\n', '\n', '\r'), (records, delimiter, eol) => {
        expect(csvText(records, delimiter, eol)).toBe(stringify(records, { delimiter, record_delimiter: eol, quote_record_delimiter: true }));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('unclosedQuoteLine', () => {
  it('names the line of the quote that never closes, CRLF counted once', () => {
    expect(unclosedQuoteLine('a;b\r\n1;"x;y\r\n2;z\r\n3;w\r\n', ';')).toBe(2);
    expect(unclosedQuoteLine('a;b\r\n1;"x\r\ny";2\r\n3;"w\r\n', ';')).toBe(4);
    expect(unclosedQuoteLine('a;b\r1;x"y\r2;"z', ';')).toBe(3);
  });
  it('finds an unclosed quote exactly where csv-parse does', async () => {
    const fc = (await import('fast-check')).default;
    const { parse } = await import('csv-parse/sync');
    const text = fc.string({ unit: fc.constantFrom('a', '"', ';', ' ', '\r', '\n', '\r\n'), maxLength: 24 });
    fc.assert(
      fc.property(text, (t) => {
        let code: string | undefined;
        try {
          parse(t, { ...CSV_OPTIONS, delimiter: ';' });
        } catch (err) {
          code = (err as { code?: string }).code;
        }
        if (code === undefined) expect(unclosedQuoteLine(t, ';')).toBeUndefined();
        if (code === 'CSV_QUOTE_NOT_CLOSED') expect(unclosedQuoteLine(t, ';')).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('csvRows', () => {
  /** Row by row, and in batches as convert reads them: the same records either way. */
  const read = async (text: string, delimiter: string) => {
    const out: string[][] = [];
    const it = csvRows('x.csv', text, delimiter);
    for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value.cells);
    const batched: string[][] = [];
    for await (const batch of rowBatches({ [Symbol.asyncIterator]: () => csvRows('x.csv', text, delimiter) })) batched.push(...batch.map((r) => r.cells));
    expect(batched).toEqual(out);
    return out;
  };
  it('splits a text without quotes exactly as csv-parse reads it', async () => {
    const fc = (await import('fast-check')).default;
    const { parse } = await import('csv-parse/sync');
    const text = fc.string({ unit: fc.constantFrom('a', 'ë', ' ', ';', ',', '\t', '\r', '\n', '\r\n', "'", '1'), maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom(';', ',', '\t'), async (t, delimiter) => {
        expect(await read(t, delimiter)).toEqual(parse(t, { ...CSV_OPTIONS, delimiter }));
      }),
      { numRuns: 3000 },
    );
  });
  it('numbers records across the batches it hands out between two turns of the event loop', async () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `${i + 1};x${i % 2 ? '\n' : '\r\n'}`).join('');
    const rows: number[] = [];
    for await (const batch of rowBatches({ [Symbol.asyncIterator]: () => csvRows('x.csv', text, ';') })) for (const r of batch) rows.push(r.row, Number(r.cells[0]));
    expect(rows.length).toBe(80_000);
    expect(rows.every((n, i) => n === Math.floor(i / 2) + 1)).toBe(true);
  });
  it('gives the event loop a turn while quoted text is read (csv-parse alone never did: Ctrl+C waited for the end)', async () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `"${i + 1}";"x"\r\n`).join('');
    // The rows read at each turn of the event loop (a chain of setImmediate, as a signal's handler would wait).
    const turns: number[] = [];
    let rows = 0;
    let done = false;
    const turn = () => {
      turns.push(rows);
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    for await (const batch of rowBatches({ [Symbol.asyncIterator]: () => csvRows('x.csv', text, ';') })) rows += batch.length;
    done = true;
    turns.push(rows);
    const gaps = turns.slice(1).map((n, i) => n - turns[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(16_384);
  });
  it('stops at an unclosed quote within a record of 1 Mi characters, not after holding the rest of the file', async () => {
    const text = `a;b\r\n1;"x\r\n${`2;${'y'.repeat(60)}\r\n`.repeat(30_000)}`;
    await expect(read(text, ';')).rejects.toThrow(/x\.csv: een aanhalingsteken \("\) wordt niet gesloten \(regel 2\)/);
    await expect(read(`a;b\r\n1;"${'y'.repeat(1.1 * 2 ** 20)}"\r\n`, ';')).rejects.toThrow(/x\.csv: een rij \(regel 2\) is langer dan 1\.048\.576 tekens/);
  });
  it('hands text with quotes to csv-parse', async () => {
    expect(await read('a;"b;c"\r\n"d""e";f\r\n\r\ng', ';')).toEqual([['a', 'b;c'], ['d"e', 'f'], [''], ['g']]);
    await expect(read('a;"b\r\n', ';')).rejects.toThrow(/aanhalingsteken/);
  });
  it('keeps a note over several lines, and refuses a quoted field whose lines are rows of the file (a stray ")', async () => {
    const head = 'Stamnr;Roepnaam;Achternaam;Klas;Opmerking\r\n';
    expect(await read(`${head}1;Ana;Smit;1A;"Bijles:\r\nma; di; do"\r\n2;Bas;Bos;1A;\r\n`, ';')).toEqual([
      ['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Opmerking'],
      ['1', 'Ana', 'Smit', '1A', 'Bijles:\r\nma; di; do'],
      ['2', 'Bas', 'Bos', '1A', ''],
    ]);
    const commas = 'Stamnr,Roepnaam,Achternaam,Studie,Opmerking\r\n1,Ana,Smit,2 havo,"Let op:\r\nallergie voor noten, pinda, sesam"\r\n';
    expect((await read(commas, ',')).at(-1)).toEqual(['1', 'Ana', 'Smit', '2 havo', 'Let op:\r\nallergie voor noten, pinda, sesam']);
    const stray = `${head}1;Ana;Smit;1A;"Bijles\r\n2;Bas;Bos;1A;\r\n3;Cor;Dijk;1A;maat 28"\r\n4;Dirk;Vos;1A;\r\n`;
    await expect(read(stray, ';')).rejects.toThrow(/^x\.csv, rij 2: een veld tussen aanhalingstekens \("\) loopt over regels die zelf rijen lijken/);
  });
});
