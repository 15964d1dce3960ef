// What a prospect CSV may hold: the fields a column can be mapped to (besides custom.NAME and
// ignore) and the text encodings an import reads. Shared by the CLI, the API contract and the web.

// `country` and `state` are kept as custom fields under their column's name and, when the file
// gives no time zone, tell which zone the prospect is in (core/zone-inference.ts).
export const PROSPECT_FIELDS = ['email', 'first_name', 'last_name', 'name', 'phone', 'title', 'linkedin_url', 'company', 'timezone', 'owner', 'priority', 'country', 'state'] as const;
export type ProspectField = (typeof PROSPECT_FIELDS)[number];

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];
