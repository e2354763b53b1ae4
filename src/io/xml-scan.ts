import { isUtf8 } from 'node:buffer';

/** Receives the parts of an XML stream. Text comes decoded (entities, CDATA, line ends) and possibly in pieces. */
export interface XmlHandler {
  open(name: string, tag: string, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
  /**
   * An optional fast path for the hot tags of a large part, offered every start tag before anything else: the
   * tag starts at `from`, just after its '<'. Returns -1 to hand the tag to the general path (open() with the
   * raw tag) as usual, or — when it has taken the tag, and the close of a self-closing tag, itself — where
   * scanning goes on: just past the tag's '>', or further when it has read what follows the tag as the scanner
   * would. So a fast path reads only the shapes it knows, in the piece as it is, and leaves everything unusual
   * (also a tag cut off at the end of the piece) and every error message to the general path.
   */
  openRaw?(s: string, from: number): number;
}

export class XmlFormatError extends Error {}

/** Longest entity or character reference we look for; XML allows leading zeros, real files don't use them. */
const MAX_REFERENCE = 40;
/** Longest tag, comment-free markup or held-back piece: far above any tag a spreadsheet writer makes. */
const MAX_TAG = 1024 * 1024;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** The character a reference body (between & and ;) stands for; undefined when it is no reference at all. */
function reference(body: string): string | undefined {
  if (body.charCodeAt(0) !== 0x23 /* # */) return NAMED[body];
  const hex = body.charCodeAt(1) === 0x78; /* x */
  const digits = body.slice(hex ? 2 : 1);
  if (digits === '' || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return undefined;
  const cp = parseInt(digits, hex ? 16 : 10);
  if (!isXmlChar(cp)) throw new XmlFormatError(`ongeldig teken &${body.slice(0, 12)};`);
  return String.fromCodePoint(cp);
}

/**
 * Decodes the five XML entities and character references. A reference to a character XML doesn't allow
 * (&#0;, a surrogate, beyond U+10FFFF) is an error; a bare & that starts no reference is kept as written.
 * Linear: the next ';' is looked up once per ';', not once per '&'.
 */
function decodeEntities(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  let out = '';
  let from = 0;
  let semi = -1;
  while (amp >= 0) {
    if (semi < amp) semi = raw.indexOf(';', amp + 1);
    if (semi < 0) break;
    const ch = semi - amp <= MAX_REFERENCE ? reference(raw.slice(amp + 1, semi)) : undefined;
    if (ch !== undefined) {
      out += raw.slice(from, amp) + ch;
      from = semi + 1;
    }
    amp = raw.indexOf('&', ch === undefined ? amp + 1 : from);
  }
  return out + raw.slice(from);
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** XML white space (a character code). */
export const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Visits the attributes of a tag as given to XmlHandler.open (local names, values decoded) in one pass: a
 * quoted value is skipped as a whole, so `r="…"` inside another attribute's value is never an attribute.
 */
export function eachAttribute(tag: string, visit: (name: string, value: string) => void): void {
  const n = tag.length;
  let i = 0;
  while (i < n && !isSpace(tag.charCodeAt(i))) i++;
  for (;;) {
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    if (i >= n) return;
    const start = i;
    for (let c = tag.charCodeAt(i); i < n && c !== 0x3d /* = */ && !isSpace(c); c = tag.charCodeAt(++i));
    const qname = tag.slice(start, i);
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    if (tag.charCodeAt(i) !== 0x3d) throw new XmlFormatError('attribuut zonder waarde');
    i++;
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    const quote = tag.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27) throw new XmlFormatError('attribuutwaarde zonder aanhalingstekens');
    const end = tag.indexOf(quote === 0x22 ? '"' : "'", i + 1);
    if (end < 0) throw new XmlFormatError('attribuutwaarde niet afgesloten');
    let value = tag.slice(i + 1, end);
    // Attribute-value normalisation: a literal tab or line end is a space; references are decoded after that.
    if (/[\t\n]/.test(value)) value = value.replace(/[\t\n]/g, ' ');
    if (value.includes('&')) value = decodeEntities(value);
    visit(localName(qname), value);
    i = end + 1;
  }
}

/** Where one attribute of a raw tag is, as found by nextAttribute, and where the tag ends. */
export interface AttributeSpan {
  name: number;
  nameEnd: number;
  value: number;
  valueEnd: number;
  /** Set when nextAttribute returns -1: just past the tag's '>', and whether it ended in '/>'. */
  end: number;
  selfClosing: boolean;
}

/**
 * For fast paths (XmlHandler.openRaw): the next attribute of the tag in `s` from position i, written into `at`;
 * returns where the next one may start, or -1 at the end of the tag (`>` or `/>`, with at.end and
 * at.selfClosing set), or -2 for anything a fast path should leave to the general path — the piece ending
 * inside the tag, spaces around '=', a value with a reference, tab or line end, a '<', '/' or '>' where a name
 * goes, and every malformed attribute, so that the general path waits for more or gives its own message. Start
 * at the first character after the element name.
 */
export function nextAttribute(s: string, i: number, at: AttributeSpan): number {
  const n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  if (i >= n) return -2;
  let c = s.charCodeAt(i);
  if (c === 0x3e /* > */ || (c === 0x2f /* / */ && i + 1 < n && s.charCodeAt(i + 1) === 0x3e)) {
    at.selfClosing = c === 0x2f;
    at.end = c === 0x2f ? i + 2 : i + 1;
    return -1;
  }
  const start = i;
  let name = i;
  while (c !== 0x3d /* = */) {
    if (isSpace(c) || c === 0x3e || c === 0x2f || c === 0x3c || c === 0x22 || c === 0x27 || ++i >= n) return -2;
    if (c === 0x3a /* : */ && name === start) name = i; // the local name starts after the first colon
    c = s.charCodeAt(i);
  }
  if (i === name || i + 1 >= n) return -2;
  at.name = name;
  at.nameEnd = i;
  const quote = s.charCodeAt(++i);
  if (quote !== 0x22 && quote !== 0x27) return -2;
  at.value = ++i;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c === quote) {
      at.valueEnd = i;
      return i + 1;
    }
    if (c === 0x26 /* & */ || c === 0x09 || c === 0x0a) return -2;
  }
  return -2;
}

