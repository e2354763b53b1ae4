import type { Findings, RowRef } from './findings.js';
import type { IdgebrIndex } from './idgebr.js';
import type { Mapping } from './mapping.js';
import { type NumoRow, type Rol, SKIP_CODE, type Student } from './schema.js';
import { type RandomChars, randomPassword, renderTemplate, type Template } from './template.js';

export type MapResult = { kind: 'mapped'; code: string } | { kind: 'skip' } | { kind: 'unmapped' } | { kind: 'empty' };

/** map: Studie → Numo opleidingscode through the school's mapping. */
export function mapStudie(s: Student, mapping: Mapping): MapResult {
  if (!s.studie) return { kind: 'empty' };
  const code = mapping.get(s.studie);
  if (code === undefined) return { kind: 'unmapped' };
  return code === SKIP_CODE ? { kind: 'skip' } : { kind: 'mapped', code };
}

/**
 * join: the IDGebr for single sign-on, from the IDGebr file, else from an IDGebr column in the export. Sets it on
 * the student (the pipeline's own object, made per row) and returns it. `slot`: the student's slot in the file
 * (IdgebrIndex.slot), which the caller has looked up once for its marks as well. A student the file gives no
 * IDGebr is named: they cannot log in that way.
 */
export function joinIdgebr(
  s: Student,
  index: IdgebrIndex | undefined,
  findings: Findings,
  slot: number | undefined,
  fileName = 'het IDGebr-bestand',
  rol: Rol = 'leerling',
  ref: RowRef = { row: s.row, stamnr: s.stamnr },
): Student {
  if (!index) return s;
  const listed = index.idgebrAt(slot);
  if (listed && s.idgebr && listed !== s.idgebr) {
    findings.error(
      'idgebr-conflict',
      `IDGebr in de export verschilt van die in ${fileName}`,
      ref,
      `Welke juist is, weet alleen Magister: vraag het na bij de applicatiebeheerder, en verbeter de export of ${fileName}.`,
    );
  }
  const idgebr = listed ?? s.idgebr;
  if (!idgebr && s.stamnr) {
    findings.warn(
      'no-idgebr',
      `${rol === 'docent' ? 'Medewerker' : 'Leerling'} zonder IDGebr: inloggen met SSO kan dan niet`,
      ref,
      `Vraag de Magister-applicatiebeheerder om een volledig IDGebr-bestand, of laat ${rol === 'docent' ? 'deze medewerkers' : 'deze leerlingen'} met wachtwoord inloggen.`,
    );
  }
  s.idgebr = idgebr;
  return s;
}

export type CompiledPassword = { kind: 'random'; length: number; rng: RandomChars } | { kind: 'template'; template: Template } | { kind: 'none' };

export interface EnrichOptions {
  gebruikersnaam: Template;
  password: CompiledPassword;
  rol: Rol;
  withIdgebr: boolean;
  /** Last year's password of this student under this gebruikersnaam, when --keep-passwords. */
  keepPassword?: (gebruikersnaam: string, s: Student) => string | undefined;
}

/** enrich: Numo's row — gebruikersnaam from the template, wachtwoord by policy, rol. */
export function toNumoRow(s: Student, opleiding: string, o: EnrichOptions): NumoRow {
  const gebruikersnaam = renderTemplate(o.gebruikersnaam, s);
  const kept = o.keepPassword?.(gebruikersnaam, s);
  const wachtwoord = kept ?? (o.password.kind === 'random' ? randomPassword(o.password.length, o.password.rng) : o.password.kind === 'template' ? renderTemplate(o.password.template, s) : '');
  const row: NumoRow = {
    gebruikersnaam,
    voornaam: s.roepnaam,
    tussenvoegsel: s.tussenvoegsel,
    achternaam: s.achternaam,
    klas: s.klas,
    opleiding,
    'e-mail': s.email,
    wachtwoord,
    rol: o.rol,
  };
  if (o.withIdgebr) row.IDGebr = s.idgebr;
  return row;
}
