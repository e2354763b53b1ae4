import { copyFileSync, linkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NOTHING_WRITTEN, UserError } from '../src/core/errors.js';
import { expectNoStack, fixture, listDir, MAPPING, runCli, tempDir } from './helpers.js';

// One dependency replaced, to reach what no input can: a programming error halfway, and what shred's flags hand on.

const failures = vi.hoisted(() => ({ report: false as false | 'unexpected' | 'user', loadPrevious: false }));

vi.mock(import('../src/ui/report.js'), async (original) => {
  const real = await original();
  return {
    ...real,
    printConvertReport: (...args: Parameters<typeof real.printConvertReport>) => {
      if (failures.report === 'unexpected') throw new TypeError('Cannot read properties of undefined (test)');
      if (failures.report === 'user') throw new UserError(`Kan het rapport niet schrijven (test). ${NOTHING_WRITTEN}`);
      return real.printConvertReport(...args);
    },
  };
});

vi.mock(import('../src/run/load-tables.js'), async (original) => ({
  ...(await original()),
  loadPrevious: async (...args: Parameters<typeof import('../src/run/load-tables.js').loadPrevious>) => {
    if (failures.loadPrevious) throw new TypeError('Cannot read properties of undefined (test)');
    return (await original()).loadPrevious(...args);
  },
}));

vi.mock(import('../src/io/cleanup.js'), async (original) => {
  const real = await original();
  return { ...real, noteShredded: vi.fn(real.noteShredded) };
});

vi.mock(import('../src/io/shred.js'), async (original) => {
  const real = await original();
  return {
    ...real,
    overwriteInPlace: vi.fn(real.overwriteInPlace),
  };
});

beforeEach(() => {
  failures.report = false;
  failures.loadPrevious = false;
});

async function lastYear(dir: string): Promise<string> {
  const last = join(dir, 'vorig-jaar.csv');
  expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', last])).code).toBe(0);
  return last;
}

