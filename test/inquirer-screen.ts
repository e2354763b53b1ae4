import { screen } from '@inquirer/testing/vitest';
import { expect } from 'vitest';

/**
 * Waits until the real inquirer prompt on @inquirer/testing's screen shows `pattern`, without polling or timers:
 * screen.next() resolves on the next render (a keypress, a search result, the next prompt). `run` is what drives
 * the prompts; when it ends before the screen matches, the wait ends too, and the expectation shows the screen. A
 * prompt that waits forever on another screen fails on the test's timeout.
 */
export async function untilScreen(pattern: RegExp, run: Promise<unknown>): Promise<void> {
  let ended = false;
  const end = run.then(
    () => (ended = true),
    () => (ended = true),
  );
  while (!ended && !pattern.test(screen.getScreen())) await Promise.race([screen.next(), end]);
  expect(screen.getScreen()).toMatch(pattern);
}
