export async function checkCommand(_file: string, _flags: Record<string, unknown>): Promise<number> {
  return 2;
}
