import type { Mapping } from '../core/mapping.js';
import type { ConvertSettings } from '../core/settings.js';
export async function promptUnmapped(_u: Map<string, number>, _m: Mapping, _s: ConvertSettings): Promise<Map<string, string> | undefined> {
  return undefined;
}
