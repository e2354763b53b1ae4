import { firstUnencodable } from './cp1252.js';
import { LIMITS } from './limits.js';
import type { Findings, RowRef } from './findings.js';
import { NUMO_HEADERS, type NumoRow, type OutputEncoding } from './schema.js';

// Plausible, not RFC 5322: one @, no spaces or list separators, a dot in the domain.
const EMAIL = /^[^\s@;,<>"]+@[^\s@;,<>"]+\.[^\s@;,<>".]{2,}$/;
// OWASP CSV injection: these make Excel start a formula (or DDE) when the admin opens the CSV; the full-width
// forms because some spreadsheet programs normalise them to the ASCII ones.
export const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

function isPlausibleEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** Checks Numo would reject, or that would harm the admin; cross-row state lives in the instance. */
export class RowValidator {
  private readonly usernames = new Map<string, number>();

  constructor(
    private readonly findings: Findings,
    private readonly encoding: OutputEncoding,
    private readonly knownCodes?: Set<string>,
  ) {}

  check(row: NumoRow, ref: RowRef): void {
    const f = this.findings;
    if (!row.gebruikersnaam) {
      f.error('missing-gebruikersnaam', 'Lege gebruikersnaam (de sjabloon gaf niets)', ref, 'Kies een gebruikersnaam-sjabloon met {stamnr}.');
    } else {
      const key = row.gebruikersnaam.toLowerCase();
      const first = this.usernames.get(key);
      if (first !== undefined) {
        f.error('duplicate-gebruikersnaam', `Gebruikersnaam komt dubbel voor (eerste keer in rij ${first})`, ref,
          'Verwijder de dubbele rij in de export, of maak de gebruikersnaam uniek met een andere sjabloon.');
      } else this.usernames.set(key, ref.row);
    }
    if (!row.achternaam) f.error('missing-achternaam', 'Geen achternaam', ref, 'Vul de achternaam in de export in, of verwijder de rij.');
    if (!row.voornaam) f.warn('missing-voornaam', 'Geen roepnaam', ref);
    if (row['e-mail'] && !isPlausibleEmail(row['e-mail'])) {
      f.error('email-invalid', 'Geen geldig e-mailadres', ref, 'Verbeter het e-mailadres in Magister of in de export (één adres per leerling).');
    }
    if (this.knownCodes && row.opleiding && !this.knownCodes.has(row.opleiding.toLowerCase())) {
      f.error('unknown-opleiding', `Opleidingscode '${row.opleiding}' staat niet in de lijst met Numo-opleidingen`, ref,
        'Verbeter de code in het mappingbestand; de codes staan op het tabblad Opleidingen van Numo\'s inleesbestand.');
    }
    for (const header of NUMO_HEADERS) this.checkValue(header, row[header], ref);
    if (row.IDGebr !== undefined) this.checkValue('IDGebr', row.IDGebr, ref);
  }

  private checkValue(column: string, value: string, ref: RowRef): void {
    if (!value) return;
    if (value.length > LIMITS.fieldChars) {
      this.findings.error('too-long', `Waarde in kolom ${column} is langer dan ${LIMITS.fieldChars} tekens`, ref, 'Verbeter de cel in de export.');
    }
    if (FORMULA_START.test(value)) {
      this.findings.warn('formula-like', `Waarde in kolom ${column} begint met = + - of @; in de CSV onschadelijk gemaakt met een '`, ref,
        'Controleer de cel in de export: geen echte naam begint zo.');
    }
    if (this.encoding === 'windows-1252') {
      const ch = firstUnencodable(value);
      if (ch) {
        this.findings.error('not-cp1252', `Teken '${ch}' (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) in kolom ${column} past niet in Windows-1252`, ref,
          'Kies de codering utf8-bom (aanbevolen): dan blijft elke naam heel.');
      }
    }
  }
}