/** The attributes of a tag by local name; the same name twice is an error. */
export function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  eachAttribute(tag, (name, value) => {
    if (name in out) throw new XmlFormatError(`attribuut ${name} staat er twee keer`);
    out[name] = value;
  });
  return out;
}

/** One attribute of a tag (parsed in full: see eachAttribute). */
export function attribute(tag: string, name: string): string | undefined {
  return attributes(tag)[name];
}

/**
 * Bytes of an XML part to text. The encoding comes from the byte order mark (UTF-8, UTF-16 LE/BE) or the first
 * bytes ('<?' in UTF-16 without a mark); anything else is UTF-8, and invalid UTF-8 or UTF-16 is an error, never
 * a replacement character. Line ends become LF, as an XML parser does. A declared encoding other than UTF-8
 * or UTF-16 is refused rather than guessed.
 */
export class XmlDecoder {
  private encoding: 'utf8' | 'utf-16le' | 'utf-16be' | undefined;
  private utf16?: TextDecoder;
  private tail: Buffer | undefined;
  private carriageReturn = false;
  private checkedDeclaration = false;
  private head = '';

  decode(chunk: Buffer): string {
    let buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    this.tail = undefined;
    if (!this.encoding) {
      if (buf.length < 4) {
        // A copy: the zip reader reuses the buffer of a piece for the next.
        this.tail = Buffer.from(buf);
        return '';
      }
      buf = this.detect(buf);
    }
    let text: string;
    if (this.encoding === 'utf8') {
      const cut = completeUtf8(buf);
      if (cut < buf.length) this.tail = Buffer.from(buf.subarray(cut));
      const whole = buf.subarray(0, cut);
      if (!isUtf8(whole)) throw new XmlFormatError('ongeldige UTF-8');
      text = whole.toString('utf8');
    } else {
      try {
        text = this.utf16!.decode(buf, { stream: true });
      } catch {
        throw new XmlFormatError('ongeldige UTF-16');
      }
    }
    return this.lines(text);
  }

  end(): string {
    let text = '';
    if (this.tail && !this.encoding) text = this.decode(Buffer.alloc(0)) + this.endDetect();
    if (this.encoding === 'utf8' && this.tail?.length) throw new XmlFormatError('ongeldige UTF-8');
    if (this.utf16) {
      try {
        text += this.lines(this.utf16.decode());
      } catch {
        throw new XmlFormatError('ongeldige UTF-16');
      }
    }
    const cr = this.carriageReturn ? '\n' : '';
    this.carriageReturn = false;
    return text + cr;
  }

  private endDetect(): string {
    // A part shorter than four bytes: plain UTF-8.
    const rest = this.tail ?? Buffer.alloc(0);
    this.tail = undefined;
    this.encoding = 'utf8';
    if (!isUtf8(rest)) throw new XmlFormatError('ongeldige UTF-8');
    return this.lines(rest.toString('utf8'));
  }

