import { fileURLToPath } from 'node:url';

/** Path of a committed fixture, e.g. fixture('csv/crm-export.csv'). */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}
