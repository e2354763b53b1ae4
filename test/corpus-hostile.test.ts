import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertCorpusCopy, expectNoStack } from './helpers.js';

// A file of its own (not in corpus.test.ts): these few files take most of the corpus's time, and as two files the
// two halves can run in parallel workers.

/**
 * Hostile files: [file, exit code, message]. Each must end within 5 s of CPU time and 300 MiB of memory (peak
 * RSS) with a message of a few lines. CPU time rather than wall time, so that a loaded machine doesn't fail the
 * bound; the wall-clock time at an unloaded machine is in `npm run bench`.
 */
const HOSTILE: [string, 0 | 1 | 2, RegExp][] = [
  ['tab-lange-token.xlsx', 2, /\(attribuut zonder waarde in xl\/worksheets\/sheet1\.xml\)/],
  ['lange-relationship.xlsx', 0, /8 leerlingen/],
  ['cdata-ampersands.xlsx', 2, /cdata-ampersands\.xlsx: blad 'Blad1', cel B2 is langer dan 32\.767 tekens \(de grens van Excel\)/],
  ['cel-250mib.xlsx', 2, /cel-250mib\.xlsx: blad 'Blad1', cel A2 is langer dan 32\.767 tekens/],
  ['bom-archief.xlsx', 2, /bom-archief\.xlsx is uitgepakt samen groter dan 512 MiB/],
  ['bom-eerlijk.xlsx', 2, /uitgepakt groter dan 256 MiB per werkblad/],
  ['veel-werkbladen.xlsx', 2, /\(meer dan 1\.000 werkbladen of verwijzingen\)/],
  ['dubbele-onderdelen.xlsx', 2, /beschadigd of afgekapt Excel-bestand \(onderdeel XL\/worksheets\/sheet1\.xml staat er twee keer in\)/],
  ['overlappende-onderdelen.xlsx', 2, /beschadigd of afgekapt Excel-bestand \(onderdelen overlappen elkaar\)/],
  ['gedeelde-teksten-te-veel.xlsx', 2, /uitgepakt te veel tekst \(gedeelde teksten\)/],
  ['doctype.xlsx', 2, /\(DOCTYPE is niet toegestaan in xl\/worksheets\/sheet1\.xml\)/],
  ['miljoen-rijen.xlsx', 2, /meer dan 250\.000 rijen/],
];

describe('corpus of hostile exports', () => {
  for (const [name, code, message] of HOSTILE) {
    // Their CPU and memory bounds (5 s, 300 MiB) are measured by npm run bench; here the answer must be right.
    it(`${name} → exit ${code}`, async () => {
      const { dir, r } = await convertCorpusCopy(name);
      expectNoStack(r);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stdout + r.stderr).toMatch(message);
      if (code !== 0) expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
      expect(readdirSync(dir).sort()).toEqual(code === 0 ? [name, 'numo.csv'].sort() : [name]);
    }, 90_000);
  }
});
