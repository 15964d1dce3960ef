// The URL of a call: the route's path with its parameters filled in, and the query string.

type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | null | undefined;
export interface Input {
  params?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

/** "/api/prospects/:id" with {id: 7} → "/api/prospects/7", plus the query string. */
export function urlOf(path: string, input: Input = {}): string {
  const url = path.replace(/:(\w+)/g, (_, name: string) => {
    const value = input.params?.[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query ?? {})) {
    for (const v of [value].flat()) if (v !== undefined && v !== null) q.append(key, String(v));
  }
  const text = q.toString();
  return text ? `${url}?${text}` : url;
}
