// Playbook page (being built).
import type { Me } from './api.ts';

export function Playbook(_props: { me: Me }) {
  return <h1>Playbook</h1>;
}
