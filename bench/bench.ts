/**
 * npm run bench — runs the real CLI (node bin/numo-prep.js) as a child process on synthetic exports (a 1,850-row
 * school, a 100,000-row school board) and compares its CPU time (user + sys, all threads) with xlsx2csv reading the same file and with a
 * bare `node -e 0`, in one run so that every ratio comes from the same conditions. CPU time, not wall time: this
 * machine is shared, and a ratio of CPU times moves much less with the load than seconds do. Writes
 * bench/results.json and prints the table pasted in docs/PERFORMANCE.md. Needs /usr/bin/time (Debian package
 * `time`) and xlsx2csv (Debian package `xlsx2csv`); without them the ratios are n/a.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plainExport } from '../fixtures/make-fixtures.js';
import { syntheticStudents } from '../fixtures/students.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = join(root, 'bench', 'out');
const bin = join(root, 'bin', 'numo-prep.js');
const mapping = join(root, 'mappings', 'voorbeeld.csv');
/** Samples per measurement after one warm-up. */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/**
 * Runs per sample of a short measurement (start-up, the 1,850-row school): /usr/bin/time reports CPU in 10 ms
 * steps, so one sample times a loop of this many runs and divides.
 */
const BATCH = 10;
const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
const hasXlsx2csv = spawnSync('sh', ['-c', 'command -v xlsx2csv'], { encoding: 'utf8' }).status === 0;
const SCHOOL = 1_850;
const BOARD = 100_000;

interface Row {
  name: string;
  /** Median CPU seconds (user + sys) of one run. */
  cpu: number | null;
  /** Median wall seconds of one run. */
  wall: number;
  /** Largest max-RSS of all runs. */
  peakMiB: number | null;
}

