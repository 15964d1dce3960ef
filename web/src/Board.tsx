// Tally board page (being built).
import type { Me } from './api.ts';

export function Board(_props: { me: Me }) {
  return <h1>Tally board</h1>;
}
