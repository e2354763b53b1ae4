import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runWizard } from '../src/run/wizard.js';
import { createUi } from '../src/ui/terminal.js';
import { fixture, listDir, MAPPING, runCli, tempDir } from './helpers.js';
import { CTRL_C, ScriptedPrompter, type Step, step } from './prompt-double.js';

async function quietUi() {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (d) => (text += d));
  const ui = await createUi({ stdout: sink, stderr: sink, env: { NO_COLOR: '1' } });
  return { ui, output: () => text };
}

function setup() {
  const dir = tempDir();
  copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
  copyFileSync(fixture('opleidingen.csv'), join(dir, 'opleidingen.csv'));
  copyFileSync(fixture('idgebr.csv'), join(dir, 'idgebr.csv'));
  return dir;
}

/** The questions after the Studies, each taking its default unless given. */
function settingsSteps(o: { idgebr?: string; out?: string; replace?: boolean; writeAll?: boolean } = {}): Step[] {
  return [
    step(/^Wachtwoorden$/, 'random'),
    step(/^Gebruikersnaam \(sjabloon\)$/, ''),
    step(/^Rol in Numo$/, 'leerling'),
    step(/^Alleen deze klassen/, ''),
    step(/^Alleen deze studies/, ''),
    step(/^IDGebr-bestand/, o.idgebr ?? ''),
    step(/^Uitvoerbestand$/, o.out ?? ''),
    ...(o.replace === undefined ? [] : [step(/bestaat al\. Vervangen\?$/, o.replace)]),
    ...(o.replace === false ? [] : [step(/^Naam van het mappingbestand/, ''), step(/^Alles schrijven\?$/, o.writeAll ?? true)]),
  ];
}

const rowsWithoutPasswords = (csv: string) => csv.split('\r\n').map((l) => l.split(';').filter((_, i) => i !== 7).join(';'));

