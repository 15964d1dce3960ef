// The words of a template, read without a template engine (cadence validation and the CLI's light
// commands load no Handlebars): fill-in slots, the variables it names, and the problems a rep fixes
// before saving. Rendering is core/mail-template.ts.

/** The fields of the playbook value item a template may use. */
export const VALUE_FIELDS = ['title', 'summary', 'link'] as const;

/** [[words the rep must write]]: at most 120 characters, no brackets inside. */
export const SLOT = /\[\[([^[\]\n]{1,120})\]\]/g;

/** How a slot is known across steps and prospects: whitespace folded, case ignored. */
export function slotKey(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The fill-in slots of a text, each once, as written. */
export function slotsIn(source: string): string[] {
  const seen = new Map<string, string>();
  for (const m of source.matchAll(SLOT)) {
    const label = m[1]!.trim().replace(/\s+/g, ' ');
    if (label && !seen.has(slotKey(label))) seen.set(slotKey(label), label);
  }
  return [...seen.values()];
}

/** What a fill for a missing variable is stored under: "{{company}}". */
export const variableKey = (path: string) => `{{${path}}}`;

/** {{name}}, {{{name}}}, {{#if name}}, {{#unless name}}: the names a template reads. */
const MUSTACHE = /\{\{\{?~?\s*(?:#\s*(?:if|unless)\s+)?([A-Za-z_][\w.]*)\s*~?\}?\}\}/g;

export function namedVariables(source: string): string[] {
  return [...new Set([...source.matchAll(MUSTACHE)].map((m) => m[1]!).filter((n) => n !== 'else'))];
}

const RETIRED: Record<string, string> = {
  value_item:
    "{{value_item}} is no longer a template variable: it printed the step's reason, a note for you, into the mail. Name a playbook value item in value_item_key and write {{value.title}}, {{value.summary}} or {{value.link}} instead",
};

/** Problems a rep must fix before a template is saved: retired or unknown value fields. */
export function templateProblems(source: string): string[] {
  const problems: string[] = [];
  for (const name of namedVariables(source)) {
    if (RETIRED[name]) problems.push(RETIRED[name]);
    else if (name === 'value') problems.push('{{value}} alone is not a field: write {{value.title}}, {{value.summary}} or {{value.link}}');
    else if (name.startsWith('value.') && !(VALUE_FIELDS as readonly string[]).includes(name.slice(6))) {
      problems.push(`{{${name}}} is not a field of a value item: use {{value.title}}, {{value.summary}} or {{value.link}}`);
    }
  }
  return problems;
}
