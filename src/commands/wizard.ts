export async function wizardCommand(_file: string | undefined, _flags: Record<string, unknown>): Promise<number> {
  return 2;
}
