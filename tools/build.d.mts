// Types of tools/build.mjs for exe/build.ts (the build script itself is plain JavaScript, see there).
export interface Metafile {
  inputs: Record<string, { bytes: number }>;
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}
export function bundleSingleFile(options: { entry: string; outfile: string; banner?: string }): Promise<Metafile>;
export function writeNotices(metafiles: Metafile[], file: string, intro: string, extra?: string[]): void;
