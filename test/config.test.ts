import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configText, loadConfig, typedPathIn } from '../src/run/config.js';
import { tempDir } from './helpers.js';

/** loadConfig on `content` written as numo-prep.config.json; the error message, or the config. */
async function load(content: unknown): Promise<string | object> {
  const path = join(tempDir(), 'numo-prep.config.json');
  writeFileSync(path, JSON.stringify(content));
  try {
    return (await loadConfig(path)).config;
  } catch (err) {
    return (err as Error).message;
  }
}

// The config file's checks are written out from SETTINGS (run/config.ts); the CLI-level cases are in yearly.test.ts.
describe.skipIf(process.platform === 'win32')('typed paths (typedPathIn)', () => {
  it('are made absolute against the working folder given, keep a trailing / or \\ (a folder), and take .. by its text where no link is crossed', () => {
    expect(typedPathIn('/school', 'export.xlsx')).toBe('/school/export.xlsx');
    expect(typedPathIn('/school', '/elders/export.xlsx')).toBe('/elders/export.xlsx');
    expect(typedPathIn('/school', 'uit/')).toBe('/school/uit/');
    // On macOS and Linux a \ is part of a name: kept, and no / added behind it.
    expect(typedPathIn('/school', 'uit\\')).toBe('/school/uit\\');
    // Through a folder that does not exist, a .. names nothing (as for the shell): kept as typed, so "niet gevonden".
    expect(typedPathIn('/bestaat-niet', 'a/../b.csv')).toBe('/bestaat-niet/a/../b.csv');
    expect(typedPathIn('/', 'tmp/../b.csv')).toBe('/b.csv');
    expect(typedPathIn('/school', 'a/../b.csv', 'win32')).toBe('/school/b.csv');
  });
});

