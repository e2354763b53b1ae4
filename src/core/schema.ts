import { z } from 'zod';

export const ROLES = ['leerling', 'docent'] as const;
export const Rol = z.enum(ROLES);
export type Rol = z.infer<typeof Rol>;

/** A student as read from the export, every value normalised text ('' when absent). */
export const Student = z.object({
  row: z.number().int(),
  stamnr: z.string(),
  roepnaam: z.string(),
  tussenvoegsel: z.string(),
  achternaam: z.string(),
  klas: z.string(),
  studie: z.string(),
  email: z.string(),
  idgebr: z.string(),
  /** The login name in the school's systems (Magister Loginaccount.Naam, Somtoday gebruikersnaam). */
  login: z.string(),
  /** A teacher's code (afkorting). */
  code: z.string(),
});
export type Student = z.infer<typeof Student>;

/** Numo's import columns, exactly as Numo spells them (domain.md). */
export const NUMO_HEADERS = ['gebruikersnaam', 'voornaam', 'tussenvoegsel', 'achternaam', 'klas', 'opleiding', 'e-mail', 'wachtwoord', 'rol'] as const;
export const IDGEBR_HEADER = 'IDGebr';

export const NumoRow = z.object({
  gebruikersnaam: z.string(),
  voornaam: z.string(),
  tussenvoegsel: z.string(),
  achternaam: z.string(),
  klas: z.string(),
  opleiding: z.string(),
  'e-mail': z.string(),
  wachtwoord: z.string(),
  rol: Rol,
  IDGebr: z.string().optional(),
});
export type NumoRow = z.infer<typeof NumoRow>;

/** Studie → opleidingscode; code '-' means "not for Numo" (left out and counted). */
export const SKIP_CODE = '-';
export const MappingEntry = z.object({ studie: z.string().min(1), code: z.string().min(1) });
export type MappingEntry = z.infer<typeof MappingEntry>;

export const OutputEncoding = z.enum(['utf8-bom', 'utf8', 'windows-1252']);
export type OutputEncoding = z.infer<typeof OutputEncoding>;

export const DELIMITER_OPTIONS = { ';': ';', ',': ',', tab: '\t' } as const;
export const DelimiterOption = z.enum(Object.keys(DELIMITER_OPTIONS) as [';', ',', 'tab']);
export type DelimiterOption = z.infer<typeof DelimiterOption>;
