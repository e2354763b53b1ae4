// Windows smoke suite: release/numo-prep-win-x64.exe under Wine set to Windows 10, compared with the npm CLI on
// this machine (same exit codes, same files, same messages apart from paths). Wine is a stand-in for Windows: it
// runs the real node.exe and our real code paths for win32 (paths, quoting, file handling), not Windows itself.
//
// Wine's own limits, not ours: its Unix pipes reach node.exe as handles libuv cannot open (EBADF), so every
// program here writes to files, which is also what a redirect (> verslag.txt) does on Windows.
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const EXE_NAME = 'numo-prep-win-x64.exe';
const RELEASE_EXE = join(ROOT, 'release', EXE_NAME);
const CJS = join(ROOT, 'release', 'numo-prep.cjs');
const BIN = join(ROOT, 'bin', 'numo-prep.js');
const FOLDER = ["School 't Veld", 'numo export'];
const INPUTS = {
  'magister-export.xlsx': 'fixtures/magister-export.xlsx',
  'magister-export-fouten.xlsx': 'fixtures/magister-export-fouten.xlsx',
  'idgebr.csv': 'fixtures/idgebr.csv',
  'mapping.csv': 'mappings/voorbeeld.csv',
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let tmp: string;
let winDir: string; // the Unix folder the .exe works in
let linuxDir: string; // the same files for the npm CLI
let env: NodeJS.ProcessEnv;
let runs = 0;

/** Z:\ is Wine's drive for the Unix root. */
const winPath = (unixPath: string) => `Z:${unixPath.replace(/\//g, '\\')}`;
const inWin = (name: string) => winPath(join(winDir, name));

/** Runs a program with stdin from /dev/null (or a pipe) and stdout/stderr to files (async: Wine is slow to start). */
async function capture(cmd: string, args: string[], cwd: string, o: { env?: NodeJS.ProcessEnv; stdin?: 'ignore' | 'pipe' } = {}): Promise<Run> {
  const out = join(tmp, `run-${++runs}.out`);
  const err = join(tmp, `run-${runs}.err`);
  const fds = [openSync(out, 'w'), openSync(err, 'w')];
  try {
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(cmd, args, { cwd, env: o.env ?? env, stdio: [o.stdin ?? 'ignore', fds[0], fds[1]] });
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
      child.on('error', fail);
      child.on('exit', (c) => {
        clearTimeout(timer);
        done(c);
      });
    });
    return { code, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
  } finally {
    fds.forEach((fd) => closeSync(fd));
  }
}

/** The .exe, started as the README says: from its own folder, beside the export. */
const exe = (...args: string[]) => capture('wine', [join(winDir, EXE_NAME), ...args], winDir);
const npmCli = (...args: string[]) => capture(process.execPath, [BIN, ...args], linuxDir);

/** Messages with the folder written as <map> and / for \, so Windows and Linux output can be compared. */
function normalise(text: string, dir: string): string {
  return text.split(winPath(dir)).join('<map>').split(dir).join('<map>').replace(/\\/g, '/');
}

/** normalise() on every string inside a --json report. */
function normaliseJson(text: string, dir: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? normalise(value, dir) : value));
}

function outputs(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith('numo-import-'))
    .sort();
}

/**
 * Starts the .exe and sends it Ctrl+C (Wine turns SIGINT into the console's CTRL_C_EVENT) as soon as it holds a
 * file open that `when` picks: the export while reading, the temp file while writing.
 */
