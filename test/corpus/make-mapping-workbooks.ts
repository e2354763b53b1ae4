/**
 * The mapping workbook round trip, as files other programs wrote (committed in test/corpus/):
 *   npm run mapping-workbooks
 * 1. numo-prep writes the workbook for the example export (mapping-werkmap.xlsx).
 * 2. openpyxl fills the code column the way an admin would, one Studie as "-" (mapping-werkmap-openpyxl.xlsx),
 *    and once with one Studie left empty (mapping-werkmap-half.xlsx).
 * 3. LibreOffice opens the filled workbook and saves it as its own .xlsx (mapping-werkmap-libreoffice.xlsx).
 * Needs /usr/bin/python3 with openpyxl (Debian python3-openpyxl) and soffice (libreoffice-calc-nogui).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMappingWorkbook } from '../../src/run/mapping-workbook.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = (name: string) => join(root, 'test', 'corpus', name);
const fixture = (name: string) => join(root, 'fixtures', name);

/** What the admin picks in the dropdown; '3 vwo gymn' is not for Numo. */
export const FILLED: Record<string, string> = {
  '1 havo': 'VB-HAVO-1',
  '1 kader': 'VB-VMBO-KB-1',
  '2 havo': 'VB-HAVO-2',
  '2 vwo': 'VB-VWO-2',
  '3 mavo': 'VB-VMBO-GT-3',
  '3 vwo gymn': '-',
};

const FILL = [
  'import openpyxl, sys, json',
  'codes = json.loads(sys.argv[3])',
  'wb = openpyxl.load_workbook(sys.argv[1])',
  'ws = wb["Mapping"]',
  'for row in ws.iter_rows(min_row=2):',
  '    studie = row[0].value',
  '    if studie in codes: row[1].value = codes[studie]',
  'wb.save(sys.argv[2])',
].join('\n');

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'mapping-werkmap-'));
  try {
    const blank = join(work, 'mapping-werkmap.xlsx');
    await runMappingWorkbook({ export: fixture('magister-export.xlsx'), opleidingen: fixture('opleidingen.csv'), out: blank, force: false });
    copyFileSync(blank, out('mapping-werkmap.xlsx'));

    execFileSync('/usr/bin/python3', ['-c', FILL, blank, out('mapping-werkmap-openpyxl.xlsx'), JSON.stringify(FILLED)]);
    const { '2 vwo': _left, ...half } = FILLED;
    execFileSync('/usr/bin/python3', ['-c', FILL, blank, out('mapping-werkmap-half.xlsx'), JSON.stringify(half)]);

    copyFileSync(out('mapping-werkmap-openpyxl.xlsx'), join(work, 'mapping-werkmap-libreoffice.xlsx'));
    const dest = join(work, 'lo');
    execFileSync('soffice', ['--headless', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', dest, join(work, 'mapping-werkmap-libreoffice.xlsx')], { stdio: 'ignore' });
    copyFileSync(join(dest, 'mapping-werkmap-libreoffice.xlsx'), out('mapping-werkmap-libreoffice.xlsx'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write('mapping-werkmappen geschreven\n');
}

await main();
