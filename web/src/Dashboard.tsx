// Dashboard page (being built).
import type { Me } from './api.ts';

export function Dashboard(_props: { me: Me }) {
  return <h1>Dashboard</h1>;
}
