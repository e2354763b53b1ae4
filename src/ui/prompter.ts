import { styleText } from 'node:util';

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

const KEY_HELP: Record<string, string> = { navigate: 'kiezen', select: 'bevestigen' };

/** Inquirer's key hints, in Dutch. */
const theme = {
  style: {
    keysHelpTip: (keys: [string, string][]) => keys.map(([key, action]) => `${styleText('bold', key)} ${styleText('dim', KEY_HELP[action] ?? action)}`).join(styleText('dim', ' • ')),
  },
};

/** The terminal the prompts read and draw on; process.stdin/stdout when not given. */
export interface PromptStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

export async function inquirerPrompter(streams: PromptStreams = {}): Promise<Prompter> {
  const { select, search, input } = await import('@inquirer/prompts');
  const context = {
    ...(streams.input ? { input: streams.input as NodeJS.ReadStream } : {}),
    ...(streams.output ? { output: streams.output as NodeJS.WriteStream } : {}),
  };
  return {
    select: (o) => select({ message: o.message, choices: o.choices, ...(o.default !== undefined ? { default: o.default } : {}), pageSize: 12, theme }, context),
    search: (o) => search({ message: o.message, source: async (term) => o.source(term), pageSize: 12, theme }, context),
    input: (o) => input({ message: o.message, ...(o.default !== undefined ? { default: o.default } : {}), ...(o.validate ? { validate: o.validate } : {}) }, context),
    // Inquirer's confirm is y/N and reads a Dutch "j" as no; a Ja/Nee choice is unambiguous.
    confirm: (o) =>
      select(
        {
          message: o.message,
          choices: [
            { name: 'Ja', value: true },
            { name: 'Nee', value: false },
          ],
          default: o.default ?? false,
          theme,
        },
        context,
      ),
  };
}
