/**
 * The one quoting rule of every CSV numo-prep writes, and of a CSV line a message suggests: a field between quotes when it holds a quote, CR, LF or the
 * delimiter, a quote inside doubled. That is what csv-stringify writes (with quote_record_delimiter); a test holds
 * the two equal on random fields. Written out here because csv-stringify's per-field work was the largest cost of
 * writing 100,000 rows, and loading it a noticeable part of a small run.
 */
export class Quoting {
  private readonly needsQuotes: RegExp;
  /**
   * The quoted fields of one line, reused and joined once: adding fields up one by one makes a string object per
   * addition, three times the memory churn at 100,000 rows.
   */
  private readonly quoted: string[] = [];

  constructor(readonly delimiter: string) {
    this.needsQuotes = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
  }

  field(value: string): string {
    return this.needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  }

  line(fields: readonly string[], eol: string): string {
    const quoted = this.quoted;
    quoted.length = fields.length;
    for (let i = 0; i < fields.length; i++) quoted[i] = this.field(fields[i]!);
    return quoted.join(this.delimiter) + eol;
  }

  lines(records: readonly (readonly string[])[], eol: string): string {
    let text = '';
    for (const fields of records) text += this.line(fields, eol);
    return text;
  }
}

/** Records as CSV text in a file's own dialect (the delimiter and line end it already has), quoted as above. */
export function csvText(records: readonly (readonly string[])[], delimiter: string, eol: string): string {
  return new Quoting(delimiter).lines(records, eol);
}