async function interruptWhen(when: (openFile: string) => boolean, args: string[]): Promise<{ code: number | null; stderr: string; sent: boolean }> {
  const err = join(tmp, `run-${++runs}.err`);
  const fd = openSync(err, 'w');
  try {
    const child = spawn('wine', [join(winDir, EXE_NAME), ...args], { cwd: winDir, env, stdio: ['ignore', 'ignore', fd] });
    let sent = false;
    const poll = setInterval(() => {
      let open: string[] = [];
      try {
        open = readdirSync(`/proc/${child.pid}/fd`).map((f) => {
          try {
            return readlinkSync(`/proc/${child.pid}/fd/${f}`);
          } catch {
            return '';
          }
        });
      } catch {
        // not started yet, or gone
      }
      if (!sent && open.some(when)) {
        sent = true;
        child.kill('SIGINT');
      }
    }, 10);
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    clearInterval(poll);
    return { code, stderr: readFileSync(err, 'utf8'), sent };
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  for (const f of [RELEASE_EXE, CJS]) if (!existsSync(f)) throw new Error(`${f} ontbreekt: eerst npm run build:exe`);
  tmp = mkdtempSync(join(tmpdir(), 'numo-prep-exe-'));
  const { DISPLAY: _display, ...rest } = process.env;
  env = {
    ...rest,
    WINEPREFIX: join(tmp, 'wineprefix'),
    WINEDEBUG: '-all',
    // No Mono or Gecko install dialogs: a console program needs neither.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
  };
  const boot = await capture('wineboot', ['--init'], tmp).catch((e: Error) => ({ code: -1, stderr: `${e.message} (apt-get install wine wine64)` }));
  if (boot.code !== 0) throw new Error(`wineboot faalde: ${boot.stderr}`);
  // wineboot returns while the new prefix is still being set up: a program started right then failed once in CI
  // ("ShellExecuteEx failed"). Wait until its wineserver is done.
  await capture('wineserver', ['-w'], tmp);
  // Keep one wineserver for the whole suite instead of one per program.
  await capture('wineserver', ['-p'], tmp);
  const win10 = await capture('wine', ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/t', 'REG_SZ', '/d', 'win10', '/f'], tmp);
  if (win10.code !== 0) throw new Error(`Windows 10 instellen faalde: ${win10.stderr}`);

  winDir = join(tmp, 'win', ...FOLDER);
  linuxDir = join(tmp, 'linux', ...FOLDER);
  for (const dir of [winDir, linuxDir]) {
    mkdirSync(dir, { recursive: true });
    for (const [name, from] of Object.entries(INPUTS)) copyFileSync(join(ROOT, from), join(dir, name));
  }
  copyFileSync(RELEASE_EXE, join(winDir, EXE_NAME));
});

afterAll(async () => {
  if (env) await capture('wineserver', ['-k'], tmp);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('numo-prep-win-x64.exe under Wine (Windows 10)', () => {
  it('runs on Windows 10 as Wine reports it', async () => {
    const r = await capture('wine', ['cmd', '/c', 'ver'], tmp);
    expect(r.stdout).toMatch(/Windows 10|Version 10\./);
  });

  it('--version', async () => {
    const r = await exe('--version');
    expect(r).toEqual(await npmCli('--version'));
    expect(r.stdout).toBe('0.1.0\n');
  });

  it(`convert: a shipped example in a folder named ${FOLDER.join('\\')}, output beside the export`, async () => {
    const args = (dir: (n: string) => string) => ['convert', dir('magister-export.xlsx'), '--mapping', dir('mapping.csv'), '--idgebr', dir('idgebr.csv'), '--password', 'none', '--no-config'];
    const [win, linux] = await Promise.all([exe(...args(inWin)), npmCli(...args((n) => join(linuxDir, n)))]);
    expect(win.code).toBe(0);
    expect(win.code).toBe(linux.code);
    expect(outputs(winDir)).toEqual(outputs(linuxDir));
    const [name] = outputs(winDir);
    expect(readFileSync(join(winDir, name!))).toEqual(readFileSync(join(linuxDir, name!)));

    // The shred line: the .exe as started from its folder, each path in double quotes (PowerShell and cmd alike).
    const quoted = (n: string) => `"${inWin(n)}"`;
    expect(win.stdout).toContain(`.\\${EXE_NAME} shred ${quoted('magister-export.xlsx')} ${quoted('idgebr.csv')} ${quoted(name!)}`);
    expect(win.stdout).not.toContain(`'\\''`);
    const drop = (t: string) => t.replace(/^ *\S*numo-prep\S* shred .*$/m, '<shred>');
    expect(normalise(drop(win.stdout), winDir)).toBe(normalise(drop(linux.stdout), linuxDir));
    expect(normalise(win.stderr, winDir)).toBe(normalise(linux.stderr, linuxDir));
    expect(win.stdout + win.stderr).not.toContain('\x1b[');
  });

  it('check of that output, and --json', async () => {
    const [name] = outputs(winDir);
    const [win, linux] = await Promise.all([exe('check', name!), npmCli('check', name!)]);
    expect(win.code).toBe(0);
    expect([win.code, win.stdout, win.stderr]).toEqual([linux.code, linux.stdout, linux.stderr]);

    const [winJson, linuxJson] = await Promise.all([exe('check', inWin(name!), '--json'), npmCli('check', join(linuxDir, name!), '--json')]);
    expect(winJson.code).toBe(linuxJson.code);
    expect(normaliseJson(winJson.stdout, winDir)).toEqual(normaliseJson(linuxJson.stdout, linuxDir));
  });

  it('a data error: exit 1, nothing written, the same findings', async () => {
    const args = (dir: (n: string) => string) => ['convert', dir('magister-export-fouten.xlsx'), '--mapping', dir('mapping.csv'), '--no-config', '--out', dir('fouten.csv')];
    const [win, linux] = await Promise.all([exe(...args(inWin)), npmCli(...args((n) => join(linuxDir, n)))]);
    expect(win.code).toBe(1);
    expect([win.code, normalise(win.stdout, winDir), normalise(win.stderr, winDir)]).toEqual([linux.code, normalise(linux.stdout, linuxDir), normalise(linux.stderr, linuxDir)]);
    expect(existsSync(join(winDir, 'fouten.csv'))).toBe(false);
    const json = await exe(...args(inWin), '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 1 });
  });

  it('a file error: exit 2, for a missing file and for a drive that does not exist', async () => {
    const [missing, linux] = await Promise.all([exe('convert', inWin('bestaat-niet.xlsx'), '--no-config'), npmCli('convert', join(linuxDir, 'bestaat-niet.xlsx'), '--no-config')]);
    expect(missing.code).toBe(2);
    expect([missing.code, normalise(missing.stderr, winDir)]).toEqual([linux.code, normalise(linux.stderr, linuxDir)]);
    const [drive, noFolder] = await Promise.all([exe('convert', 'Q:\\numo\\export.xlsx', '--no-config'), npmCli('convert', '/bestaat-niet/numo/export.xlsx', '--no-config')]);
    expect(drive.code).toBe(2);
    expect([drive.code, drive.stderr.replace('Q:\\numo\\export.xlsx', '/bestaat-niet/numo/export.xlsx').replace('Q:\\numo', '/bestaat-niet/numo')]).toEqual([noFolder.code, noFolder.stderr]);
  });

  it('the wizard refuses without a console (exit 2), like the npm CLI', async () => {
    const win = await exe('wizard');
    expect(win.code).toBe(2);
    const npm = await npmCli('wizard');
    // The command it suggests names the program as it was started.
    expect([win.code, win.stdout, win.stderr]).toEqual([npm.code, npm.stdout, npm.stderr.replace('numo-prep mapping', '.\\numo-prep-win-x64.exe mapping')]);
  });

  it('in a console (a pseudo-terminal, with the spinner): no libuv abort, the same message and exit code', async () => {
    // script(1) gives the .exe a terminal; -e passes on its exit code. CI=true would turn the spinner off.
    const { CI: _ci, ...consoleEnv } = env;
    const r = await capture('script', ['-qec', `wine ${EXE_NAME} check bestaat-niet.csv`, '/dev/null'], winDir, { env: consoleEnv });
    expect(r.stdout).not.toContain('Assertion failed');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('bestaat-niet.csv');
  });

  it('shred: the printed command, run by cmd.exe, removes the files', async () => {
    const convert = await exe('convert', 'magister-export.xlsx', '--mapping', 'mapping.csv', '--out', 'tweede.csv', '--no-config');
    expect(convert.code).toBe(0);
    const line = convert.stdout
      .split(/\r?\n/)
      .find((l) => l.includes(' shred '))!
      .trim();
    writeFileSync(join(winDir, 'opruimen.bat'), `@echo off\r\n${line} --yes\r\n`);
    const r = await capture('wine', ['cmd', '/c', 'opruimen.bat'], winDir);
    expect(r.code).toBe(0);
    expect(existsSync(join(winDir, 'magister-export.xlsx'))).toBe(false);
    expect(existsSync(join(winDir, 'tweede.csv'))).toBe(false);
    expect(readdirSync(winDir).filter((f) => f.startsWith('.') || f.endsWith('.tmp'))).toEqual([]);

    const linux = await npmCli('shred', '--yes', 'magister-export.xlsx');
    expect(linux.code).toBe(0);
    // One file named twice in another case (one file on Windows): shredded once, not a failure halfway.
    writeFileSync(join(winDir, 'tweemaal.csv'), 'x');
    const twice = await exe('shred', '--yes', 'tweemaal.csv', 'TWEEMAAL.CSV');
    expect([twice.code, existsSync(join(winDir, 'tweemaal.csv'))]).toEqual([0, false]);
    // stdin from a pipe (`echo | …`, a script): Wine's pipe cannot be opened (EBADF), which must not end the run.
    writeFileSync(join(winDir, 'pijp.csv'), 'x');
    const piped = await capture('wine', [join(winDir, EXE_NAME), 'shred', '--yes', 'pijp.csv'], winDir, { stdin: 'pipe' });
    expect([piped.code, existsSync(join(winDir, 'pijp.csv'))]).toEqual([0, false]);
    expect(piped.stderr).not.toMatch(/EBADF|Error/);
    const refused = await exe('shred', 'idgebr.csv');
    expect(refused.code).toBe(2);
    const refusedLinux = await npmCli('shred', 'idgebr.csv');
    expect([refused.code, refused.stderr]).toEqual([refusedLinux.code, refusedLinux.stderr]);
  });

  it('Windows names: a device name is no output, and a shred that deletes nothing leaves a name as it was (also in other case)', async () => {
    const nul = await exe('convert', 'idgebr.csv', '--rol', 'docent', '--no-config', '--out', 'NUL');
    expect(nul.code).toBe(2);
    expect(nul.stderr).toContain('NUL is op Windows de naam van een apparaat, geen bestand.');
    expect(readdirSync(winDir).filter((f) => /^nul$/i.test(f))).toEqual([]);
    writeFileSync(join(winDir, 'Lijst.csv'), 'x');
    const nothing = await exe('shred', '--yes', 'LIJST.CSV', 'bestaat-niet.csv');
    expect(nothing.code).toBe(2);
    expect(readdirSync(winDir)).toContain('Lijst.csv');
    const star = await exe('shred', '--yes', '*.csv');
    expect(star.code).toBe(2);
    expect(star.stderr).toContain('*.csv: Windows vult * en ? niet zelf in; noem elk bestand bij naam');
  });

  it('Ctrl+C while reading and while writing: exit 130, no output, no temp file', async () => {
    // A large synthetic export, so that there is time to press Ctrl+C.
    const lines = ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail'];
    const studies = ['1 havo', '2 havo', '2 vwo', '1 kader'];
    for (let i = 0; i < 200_000; i++) lines.push(`${600000 + i};Naam${i % 97};;Achter${i % 89};1A;${studies[i % 4]};${600000 + i}@leerling.voorbeeldschool.nl`);
    writeFileSync(join(winDir, 'groot.csv'), `${lines.join('\r\n')}\r\n`);
    const args = ['convert', 'groot.csv', '--mapping', 'mapping.csv', '--no-config', '--out', 'groot-uit.csv', '--password', 'none'];
    const leftovers = () => readdirSync(winDir).filter((f) => f.includes('groot-uit') || f.endsWith('.tmp'));
    const isTemp = (f: string) => f.startsWith(winDir) && (f.endsWith('.tmp') || f.includes('groot-uit'));

    // The export is open only while it is read into memory; on a fast machine the first chance may be the temp file.
    const reading = await interruptWhen((f) => f === join(winDir, 'groot.csv') || isTemp(f), args);
    expect(reading.sent).toBe(true);
    expect(reading.code).toBe(130);
    expect(leftovers()).toEqual([]);

    const writing = await interruptWhen(isTemp, args);
    expect(writing.sent).toBe(true);
    expect(writing.code).toBe(130);
    expect(writing.stderr).toContain('Afgebroken; het half geschreven bestand is verwijderd.');
    expect(leftovers()).toEqual([]);
  });

  it('the one-file build for Node prints the same as the npm CLI', async () => {
    const viaCjs = await capture(process.execPath, [CJS, 'convert', 'magister-export-fouten.xlsx', '--mapping', 'mapping.csv', '--no-config'], linuxDir);
    const viaNpm = await npmCli('convert', 'magister-export-fouten.xlsx', '--mapping', 'mapping.csv', '--no-config');
    expect(viaCjs).toEqual(viaNpm);
  });
});
