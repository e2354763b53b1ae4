import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticStudents } from '../fixtures/students.js';
import { inlineStringXlsx, writeZip, type XCell } from '../fixtures/zip-writer.js';
import { NUMO_HEADERS } from '../src/core/schema.js';
import { readZipDirectory } from '../src/io/zip.js';
import { expectNoStack, fixture, MAPPING, runCli, tempDir } from './helpers.js';

// `npm run fuzz` sets FUZZ_RUNS for long runs; the default keeps CI short.
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const TEST_TIMEOUT = Math.max(60_000, RUNS * 5_000);
const XLSX = readFileSync(fixture('magister-export.xlsx'));
const CSV = readFileSync(fixture('magister-export-ansi.csv'));

function entries(zip: Buffer) {
  return [...readZipDirectory(zip).values()].map((e) => {
    const start = e.localOffset + 30 + zip.readUInt16LE(e.localOffset + 26) + zip.readUInt16LE(e.localOffset + 28);
    const raw = zip.subarray(start, start + e.compressedSize);
    return { name: e.name, data: e.method === 8 ? inflateRawSync(raw) : raw };
  });
}
const ZIP_ENTRIES = entries(XLSX);

/** Runs the whole convert on bytes; checks the invariants that hold for any input. */
async function convertHolds(bytes: Buffer, name: string): Promise<void> {
  const dir = tempDir('numo-prep-fuzz-');
  const input = join(dir, name);
  writeFileSync(input, bytes);
  const out = join(dir, 'numo.csv');
  const r = await runCli(['convert', input, '--mapping', MAPPING, '--out', out, '--json']);
  expectNoStack(r);
  expect([0, 1, 2], r.stderr).toContain(r.code);
  expect(readFileSync(input).equals(bytes)).toBe(true);
  const left = readdirSync(dir).sort();
  if (r.code !== 0) {
    expect(left).toEqual([name]);
    return;
  }
  expect(left).toEqual([name, 'numo.csv'].sort());
  const report = JSON.parse(r.stdout);
  const records: string[][] = parse(readFileSync(out), { bom: true, delimiter: ';', record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false });
  expect(records[0]).toEqual([...NUMO_HEADERS]);
  expect(records.length - 1).toBe(report.counts.written);
  expect(new Set(records.slice(1).map((r) => r[0]!.toLowerCase())).size).toBe(report.counts.written);
  for (const cell of records.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r\n]/);
}

const fuzzOptions = { numRuns: RUNS, endOnFailure: true } as const;

describe('fuzzing convert', () => {
  it(
    'survives flipped bytes in an .xlsx and a .csv',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.boolean(), fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 16 }), async (xlsx, flips) => {
          const bytes = Buffer.from(xlsx ? XLSX : CSV);
          for (const f of flips) bytes[f.at % bytes.length] = f.value;
          await convertHolds(bytes, xlsx ? 'export.xlsx' : 'export.csv');
        }),
        fuzzOptions,
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'survives truncation anywhere',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), async (xlsx, fraction) => {
          const source = xlsx ? XLSX : CSV;
          await convertHolds(source.subarray(0, Math.floor(source.length * fraction)), xlsx ? 'export.xlsx' : 'export.csv');
        }),
        fuzzOptions,
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'survives zip entries dropped and reordered',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.shuffledSubarray(ZIP_ENTRIES, { minLength: 1 }), async (subset) => {
          await convertHolds(writeZip(subset), 'export.xlsx');
        }),
        fuzzOptions,
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'survives cells replaced with random strings, and writes back exactly the rows read',
    async () => {
      const base: XCell[][] = syntheticStudents(15, 5, 800001).map((s) => [s.stamnr, s.roepnaam, s.tussenvoegsel, s.achternaam, s.klas, s.studie, s.email]);
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              row: fc.nat(14),
              col: fc.nat(6),
              value: fc.string({
                unit: fc.oneof(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ';', '"', ' ', '\u00a0', '\u200b', 'e\u0301'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
                maxLength: 30,
              }),
            }),
            { maxLength: 12 },
          ),
          fc.boolean(),
          async (edits, asCsv) => {
            const rows = base.map((r) => [...r]);
            for (const e of edits) rows[e.row]![e.col] = e.value;
            const header = ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie', 'E-mail'];
            const bytes = asCsv
              ? Buffer.from([header, ...rows].map((r) => r.map((c) => `"${String(c ?? '').replace(/"/g, '""')}"`).join(';')).join('\r\n'), 'utf8')
              : inlineStringXlsx([{ name: 'Blad1', rows: [header, ...rows] }]);
            await convertHolds(bytes, asCsv ? 'export.csv' : 'export.xlsx');
          },
        ),
        fuzzOptions,
      );
    },
    TEST_TIMEOUT,
  );
});
