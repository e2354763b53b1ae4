// Types of tools/build.mjs for exe/build.ts (the build script itself is plain JavaScript, see there).
export interface Metafile {
  inputs: Record<string, { bytes: number }>;
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}
export const ROOT: string;
export const NPM_OUT: string;
export function buildNpm(options?: { clean?: boolean }): Promise<Record<string, { metafile: Metafile }>>;
export function bundleSingleFile(options: { entry: string; outfile: string; banner?: string }): Promise<Metafile>;
export function writeNotices(metafiles: Metafile[], file: string, intro: string, extra?: string[]): void;
