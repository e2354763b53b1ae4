import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertCorpusCopy, corpus, expectNoStack, fixture, MAPPING, runCli, tempDir } from './helpers.js';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** [file, exit code, message fragment]: the file is the export; convert runs with the example mapping. */
const EXPORTS: [string, 0 | 1 | 2, RegExp][] = [
  ['leeg.xlsx', 2, /leeg\.xlsx is leeg \(0 bytes\)/],
  ['document-pdf.xlsx', 2, /is een PDF, geen Excel- of CSV-bestand/],
  ['plaatje.png', 2, /is een afbeelding/],
  ['willekeurig.xlsx', 2, /geen Excel- of CSV-bestand \(binaire inhoud\)/],
  ['word.docx', 2, /is een Word-document/],
  ['export.xlsx.html.xls', 2, /is een webpagina \(HTML\)/],
  ['export.xlsx.crdownload', 2, /export\.xlsx\.crdownload is een download die nog niet klaar is \(of afgebroken\)\. Wacht tot de browser klaar is en kies het bestand zonder \.crdownload/],
  ['export-download.zip', 2, /export-download\.zip is een zip-archief met daarin een Excel- of CSV-bestand\. Pak het eerst uit/],
  ['Thumbs.db', 2, /Thumbs\.db is geen Excel- of CSV-bestand \(een ander Windows- of Office-bestand\)/],
  ['afgekapt-10.xlsx', 2, /beschadigd of afgekapt Excel-bestand/],
  ['afgekapt-50.xlsx', 2, /beschadigd of afgekapt Excel-bestand/],
  ['afgekapt-95.xlsx', 2, /beschadigd of afgekapt Excel-bestand/],
  ['kapotte-zip-entry.xlsx', 2, /gecomprimeerde inhoud beschadigd/],
  ['kapotte-sheet-xml.xlsx', 2, /geen leesbaar Excel-bestand/],
  ['oud-excel.xls', 2, /oud Excel-bestand \(\.xls, Excel 97–2003\).*Opslaan als > Excel-werkmap/],
  ['libreoffice.xls', 2, /oud Excel-bestand \(\.xls/],
  ['beveiligd.xlsx', 2, /met een wachtwoord beveiligd.*sla op als \.xlsx/],
  ['rekenblad.ods', 2, /OpenDocument-rekenblad \(\.ods\).*sla op als \.xlsx/],
  ['libreoffice.ods', 2, /OpenDocument-rekenblad/],
  ['geen-werkbladen.xlsx', 2, /bevat geen werkbladen/],
  ['leeg-werkblad.xlsx', 2, /is leeg: geen enkele rij/],
  ['alleen-kopregel.xlsx', 1, /Geen leerlingen gevonden onder de kopregel/],
  ['geen-kopregel.xlsx', 2, /Geen kolomkoppen herkend in geen-kopregel\.xlsx/],
  ['kop-zonder-studie.xlsx', 2, /Kolom 'Studie' niet gevonden.*Gevonden kolommen: Stamnr, Roepnaam, Achternaam, Klas, Mentor/],
  ['tweede-blad.xlsx', 0, /8 leerlingen/],
  ['bom-liegt.xlsx', 2, /is een beschadigd bestand \(onderdeel xl\/worksheets\/sheet1\.xml is groter dan opgegeven\)/],
  ['16384-kolommen.xlsx', 2, /meer dan 1\.000 kolommen \(cel ALM1 heeft een waarde\)/],
  // Real-world .xlsx shapes: each reads like the plain file (xlsx-read.test.ts compares the cells).
  ['vorm-gewoon.xlsx', 0, /8 leerlingen/],
  ['gedeeld-lege-v.xlsx', 0, /8 leerlingen/],
  ['rij-per-cel.xlsx', 0, /8 leerlingen/],
  ['escapes.xlsx', 0, /8 leerlingen/],
  ['attribuut-in-waarde.xlsx', 0, /8 leerlingen/],
  ['utf16le-onderdelen.xlsx', 0, /8 leerlingen/],
  ['utf16be-onderdelen.xlsx', 0, /8 leerlingen/],
  ['utf8-bom-onderdelen.xlsx', 0, /8 leerlingen/],
  ['strict-ooxml.xlsx', 0, /8 leerlingen/],
  ['voorvoegsels.xlsx', 0, /8 leerlingen/],
  ['backslash-namen.xlsx', 0, /8 leerlingen/],
  ['werkmap-elders.xlsx', 0, /8 leerlingen/],
  ['zip64.xlsx', 0, /8 leerlingen/],
  ['data-descriptor.xlsx', 0, /8 leerlingen/],
  ['zip64-data-descriptor.xlsx', 0, /8 leerlingen/],
  ['opgeslagen-onderdelen.xlsx', 0, /8 leerlingen/],
  ['opgemaakt-tot-xfd.xlsx', 0, /8 leerlingen/],
  // Read wrongly before without a word; now refused, naming the part or the cell.
  [
    'gedeeld-index-fout.xlsx',
    2,
    /gedeeld-index-fout\.xlsx is geen leesbaar Excel-bestand \(blad 'Blad1', cel B3 verwijst naar een gedeelde tekst die niet bestaat\)\. Open het in Excel en sla het opnieuw op als \.xlsx/,
  ],
  ['rij-dubbel-verspreid.xlsx', 2, /\(blad 'Blad1', rij 3 staat op twee plaatsen in het werkblad\)/],
  ['crc-fout.xlsx', 2, /crc-fout\.xlsx is een beschadigd bestand \(controlegetal \(CRC\) van xl\/sharedStrings\.xml klopt niet\)\. Maak het bestand opnieuw/],
  ['ongeldige-tekenreferentie.xlsx', 2, /\(ongeldig teken &#0; in xl\/worksheets\/sheet1\.xml\)/],
  ['ongeldige-utf8.xlsx', 2, /\(ongeldige UTF-8 in xl\/worksheets\/sheet1\.xml\)/],
  ['hex-getal.xlsx', 2, /\(blad 'Blad1', cel A2 heeft geen geldig getal\)/],
  ['onbekend-celtype.xlsx', 2, /\(blad 'Blad1', cel A2 heeft een onbekend celtype\)/],
  ['latin1-onderdeel.xlsx', 2, /\(tekenset ISO-8859-1 wordt niet ondersteund in xl\/worksheets\/sheet1\.xml\)/],
  ['binair.xlsb', 2, /binair\.xlsb is een binaire Excel-werkmap \(\.xlsb\).*Opslaan als > Excel-werkmap \(\.xlsx\)/],
  // Limits count data, not formatting.
  ['waarde-na-kolom-1000.xlsx', 2, /waarde-na-kolom-1000\.xlsx, rij 3: meer dan 1\.000 kolommen/],
  ['lege-rijen.xlsx', 2, /lege-rijen\.xlsx is leeg: geen enkele rij met gegevens/],
  ['libreoffice.xlsx', 0, /30 leerlingen/],
  ['openpyxl.xlsx', 0, /8 leerlingen/],
  ['utf16le-bom.csv', 0, /8 leerlingen/],
  ['utf16be-bom.csv', 0, /8 leerlingen/],
  ['windows-1252.csv', 0, /2 leerlingen/],
  ['utf8-bom.csv', 0, /8 leerlingen/],
  ['utf8.csv', 0, /8 leerlingen/],
  ['gemengde-regeleinden.csv', 0, /8 leerlingen/],
  ['open-aanhalingsteken.csv', 2, /aanhalingsteken \("\) wordt niet gesloten/],
  ['rafelig.csv', 1, /Aantal velden wijkt af van de kopregel \(verschoven kolommen\?\) \(2×\): rij 2 \(Stamnr 700001\), rij 3 \(Stamnr 700002\)/],
  ['puntkomma-in-naam.csv', 0, /1 leerling /],
  ['alleen-kopregel.csv', 1, /Geen leerlingen gevonden/],
  ['onbekend-scheidingsteken.csv', 2, /scheidingsteken niet herkend/],
  ['nfd-en-onzichtbaar.csv', 0, /3 leerlingen/],
  ['cel-500-tekens.csv', 1, /kolom voornaam is langer dan 255 tekens \(1×\): rij 2 \(Stamnr 700001\)/],
  ['formules.csv', 0, /begint met = \+ - of @; in de CSV onschadelijk gemaakt/],
];

/** Other inputs: [extra arguments, exit code, message fragment], with the plain export. */
const OTHERS: [string, string[], 0 | 1 | 2, RegExp][] = [
  ['mapping is a PDF', ['--mapping', corpus('mapping-pdf.csv')], 2, /mapping-pdf\.csv is een PDF/],
  ['mapping with a conflict', ['--mapping', corpus('mapping-conflict.csv')], 2, /een Studie met twee verschillende opleidingscodes: '2 HAVO' \(rij 2 en rij 3\)/],
  ['mapping in UTF-16 with tabs', ['--mapping', corpus('mapping-utf16.csv')], 0, /40 leerlingen/],
  ['IDGebr file encrypted', ['--mapping', MAPPING, '--idgebr', corpus('idgebr-beveiligd.xlsx')], 2, /met een wachtwoord beveiligd/],
  ['IDGebr file without header', ['--mapping', MAPPING, '--idgebr', corpus('idgebr-zonder-kop.csv')], 2, /Geen kolomkoppen herkend in idgebr-zonder-kop\.csv/],
  [
    'IDGebr file with a duplicate Stamnr',
    ['--mapping', MAPPING, '--idgebr', corpus('idgebr-dubbel.csv')],
    1,
    /Stamnr staat meer dan eens in idgebr-dubbel\.csv \(1×\): rij 3 \(Stamnr 700001, eerder in rij 2\)/,
  ],
  ['config not JSON', ['--config', corpus('config-geen-json.json')], 2, /config-geen-json\.json is geen geldige JSON/],
  ['config breaks the schema', ['--config', corpus('config-schema.json')], 2, /sleutel 'encoding': toegestaan is "utf8-bom" of "utf8" of "windows-1252"/],
];

describe('corpus of broken exports', () => {
  for (const [name, code, message] of EXPORTS) {
    it(`${name} → exit ${code}`, async () => {
      const { dir, input, r } = await convertCorpusCopy(name);
      expectNoStack(r);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stdout + r.stderr).toMatch(message);
      expect(sha(input)).toBe(sha(corpus(name)));
      expect(readdirSync(dir).sort()).toEqual(code === 0 ? [name, 'numo.csv'].sort() : [name]);
    });
  }

  it('normalises NFD names to NFC and removes invisible characters', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    expect((await runCli(['convert', corpus('nfd-en-onzichtbaar.csv'), '--mapping', MAPPING, '--out', out])).code).toBe(0);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    expect(lines[1]).toMatch(/^700001;Zo\u00eb;;Bakker;/);
    expect(lines[2]).toMatch(/^700002;Zo\u00eb;;Bakker;/);
    expect(lines[3]).toMatch(/^700003;Noor;van der;Berg;/);
  });

  it('keeps quoted ; inside names and makes formula values inert', async () => {
    const dir = tempDir();
    expect((await runCli(['convert', corpus('puntkomma-in-naam.csv'), '--mapping', MAPPING, '--out', join(dir, 'a.csv')])).code).toBe(0);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toContain('700001;"Jan; Piet";;"Vries; de";');
    expect((await runCli(['convert', corpus('formules.csv'), '--mapping', MAPPING, '--out', join(dir, 'b.csv')])).code).toBe(0);
    const cells = readFileSync(join(dir, 'b.csv'), 'utf8')
      .split('\r\n')
      .slice(1, -1)
      .flatMap((l) => l.split(';'));
    expect(cells).toContain("'=cmd|' /C calc'!A0");
    expect(cells).toContain("'+31612345678 Vries");
    expect(cells).toContain("'-2+3 Bas");
    expect(cells).toContain("'@SUM(A1)");
    for (const c of cells) expect(c.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r\n]/);
  });

  for (const [what, args, code, message] of OTHERS) {
    it(`${what} → exit ${code}`, async () => {
      const dir = tempDir();
      const r = await runCli(['convert', fixture('magister-export.xlsx'), ...args, '--out', join(dir, 'numo.csv')]);
      expectNoStack(r);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stdout + r.stderr).toMatch(message);
      expect(readdirSync(dir)).toEqual(code === 0 ? ['numo.csv'] : []);
    });
  }
});

describe('output path safety', () => {
  it('refuses to write through a symlink', async () => {
    const dir = tempDir();
    const { symlinkSync, writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'doel.csv'), 'x');
    symlinkSync(join(dir, 'doel.csv'), join(dir, 'link.csv'));
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', join(dir, 'link.csv'), '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/snelkoppeling \(symlink\)/);
    expect(readFileSync(join(dir, 'doel.csv'), 'utf8')).toBe('x');
  });
});
