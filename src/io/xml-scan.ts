/** Receives the parts of an XML stream. Text comes raw (entities undecoded) and possibly in several pieces. */
export interface XmlHandler {
  open(name: string, tag: string, selfClosing: boolean): void;
  close(name: string): void;
  text(raw: string, cdata: boolean): void;
}

export class XmlFormatError extends Error {}

const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ENTITY, (_, dec: string | undefined, hex: string | undefined, named: string | undefined) => {
    if (named) return NAMED[named]!;
    const cp = dec ? Number(dec) : parseInt(hex!, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  });
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The attributes of a tag as given to XmlHandler.open, by local name. */
export function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(tag); m; m = ATTRIBUTE.exec(tag)) out[localName(m[1]!)] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

/**
 * One attribute, looked up directly: `name="` is how every writer we know writes attributes of a cell tag, and
 * this is per cell. Anything else (single quotes, spaces around =) falls back to the full parse.
 */
export function attribute(tag: string, name: string): string | undefined {
  const at = tag.indexOf(` ${name}="`);
  if (at >= 0) {
    const start = at + name.length + 3;
    const end = tag.indexOf('"', start);
    if (end >= 0) {
      const value = tag.slice(start, end);
      return value.includes('&') ? decodeEntities(value) : value;
    }
  }
  return UNUSUAL_ATTRIBUTES.test(tag) ? attributes(tag)[name] : undefined;
}

const UNUSUAL_ATTRIBUTES = /['\t\n\r]|\s=|=\s/;

/** Raw text to append to raw text: CDATA is escaped so that decoding the whole later gives it back unchanged. */
export function rawPiece(text: string, cdata: boolean): string {
  return cdata ? text.replace(/&/g, '&amp;') : text;
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/**
 * A small incremental XML tag scanner for the parts of an .xlsx: at 100,000 rows a full SAX parser's event
 * objects cost most of the reading time. Namespace prefixes are dropped; comments,
 * processing instructions and DOCTYPE are skipped (no entity definitions, so no entity expansion attacks);
 * a tag cut off at the end of the stream is an error.
 */
export class XmlScanner {
  private rest = '';

  constructor(private readonly h: XmlHandler) {}

  write(chunk: string): void {
    const s = this.rest ? this.rest + chunk : chunk;
    let i = 0;
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        if (i < s.length) this.h.text(s.slice(i), false);
        i = s.length;
        break;
      }
      if (lt > i) this.h.text(s.slice(i, lt), false);
      i = lt;
      const next = s.charCodeAt(lt + 1);
      let end: number;
      if (next === 0x2f /* / */) {
        end = s.indexOf('>', lt + 2);
        if (end < 0) break;
        this.h.close(localName(s.slice(lt + 2, end).trim()));
      } else if (next === 0x21 /* ! */) {
        if (s.startsWith('<![CDATA[', lt)) {
          end = s.indexOf(']]>', lt + 9);
          if (end < 0) break;
          this.h.text(s.slice(lt + 9, end), true);
          end += 2;
        } else if (s.startsWith('<!--', lt)) {
          end = s.indexOf('-->', lt + 4);
          if (end < 0) break;
          end += 2;
        } else {
          end = s.indexOf('>', lt + 2);
          if (end < 0) break;
        }
      } else if (next === 0x3f /* ? */) {
        end = s.indexOf('?>', lt + 2);
        if (end < 0) break;
        end += 1;
      } else if (Number.isNaN(next)) {
        break;
      } else {
        end = tagEnd(s, lt + 1);
        if (end < 0) break;
        const selfClosing = s.charCodeAt(end - 1) === 0x2f;
        const tag = s.slice(lt + 1, selfClosing ? end - 1 : end);
        let n = 0;
        while (n < tag.length && tag.charCodeAt(n) > 0x20 && tag.charCodeAt(n) !== 0x2f) n++;
        if (n === 0) throw new XmlFormatError('tag zonder naam');
        const name = localName(tag.slice(0, n));
        this.h.open(name, tag, selfClosing);
        if (selfClosing) this.h.close(name);
      }
      i = end + 1;
    }
    this.rest = s.slice(i);
    if (this.rest.length > 1024 * 1024) throw new XmlFormatError('tag van meer dan 1 MiB');
  }

  end(): void {
    if (this.rest) throw new XmlFormatError('afgebroken tag aan het eind');
  }
}

/** The '>' that ends a tag starting at `from`, skipping any inside quoted attribute values. */
function tagEnd(s: string, from: number): number {
  let quote = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return i;
    else if (c === 0x3c) throw new XmlFormatError('< binnen een tag');
  }
  return -1;
}