describe('an unexpected error', () => {
  it('before anything is written: "onverwachte fout", nothing written, no stack; the stack only with NUMO_PREP_DEBUG', async () => {
    const dir = tempDir();
    const last = await lastYear(dir);
    failures.loadPrevious = true;
    const args = ['convert', fixture('magister-export.xlsx'), '--no-config', '--mapping', MAPPING, '--previous', last, '--out', join(dir, 'nu.csv')];
    const r = await runCli(args);
    expectNoStack(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^numo-prep: Onverwachte fout; er is niets weggeschreven\. Controleer het invoerbestand/);
    expect(listDir(dir)).toEqual(['vorig-jaar.csv']);
    const json = await runCli([...args, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 2, error: expect.stringContaining('Onverwachte fout') });
    const debug = await runCli(args, { env: { NUMO_PREP_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/TypeError: Cannot read properties of undefined \(test\)\n\s+at /);
  });

  it('after the output was written: the message names the file that was written, never "niets weggeschreven"', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    failures.report = 'unexpected';
    const out = join(dir, 'nu.csv');
    // The report is printed after the output is committed; printing it fails unexpectedly.
    const r = await runCli(['convert', join(dir, 'export.xlsx'), '--no-config', '--mapping', MAPPING, '--out', out]);
    expectNoStack(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Onverwachte fout.');
    expect(r.stderr).not.toContain('niets weggeschreven');
    expect(r.stderr).toContain(`Wel geschreven: ${out}.`);
    expect(listDir(dir)).toContain('nu.csv');
  });

  it('a message that says its own step wrote nothing, after an earlier step wrote a file (the wizard): the file is named instead', async () => {
    const dir = tempDir();
    failures.report = 'user';
    const out = join(dir, 'nu.csv');
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--no-config', '--mapping', MAPPING, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`numo-prep: Kan het rapport niet schrijven (test). Wel geschreven: ${out}.\n`);
  });
});

describe('--shred-inputs that fails after the write', () => {
  it('names the inputs that are still there, with the shred line the report left them out of', async () => {
    const { overwriteInPlace } = await import('../src/io/shred.js');
    vi.mocked(overwriteInPlace).mockImplementationOnce(async () => {
      throw Object.assign(new Error('input/output error'), { code: 'EIO' });
    });
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const r = await runCli(['convert', join(dir, 'export.xlsx'), '--mapping', MAPPING, '--out', join(dir, 'numo.csv'), '--shred-inputs', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Nog niet verwijderd: numo-prep shred ${join(dir, 'export.xlsx')}`);
    expect(listDir(dir)).toEqual(['export.xlsx', 'numo.csv']);
  });

  it('--json: the second input fails after the first went; the JSON names what went', async () => {
    const { overwriteInPlace } = await import('../src/io/shred.js');
    const real = (await vi.importActual<typeof import('../src/io/shred.js')>('../src/io/shred.js')).overwriteInPlace;
    let calls = 0;
    vi.mocked(overwriteInPlace).mockImplementation(async (...args) => {
      if (++calls === 2) throw Object.assign(new Error('input/output error'), { code: 'EIO' });
      return real(...args);
    });
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    copyFileSync(fixture('idgebr.csv'), join(dir, 'idgebr.csv'));
    const r = await runCli(['convert', join(dir, 'export.xlsx'), '--idgebr', join(dir, 'idgebr.csv'), '--mapping', MAPPING, '--out', join(dir, 'numo.csv'), '--shred-inputs', '--yes', '--json']);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.shredded).toEqual([join(dir, 'export.xlsx')]);
    expect(json.written).toEqual([join(dir, 'numo.csv')]);
    expect(listDir(dir)).toEqual(['idgebr.csv', 'numo.csv']);
  });
});

describe('an unexpected error during a shred', () => {
  it('names the files already gone instead of "nothing written"', async () => {
    const { noteShredded } = await import('../src/io/cleanup.js');
    const real = (await vi.importActual<typeof import('../src/io/cleanup.js')>('../src/io/cleanup.js')).noteShredded;
    let calls = 0;
    // The second file is shredded and noted, then a programming error.
    vi.mocked(noteShredded).mockImplementation((path) => {
      real(path);
      if (++calls === 2) throw new TypeError('Cannot read properties of undefined (test)');
    });
    const dir = tempDir();
    for (const f of ['a.csv', 'b.csv', 'c.csv']) writeFileSync(join(dir, f), 'x');
    const r = await runCli(['shred', join(dir, 'a.csv'), join(dir, 'b.csv'), join(dir, 'c.csv'), '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`numo-prep: Onverwachte fout tijdens het verwijderen; al overschreven en verwijderd: ${join(dir, 'a.csv')}, ${join(dir, 'b.csv')}.`);
    expect(r.stderr).not.toContain('niets weggeschreven');
    expect(listDir(dir)).toEqual(['c.csv']);
  });
});

describe('shred --passes and --zero', () => {
  it('reach the overwrite of every file, with one random pass and no zeros by default', async () => {
    const { overwriteInPlace } = await import('../src/io/shred.js');
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'x'.repeat(1000));
    writeFileSync(join(dir, 'b.csv'), 'y');
    // With the file as checked: another one put at the name before the overwrite is left alone.
    const { ino } = statSync(join(dir, 'a.csv'), { bigint: true });
    expect((await runCli(['shred', join(dir, 'a.csv'), join(dir, 'b.csv'), '--yes', '--passes', '3', '--zero'])).code).toBe(0);
    expect(vi.mocked(overwriteInPlace).mock.calls).toEqual([
      [join(dir, 'a.csv'), { passes: 3, zero: true }, expect.objectContaining({ ino })],
      [join(dir, 'b.csv'), { passes: 3, zero: true }, expect.anything()],
    ]);
    expect(listDir(dir)).toEqual([]);
    vi.mocked(overwriteInPlace).mockClear();
    writeFileSync(join(dir, 'c.csv'), 'z');
    expect((await runCli(['shred', join(dir, 'c.csv'), '--yes'])).code).toBe(0);
    expect(vi.mocked(overwriteInPlace).mock.calls).toEqual([[join(dir, 'c.csv'), { passes: 1, zero: false }, expect.anything()]]);
  });

  it('two names of one file (a hard link, both named): the second is checked without a creation time, which the first overwrite may change', async () => {
    const { overwriteInPlace } = await import('../src/io/shred.js');
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'Geheim');
    linkSync(join(dir, 'a.csv'), join(dir, 'b.csv'));
    vi.mocked(overwriteInPlace).mockClear();
    expect((await runCli(['shred', join(dir, 'a.csv'), join(dir, 'b.csv'), '--yes'])).code).toBe(0);
    const ids = vi.mocked(overwriteInPlace).mock.calls.map((c) => c[2]);
    expect(ids.map((id) => id?.birthtimeNs === undefined)).toEqual([false, true]);
    expect(ids[0]!.ino).toBe(ids[1]!.ino);
  });
});
