import { buildIfStale } from './build.js';

// Once, in vitest's main process before any worker starts: the child-process tests run the bundles in dist/npm/,
// and two workers must never rebuild them (and remove the code caches) while another one runs them.
export default function setup(): void {
  buildIfStale();
}
