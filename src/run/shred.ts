import { cloudSynced, planShred, shredFile, type ShredTarget } from '../io/shred.js';

export type { ShredTarget };

export const SHRED_CAVEAT =
  'Let op: overschrijven wist alleen deze kopie. Het helpt niet tegen kopieën elders: SSD\'s (wear levelling), ' +
  'journaling- en copy-on-write-bestandssystemen, schaduwkopieën en snapshots, back-ups, en mappen die met de ' +
  'cloud synchroniseren (OneDrive, Dropbox, Google Drive). Verwijder de bestanden ook uit Downloads, e-mail en de Prullenbak.';

export interface ShredRun {
  passes: number;
  zero: boolean;
  env: NodeJS.ProcessEnv;
  /** Asked once, after every file was checked and before any is touched; false leaves everything in place. */
  confirm: (targets: ShredTarget[]) => Promise<boolean>;
  onCloud: (path: string) => void;
  onShredded: (target: ShredTarget) => void;
}

/** shred, and convert --shred-inputs: check all, warn about cloud copies, confirm, then overwrite and remove each. */
export async function runShred(paths: string[], o: ShredRun): Promise<{ shredded: ShredTarget[]; confirmed: boolean }> {
  const targets = await planShred(paths);
  for (const p of cloudSynced(targets.map((t) => t.path), o.env)) o.onCloud(p);
  if (!(await o.confirm(targets))) return { shredded: [], confirmed: false };
  const shredded: ShredTarget[] = [];
  for (const t of targets) {
    await shredFile(t.path, { passes: o.passes, zero: o.zero });
    shredded.push(t);
    o.onShredded(t);
  }
  return { shredded, confirmed: true };
}
