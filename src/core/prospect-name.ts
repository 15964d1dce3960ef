// How a prospect is named to a person: "First Last", else the address.

export interface NameParts {
  first_name: string | null;
  last_name: string | null;
  email: string;
}

export function displayName(p: NameParts): string {
  return [p.first_name, p.last_name].filter(Boolean).join(' ') || p.email;
}