describe('numo-prep.config.json checks', () => {
  it.each([
    [{ columns: 'Stamnr' }, "numo-prep.config.json: sleutel 'columns': verwacht een object."],
    [{ columns: ['Stamnr'] }, "numo-prep.config.json: sleutel 'columns': verwacht een object."],
    [{ passwordLength: 10.5 }, "numo-prep.config.json: sleutel 'passwordLength': verwacht een geheel getal."],
    [{ stamnrCijfers: 21 }, "numo-prep.config.json: sleutel 'stamnrCijfers': te groot (maximaal 12)."],
    [{ mapping: [] }, "numo-prep.config.json: sleutel 'mapping': verwacht tekst."],
    [{ out: '' }, "numo-prep.config.json: sleutel 'out': is leeg; vul een waarde in of haal de sleutel weg."],
    [{ klas: ['1A', 2, ''] }, "numo-prep.config.json: sleutel 'klas': waarde 2 is geen tekst; sleutel 'klas': waarde 3 is leeg; haal die weg."],
    [
      { columns: { naam: 'x', stamnr: 2 } },
      "numo-prep.config.json: sleutel 'columns.stamnr': verwacht tekst; onbekende sleutel 'columns.naam'; toegestaan: stamnr, roepnaam, tussenvoegsel, achternaam, klas, studie, email, idgebr, login, code.",
    ],
    [['mapping.csv'], 'numo-prep.config.json: dit is geen instellingenbestand: het begint niet met { zoals het bestand dat de wizard schrijft.'],
    // "" is no column (the wizard's "Geen"), but not for a column a student row needs; spaces are never a header.
    [{ columns: { studie: '', email: ' ' } }, "numo-prep.config.json: sleutel 'columns.studie': is leeg; vul een waarde in of haal de sleutel weg; sleutel 'columns.email': alleen spaties."],
    [{ $schema: 1 }, "numo-prep.config.json: sleutel '$schema': verwacht tekst."],
    // resolve() would drop the slash and write a file named uitvoer.
    [{ out: 'uitvoer/' }, "numo-prep.config.json: sleutel 'out': uitvoer/ is een map; geef een bestandsnaam."],
    [{ mapping: 'mappings\\' }, "numo-prep.config.json: sleutel 'mapping': mappings\\ is een map; geef een bestandsnaam."],
    [{ out: '-' }, "numo-prep.config.json: sleutel 'out': - is geen bestandsnaam; geef een naam die eindigt op .csv."],
  ])('%j → %s', async (content, message) => {
    expect(await load(content)).toBe(message);
  });

  it.each([
    ['{"version": 1, "columns": {"studie": "Opleiding"}, "columns": {"achternaam": "Familienaam"}}', "sleutel 'columns'"],
    ['{"mapping": "school.csv",\r\n "sso": true, "mapping" : "oud.csv"}', "sleutel 'mapping'"],
    ['{"columns": {"studie": "Opleiding", "studie": "Studie"}}', "sleutel 'columns.studie'"],
    ['{"columns": {"Jansen": "a", "Jansen": "b"}}', "binnen sleutel 'columns' een sleutel"],
    ['{"Jansen": 1, "Jansen": 2}', 'een sleutel'],
  ])('refuses a key given twice in one object (JSON.parse would keep only the last): %s', async (text, named) => {
    const path = join(tempDir(), 'numo-prep.config.json');
    writeFileSync(path, text);
    await expect(loadConfig(path)).rejects.toThrow(`numo-prep.config.json: ${named} staat er twee keer in; laat er één staan (anders telt alleen de laatste).`);
  });

  it('takes equal keys in different objects, and key-like text in values', async () => {
    expect(await load({ columns: { klas: 'mapping' }, mapping: 'a"b\\":c.csv', klas: ['1A'] })).toMatchObject({ klas: ['1A'] });
  });

  it('a config that is not there says the wizard makes it, and how to go without (a mapping made as a workbook)', async () => {
    const path = join(tempDir(), 'numo-prep.config.json');
    await expect(loadConfig(path)).rejects.toThrow(
      `Bestand niet gevonden: ${path}. Controleer het pad en de naam. Dat bestand maakt de wizard; zonder: laat --config weg en geef de mapping mee met --mapping <bestand>.`,
    );
  });

  it('takes "" as "no column" for a field a row can do without', async () => {
    expect(await load({ columns: { email: '', klas: '' } })).toMatchObject({ columns: { email: '', klas: '' } });
  });

  it('lists every problem: each key in the order of the settings, then the unknown keys', async () => {
    expect(await load({ zz: 1, passwordLength: 3, rol: 'x', force: true })).toBe(
      'numo-prep.config.json: sleutel \'rol\': toegestaan is "leerling" of "docent"; sleutel \'passwordLength\': te klein of leeg (minimaal 6); ' +
        "onbekende sleutel 'zz', 'force'; toegestaan: version, mapping, columns, idgebr, sso, opleidingen, out, gebruikersnaam, rol, bron, stamnrCijfers, klas, studie, password, passwordTemplate, passwordLength, encoding, delimiter.",
    );
  });

  it('a file with thousands of problems gives a message of a few lines that quotes no odd keys', async () => {
    const content = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`Leerling Jansen-${i} (1A)`, i]));
    const unknown = await load({ ...content, klas: Array.from({ length: 5000 }, () => 1) });
    expect(unknown).toBe(
      "numo-prep.config.json: sleutel 'klas': waarde 1 is geen tekst; sleutel 'klas': waarde 2 is geen tekst; sleutel 'klas': waarde 3 is geen tekst; sleutel 'klas': waarde 4 is geen tekst; sleutel 'klas': waarde 5 is geen tekst; en nog 4996 andere problemen.",
    );
    const keys = await load({ mappen: 'a.csv', ...content });
    expect(keys).toMatch(/^numo-prep\.config\.json: onbekende sleutel 'mappen' en 5.000 andere; toegestaan: version, /);
    expect(await load(content)).toMatch(/^numo-prep\.config\.json: 5\.000 onbekende sleutels; toegestaan/);
  });

  it('a list written as the flag takes it ("1A,2*") is that list', async () => {
    expect(await load({ klas: '1A, 2*', studie: '1 havo' })).toMatchObject({ klas: ['1A', '2*'], studie: ['1 havo'] });
    expect(await load({ klas: ' , ' })).toBe('numo-prep.config.json: sleutel \'klas\' is leeg; verwacht een lijst, bijvoorbeeld ["1A", "2*"] of "1A,2*".');
  });

  it('a valid config comes back in the order of the settings, with version 1, and survives configText', async () => {
    const dir = tempDir();
    const path = join(dir, 'numo-prep.config.json');
    writeFileSync(path, JSON.stringify({ delimiter: ',', klas: ['1A'], mapping: 'school.csv', columns: { stamnr: 'Nr' }, $schema: 'x' }));
    const { config } = await loadConfig(path);
    expect(config).toEqual({ $schema: 'x', version: 1, mapping: join(dir, 'school.csv'), columns: { stamnr: 'Nr' }, klas: ['1A'], delimiter: ',' });
    expect(Object.keys(config)).toEqual(['$schema', 'version', 'mapping', 'columns', 'klas', 'delimiter']);
    writeFileSync(path, configText(config, path));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1, mapping: 'school.csv', delimiter: ',' });
  });

  it.skipIf(process.platform === 'win32')('reads a relative path written on Windows (mappings\\school.csv) on a Mac or Linux', async () => {
    expect(await load({ mapping: 'mappings\\school.csv' })).toMatchObject({ mapping: expect.stringMatching(/\/mappings\/school\.csv$/) });
  });
});
