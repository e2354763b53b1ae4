/**
 * npm run bench — times the real CLI as a child process on synthetic 2,000- and 100,000-row exports and writes
 * bench/results.json. Needs /usr/bin/time (Debian package `time`) for peak memory and `xlsx2csv` for the
 * reference time; both are optional (reported as null without them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plainExport } from '../fixtures/make-fixtures.js';
import { syntheticStudents } from '../fixtures/students.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = join(root, 'bench', 'out');
const bin = join(root, 'bin', 'numo-prep.js');
const mapping = join(root, 'mappings', 'voorbeeld.csv');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const hasTime = existsSync('/usr/bin/time');
const hasXlsx2csv = spawnSync('sh', ['-c', 'command -v xlsx2csv'], { encoding: 'utf8' }).status === 0;

interface Row {
  name: string;
  medianSeconds: number;
  peakMiB: number | null;
}

/** Median wall time of `runs` runs after one warm-up, and the largest max-RSS seen. */
function measure(name: string, cmd: string, args: string[], expectStatus = 0, runs = RUNS): Row {
  const once = () => {
    const started = process.hrtime.bigint();
    const r = hasTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
      : spawnSync(cmd, args, { stdio: 'ignore' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== expectStatus) throw new Error(`${name} ended with ${r.status}, expected ${expectStatus}: ${r.stderr ?? ''}`);
    const kb = hasTime ? Number(String(r.stderr).trim().split('\n').at(-1)) : NaN;
    return { seconds, kb };
  };
  once();
  const all = Array.from({ length: runs }, once);
  const sorted = all.map((r) => r.seconds).sort((a, b) => a - b);
  const peak = Math.max(...all.map((r) => r.kb));
  return { name, medianSeconds: sorted[Math.floor(sorted.length / 2)]!, peakMiB: Number.isFinite(peak) ? peak / 1024 : null };
}

/** Hostile corpus files and the exit status each must end with. */
const HOSTILE: [string, number][] = [
  ['cel-250mib.xlsx', 2],
  ['bom-archief.xlsx', 2],
  ['bom-liegt.xlsx', 2],
  ['bom-eerlijk.xlsx', 2],
  ['cdata-ampersands.xlsx', 2],
  ['gedeelde-teksten-te-veel.xlsx', 2],
  ['veel-werkbladen.xlsx', 2],
  ['miljoen-rijen.xlsx', 2],
  ['tab-lange-token.xlsx', 2],
  ['lange-relationship.xlsx', 0],
];

/** The bare exceljs streaming read of every row, as its own process, for the ratio "pipeline over reading". */
const EXCELJS_READ = `
const ExcelJS = require('exceljs');
(async () => {
  let n = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(process.argv[1], { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit' });
  for await (const sheet of reader) for await (const row of sheet) n += row.cellCount > 0 ? 1 : 0;
  if (n === 0) process.exit(1);
})();`;

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  for (const f of readdirSync(work)) if (f.startsWith('numo-')) spawnSync('rm', ['-f', join(work, f)]);
  const sizes = [2_000, 100_000];
  for (const n of sizes) {
    const file = join(work, `export-${n}.xlsx`);
    if (!existsSync(file)) await plainExport(file, syntheticStudents(n));
    const idgebr = join(work, `idgebr-${n}.csv`);
    if (!existsSync(idgebr)) writeFileSync(idgebr, ['Stamnr;IDGebr', ...syntheticStudents(n).map((s) => `${s.stamnr};${s.idgebr}`)].join('\r\n'));
  }
  const node = process.execPath;
  const rows: Row[] = [
    measure('numo-prep --help', node, [bin, '--help']),
    measure('numo-prep convert --help', node, [bin, 'convert', '--help']),
  ];
  const results: Record<string, Row> = {};
  for (const n of sizes) {
    const file = join(work, `export-${n}.xlsx`);
    const out = join(work, `numo-${n}.csv`);
    results[`convert${n}`] = measure(`convert ${n.toLocaleString('en')} rows`, node, [bin, 'convert', file, '--mapping', mapping, '--idgebr', join(work, `idgebr-${n}.csv`), '--out', out, '--force', '--quiet']);
    results[`exceljs${n}`] = measure(`bare exceljs stream read ${n.toLocaleString('en')} rows`, node, ['-e', EXCELJS_READ, file]);
    if (hasXlsx2csv) results[`xlsx2csv${n}`] = measure(`xlsx2csv ${n.toLocaleString('en')} rows`, 'sh', ['-c', `xlsx2csv "${file}" > /dev/null`]);
  }
  // The biggest hostile files of test/corpus (see docs/REFERENCE.md, Grenzen): each must end in ≤ 5 s and ≤ 300 MiB.
  const hostile: Row[] = [];
  for (const [file, status] of HOSTILE) {
    hostile.push(measure(`hostile ${file}`, node, [bin, 'convert', join(root, 'test', 'corpus', file), '--mapping', mapping, '--out', join(work, 'numo-hostile.csv'), '--force', '--quiet'], status, 3));
  }
  results.check100000 = measure('check 100,000-row output', node, [bin, 'check', join(work, 'numo-100000.csv'), '--quiet']);
  rows.push(...Object.values(results), ...hostile);

  const ratio = (a?: Row, b?: Row) => (a && b ? Number((a.medianSeconds / b.medianSeconds).toFixed(2)) : null);
  const targets = {
    'convert 100k / xlsx2csv 100k (≤ 1.00)': ratio(results.convert100000, results.xlsx2csv100000),
    'convert 100k peak MiB (≤ 150)': results.convert100000!.peakMiB === null ? null : Number(results.convert100000!.peakMiB.toFixed(1)),
    'convert 2k / bare exceljs read 2k (≤ 1.25)': ratio(results.convert2000, results.exceljs2000),
    'convert 100k / bare exceljs read 100k': ratio(results.convert100000, results.exceljs100000),
    '--help seconds (≤ 0.15)': Number(rows[0]!.medianSeconds.toFixed(3)),
    'convert --help seconds (≤ 0.15)': Number(rows[1]!.medianSeconds.toFixed(3)),
    'slowest hostile file, seconds (≤ 5)': Number(Math.max(...hostile.map((r) => r.medianSeconds)).toFixed(2)),
    'largest hostile peak MiB (≤ 300)': hostile.some((r) => r.peakMiB === null) ? null : Number(Math.max(...hostile.map((r) => r.peakMiB!)).toFixed(1)),
    'memory growth 2k → 100k (rows × 50)': results.convert100000!.peakMiB && results.convert2000!.peakMiB ? Number((results.convert100000!.peakMiB / results.convert2000!.peakMiB).toFixed(2)) : null,
  };

  const table = [
    '| measurement | median s | peak MiB |',
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${r.medianSeconds.toFixed(3)} | ${r.peakMiB === null ? 'n/a' : r.peakMiB.toFixed(1)} |`),
    '',
    '| target | measured |',
    '|---|---:|',
    ...Object.entries(targets).map(([k, v]) => `| ${k} | ${v ?? 'n/a'} |`),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const meta = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, runs: RUNS };
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify({ ...meta, rows, targets }, null, 2)}\n`);
}

await main();
