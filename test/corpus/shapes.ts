// The real-world .xlsx shapes of test/corpus, in a module of their own so that tests can import the list without
// running make-corpus.ts (which writes the corpus when imported).

/** The shapes the reader must read, as openpyxl reads them: test/corpus/oracle-openpyxl.json (committed). */
export const ORACLE_SHAPES = [
  'vorm-gewoon.xlsx',
  'gedeeld-lege-v.xlsx',
  'rij-per-cel.xlsx',
  'escapes.xlsx',
  'attribuut-in-waarde.xlsx',
  'utf16le-onderdelen.xlsx',
  'utf16be-onderdelen.xlsx',
  'utf8-bom-onderdelen.xlsx',
  'strict-ooxml.xlsx',
  'voorvoegsels.xlsx',
  'backslash-namen.xlsx',
  'werkmap-elders.xlsx',
  'zip64.xlsx',
  'data-descriptor.xlsx',
  'zip64-data-descriptor.xlsx',
  'opgeslagen-onderdelen.xlsx',
  'opgemaakt-tot-xfd.xlsx',
];

/** The plain shape every other one must read exactly like, and the ones that differ from it on purpose. */
export const PLAIN_SHAPE = 'vorm-gewoon.xlsx';
export const DIFFERENT_SHAPES = new Set([PLAIN_SHAPE, 'rij-per-cel.xlsx', 'escapes.xlsx']);
