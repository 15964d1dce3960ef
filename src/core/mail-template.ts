// Rendering a cadence step into a mail: Handlebars in strict mode, so a missing variable is an
// error naming the variable, the step and the prospect, never an empty string. The HTML part is
// escaped by Handlebars; the text part is not HTML-escaped. Every mail ends with an opt-out line.
import Handlebars from 'handlebars';
import { TallyError } from './errors.ts';
import type { UnsubscribeLinks } from './unsubscribe-token.ts';

export type TemplateVars = Record<string, string>;

export interface RenderInput {
  subject: string;
  body: string;
  vars: TemplateVars;
  /** For error messages: "step 2 (Case study email)". */
  stepLabel: string;
  /** For error messages: "Dana Scully <dana@fbi.example>". */
  prospectLabel: string;
  unsubscribe: UnsubscribeLinks;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface ProspectFields {
  first_name: string | null;
  last_name: string | null;
  email: string;
  title: string | null;
  company: string | null;
  /** JSON object of custom fields. */
  custom: string;
}

/** The variables of a step for a prospect: only values that exist (a null is missing, not ""). */
export function templateVars(p: ProspectFields, valueItem: string, senderName: string): TemplateVars {
  const vars: TemplateVars = {};
  try {
    const custom = JSON.parse(p.custom || '{}') as Record<string, unknown>;
    for (const [k, v] of Object.entries(custom)) if (v !== null && v !== undefined && String(v).trim() !== '') vars[k] = String(v);
  } catch {
    // Unreadable custom fields are simply absent: a template that uses one fails by name.
  }
  const fixed: Record<string, string | null> = {
    first_name: p.first_name,
    last_name: p.last_name,
    email: p.email,
    title: p.title,
    company: p.company,
    value_item: valueItem,
    sender_name: senderName,
  };
  for (const [k, v] of Object.entries(fixed)) if (v !== null && v.trim() !== '') vars[k] = v;
  return vars;
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

function compile(source: string, html: boolean): HandlebarsTemplateDelegate {
  const key = `${html ? 'h' : 't'}:${source}`;
  let t = cache.get(key);
  if (!t) {
    t = Handlebars.compile(source, { strict: true, noEscape: !html, knownHelpersOnly: false });
    if (cache.size > 1000) cache.clear();
    cache.set(key, t);
  }
  return t;
}

/** Escapes the literal text of a template (outside of {{…}}) so it can be rendered as HTML. */
function escapeLiterals(source: string): string {
  return source
    .split(/({{{?[\s\S]*?}}}?)/)
    .map((part, i) => (i % 2 === 1 ? part : Handlebars.Utils.escapeExpression(part)))
    .join('');
}

function run(source: string, vars: TemplateVars, html: boolean, what: string, input: RenderInput): string {
  try {
    return compile(source, html)(vars);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const missing = /"([^"]+)" not defined/.exec(message);
    if (missing) {
      throw new TallyError(`missing variable {{${missing[1]}}} in the ${what} of ${input.stepLabel} for ${input.prospectLabel}`, 'template', { field: missing[1] });
    }
    throw new TallyError(`cannot render the ${what} of ${input.stepLabel} for ${input.prospectLabel}: ${message.split('\n')[0]}`, 'template');
  }
}

function paragraphs(escapedText: string): string {
  return escapedText
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

/** Renders subject, text and HTML parts, with the opt-out footer. Throws TallyError naming what is missing. */
export function renderMail(input: RenderInput): RenderedMail {
  const subject = run(input.subject, input.vars, false, 'subject', input).replace(/\s+/g, ' ').trim();
  const body = input.body.replace(/\r\n/g, '\n').trim();
  const text = run(body, input.vars, false, 'template', input);
  const htmlBody = run(escapeLiterals(body), input.vars, true, 'template', input);
  const link = input.unsubscribe.https ?? input.unsubscribe.mailto;
  const textFooter = `\n\n--\nNot the right time? Reply "unsubscribe" or open ${link}\n`;
  const htmlFooter = `<p style="color:#777;font-size:12px">Not the right time? Reply &quot;unsubscribe&quot; or <a href="${Handlebars.Utils.escapeExpression(link)}">unsubscribe here</a>.</p>`;
  const html = `<!doctype html>\n<html><body>\n${paragraphs(htmlBody)}\n${htmlFooter}\n</body></html>\n`;
  return { subject, text: `${text}${textFooter}`, html };
}

/** Checks a template compiles (for cadence validation and dry runs), without values. */
export function templateVariables(source: string): string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; path?: { type?: string; original?: string }; params?: unknown[]; body?: unknown[]; program?: unknown; inverse?: unknown };
    if ((n.type === 'MustacheStatement' || n.type === 'SubExpression') && n.path?.type === 'PathExpression' && n.path.original && (n.params?.length ?? 0) === 0) names.add(n.path.original);
    for (const p of n.params ?? []) if ((p as { type?: string }).type === 'PathExpression') names.add((p as { original: string }).original);
    for (const b of n.body ?? []) walk(b);
    walk(n.program);
    walk(n.inverse);
  };
  walk(Handlebars.parse(source));
  return [...names];
}