interface Spec {
  name: string;
  cmd: string;
  args: string[];
  /** Runs per sample (BATCH for short ones). */
  batch?: number;
  expectStatus?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One sample: `batch` runs in a shell loop under one /usr/bin/time; seconds per run. */
function sample({ name, cmd, args, batch = 1, expectStatus = 0 }: Spec) {
  // The loop stops at the first run that ends with another status than expected and reports that status.
  const loop = `i=0; while [ $i -lt ${batch} ]; do "$@"; s=$?; [ $s -eq ${expectStatus} ] || exit $s; i=$((i+1)); done; exit ${expectStatus}`;
  const r = hasTime
    ? spawnSync(TIME, ['-f', '%e %U %S %M', 'sh', '-c', loop, 'sh', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
    : spawnSync('sh', ['-c', loop, 'sh', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== expectStatus) throw new Error(`${name} ended with ${r.status}, expected ${expectStatus}: ${r.stderr ?? ''}`);
  if (!hasTime) return { wall: NaN, cpu: NaN, kb: NaN };
  const [wall, user, sys, kb] = String(r.stderr).trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number, number];
  return { wall: wall / batch, cpu: (user + sys) / batch, kb };
}

/**
 * Measures the specs together, one sample of each in turn, so that every ratio between them comes from the same
 * moments of a shared machine.
 */
function measure(specs: Spec[], runs = RUNS): Row[] {
  for (const spec of specs) sample(spec);
  const all = specs.map(() => [] as ReturnType<typeof sample>[]);
  for (let i = 0; i < runs; i++) specs.forEach((spec, j) => all[j]!.push(sample(spec)));
  return specs.map((spec, j) => {
    const peak = Math.max(...all[j]!.map((r) => r.kb));
    return {
      name: spec.name,
      cpu: hasTime ? median(all[j]!.map((r) => r.cpu)) : null,
      wall: median(all[j]!.map((r) => r.wall)),
      peakMiB: Number.isFinite(peak) ? peak / 1024 : null,
    };
  });
}

/** Hostile corpus files (docs/REFERENCE.md, Grenzen) and the exit status each must end with. */
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

/**
 * Hostile files too large to commit, made in bench/out at the first run: a CSV of 95 MB on one line of ;s (the
 * limit of 100 MB is for the file; each piece was once a string, 1.3 GB), one field of 95 MB, and 95 MB of empty
 * lines with one Windows-1252 byte at the end (the mixed-encoding decoder kept an entry per line: 1.6 GB).
 */
const HOSTILE_MADE: [string, string | Buffer, number][] = [
  ['een-regel-puntkomma.csv', `Stamnr;Roepnaam;Achternaam;Klas;Studie${';x'.repeat(47_500_000)}`, 2],
  ['een-veld.csv', `Stamnr;Roepnaam;Achternaam;Klas;Studie\n${'a'.repeat(95_000_000)}`, 1],
  ['lege-regels-ansi.csv', Buffer.concat([Buffer.from(`Stamnr;Roepnaam;Achternaam;Studie\n${'\n'.repeat(95_000_000)}`), Buffer.from([0xe9, 0x0a])]), 2],
];

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  for (const f of readdirSync(work)) if (f.startsWith('numo-')) rmSync(join(work, f));
  for (const n of [SCHOOL, BOARD]) {
    const file = join(work, `export-${n}.xlsx`);
    if (!existsSync(file)) await plainExport(file, syntheticStudents(n));
    const idgebr = join(work, `idgebr-${n}.csv`);
    if (!existsSync(idgebr)) writeFileSync(idgebr, ['Stamnr;IDGebr', ...syntheticStudents(n).map((s) => `${s.stamnr};${s.idgebr}`)].join('\r\n'));
  }
  const node = process.execPath;
  const convert = (n: number) => [
    bin,
    'convert',
    join(work, `export-${n}.xlsx`),
    '--mapping',
    mapping,
    '--idgebr',
    join(work, `idgebr-${n}.csv`),
    '--out',
    join(work, `numo-${n}.csv`),
    '--force',
    '--quiet',
  ];
  const xlsx2csv = (n: number, batch = 1): Spec[] => (hasXlsx2csv ? [{ name: `xlsx2csv ${n.toLocaleString('en')} rows`, cmd: 'xlsx2csv', args: [join(work, `export-${n}.xlsx`)], batch }] : []);
  const [nodeRow, help, convertHelp] = measure([
    { name: 'node -e 0', cmd: node, args: ['-e', '0'], batch: BATCH },
    { name: 'numo-prep --help', cmd: node, args: [bin, '--help'], batch: BATCH },
    { name: 'numo-prep convert --help', cmd: node, args: [bin, 'convert', '--help'], batch: BATCH },
  ]);
  const [school, xlsx2csvSchool] = measure([{ name: `convert ${SCHOOL.toLocaleString('en')} rows (school)`, cmd: node, args: convert(SCHOOL), batch: BATCH }, ...xlsx2csv(SCHOOL, BATCH)]);
  const [board, xlsx2csvBoard] = measure([{ name: `convert ${BOARD.toLocaleString('en')} rows (board)`, cmd: node, args: convert(BOARD) }, ...xlsx2csv(BOARD)]);
  const [check] = measure([{ name: `check ${BOARD.toLocaleString('en')}-row output`, cmd: node, args: [bin, 'check', join(work, `numo-${BOARD}.csv`), '--quiet'] }]);
  const r = { node: nodeRow!, help: help!, convertHelp: convertHelp!, school: school!, xlsx2csvSchool, board: board!, xlsx2csvBoard, check: check! };
  // Each hostile file must end within 5 s of CPU and 300 MiB.
  for (const [file, text] of HOSTILE_MADE) if (!existsSync(join(work, file))) writeFileSync(join(work, file), text);
  const hostile = measure(
    [...HOSTILE.map(([file, status]) => [join(root, 'test', 'corpus', file), status] as const), ...HOSTILE_MADE.map(([file, , status]) => [join(work, file), status] as const)].map(
      ([path, expectStatus]) => ({
        name: `hostile ${basename(path)}`,
        cmd: node,
        args: [bin, 'convert', path, '--mapping', mapping, '--out', join(work, 'numo-hostile.csv'), '--force', '--quiet'],
        expectStatus,
      }),
    ),
    3,
  );
  const rows = [...Object.values(r).filter((x): x is Row => Boolean(x)), ...hostile];
  const ratio = (a: Row, b: Row | undefined) => (a.cpu !== null && b?.cpu ? Number((a.cpu / b.cpu).toFixed(2)) : null);
  const targets: [string, number | null, number][] = [
    [`convert ${SCHOOL.toLocaleString('en')} / xlsx2csv, CPU`, ratio(r.school, r.xlsx2csvSchool), 2.0],
    [`convert ${BOARD.toLocaleString('en')} / xlsx2csv, CPU`, ratio(r.board, r.xlsx2csvBoard), 0.45],
    [`convert ${BOARD.toLocaleString('en')} peak MiB`, r.board.peakMiB === null ? null : Number(r.board.peakMiB.toFixed(1)), 110],
    ['--help / node -e 0, CPU', ratio(r.help, r.node), 1.3],
    ['convert --help / node -e 0, CPU', ratio(r.convertHelp, r.node), 1.3],
    ['slowest hostile file, CPU s', hostile.some((x) => x.cpu === null) ? null : Number(Math.max(...hostile.map((x) => x.cpu!)).toFixed(2)), 5],
    ['largest hostile peak MiB', hostile.some((x) => x.peakMiB === null) ? null : Number(Math.max(...hostile.map((x) => x.peakMiB!)).toFixed(1)), 300],
  ];
  const f = (x: number | null, digits: number) => (x === null ? 'n/a' : x.toFixed(digits));
  const table = [
    `| measurement | CPU s (median) | wall s (median) | peak MiB |`,
    '|---|---:|---:|---:|',
    ...rows.map((x) => `| ${x.name} | ${f(x.cpu, 2)} | ${f(x.wall, 2)} | ${f(x.peakMiB, 1)} |`),
    '',
    '| target | measured | goal | met |',
    '|---|---:|---:|---|',
    ...targets.map(([k, v, goal]) => `| ${k} | ${v ?? 'n/a'} | ≤ ${goal} | ${v === null ? 'n/a' : v <= goal ? 'yes' : 'no'} |`),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  // Node parses the certificates this names at every start, before any script runs: part of every node row here,
  // absent on a school PC (docs/PERFORMANCE.md, "Opstarten"). The environment is measured as it is.
  const extraCaCerts = Boolean(process.env.NODE_EXTRA_CA_CERTS);
  if (extraCaCerts) process.stdout.write('\nNODE_EXTRA_CA_CERTS is gezet: elke Node-start hierboven leest die certificaten (zie docs/PERFORMANCE.md, Opstarten).\n');
  const meta = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, runs: RUNS, extraCaCerts };
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify({ ...meta, rows, targets: Object.fromEntries(targets.map(([k, v, goal]) => [k, { measured: v, goal }])) }, null, 2)}\n`);
}

await main();