  private detect(buf: Buffer): Buffer {
    const [a, b, c, d] = buf;
    if (a === 0xef && b === 0xbb && c === 0xbf) {
      this.encoding = 'utf8';
      return buf.subarray(3);
    }
    if ((a === 0xff && b === 0xfe) || (a === 0x3c && b === 0 && c === 0x3f && d === 0)) this.encoding = 'utf-16le';
    else if ((a === 0xfe && b === 0xff) || (a === 0 && b === 0x3c && c === 0 && d === 0x3f)) this.encoding = 'utf-16be';
    else this.encoding = 'utf8';
    if (this.encoding !== 'utf8') this.utf16 = new TextDecoder(this.encoding, { fatal: true, ignoreBOM: false });
    return buf;
  }

  /** CRLF and lone CR to LF; a CR at the end of a piece waits for the next. */
  private lines(text: string): string {
    if (this.carriageReturn) {
      this.carriageReturn = false;
      text = `\r${text}`;
    }
    if (!this.checkedDeclaration && text.length > 0) this.checkDeclaration(text);
    if (!text.includes('\r')) return text;
    if (text.endsWith('\r')) {
      this.carriageReturn = true;
      text = text.slice(0, -1);
    }
    return text.replace(/\r\n?/g, '\n');
  }

  private checkDeclaration(text: string): void {
    this.head += text;
    const head = this.head;
    if (head.length < 5 && '<?xml'.startsWith(head)) return; // wait for more
    const end = head.indexOf('?>');
    if (head.startsWith('<?xml') && end < 0 && head.length < 1024) return; // wait for the rest of the declaration
    this.checkedDeclaration = true;
    this.head = '';
    if (!head.startsWith('<?xml')) return;
    const decl = head.slice(0, end < 0 ? 1024 : end);
    const m = /\sencoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/.exec(decl);
    const declared = m?.[1]?.toLowerCase();
    if (declared && !['utf-8', 'utf8', 'utf-16', 'utf-16le', 'utf-16be', 'unicode', 'us-ascii', 'ascii'].includes(declared)) {
      throw new XmlFormatError(`tekenset ${m![1]} wordt niet ondersteund`);
    }
  }
}

/** The length of the part of `buf` that ends on a whole UTF-8 sequence (a cut-off sequence waits for the next piece). */
function completeUtf8(buf: Buffer): number {
  const n = buf.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = buf[i]!;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return n - i < need ? i : n;
    }
  }
  return n;
}

/** Off only in the test that reads generated sheets with and without the fast paths and compares the results. */
export const fastPaths = { enabled: true };

type Markup = 'cdata' | 'comment' | 'pi';
const MARKUP_END: Record<Markup, string> = { cdata: ']]>', comment: '-->', pi: '?>' };

/**
 * A small incremental XML tag scanner for the parts of an .xlsx: at 100,000 rows a full SAX parser's event
 * objects cost most of the reading time. Namespace prefixes are dropped (names are local names); comments and
 * processing instructions are skipped, CDATA is text, a DOCTYPE is refused (Open Packaging forbids it, so no
 * entity definitions and no entity expansion). Every step is linear: CDATA, comments and text are handed on
 * as they arrive, and a tag may not exceed 1 MiB.
 */
export class XmlScanner {
  private rest = '';
  /** Inside CDATA, a comment or a processing instruction that the previous piece did not finish. */
  private inside: Markup | undefined;
  /** When rest is an open tag whose end is not yet found: how much of it was searched, and in which quote. */
  private tagScanned = 0;
  private tagQuote = 0;

  /**
   * The handler's functions, read once: calls through properties of the scanner keep the scanner's code
   * monomorphic whatever shape each handler object has. Called on `this.h` all the same (calls through
   * `this.h.text` recompiled write() for each part read: rels, workbook, styles, shared strings, sheet).
   */
  private readonly openRaw: XmlHandler['openRaw'];
  private readonly onOpen: XmlHandler['open'];
  private readonly onClose: XmlHandler['close'];
  private readonly onText: XmlHandler['text'];

  constructor(private readonly h: XmlHandler) {
    this.openRaw = fastPaths.enabled ? h.openRaw : undefined;
    this.onOpen = h.open;
    this.onClose = h.close;
    this.onText = h.text;
  }

