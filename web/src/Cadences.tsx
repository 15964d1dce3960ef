// Cadences page (being built).
import type { Me } from './api.ts';

export function Cadences(_props: { me: Me }) {
  return <h1>Cadences</h1>;
}