describe('numo-prep wizard', () => {
  it('maps every Studie by search, saves mapping and config, and a scripted run reproduces the CSV', async () => {
    const dir = setup();
    const { ui, output } = await quietUi();
    const p = new ScriptedPrompter([
      step(/^Welk bestand is de Magister-export\?$/, 'export.xlsx'),
      step(/^Studie '1 havo' \(10 leerlingen\)/, { type: 'HAVO-1', pick: /^VB-HAVO-1/ }),
      step(/^Studie '1 kader'/, { type: 'KB-1', pick: /^VB-VMBO-KB-1/ }),
      step(/^Studie '2 havo'/, { type: 'HAVO-2', pick: /^VB-HAVO-2/ }),
      step(/^Studie '2 vwo'/, { type: 'VWO-2', pick: /^VB-VWO-2/ }),
      step(/^Studie '3 mavo'/, { type: 'GT-3', pick: /^VB-VMBO-GT-3/ }),
      step(/^Studie '3 vwo gymn'/, { type: 'niet voor', pick: /^Niet voor Numo/ }),
      ...settingsSteps({ idgebr: join(dir, 'idgebr.csv'), out: join(dir, 'numo.csv') }),
    ]);
    expect(await runWizard(p, ui, { cwd: dir, opleidingen: join(dir, 'opleidingen.csv') })).toBe(0);
    p.finished();
    // Only what the admin named: the CSV, the mapping and the config.
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'mappings', 'numo-prep.config.json', 'numo.csv', 'opleidingen.csv']);
    expect(listDir(join(dir, 'mappings'))).toEqual(['school.csv']);
    expect(output()).toContain('numo-prep convert <nieuwe-export.xlsx> --config numo-prep.config.json --idgebr <nieuw-idgebr-bestand>');
    const mapping = readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8');
    expect(mapping).toBe('\uFEFFStudie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n1 kader;VB-VMBO-KB-1\r\n2 havo;VB-HAVO-2\r\n2 vwo;VB-VWO-2\r\n3 mavo;VB-VMBO-GT-3\r\n3 vwo gymn;-\r\n');
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    expect(config).toMatchObject({ version: 1, mapping: 'mappings/school.csv', opleidingen: 'opleidingen.csv', gebruikersnaam: '{stamnr}', rol: 'leerling', password: 'random' });
    const first = readFileSync(join(dir, 'numo.csv'), 'utf8');
    expect(first.split('\r\n')).toHaveLength(36 + 2); // 40 students minus 4 in '3 vwo gymn'

    const again = await runCli(['convert', 'export.xlsx', '--config', 'numo-prep.config.json', '--idgebr', 'idgebr.csv', '--out', 'numo2.csv'], { cwd: dir });
    expect(again.code).toBe(0);
    const second = readFileSync(join(dir, 'numo2.csv'), 'utf8');
    expect(rowsWithoutPasswords(second)).toEqual(rowsWithoutPasswords(first));
    expect(second).not.toEqual(first);
  });

  it('lets the admin point out a column it did not recognise, and remembers it in the config', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Roepnaam;Achternaam;Leerroute\r\n1001;Jan;Vries;2 havo\r\n');
    const { ui } = await quietUi();
    const p = new ScriptedPrompter([
      step(/^Welke kolom is 'Klas'\?$/, -1),
      step(/^Welke kolom is 'Studie'\?$/, { pick: /^Leerroute$/ }),
      step(/^Welke kolom is 'E-mail'\?$/, -1),
      step(/^Studie '2 havo' \(1 leerling\) → Numo-opleidingscode/, 'VB-HAVO-2'),
      step(/Klopt dat\?$/, true),
      ...settingsSteps(),
    ]);
    expect(await runWizard(p, ui, { cwd: dir, exportPath: join(dir, 'export.csv') })).toBe(0);
    p.finished();
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    expect(config.columns).toEqual({ studie: 'Leerroute' });
    const out = listDir(dir).find((n) => n.startsWith('numo-import-'))!;
    expect(readFileSync(join(dir, out), 'utf8')).toContain('1001;Jan;;Vries;;VB-HAVO-2;;');
    const yearly = await runCli(['convert', 'export.csv', '--config', 'numo-prep.config.json', '--out', 'volgend-jaar.csv'], { cwd: dir });
    expect(yearly.code).toBe(0);
  });

  it('extends an existing mapping: known Studies are kept or changed, a new one is asked, the file grows', async () => {
    const dir = setup();
    const mappingPath = join(dir, 'mapping.csv');
    // Last year's mapping without '3 mavo'.
    writeFileSync(mappingPath, readFileSync(MAPPING, 'utf8').replace('3 mavo;VB-VMBO-GT-3\r\n', ''));
    const { ui } = await quietUi();
    const keep = (studie: string) => step(new RegExp(`^Studie '${studie}' .*: opleidingscode `), true);
    const p = new ScriptedPrompter([
      keep('1 havo'),
      keep('1 kader'),
      step(/^Studie '2 havo' .*: opleidingscode VB-HAVO-2$/, false),
      step(/^Studie '2 havo' .*→ Numo-opleidingscode/, 'VB-HAVO-2X'),
      step(/^'2 havo' wordt opleidingscode 'VB-HAVO-2X'\. Klopt dat\?$/, false),
      step(/^Studie '2 havo' .*→ Numo-opleidingscode/, 'VB-HAVO-2B'),
      step(/Klopt dat\?$/, true),
      keep('2 vwo'),
      step(/^Studie '3 mavo' \(\d+ leerlingen\) → Numo-opleidingscode/, '-'),
      keep('3 vwo gymn'),
      // The mapping's name is still asked, though the given --mapping is where it goes (firstyear's new flow drops it).
      ...settingsSteps({ out: join(dir, 'numo.csv') }),
    ]);
    expect(await runWizard(p, ui, { cwd: dir, exportPath: join(dir, 'export.xlsx'), mapping: mappingPath })).toBe(0);
    p.finished();
    const lines = readFileSync(mappingPath, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toContain('1 havo;VB-HAVO-1');
    expect(lines).toContain('2 havo;VB-HAVO-2B');
    expect(lines).toContain('3 mavo;-');
    expect(lines).toHaveLength(7);
    expect(JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).mapping).toBe('mapping.csv');
    expect(existsSync(join(dir, 'mappings'))).toBe(false);
  });

  const mapped = () => [
    step(/^Studie '1 havo'/, { type: '', pick: /^VB-HAVO-1/ }),
    step(/^Studie '1 kader'/, { type: '', pick: /^VB-VMBO-KB-1/ }),
    step(/^Studie '2 havo'/, { type: '', pick: /^VB-HAVO-2/ }),
    step(/^Studie '2 vwo'/, { type: '', pick: /^VB-VWO-2/ }),
    step(/^Studie '3 mavo'/, { type: '', pick: /^VB-VMBO-GT-3/ }),
    step(/^Studie '3 vwo gymn'/, { type: '', pick: /^Niet voor Numo/ }),
  ];

  it('"Alles schrijven?" Nee: nothing is written', async () => {
    const dir = setup();
    const { ui, output } = await quietUi();
    const p = new ScriptedPrompter([...mapped(), ...settingsSteps({ writeAll: false })]);
    expect(await runWizard(p, ui, { cwd: dir, exportPath: join(dir, 'export.xlsx'), opleidingen: join(dir, 'opleidingen.csv') })).toBe(0);
    p.finished();
    expect(output()).toContain('Er is niets geschreven.');
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });

  it('an existing output: "Vervangen?" Nee stops with exit 2 and nothing written, Ja replaces it', async () => {
    const dir = setup();
    const out = join(dir, 'numo.csv');
    writeFileSync(out, 'vorige versie');
    const o = { cwd: dir, exportPath: join(dir, 'export.xlsx'), opleidingen: join(dir, 'opleidingen.csv') };
    const no = new ScriptedPrompter([...mapped(), ...settingsSteps({ out, replace: false })]);
    await expect(runWizard(no, (await quietUi()).ui, o)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('bestaat al; kies een andere naam. Er is niets geschreven.') });
    no.finished();
    expect(readFileSync(out, 'utf8')).toBe('vorige versie');
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'numo.csv', 'opleidingen.csv']);

    const yes = new ScriptedPrompter([...mapped(), ...settingsSteps({ out, replace: true })]);
    expect(await runWizard(yes, (await quietUi()).ui, o)).toBe(0);
    yes.finished();
    expect(readFileSync(out, 'utf8')).toContain('VB-HAVO-1');
  });

  it('an existing numo-prep.config.json: "Vervangen?" Nee leaves everything as it was', async () => {
    const dir = setup();
    writeFileSync(join(dir, 'numo-prep.config.json'), '{"version":1}');
    const p = new ScriptedPrompter([...mapped(), ...settingsSteps(), step(/^numo-prep\.config\.json bestaat al\. Vervangen\?$/, false)]);
    const { ui, output } = await quietUi();
    expect(await runWizard(p, ui, { cwd: dir, exportPath: join(dir, 'export.xlsx'), opleidingen: join(dir, 'opleidingen.csv') })).toBe(0);
    p.finished();
    expect(output()).toContain('Er is niets geschreven.');
    expect(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).toBe('{"version":1}');
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'numo-prep.config.json', 'opleidingen.csv']);
  });

  it('writes nothing when the admin presses Ctrl+C', async () => {
    const dir = setup();
    const { ui } = await quietUi();
    const p = new ScriptedPrompter([step(/^Studie '1 havo'/, CTRL_C)]);
    await expect(runWizard(p, ui, { cwd: dir, exportPath: join(dir, 'export.xlsx') })).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });
});
