import type { Findings, RowRef } from './findings.js';

const NUMERIC = /^\d+$/;

/**
 * `--stamnr-cijfers N`: a numeric Stamnr padded with leading zeros to N digits ("1234" → "001234"), for schools
 * whose ELO login has them; 0 drops them (a school whose login has none says so once). Extra leading zeros are
 * dropped first; more significant digits than N is an error (undefined). Anything that is not all digits is left as it is.
 */
export function padStamnr(value: string, digits: number): string | undefined {
  if (!NUMERIC.test(value)) return value;
  const bare = value.replace(/^0+(?=\d)/, '');
  return digits > 0 && bare.length > digits ? undefined : bare.padStart(digits, '0');
}

/**
 * Magister asks "Voorloopnullen exporteren?", so one file can hold "001234" next to "1235" (two exports pasted
 * together). The join ignores the zeros, but the gebruikersnaam keeps what the export holds, so the admin is
 * warned once, with an example row of each.
 */
export class LeadingZeros {
  private padded?: { ref: RowRef; length: number };
  private short?: { ref: RowRef; length: number };
  private lengths = new Set<number>();

  observe(stamnr: string, ref: RowRef): void {
    if (!NUMERIC.test(stamnr)) return;
    if (this.lengths.size < 2) this.lengths.add(stamnr.length);
    if (stamnr.length > 1 && stamnr.startsWith('0')) {
      if (!this.padded || stamnr.length > this.padded.length) this.padded = { ref, length: stamnr.length };
    } else if (!this.short || stamnr.length < this.short.length) this.short = { ref, length: stamnr.length };
  }

  /**
   * The width every Stamnr was padded to with leading zeros (all the same length, at least one starting with 0), or
   * undefined: the wizard keeps it, so that next year's export without the zeros gives the same usernames.
   */
  paddedWidth(): number | undefined {
    return this.padded && this.lengths.size === 1 ? this.padded.length : undefined;
  }

  /** No Stamnr had a leading zero, and one is shorter than `width`: the zeros of a list padded to it are missing here. */
  lacksZerosOf(width: number | undefined): width is number {
    return width !== undefined && !this.padded && this.short !== undefined && this.short.length < width;
  }

  /**
   * The export without leading zeros where the IDGebr file (Magister's own list) has them to `width` digits: the
   * join ignores the zeros, the gebruikersnaam keeps the export's form, and SSO needs it to be the ELO's login.
   */
  finishAgainst(width: number | undefined, fileName: string, findings: Findings, previousFile?: string): void {
    if (!this.lacksZerosOf(width) || !this.short) return;
    const { ref } = this.short;
    const example = `bijv. rij ${ref.row}${ref.stamnr ? `, Stamnr ${ref.stamnr}` : ''}`;
    // Last year's usernames without zeros settle nothing: a spreadsheet takes them out of a file it saves. Numo may
    // have them, and then every returning student would get a second account; only the admin can look.
    if (previousFile) {
      findings.error(
        'previous-zeros-unknown',
        `De Stamnrs in ${fileName} hebben voorloopnullen tot ${width} cijfers, die in de export en in ${previousFile} niet (${example}): of de gebruikersnamen in Numo ze hebben, is niet zeker`,
        undefined,
        `Kijk in Numo of de gebruikersnamen voorloopnullen hebben, en zet de Stamnrs op ${width} cijfers als dat zo is. Anders maakt Numo voor elke terugkerende leerling een tweede account.`,
      );
      return;
    }
    findings.warn(
      'idgebr-stamnr-zeros',
      `De Stamnrs in ${fileName} hebben voorloopnullen tot ${width} cijfers, die in de export niet (${example}): de gebruikersnaam neemt over wat in de export staat`,
      undefined,
      `Is de login in de ELO het Stamnr met voorloopnullen, vul dan elk Stamnr aan tot ${width} cijfers; anders is er niets aan de hand.`,
    );
  }

  finish(findings: Findings): void {
    if (!this.padded || !this.short || this.short.length >= this.padded.length) return;
    findings.warn(
      'stamnr-leading-zeros',
      `Stamnrs met voorloopnullen tot ${this.padded.length} cijfers (bijv. rij ${this.padded.ref.row}) en zonder (bijv. rij ${this.short.ref.row}) door elkaar: de gebruikersnaam neemt over wat in de export staat`,
      undefined,
      `Kies één vorm: vul elk Stamnr aan tot ${this.padded.length} cijfers, of exporteer opnieuw zonder voorloopnullen.`,
    );
  }
}

/** A Stamnr that a spreadsheet or a script changed (isChangedNumber): in the export, or in the IDGebr file named. */
export function stamnrChanged(findings: Findings, ref: RowRef, idgebrFile?: string): void {
  const where = idgebrFile ? ` in ${idgebrFile}` : '';
  findings.error(
    idgebrFile ? 'idgebr-stamnr-changed' : 'stamnr-changed',
    `Stamnr${where} is een getal dat Excel of een script veranderde (zoals 100001.0 of 1,00001E+05): zo koppelt het aan geen leerling`,
    ref,
    `${idgebrFile ? `Vraag de Magister-applicatiebeheerder een nieuw ${idgebrFile}` : 'Exporteer opnieuw'} en open het bestand niet eerst in Excel (of zet daar de kolom Stamnr op Tekst).`,
  );
}
