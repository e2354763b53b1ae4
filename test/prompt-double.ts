import { expect } from 'vitest';
import type { Choice, Prompter } from '../src/ui/prompter.js';

/** Pressing Ctrl+C in a prompt: inquirer rejects with an ExitPromptError. */
export const CTRL_C = Symbol('Ctrl+C');
/** Pressing Enter in a select: its default, else its first choice (as inquirer does). */
export const ENTER = Symbol('Enter');

/**
 * What the admin does at one prompt:
 * - select/confirm: the value, or `{ pick: /name/ }` for the choice whose text matches;
 * - search: `{ type: 'kader 1', pick: /name/ }` (or pick 'first') — the source is really called with the text;
 * - input: the text ('' takes the default). When validation refuses it, the refusal is recorded and the next
 *   step must answer the same prompt again, as inquirer asks again.
 * `meanwhile(effect, answer)`: what happens on the PC while the question waits (a file edited), then the answer.
 */
export type Answer = unknown | { pick: RegExp | 'first' } | { type: string; pick: RegExp | 'first' } | typeof CTRL_C | typeof ENTER;

export interface Step {
  prompt: RegExp;
  answer: Answer;
}

export const step = (prompt: RegExp, answer: Answer): Step => ({ prompt, answer });

const MEANWHILE = Symbol('meanwhile');
export const meanwhile = (effect: () => void, answer: Answer) => ({ [MEANWHILE]: effect, answer });
const isMeanwhile = (a: unknown): a is ReturnType<typeof meanwhile> => typeof a === 'object' && a !== null && MEANWHILE in a;

function exitPromptError(): Error {
  const err = new Error('User force closed the prompt with SIGINT');
  err.name = 'ExitPromptError';
  return err;
}

function pick<T>(choices: Choice<T>[], how: RegExp | 'first', message: string): T {
  const c = how === 'first' ? choices[0] : choices.find((x) => how.test(x.name));
  if (!c) throw new Error(`no choice ${String(how)} at '${message}'; choices: ${choices.map((x) => x.name).join(' | ')}`);
  return c.value;
}

const isPick = (a: unknown): a is { pick: RegExp | 'first'; type?: string } => typeof a === 'object' && a !== null && 'pick' in a;

/** A Prompter that plays a script and keeps a transcript of every question, the choices offered and the answer. */
export class ScriptedPrompter implements Prompter {
  readonly transcript: string[] = [];
  /** The choices of every select and search, by message, to assert what was offered. */
  readonly offered: { message: string; choices: string[] }[] = [];

  constructor(private readonly steps: Step[]) {}

  private next(kind: string, message: string): Answer {
    const s = this.steps.shift();
    if (!s) throw new Error(`unscripted ${kind}: '${message}'\n--- transcript ---\n${this.transcript.join('\n')}`);
    if (!s.prompt.test(message)) throw new Error(`expected a prompt matching ${String(s.prompt)}, got ${kind} '${message}'\n--- transcript ---\n${this.transcript.join('\n')}`);
    this.transcript.push(`? ${message}`);
    let answer = s.answer;
    if (isMeanwhile(answer)) {
      answer[MEANWHILE]();
      answer = answer.answer;
    }
    if (answer === CTRL_C) {
      this.transcript.push('  ^C');
      throw exitPromptError();
    }
    return answer;
  }

  async select<T>(o: { message: string; choices: Choice<T>[]; default?: T }): Promise<T> {
    const a = this.next('select', o.message);
    this.offered.push({ message: o.message, choices: o.choices.map((c) => c.name) });
    const value = a === ENTER ? ('default' in o ? o.default : o.choices[0]?.value) : isPick(a) ? pick(o.choices, a.pick, o.message) : (a as T);
    const chosen = o.choices.find((c) => Object.is(c.value, value) || JSON.stringify(c.value) === JSON.stringify(value));
    if (!chosen) throw new Error(`'${String(value)}' is not offered at '${o.message}': ${o.choices.map((c) => c.name).join(' | ')}`);
    this.transcript.push(`  > ${chosen.name}`);
    return chosen.value;
  }

  async search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }): Promise<T> {
    const a = this.next('search', o.message);
    if (!isPick(a)) throw new Error(`search '${o.message}' needs { type, pick }`);
    const choices = o.source(a.type || undefined);
    this.offered.push({ message: o.message, choices: choices.map((c) => c.name) });
    const value = pick(choices, a.pick, o.message);
    this.transcript.push(`  ${a.type ? `[${a.type}] ` : ''}> ${choices.find((c) => c.value === value)!.name}`);
    return value;
  }

  async input(o: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string> {
    for (;;) {
      const a = this.next('input', o.message);
      const value = a === '' && o.default !== undefined ? o.default : String(a);
      const ok = o.validate ? o.validate(value) : true;
      this.transcript.push(`  > ${value}`);
      if (ok === true) return value;
      this.transcript.push(`  ✖ ${ok}`);
    }
  }

  async confirm(o: { message: string; default?: boolean }): Promise<boolean> {
    const a = this.next('confirm', o.message);
    const value = isPick(a) ? a.pick !== 'first' && a.pick.test('Ja') : Boolean(a);
    this.transcript.push(`  > ${value ? 'Ja' : 'Nee'}`);
    return value;
  }

  /** Every scripted step was used. */
  finished(): void {
    expect(
      this.steps.map((s) => String(s.prompt)),
      `steps left\n--- transcript ---\n${this.transcript.join('\n')}`,
    ).toEqual([]);
  }
}
