import { z } from 'zod';
import { EXPORT_COLUMNS } from './columns.js';
import { DelimiterOption, OutputEncoding, Rol } from './schema.js';

/** Header names in this school's export for columns numo-prep did not recognise by itself. */
export const ColumnOverrides = z.partialRecord(z.enum(EXPORT_COLUMNS.map((c) => c.key) as [string, ...string[]]), z.string().min(1));
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
  gebruikersnaam: z.string().min(1).default('{stamnr}'),
  rol: Rol.default('leerling'),
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
  /** The config file these settings came from: an input like any other, never an output. */
  config: z.string().optional(),
});
export type ConvertSettings = z.infer<typeof ConvertSettings>;
export type ConvertSettingsInput = z.input<typeof ConvertSettings>;