  write(chunk: string): void {
    const s = this.rest ? this.rest + chunk : chunk;
    this.rest = '';
    if (this.tagScanned > 0) {
      // An open tag longer than the pieces so far: look for its end only in what is new, and hand it on only once
      // it is whole (rescanning it from its start per piece was quadratic: a 900 KB tag cost a second).
      if (this.findTagEnd(s, this.tagScanned) < 0) {
        this.tagScanned = s.length;
        this.keep(s);
        return;
      }
      this.tagScanned = 0;
    }
    let i = 0;
    if (this.inside) {
      i = this.finishMarkup(s, 0);
      if (i < 0) return;
    }
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        this.tailText(s, i);
        return;
      }
      if (lt > i) this.text(s.slice(i, lt));
      i = lt;
      // A '<' at the very end waits for the next piece (read no further than the string: V8 deoptimises on that).
      if (lt + 1 >= s.length) break;
      const next = s.charCodeAt(lt + 1);
      let end: number;
      if (next === 0x2f /* / */) {
        end = s.indexOf('>', lt + 2);
        if (end < 0) break;
        const name = s.slice(lt + 2, end).trim();
        if (!name) throw new XmlFormatError('sluittag zonder naam');
        this.onClose.call(this.h, localName(name));
      } else if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
        let kind: Markup;
        let from: number;
        if (next === 0x3f) [kind, from] = ['pi', lt + 2];
        else if (s.startsWith('<!--', lt)) [kind, from] = ['comment', lt + 4];
        else if (s.length - lt < 9)
          break; // too short yet to tell CDATA from DOCTYPE
        else if (s.startsWith('<![CDATA[', lt)) [kind, from] = ['cdata', lt + 9];
        else if (s.startsWith('<!DOCTYPE', lt)) throw new XmlFormatError('DOCTYPE is niet toegestaan');
        else throw new XmlFormatError('onbekende opmaak na <!');
        this.inside = kind;
        i = this.finishMarkup(s, from);
        if (i < 0) return;
        continue;
      } else {
        if (this.openRaw) {
          const next = this.openRaw.call(this.h, s, lt + 1);
          if (next > lt) {
            i = next;
            continue;
          }
        }
        this.tagQuote = 0;
        end = this.findTagEnd(s, lt + 1);
        if (end < 0) {
          this.tagScanned = s.length - lt;
          this.keep(s.slice(lt));
          return;
        }
        const selfClosing = s.charCodeAt(end - 1) === 0x2f;
        const tag = s.slice(lt + 1, selfClosing ? end - 1 : end);
        let n = 0;
        while (n < tag.length && tag.charCodeAt(n) > 0x20 && tag.charCodeAt(n) !== 0x2f) n++;
        if (n === 0) throw new XmlFormatError('tag zonder naam');
        const name = localName(tag.slice(0, n));
        this.onOpen.call(this.h, name, tag, selfClosing);
        if (selfClosing) this.onClose.call(this.h, name);
      }
      i = end + 1;
    }
    this.keep(s.slice(i));
  }

  /** What waits for the next piece: an unfinished tag or reference, at most MAX_TAG characters. */
  private keep(rest: string): void {
    if (rest.length > MAX_TAG) throw new XmlFormatError('tag van meer dan 1 MiB');
    this.rest = rest;
  }

  /**
   * The '>' that ends the tag in `s` from `from` on, skipping any inside quoted attribute values, or -1. The quote
   * state carries over to the next piece in tagQuote.
   */
  private findTagEnd(s: string, from: number): number {
    let quote = this.tagQuote;
    for (let i = from; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e) return i;
      else if (c === 0x3c) throw new XmlFormatError('< binnen een tag');
    }
    this.tagQuote = quote;
    return -1;
  }

  end(): void {
    if (this.rest || this.inside) throw new XmlFormatError('afgebroken tag aan het eind');
  }

  private text(raw: string): void {
    this.onText.call(this.h, raw.includes('&') ? decodeEntities(raw) : raw);
  }

  /** Text at the end of a piece: a reference cut in two waits for the next piece. */
  private tailText(s: string, from: number): void {
    if (from >= s.length) return;
    // Only the last MAX_REFERENCE characters can hold a cut reference: searching the whole piece backwards cost a
    // quarter of the CPU on a sheet of hundreds of MiB of blank text.
    let amp = s.indexOf('&', Math.max(from, s.length - MAX_REFERENCE));
    for (let next = amp; next >= 0; next = s.indexOf('&', next + 1)) amp = next;
    if (amp >= 0 && s.indexOf(';', amp) < 0) {
      if (amp > from) this.text(s.slice(from, amp));
      this.rest = s.slice(amp);
    } else this.text(s.slice(from));
  }

  /**
   * Hands on (CDATA) or skips (comment, processing instruction) markup content from `from`; returns where
   * scanning goes on, or -1 when the piece ends first (the last two characters wait, they may start the end).
   */
  private finishMarkup(s: string, from: number): number {
    const kind = this.inside!;
    const close = MARKUP_END[kind];
    const end = s.indexOf(close, from);
    if (end < 0) {
      const keep = Math.max(from, s.length - (close.length - 1));
      if (kind === 'cdata' && keep > from) this.onText.call(this.h, s.slice(from, keep));
      this.rest = s.slice(keep);
      return -1;
    }
    if (kind === 'cdata' && end > from) this.onText.call(this.h, s.slice(from, end));
    this.inside = undefined;
    return end + close.length;
  }
}
