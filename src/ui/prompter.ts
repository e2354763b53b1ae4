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

/**
 * Ctrl+D on an empty line closes inquirer's readline without settling its prompt: the wizard then ended with exit 0,
 * its answers gone without a word. So Ctrl+D stops a prompt as Ctrl+C does (ExitPromptError): the answers are
 * offered to keep and the exit code is 130. Also in a line with text, where readline would delete a character: one
 * meaning for the key is clearer than two, and on Windows nobody types it.
 */
function stoppedByCtrlD<T>(input: NodeJS.ReadableStream, prompt: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onKey = (_: unknown, key?: { name?: string; ctrl?: boolean }) => {
    if (key?.ctrl && key.name === 'd') abort.abort();
  };
  const running = prompt(abort.signal);
  // After the prompt made its readline, which turns the input's bytes into these events.
  input.on('keypress', onKey);
  return running
    .catch((err: unknown) => {
      if ((err as Error)?.name !== 'AbortPromptError') throw err;
      const closed = new Error('Ctrl+D');
      closed.name = 'ExitPromptError';
      throw closed;
    })
    .finally(() => input.off('keypress', onKey));
}

export async function inquirerPrompter(streams: PromptStreams = {}): Promise<Prompter> {
  const { select, search, input } = await import('@inquirer/prompts');
  const stdin = streams.input ?? process.stdin;
  const base = {
    ...(streams.input ? { input: streams.input as NodeJS.ReadStream } : {}),
    ...(streams.output ? { output: streams.output as NodeJS.WriteStream } : {}),
  };
  const run = <T>(prompt: (context: typeof base & { signal: AbortSignal }) => Promise<T>) => stoppedByCtrlD(stdin, (signal) => prompt({ ...base, signal }));
  return {
    select: (o) => run((context) => select({ message: o.message, choices: o.choices, ...(o.default !== undefined ? { default: o.default } : {}), pageSize: 12, theme }, context)),
    search: (o) => run((context) => search({ message: o.message, source: async (term) => o.source(term), pageSize: 12, theme }, context)),
    input: (o) => run((context) => input({ message: o.message, ...(o.default !== undefined ? { default: o.default } : {}), ...(o.validate ? { validate: o.validate } : {}) }, context)),
    // Inquirer's confirm is y/N and reads a Dutch "j" as no; a Ja/Nee choice is unambiguous.
    confirm: (o) =>
      run((context) =>
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
      ),
  };
}
