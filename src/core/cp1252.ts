// Windows-1252 differs from Latin-1 only in 0x80–0x9F; five of those bytes are undefined (-1).
export const CP1252_HIGH = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1, -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122,
  0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178,
];

/** Code point → Windows-1252 byte. */
export const CP1252_ENCODE = new Map<number, number>();
for (let b = 0; b < 256; b++) {
  const cp = b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b;
  if (cp >= 0) CP1252_ENCODE.set(cp, b);
}

/** The first character Windows-1252 cannot hold, or undefined. */
export function firstUnencodable(text: string): string | undefined {
  for (const ch of text) {
    if (!CP1252_ENCODE.has(ch.codePointAt(0)!)) return ch;
  }
  return undefined;
}
