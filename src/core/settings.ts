import { z } from 'zod';
import { EXPORT_FIELD_KEYS, SOURCE_IDS } from './sources.js';
import { DelimiterOption, OutputEncoding, Rol } from './schema.js';

/** Header names in this school's export for columns numo-prep did not recognise by itself. */
export const ColumnOverrides = z.partialRecord(z.enum(EXPORT_FIELD_KEYS), z.string().min(1));
export type ColumnOverrides = z.infer<typeof ColumnOverrides>;

/** Everything a convert run needs; flags, the config file and the wizard each produce one of these. */
export const ConvertSettings = z.object({
  export: z.string().min(1),
  mapping: z.string().optional(),
  columns: ColumnOverrides.optional(),
  idgebr: z.string().optional(),
  opleidingen: z.string().optional(),
  out: z.string().optional(),
  force: z.boolean().default(false),
  /** Default: {stamnr} for students; for staff the login column, else the teacher code (see defaultGebruikersnaam). */
  gebruikersnaam: z.string().min(1).optional(),
  rol: Rol.default('leerling'),
  /** Only this source's headers (--bron); detected from the header when absent. */
  bron: z.enum(SOURCE_IDS).optional(),
  /** --stamnr-cijfers: pad numeric Stamnrs to this many digits. */
  stamnrDigits: z.number().int().min(1).max(20).optional(),
  klas: z.array(z.string()).optional(),
  studie: z.array(z.string()).optional(),
  password: z.enum(['random', 'template', 'none']).default('random'),
  passwordTemplate: z.string().optional(),
  passwordLength: z.number().int().min(6).max(64).default(10),
  encoding: OutputEncoding.default('utf8-bom'),
  delimiter: DelimiterOption.default(';'),
  dryRun: z.boolean().default(false),
  previous: z.string().optional(),
  previousReport: z.string().optional(),
  keepPasswords: z.boolean().default(false),
});
export type ConvertSettings = z.infer<typeof ConvertSettings>;
export type ConvertSettingsInput = z.input<typeof ConvertSettings>;
