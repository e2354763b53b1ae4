import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareNl } from '../core/collate.js';
import { fileProblem, UserError } from '../core/errors.js';
import { classifyHeaders, type FileKind } from '../core/file-kind.js';
import { LIMITS } from '../core/limits.js';
import { normaliseText } from '../core/text.js';
import { loadInput, sheetsOf } from '../io/input.js';

export interface FolderFile {
  name: string;
  kind: FileKind | 'unreadable';
  /** When it last changed (ms): this year's export beside last year's is the newer one. */
  modified: number;
}

/**
 * The names in the folder the wizard works in. One it may enter but not list (a Mac's Desktop, Documents or
 * Downloads before Terminal was given access; a share with traverse rights only) is said as that, not as an
 * unexpected error about the export.
 */
function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`Kan de map ${dir} niet lezen: ${fileProblem(code)}.${code === 'EACCES' || code === 'EPERM' ? ` Werk in een map waar je mag lezen en schrijven; ${MAC_FOLDER_ACCESS}.` : ''}`);
  }
}

/** A Mac's Desktop, Documents or Downloads before Terminal was given access: every file call there is refused. */
export const MAC_FOLDER_ACCESS = 'op een Mac: geef Terminal toegang tot deze map (Systeeminstellingen > Privacy en beveiliging > Bestanden en mappen)';

/** Files the admin keeps beside the export that are never one: Excel's lock files, our own output. */
const NEVER = /^(~\$|\.|numo-import-)/;

/** What one file is, from the first rows of its first sheet (title rows above the header are common). */
export async function kindOf(path: string): Promise<FolderFile['kind']> {
  try {
    const input = await loadInput(path);
    const [sheet] = await sheetsOf(input);
    if (!sheet) return 'other';
    const it = sheet.rows[Symbol.asyncIterator]();
    try {
      for (let i = 0; i < LIMITS.headerScanRows; i++) {
        const next = await it.next();
        if (next.done) break;
        const kind = classifyHeaders(next.value.cells.map(normaliseText));
        if (kind !== 'other') return kind;
      }
    } finally {
      await it.return?.();
    }
    return 'other';
  } catch {
    return 'unreadable';
  }
}

/**
 * The .xlsx and .csv files in the folder with what each is, so the wizard offers only plausible exports — not
 * the inleesbestand, a mapping, the IDGebr file or an earlier Numo import.
 */
export async function folderFiles(dir: string): Promise<FolderFile[]> {
  const files = namesIn(dir)
    .filter((f) => /\.(xlsx|csv|txt|tsv)$/i.test(f) && !NEVER.test(f))
    .flatMap((name) => {
      try {
        const s = statSync(join(dir, name));
        return s.isFile() ? [{ name, modified: s.mtimeMs }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => compareNl(a.name, b.name));
  const out: FolderFile[] = [];
  for (const f of files) out.push({ ...f, kind: await kindOf(join(dir, f.name)) });
  return out;
}

/**
 * Names in the folder that may hold the export in a form the wizard does not read as it is: a downloaded .zip, an
 * unfinished download, an old or other spreadsheet. Named when no export is found, with what to do.
 */
export function exportLookalikes(dir: string): string[] {
  return namesIn(dir)
    .filter((f) => /\.(zip|crdownload|part|xls|xlsm|xlsb|ods|numbers)$/i.test(f) && !NEVER.test(f))
    .sort(compareNl);
}

export const KIND_NAMES: Record<FolderFile['kind'], string> = {
  export: 'export',
  staff: 'personeelslijst',
  'numo-import': 'Numo-importbestand',
  idgebr: 'IDGebr-bestand',
  mapping: 'mapping',
  opleidingen: 'lijst met opleidingscodes',
  other: 'onbekend',
  unreadable: 'niet te lezen',
};
