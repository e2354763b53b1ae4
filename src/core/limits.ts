/** Documented limits (docs/REFERENCE.md "Grenzen"): far above a school board's export, low enough to refuse hostile files fast. */
export const LIMITS = {
  /** Largest input file read (export, mapping, IDGebr, previous CSV). */
  fileBytes: 100 * 1024 * 1024,
  /** Largest unpacked size of one part of an .xlsx (stops decompression bombs). */
  entryBytes: 256 * 1024 * 1024,
  /** Rows in one sheet or CSV, header and title rows included (in an .xlsx: rows with a value; formatting alone doesn't count). */
  rows: 250_000,
  /** Columns in one row (in an .xlsx: the last column with a value). */
  columns: 1_000,
  /** Characters in one cell that numo-prep writes to Numo. */
  fieldChars: 255,
  /** Rows searched for the header row. */
  headerScanRows: 10,
  /** Patterns in one --klas or --studie filter (flags and config together). */
  filterPatterns: 1_000,
  /** Characters in a file path given on the command line or in the config (Linux's PATH_MAX; Windows's is 260 by default). */
  pathChars: 4_096,
  /** Codes in Numo's list (Numo has a few thousand at most). */
  opleidingen: 20_000,
} as const;
