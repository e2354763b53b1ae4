import type { Findings, RowRef } from './findings.js';
import type { NumoRow } from './schema.js';
import { stamnrKey } from './text.js';

export interface PreviousStudent {
  gebruikersnaam: string;
  klas: string;
  opleiding: string;
  wachtwoord: string;
  /** '' when last year's file has no IDGebr column or cell. */
  idgebr: string;
}

/**
 * How a gebruikersnaam is matched with last year's: without case, and 001234 as 1234 (Excel drops the zeros when
 * last year's CSV is opened and saved again), as the IDGebr join matches Stamnrs.
 */
export const previousKey = (gebruikersnaam: string): string => stamnrKey(gebruikersnaam);

export type YearStatus = 'nieuw' | 'vertrokken' | 'klas gewijzigd' | 'opleiding gewijzigd' | 'klas en opleiding gewijzigd';

export interface YearChange {
  status: YearStatus;
  gebruikersnaam: string;
  klasOud: string;
  klasNieuw: string;
  opleidingOud: string;
  opleidingNieuw: string;
}

export interface YearCounts {
  nieuw: number;
  vertrokken: number;
  klasGewijzigd: number;
  opleidingGewijzigd: number;
  ongewijzigd: number;
}

/**
 * Compares this year's rows with last year's Numo CSV, by gebruikersnaam (previousKey). A row whose gebruikersnaam
 * last year had another IDGebr is someone else: Numo would hand them last year's account, so that is an error.
 */
export class YearOverYear {
  private readonly seen = new Set<string>();
  /** Rows whose gebruikersnaam was in last year's file. */
  returning = 0;
  readonly changes: YearChange[] = [];
  readonly counts: YearCounts = { nieuw: 0, vertrokken: 0, klasGewijzigd: 0, opleidingGewijzigd: 0, ongewijzigd: 0 };

  constructor(
    private readonly previous: Map<string, PreviousStudent>,
    private readonly o: { fileName: string; keepPasswords: boolean },
  ) {}

  /** Last year's password of a returning student (for --keep-passwords). */
  passwordOf(gebruikersnaam: string): string | undefined {
    return this.previous.get(previousKey(gebruikersnaam))?.wachtwoord || undefined;
  }

  /** Every row that goes to Numo, whatever was found before it: the findings are complete, the counts used only when none is an error. */
  observe(row: NumoRow, ref: RowRef, findings: Findings): void {
    const key = previousKey(row.gebruikersnaam);
    this.seen.add(key);
    const old = this.previous.get(key);
    const change = (status: YearStatus): YearChange => ({
      status,
      gebruikersnaam: row.gebruikersnaam,
      klasOud: old?.klas ?? '',
      klasNieuw: row.klas,
      opleidingOud: old?.opleiding ?? '',
      opleidingNieuw: row.opleiding,
    });
    if (!old) {
      this.counts.nieuw++;
      this.changes.push(change('nieuw'));
      return;
    }
    this.returning++;
    const file = this.o.fileName;
    if (old.idgebr && row.IDGebr && old.idgebr !== row.IDGebr) {
      findings.error(
        'previous-other-person',
        `Gebruikersnaam heeft in ${file} een ander IDGebr`,
        ref,
        'Iemand anders? Dan gaf Numo het account van vorig jaar aan deze persoon: maak de gebruikersnaam uniek (bijv. met {stamnr} erin). Dezelfde persoon? Vraag de applicatiebeheerder welk IDGebr juist is.',
      );
    }
    if (old.gebruikersnaam.toLowerCase() !== row.gebruikersnaam.toLowerCase()) {
      findings.warn(
        'previous-zeros',
        `Gebruikersnaam staat in ${file} zonder of met andere voorloopnullen`,
        ref,
        'Haalde Excel de nullen uit dat bestand, dan is er niets aan de hand. Anders maakt Numo een nieuw account: kies het aantal cijfers van vorig jaar.',
      );
    }
    if (this.o.keepPasswords && !old.wachtwoord) {
      findings.warn(
        'previous-no-password',
        `Geen wachtwoord in ${file}: deze persoon krijgt een nieuw wachtwoord`,
        ref,
        'Geef het nieuwe wachtwoord door, of zet het oude in het bestand van vorig jaar.',
      );
    }
    const klas = old.klas.toLowerCase() !== row.klas.toLowerCase();
    const opl = old.opleiding.toLowerCase() !== row.opleiding.toLowerCase();
    if (klas) this.counts.klasGewijzigd++;
    if (opl) this.counts.opleidingGewijzigd++;
    if (klas || opl) this.changes.push(change(klas && opl ? 'klas en opleiding gewijzigd' : klas ? 'klas gewijzigd' : 'opleiding gewijzigd'));
    else this.counts.ongewijzigd++;
  }

  /** Call once all rows are observed: who is gone (candidates for archiveren in Numo). */
  finish(): void {
    for (const [key, old] of this.previous) {
      if (this.seen.has(key)) continue;
      this.counts.vertrokken++;
      this.changes.push({ status: 'vertrokken', gebruikersnaam: old.gebruikersnaam, klasOud: old.klas, klasNieuw: '', opleidingOud: old.opleiding, opleidingNieuw: '' });
    }
  }
}
