import { screen } from '@inquirer/testing/vitest';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createUi } from '../src/ui/terminal.js';
import { inquirerPrompter } from '../src/ui/prompter.js';
import { runWizard } from '../src/run/wizard.js';
import { fixture, listDir, spawnCli, tempDir } from './helpers.js';

async function quietUi() {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (d) => (text += d));
  const ui = await createUi({ stdout: sink as unknown as NodeJS.WriteStream, stderr: sink as unknown as NodeJS.WriteStream });
  return { ui, output: () => text };
}

/** Waits until the prompt on screen matches, then answers it. */
async function on(pattern: RegExp, act: () => void): Promise<void> {
  for (let i = 0; i < 50 && !pattern.test(screen.getScreen()); i++) {
    await Promise.race([screen.next(), new Promise((r) => setTimeout(r, 200))]);
  }
  expect(screen.getScreen()).toMatch(pattern);
  act();
}

const enter = () => screen.keypress('enter');
const typeEnter = (text: string) => () => {
  screen.type(text);
  screen.keypress('enter');
};

function setup() {
  const dir = tempDir();
  copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
  copyFileSync(fixture('opleidingen.csv'), join(dir, 'opleidingen.csv'));
  copyFileSync(fixture('idgebr.csv'), join(dir, 'idgebr.csv'));
  return dir;
}

const rowsWithoutPasswords = (csv: string) => csv.split('\r\n').map((l) => l.split(';').filter((_, i) => i !== 7).join(';'));

describe('numo-prep wizard', () => {
  it('maps every Studie through the prompts, saves mapping and config, and a scripted run reproduces the CSV', async () => {
    const dir = setup();
    const { ui, output } = await quietUi();
    const done = runWizard(await inquirerPrompter(), ui, { cwd: dir, opleidingen: join(dir, 'opleidingen.csv') });
    await on(/Welk bestand is de Magister-export\?/, enter); // export.xlsx is the only xlsx (opleidingen.csv sorts after it? no: listed, export.xlsx first)
    const answers: [RegExp, string, RegExp][] = [
      [/Studie '1 havo' \(10 leerlingen\)/, 'HAVO-1', /❯ VB-HAVO-1/],
      [/Studie '1 kader'/, 'KB-1', /❯ VB-VMBO-KB-1/],
      [/Studie '2 havo'/, 'HAVO-2', /❯ VB-HAVO-2/],
      [/Studie '2 vwo'/, 'VWO-2', /❯ VB-VWO-2/],
      [/Studie '3 mavo'/, 'GT-3', /❯ VB-VMBO-GT-3/],
      [/Studie '3 vwo gymn'/, 'niet voor', /❯ Niet voor Numo/],
    ];
    // Type to search, wait for the filtered list, then choose.
    for (const [prompt, term, match] of answers) {
      await on(prompt, () => screen.type(term));
      await on(match, enter);
    }
    await on(/Wachtwoorden/, enter);
    await on(/Gebruikersnaam \(sjabloon\)/, enter);
    await on(/Rol in Numo/, enter);
    await on(/Alleen deze klassen/, enter);
    await on(/Alleen deze studies/, enter);
    await on(/IDGebr-bestand/, typeEnter(join(dir, 'idgebr.csv')));
    await on(/Uitvoerbestand/, () => {
      screen.keypress({ name: 'u', ctrl: true });
      typeEnter(join(dir, 'numo.csv'))();
    });
    await on(/Naam van het mappingbestand/, enter);
    await on(/Alles schrijven\?/, enter);
    expect(await done).toBe(0);
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

    const again = await spawnCli(['convert', join(dir, 'export.xlsx'), '--config', join(dir, 'numo-prep.config.json'), '--idgebr', join(dir, 'idgebr.csv'), '--out', join(dir, 'numo2.csv')], { cwd: dir });
    expect(again.code).toBe(0);
    const second = readFileSync(join(dir, 'numo2.csv'), 'utf8');
    expect(rowsWithoutPasswords(second)).toEqual(rowsWithoutPasswords(first));
    expect(second).not.toEqual(first);
  });

  it('lets the admin point out a column it did not recognise, and remembers it in the config', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Roepnaam;Achternaam;Leerroute\r\n1001;Jan;Vries;2 havo\r\n');
    const { ui } = await quietUi();
    const done = runWizard(await inquirerPrompter(), ui, { cwd: dir, exportPath: join(dir, 'export.csv') });
    await on(/Welke kolom is 'Klas'\?/, () => {
      screen.keypress('down');
      enter();
    });
    await on(/Welke kolom is 'Studie'\?/, enter); // Leerroute is the only unused header
    await on(/Welke kolom is 'E-mail'\?/, enter); // (geen)
    await on(/Studie '2 havo' \(1 leerling\) → Numo-opleidingscode/, typeEnter('VB-HAVO-2'));
    await on(/Klopt dat\?/, enter);
    for (const p of [/Wachtwoorden/, /Gebruikersnaam/, /Rol in Numo/, /Alleen deze klassen/, /Alleen deze studies/, /IDGebr-bestand/, /Uitvoerbestand/, /Naam van het mappingbestand/, /Alles schrijven/]) {
      await on(p, enter);
    }
    expect(await done).toBe(0);
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    expect(config.columns).toEqual({ studie: 'Leerroute' });
    const out = readdirCsv(dir);
    expect(readFileSync(join(dir, out), 'utf8')).toContain('1001;Jan;;Vries;;VB-HAVO-2;;');
    const yearly = await spawnCli(['convert', 'export.csv', '--config', 'numo-prep.config.json', '--out', 'volgend-jaar.csv'], { cwd: dir });
    expect(yearly.code).toBe(0);
  });

  it('writes nothing when the admin presses Ctrl+C', async () => {
    const dir = setup();
    const { ui } = await quietUi();
    const done = runWizard(await inquirerPrompter(), ui, { cwd: dir, exportPath: join(dir, 'export.xlsx') });
    await on(/Studie '1 havo'/, () => screen.keypress({ name: 'c', ctrl: true }));
    await expect(done).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });
});

function readdirCsv(dir: string): string {
  const f = listDir(dir).find((n) => n.startsWith('numo-import-'));
  expect(f && existsSync(join(dir, f))).toBeTruthy();
  return f!;
}
