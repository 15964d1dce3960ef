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

/**
 * Tally's templates are variables ({{first_name}}) and, for optional parts, {{#if x}}…{{else}}…{{/if}}
 * and {{#unless x}}: nothing else. Handlebars' other built-ins reach outside the mail ({{log}} writes
 * to the server's console, {{lookup}} walks objects), partials and decorators load code, and
 * {{{triple}}} or {{&x}} would put imported text unescaped into the HTML part.
 */
const HELPERS = new Set(['if', 'unless']);
const hb = Handlebars.create();
for (const name of Object.keys(hb.helpers)) if (!HELPERS.has(name) && name !== 'helperMissing' && name !== 'blockHelperMissing') hb.unregisterHelper(name);
const KNOWN_HELPERS = { if: true, unless: true, each: false, with: false, log: false, lookup: false };

interface HbsNode {
  type?: string;
  escaped?: boolean;
  path?: HbsNode & { original?: string; type?: string };
  params?: HbsNode[];
  hash?: { pairs?: unknown[] };
  body?: HbsNode[];
  program?: HbsNode;
  inverse?: HbsNode;
}

function nameOf(n: HbsNode): string {
  return n.path?.original ?? '?';
}

/** What {{{x}}} does: refused when a cadence is saved; in a mail, escaped in the HTML part and plain in the text part. */
type Unescaped = 'refuse' | 'escape' | 'keep';

/** What is wrong with a template in words a rep understands, or null. */
function vet(node: HbsNode | undefined, unescaped: Unescaped): string | null {
  if (!node || typeof node !== 'object') return null;
  switch (node.type) {
    case 'PartialStatement':
    case 'PartialBlockStatement':
    case 'DecoratorBlock':
    case 'Decorator':
      return 'partials and decorators ({{> …}}, {{* …}}) are not available in Tally templates';
    case 'MustacheStatement': {
      if (node.path?.type !== 'PathExpression') return 'write variables as {{name}}';
      if ((node.params?.length ?? 0) > 0 || (node.hash?.pairs?.length ?? 0) > 0) return `{{${nameOf(node)} …}} is not available: Tally templates take variables like {{first_name}} and {{#if …}} blocks only`;
      if (!node.escaped && unescaped === 'refuse') return `{{{${nameOf(node)}}}} (unescaped output) is not allowed: write {{${nameOf(node)}}}`;
      if (!node.escaped && unescaped === 'escape') node.escaped = true;
      return null;
    }
    case 'BlockStatement': {
      const helper = nameOf(node);
      if (!HELPERS.has(helper)) return `{{#${helper}}} is not available: Tally templates have {{#if name}} and {{#unless name}} blocks only`;
      if (node.params?.length !== 1 || node.params[0]?.type !== 'PathExpression' || (node.hash?.pairs?.length ?? 0) > 0) return `write {{#${helper} name}} with one variable`;
      return vet(node.program, unescaped) ?? vet(node.inverse, unescaped);
    }
    default:
      for (const child of node.body ?? []) {
        const problem = vet(child, unescaped);
        if (problem) return problem;
      }
      return null;
  }
}

/** Why Tally would refuse this template (cadence validation), or null when it is fine. */
export function templateProblem(source: string): string | null {
  let ast: HbsNode;
  try {
    ast = hb.parse(source) as unknown as HbsNode;
  } catch (err) {
    return `cannot read the template: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
  }
  return vet(ast, 'refuse');
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

function compile(source: string, html: boolean): HandlebarsTemplateDelegate {
  const key = `${html ? 'h' : 't'}:${source}`;
  let t = cache.get(key);
  if (!t) {
    const ast = hb.parse(source) as unknown as HbsNode;
    // In the HTML part, a {{{triple}}} saved before templates were vetted is escaped like any variable.
    const problem = vet(ast, html ? 'escape' : 'keep');
    if (problem) throw new Error(problem);
    t = hb.compile(ast as unknown as hbs.AST.Program, { strict: true, noEscape: !html, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true });
    if (cache.size > 1000) cache.clear();
    cache.set(key, t);
  }
  return t;
}

/** Escapes the literal text of a template (outside of {{…}}) so it can be rendered as HTML. */
function escapeLiterals(source: string): string {
  return source
    .split(/({{{?[\s\S]*?}}}?)/)
    .map((part, i) => (i % 2 === 1 ? part : hb.Utils.escapeExpression(part)))
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
  const htmlFooter = `<p style="color:#777;font-size:12px">Not the right time? Reply &quot;unsubscribe&quot; or <a href="${hb.Utils.escapeExpression(link)}">unsubscribe here</a>.</p>`;
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
  walk(hb.parse(source));
  return [...names];
}
