import { WORKBOOK_COUNT_HEADER, WORKBOOK_KLASSEN_HEADER } from '../core/mapping.js';
import { NOT_FOR_NUMO, type Opleiding } from '../core/opleidingen.js';
import { SKIP_CODE } from '../core/schema.js';

/** One Studie as the admin sees it in the workbook. No names or e-mails: the Studie, its count and klassen. */
export interface WorkbookStudie {
  studie: string;
  /** '' while undecided; SKIP_CODE for "not for Numo". */
  code: string;
  count: number;
  klassen: string[];
  /** See StudieCount.leerjaren. */
  leerjaren?: string[];
  suggestie?: Opleiding;
}

export interface WorkbookOptions {
  /** How the admin starts numo-prep (`numo-prep`, the .exe …), for the line that says what to run next. */
  program: string;
  /** Codes for the dropdown. */
  codes: Opleiding[];
  /** True when `codes` is Numo's full list: another code is refused. Else it only warns. */
  complete: boolean;
}

const MAPPING_SHEET = 'Mapping';
const CODES_SHEET = 'Opleidingen';
/** The first sheet's header. Its first two columns are what every mapping reader reads; the rest is help. */
const WORKBOOK_HEADERS = ['Studie', 'Opleidingscode', WORKBOOK_COUNT_HEADER, WORKBOOK_KLASSEN_HEADER, 'Suggestie'] as const;

const WHERE_CODES = 'numo.nl/inleesbestand, tabblad Opleidingen';

const opleidingText = (o: Opleiding) => (o.label ? `${o.code} (${o.label})` : o.code);

/**
 * The mapping as an Excel workbook the admin fills in Excel or LibreOffice: one row per Studie with a dropdown
 * of codes in column B. Written with exceljs (loaded only here, its writer is not needed anywhere else); the
 * workbook is built in memory and returned, the caller writes it atomically.
 */
export async function mappingWorkbook(studies: readonly WorkbookStudie[], o: WorkbookOptions): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'numo-prep';

  const ws = wb.addWorksheet(MAPPING_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: WORKBOOK_HEADERS[0], key: 'studie', width: 24 },
    { header: WORKBOOK_HEADERS[1], key: 'code', width: 22 },
    { header: WORKBOOK_HEADERS[2], key: 'count', width: 18 },
    { header: WORKBOOK_HEADERS[3], key: 'klassen', width: 24 },
    { header: WORKBOOK_HEADERS[4], key: 'suggestie', width: 48 },
  ];
  ws.getRow(1).font = { bold: true };

  const codes = [{ code: SKIP_CODE, label: NOT_FOR_NUMO }, ...o.codes.filter((c) => c.code !== SKIP_CODE)];
  const sheet = wb.addWorksheet(CODES_SHEET);
  sheet.columns = [
    { header: 'Opleidingscode', key: 'code', width: 22 },
    { header: 'Omschrijving', key: 'label', width: 60 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const c of codes) sheet.addRow({ code: c.code, label: c.label ?? '' });

  const validation = {
    type: 'list' as const,
    allowBlank: true,
    formulae: [`${CODES_SHEET}!$A$2:$A$${codes.length + 1}`],
    showInputMessage: true,
    promptTitle: 'Opleidingscode',
    prompt: `Kies de Numo-opleidingscode, of - als deze leerlingen niet naar Numo gaan. Leeg = nog niet beslist.`,
    showErrorMessage: true,
    errorStyle: o.complete ? 'stop' : 'warning',
    errorTitle: 'Onbekende opleidingscode',
    error: o.complete
      ? `Deze code staat niet in de lijst op het tabblad ${CODES_SHEET}. Kies een code uit de lijst, of - voor niet naar Numo.`
      : `Deze code staat niet in de lijst. Controleer hem (${WHERE_CODES}).`,
  };
  for (const s of studies) {
    const row = ws.addRow({
      // Always text: a Studie like "2" or "1-2" must come back exactly as Magister writes it.
      studie: s.studie,
      code: s.code,
      count: s.count,
      klassen: s.klassen.join(', '),
      suggestie: s.suggestie ? opleidingText(s.suggestie) : '',
    });
    row.getCell('studie').numFmt = '@';
    const cell = row.getCell('code');
    cell.numFmt = '@';
    if (!s.code) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
  }

  // One range for the whole column: per cell, exceljs joins them in string order (B10 before B2) into overlapping
  // ranges (B10:B21 and B2:B21), which Excel may show a dropdown for only in part, or call an error.
  // (Worksheet.dataValidations is in exceljs but not in its types; the test reads the sqref back.)
  const codeColumn = ws as unknown as { dataValidations: { add(address: string, v: typeof validation): void } };
  if (studies.length) codeColumn.dataValidations.add(`B2:B${studies.length + 1}`, validation);

  const help = wb.addWorksheet('Uitleg');
  help.getColumn(1).width = 110;
  for (const line of [
    'Zo vul je deze mapping in',
    '',
    `1. Kies op het tabblad ${MAPPING_SHEET} per Studie in kolom Opleidingscode de Numo-opleidingscode (keuzelijst).`,
    '   De kolom Suggestie geeft de code die het best bij de naam van de Studie past; neem hem over als hij klopt.',
    '2. Gaan de leerlingen van een Studie niet naar Numo, kies dan - (streepje).',
    '3. Een lege code betekent: nog niet beslist. numo-prep convert stopt dan en noemt de Studie.',
    '4. Verander kolom Studie niet en houd het tabblad Mapping vooraan. Kolommen C t/m E zijn alleen hulp.',
    `5. Sla op als Excel-werkmap (.xlsx) en draai: ${o.program} convert <export> --mapping <dit bestand>`,
    '',
    `De geldige codes staan op het tabblad ${CODES_SHEET} (uit ${WHERE_CODES}).`,
    'Dit bestand bevat geen namen of e-mailadressen, alleen Studies, aantallen en klassen.',
  ]) {
    help.addRow([line]);
  }
  help.getRow(1).font = { bold: true };

  return Buffer.from(await wb.xlsx.writeBuffer());
}
