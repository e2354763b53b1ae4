'use strict';
// Loads cli.cjs and app.cjs, the bundles of dist/npm/ (tools/build.mjs) every command runs, with V8's code cache:
// the build runs one conversion and stores what V8 compiled for it next to each bundle (`<bundle>.v8cache`), so a
// run skips parsing and compiling that code (docs/PERFORMANCE.md, "Opstarten"). V8 itself refuses a cache made by
// another V8 version or under other V8 flags (the package is built on one Node and may run on another): the bundle
// is then compiled from its text, as without a cache. V8 checks the text only by its length, so the build puts a
// hash of each bundle in its first line and in its cache, and a cache from another build is never offered; nor is
// one made by another V8 (its version is in the cache's first line too), which V8 would only refuse.
const { closeSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const DIST = join(__dirname, '..', 'dist', 'npm');
/**
 * The bundles with a code cache: those every command loads before adaptV8ToWork changes V8's flags (a cache is only
 * taken under the flags it was made with). The vendor files are loaded later, and only by some commands.
 */
const CACHED = ['cli.cjs', 'app.cjs'];
const BUILD_LINE = /^\/\/ build ([0-9a-f]{16})\n/;
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'];

/** name → { module, script, build, cache: 'used' | 'rejected' | 'none' } */
const loaded = new Map();

/**
 * A cache file starts with this line: the build of the bundle it belongs to, and the V8 that made it. Padded to a
 * multiple of 8 bytes: V8 copies cache data that does not start at such an address (~0.5 MB more memory to touch).
 */
function cacheHeader(build) {
  const line = `${build} ${process.versions.v8}`;
  return `${line.padEnd(Math.ceil((line.length + 1) / 8) * 8 - 1)}\n`;
}

/** The code cache of a bundle, when the build wrote one for exactly this build of it, with this V8. */
function readCache(file, build) {
  let data;
  try {
    data = readFileSync(`${file}.v8cache`);
  } catch {
    return undefined;
  }
  const header = build && cacheHeader(build);
  return header && data.toString('latin1', 0, header.length) === header ? data.subarray(header.length) : undefined;
}

/**
 * The bundle's text inside WRAPPER, as one flat string: V8 flattens a joined one (a copy of the whole text) before
 * it looks the script up. The build keeps the bundles ASCII, so each byte is one character.
 */
function wrappedSource(file) {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafeSlow(WRAPPER[0].length + size + WRAPPER[1].length);
    buf.latin1Write(WRAPPER[0], 0);
    let at = WRAPPER[0].length;
    for (let n; at < WRAPPER[0].length + size && (n = readSync(fd, buf, at, WRAPPER[0].length + size - at, null)) > 0; ) at += n;
    at += buf.latin1Write(WRAPPER[1], at);
    return buf.latin1Slice(0, at);
  } finally {
    closeSync(fd);
  }
}

/** One of CACHED: required from the bundles as './cli.cjs' and './app.cjs'. */
function loadBundle(name) {
  const done = loaded.get(name);
  if (done) return done.module.exports;
  const file = join(DIST, name);
  const source = wrappedSource(file);
  const build = BUILD_LINE.exec(source.slice(WRAPPER[0].length, WRAPPER[0].length + 64))?.[1];
  const cachedData = readCache(file, build);
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  loaded.set(name, { module, script, build, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used' });
  const nodeRequire = createRequire(file);
  const require = (id) => (id.startsWith('./') && CACHED.includes(id.slice(2)) ? loadBundle(id.slice(2)) : nodeRequire(id));
  script.runInThisContext().call(module.exports, module.exports, require, module, file, DIST);
  return module.exports;
}

/** For tests: the bundles loaded so far and whether their code cache was used. */
function loadedBundles() {
  return [...loaded].map(([name, { cache }]) => ({ name, cache }));
}

/**
 * For the build's training run (tools/build.mjs), after the run: writes the code cache of each loaded bundle,
 * with everything V8 compiled so far, under the build hash of its first line and this V8's version.
 */
function writeCodeCaches() {
  for (const [name, { script, build }] of loaded) {
    const file = join(DIST, name);
    const temp = `${file}.v8cache.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.concat([Buffer.from(cacheHeader(build), 'latin1'), script.createCachedData()]));
    renameSync(temp, `${file}.v8cache`);
  }
}

module.exports = { CACHED, loadBundle, loadedBundles, writeCodeCaches };
