export const ROLES = ['leerling', 'docent'] as const;
export type Rol = (typeof ROLES)[number];

/** A student as read from the export, every value normalised text ('' when absent). */
export interface Student {
  row: number;
  stamnr: string;
  roepnaam: string;
  tussenvoegsel: string;
  achternaam: string;
  klas: string;
  studie: string;
  email: string;
  idgebr: string;
  /** The login name in the school's systems (Magister Loginaccount.Naam, Somtoday gebruikersnaam). */
  login: string;
  /** A teacher's code (afkorting). */
  code: string;
  /** The leerjaar column beside a Studie (Somtoday, EduArte), when the export has one. */
  leerjaar?: string;
}

/** Numo's import columns, exactly as Numo's import template spells them. */
export const NUMO_HEADERS = ['gebruikersnaam', 'voornaam', 'tussenvoegsel', 'achternaam', 'klas', 'opleiding', 'e-mail', 'wachtwoord', 'rol'] as const;
export const IDGEBR_HEADER = 'IDGebr';

export interface NumoRow {
  gebruikersnaam: string;
  voornaam: string;
  tussenvoegsel: string;
  achternaam: string;
  klas: string;
  opleiding: string;
  'e-mail': string;
  wachtwoord: string;
  rol: Rol;
  IDGebr?: string;
}

/** Studie → opleidingscode; code '-' means "not for Numo" (left out and counted). */
export const SKIP_CODE = '-';
export interface MappingEntry {
  studie: string;
  code: string;
}

export const OUTPUT_ENCODINGS = ['utf8-bom', 'utf8', 'windows-1252'] as const;
export type OutputEncoding = (typeof OUTPUT_ENCODINGS)[number];

export const DELIMITER_OPTIONS = { ';': ';', ',': ',', tab: '\t' } as const;
export type DelimiterOption = keyof typeof DELIMITER_OPTIONS;

export const PASSWORD_KINDS = ['random', 'template', 'none'] as const;
export type PasswordKind = (typeof PASSWORD_KINDS)[number];
