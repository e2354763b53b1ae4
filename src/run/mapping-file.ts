import { closeSync, openSync, readSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { compareNl } from '../core/collate.js';
import { firstUnencodable } from '../core/cp1252.js';
import { csvText } from '../core/csv-quote.js';
import { UserError } from '../core/errors.js';
import { Mapping } from '../core/mapping.js';
import type { MappingEntry } from '../core/schema.js';
import { normaliseText, studieKey } from '../core/text.js';
import { PendingAppend, type PendingWrite } from '../io/atomic-file.js';
import { encodeCp1252 } from '../io/cp1252.js';
import { decodeText, detectDelimiter } from '../io/csv-read.js';
import { neutralise, prepareCsvFile } from '../io/csv-write.js';
import { isWorkbookHead } from '../io/input.js';
import { loadMapping } from './load-tables.js';

/**
 * A mapping numo-prep adds lines to: a CSV. A workbook (numo-prep mapping) is read, never written. An existing file
 * is known by its content, as reading knows it (a workbook saved as school.csv), a new one by its name.
 */
export function isWritableMapping(path: string): boolean {
  const head = Buffer.alloc(8);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, head.length, 0);
  } catch {
    return /\.(csv|txt)$/i.test(path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return !isWorkbookHead(head);
}

export interface MappingUpdate {
  path: string;
  /** What to commit; absent when there is nothing to add (the file is then not touched at all). */
  write?: PendingWrite;
  /** Lines added (new Studie values). */
  added: number;
  /** Studie values already in the file with another code: never rewritten, the admin changes them by hand. */
  differs: { studie: string; inFile: string; wanted: string }[];
  created: boolean;
}

/**
 * The bytes in the file's own encoding. UTF-16 and Windows-1252 files stay what they are; a letter Windows-1252
 * cannot hold is refused rather than turned into '?'.
 */
function encodeAs(encoding: string, path: string, text: string): Buffer {
  switch (encoding) {
    case 'utf-16le':
      return Buffer.from(text, 'utf16le');
    case 'utf-16be':
      return Buffer.from(text, 'utf16le').swap16();
    case 'iso-8859-1': {
      const bad = [...text].find((ch) => ch.codePointAt(0)! > 0xff);
      if (bad) throw new UserError(`${basename(path)} is opgeslagen als ISO-8859-1 en kan het teken '${bad}' niet bevatten. Sla de mapping in Excel op als CSV UTF-8 en draai opnieuw.`);
      return Buffer.from(text, 'latin1');
    }
    case 'windows-1252': {
      const bad = firstUnencodable(text);
      if (bad) throw new UserError(`${basename(path)} is opgeslagen als ANSI (Windows-1252) en kan het teken '${bad}' niet bevatten. Sla de mapping in Excel op als CSV UTF-8 en draai opnieuw.`);
      return encodeCp1252(text);
    }
    default:
      return Buffer.from(text, 'utf8');
  }
}

/** A new mapping file as the admin keeps it in Excel: BOM, ';', CRLF, a header row, one Studie per line. */
function createMappingFile(path: string, entries: MappingEntry[]): Promise<PendingWrite> {
  const sorted = [...entries].sort((a, b) => compareNl(a.studie, b.studie));
  // The code is not neutralised: '-' (not for Numo) is a value, not a formula.
  return prepareCsvFile(
    path,
    { encoding: 'utf8-bom', delimiter: ';' },
    ['Studie', 'Opleidingscode'],
    sorted.map((e) => [neutralise(e.studie), e.code]),
    { replace: false, private: false, flag: '--mapping' },
  );
}

/**
 * Prepares saving `wanted` to the mapping file at `path`. An existing file is never rewritten: only Studie values it
 * does not hold yet are added at the end, in its own encoding (BOM or not, UTF-16, Windows-1252), delimiter and
 * line ends, and the file keeps its order, mode and owner. Values it holds with another code are reported, not
 * changed. A missing file is created. Nothing is written until the returned write is committed (commitAll).
 */
export async function prepareMappingUpdate(path: string, wanted: Iterable<MappingEntry>): Promise<MappingUpdate> {
  let before;
  try {
    before = await stat(path);
  } catch {
    before = undefined;
  }
  const entries = new Mapping(wanted).entries();
  if (!before) {
    return entries.length ? { path, write: await createMappingFile(path, entries), added: entries.length, differs: [], created: true } : { path, added: 0, differs: [], created: false };
  }
  const inFile = await loadMapping(path);
  const differs: MappingUpdate['differs'] = [];
  const fresh: MappingEntry[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const current = inFile.get(e.studie);
    // An open Studie stays one line: a second empty line would add nothing (a code appended later wins on reading).
    if (current === undefined && !e.code && inFile.isUndecided(e.studie)) continue;
    if (current === undefined) {
      if (!seen.has(studieKey(e.studie))) fresh.push(e);
      seen.add(studieKey(e.studie));
    } else if (normaliseText(current) !== normaliseText(e.code)) differs.push({ studie: e.studie, inFile: current, wanted: e.code });
  }
  if (!fresh.length) return { path, added: 0, differs, created: false };
  if (!isWritableMapping(path)) {
    throw new UserError(
      `${basename(path)} is geen CSV-bestand maar een werkmap; numo-prep voegt alleen regels toe aan een .csv-mapping. Voeg deze ${fresh.length} studie(s) zelf toe in Excel: ` +
        `${fresh
          .slice(0, 5)
          .map((e) => `${e.studie} → ${e.code}`)
          .join(', ')}${fresh.length > 5 ? ', …' : ''}.`,
    );
  }
  const bytes = await readFile(path);

  const { text, encoding } = decodeText(bytes);
  const delimiter = detectDelimiter(text) ?? ';';
  const eol = /\r\n/.test(text) ? '\r\n' : /\n/.test(text) ? '\n' : /\r/.test(text) ? '\r' : '\r\n';
  const body = text.replace(/^\uFEFF/, '');
  const lead = body === '' || /[\r\n]$/.test(body) ? '' : eol;
  const added = encodeAs(
    encoding,
    path,
    lead +
      // In the file's own dialect: an admin's file may use LF, '|' or UTF-16 and must stay as it is.
      // In the file's own columns too: the reader finds Studie and code by their headers.
      csvText(
        fresh.map((e) => inFile.fieldsFor(neutralise(e.studie), e.code)),
        delimiter,
        eol,
      ),
  );
  return {
    path,
    write: new PendingAppend(path, { dev: before.dev, ino: before.ino, size: before.size, mtimeMs: before.mtimeMs }, added),
    added: fresh.length,
    differs,
    created: false,
  };
}
