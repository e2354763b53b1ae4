import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

type Kind = 'type' | 'static' | 'dynamic';

/** Every module a file imports: static imports and re-exports (type-only ones marked), and dynamic import(). */
function importsOf(file: string): { spec: string; kind: Kind }[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...[...text.matchAll(/^\s*(import|export)(\s+type)?\s[^;]*?\sfrom\s+'([^']+)'/gm)].map((m) => ({ spec: m[3]!, kind: (m[2] ? 'type' : 'static') as Kind })),
    ...[...text.matchAll(/^\s*import\s+'([^']+)'/gm)].map((m) => ({ spec: m[1]!, kind: 'static' as Kind })),
    ...[...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => ({ spec: m[1]!, kind: 'dynamic' as Kind })),
  ];
}

/** The layer of a file or relative import: its first folder under src/ ('cli' for src/cli.ts). */
function layerOf(absPath: string): string {
  const rel = relative(SRC, absPath).split(/[\\/]/);
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
}

/** House style: which layer may import which. Third-party packages and node: builtins are judged separately. */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  io: ['core', 'io'],
  run: ['core', 'io', 'run', 'ui'],
  ui: ['core', 'ui'],
  commands: ['core', 'run', 'ui', 'commands'],
  cli: ['core', 'io', 'ui', 'commands'],
};

/** Layers a layer may import types from, and nothing else: ui formats what run reports. */
const TYPES_ONLY: Record<string, string[]> = { ui: ['run'] };

/** Packages core may use: none. Pure steps over rows and findings need no library. */
const CORE_PACKAGES: string[] = [];

const edges = sourceFiles(SRC).flatMap((file) =>
  importsOf(file).map(({ spec, kind }) => ({
    from: relative(ROOT, file).replace(/\\/g, '/'),
    kind,
    fromLayer: layerOf(file),
    spec,
    toLayer: spec.startsWith('.') ? layerOf(resolve(dirname(file), spec.replace(/\.js$/, '.ts'))) : undefined,
  })),
);

describe('layering (House style)', () => {
  it('finds the imports it checks', () => {
    expect(edges.filter((e) => e.fromLayer === 'core').length).toBeGreaterThan(10);
    expect(edges.some((e) => e.from === 'src/cli.ts' && e.spec === './commands/convert.js' && e.kind === 'dynamic')).toBe(true);
    expect(edges.some((e) => e.from === 'src/ui/terminal.ts' && e.spec === 'chalk' && e.kind === 'dynamic')).toBe(true);
  });

  it('every layer imports only the layers below it', () => {
    const allowed = (e: (typeof edges)[number]) => (ALLOWED[e.fromLayer] ?? []).includes(e.toLayer!) || (e.kind === 'type' && (TYPES_ONLY[e.fromLayer] ?? []).includes(e.toLayer!));
    const bad = edges.filter((e) => e.toLayer && !allowed(e)).map((e) => `${e.from} → ${e.spec}`);
    expect(bad).toEqual([]);
  });

  it('core uses no package and no node: module with state (randomness, files, process)', () => {
    const bad = edges.filter((e) => e.fromLayer === 'core' && !e.toLayer && !CORE_PACKAGES.includes(e.spec)).map((e) => `${e.from} → ${e.spec}`);
    expect(bad).toEqual([]);
  });

  it('core messages name no command-line flags (hints with flags are added at the edge)', () => {
    const bad = sourceFiles(join(SRC, 'core')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        // Every string literal, in any of the three quotes (a message with an apostrophe is written in "…").
        .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line) && (line.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g) ?? []).some((literal) => /--[a-z]/.test(literal)))
        .map((line) => `${relative(ROOT, file)}: ${line.trim()}`),
    );
    expect(bad).toEqual([]);
  });

  it('nothing outside cli.ts and bin/ ends the process', () => {
    const bad = sourceFiles(SRC).filter((f) => /process\.exit\(/.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')) && !f.endsWith('cli.ts'));
    expect(bad.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("main() works in the folder it is given: only processIo reads the process's folder (and the .exe's own command line compares with it), nothing changes it", () => {
    const code = (f: string) => readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
    const reads = sourceFiles(SRC).filter((f) => /process\.cwd\(/.test(code(f)));
    expect(reads.map((f) => relative(SRC, f).replaceAll('\\', '/')).sort()).toEqual(['ui/command-line.ts', 'ui/terminal.ts']);
    expect(sourceFiles(SRC).filter((f) => /process\.chdir\(/.test(code(f)))).toEqual([]);
    expect(code(join(ROOT, 'test', 'helpers.ts'))).not.toMatch(/process\.chdir\(/);
  });

  it('the config file is checked without a schema library (zod cost ~160 ms to load): no package in run/config.ts', () => {
    const bad = edges.filter((e) => e.from === 'src/run/config.ts' && e.kind !== 'type' && !e.toLayer && !e.spec.startsWith('node:')).map((e) => e.spec);
    expect(bad).toEqual([]);
  });

  it('the start-up path (--help, --version, usage errors) loads only commander: everything else is imported where used', () => {
    const reached = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      const from = relative(ROOT, file).replace(/\\/g, '/');
      if (reached.has(from)) return;
      reached.add(from);
      for (const e of edges.filter((x) => x.from === from && x.kind === 'static')) {
        if (e.spec.startsWith('.')) visit(resolve(dirname(file), e.spec.replace(/\.js$/, '.ts')));
        else if (!e.spec.startsWith('node:')) packages.add(e.spec);
      }
    };
    visit(join(SRC, 'cli.ts'));
    expect(reached.size).toBeGreaterThan(3);
    expect([...packages].sort()).toEqual(['commander']);
  });
});

describe('the test suite', () => {
  it('runs every file that replaces a module (vi.mock) in the mocking project: in the shared worker its mocks never apply', () => {
    const config = readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8');
    const listed = [.../const MOCKING = \[([^\]]*)\]/.exec(config)![1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    const mocking = readdirSync(join(ROOT, 'test'))
      .filter((f) => f.endsWith('.test.ts') && /\bvi\.mock\(/.test(readFileSync(join(ROOT, 'test', f), 'utf8')))
      .map((f) => `test/${f}`);
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.filter((f) => !listed.includes(f))).toEqual([]);
  });
});
