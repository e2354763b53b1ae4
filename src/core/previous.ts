import type { NumoRow } from './schema.js';

export interface PreviousStudent {
  gebruikersnaam: string;
  klas: string;
  opleiding: string;
  wachtwoord: string;
}

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

/** Compares this year's rows with last year's Numo CSV, by gebruikersnaam (case-insensitive). */
export class YearOverYear {
  private readonly seen = new Set<string>();
  readonly changes: YearChange[] = [];
  readonly counts: YearCounts = { nieuw: 0, vertrokken: 0, klasGewijzigd: 0, opleidingGewijzigd: 0, ongewijzigd: 0 };

  constructor(private readonly previous: Map<string, PreviousStudent>) {}

  /** Last year's password of a returning student (for --keep-passwords). */
  passwordOf(gebruikersnaam: string): string | undefined {
    return this.previous.get(gebruikersnaam.toLowerCase())?.wachtwoord || undefined;
  }

  observe(row: NumoRow): void {
    const key = row.gebruikersnaam.toLowerCase();
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
