export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

/** The prompt layer: inquirer in real use, a scripted double in tests. The wizard only supplies answers. */
export interface Prompter {
  select<T>(o: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }): Promise<T>;
  input(o: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  confirm(o: { message: string; default?: boolean }): Promise<boolean>;
}

export async function inquirerPrompter(): Promise<Prompter> {
  const { select, search, input, confirm } = await import('@inquirer/prompts');
  return {
    select: (o) => select({ message: o.message, choices: o.choices, ...(o.default !== undefined ? { default: o.default } : {}), pageSize: 12 }),
    search: (o) => search({ message: o.message, source: async (term) => o.source(term), pageSize: 12 }),
    input: (o) => input({ message: o.message, ...(o.default !== undefined ? { default: o.default } : {}), ...(o.validate ? { validate: o.validate } : {}) }),
    confirm: (o) => confirm({ message: o.message, ...(o.default !== undefined ? { default: o.default } : {}) }),
  };
}
