// Rendering a cadence step into a mail. A template sees the prospect's fields, the sender, and the
// playbook value item the step names ({{value.title}}, {{value.summary}}, {{value.link}}); the
// step's reason (a note for the rep) is never a variable. Fill-in slots ([[insight about their
// market]]) are words only the rep can supply: a draft says which slots and variables still need
// them, and nothing with a need left goes out. Mail is plain text (a person's mail client sends
// plain text); an HTML part is added only when the template uses formatting. Every mail ends with
// an opt-out line.
import Handlebars from 'handlebars';
import { TallyError } from './errors.ts';
import type { UnsubscribeLinks } from './unsubscribe-token.ts';
import { SLOT, slotKey, VALUE_FIELDS, variableKey } from './template-words.ts';

export { slotKey, slotsIn, templateProblems, VALUE_FIELDS, variableKey } from './template-words.ts';


export interface TemplateVars {
  /** Prospect, company, sender and custom fields: only values that exist (a null is missing, not ""). */
  fields: Record<string, string>;
  /** The step's playbook value item; empty when the step names none. */
  value: Partial<Record<(typeof VALUE_FIELDS)[number], string>>;
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

export interface ValueItemFields {
  title: string;
  summary: string;
  url: string | null;
}

export interface Sender {
  name: string;
  email: string;
  /** The rep's signature (their profile): added below every mail, unless the template places {{sender_signature}} itself. */
  signature?: string | null;
}

const present = (v: string | null | undefined): v is string => v !== null && v !== undefined && v.trim() !== '';

export function templateVars(p: ProspectFields, value: ValueItemFields | null, sender: Sender): TemplateVars {
  const fields: Record<string, string> = {};
  try {
    const custom = JSON.parse(p.custom || '{}') as Record<string, unknown>;
    for (const [k, v] of Object.entries(custom)) if (v !== null && v !== undefined && String(v).trim() !== '') fields[k] = String(v);
  } catch {
    // Unreadable custom fields are simply absent: a template that uses one shows it as missing.
  }
  const fixed: Record<string, string | null> = {
    first_name: p.first_name,
    last_name: p.last_name,
    email: p.email,
    title: p.title,
    company: p.company,
    sender_name: sender.name,
    sender_email: sender.email,
    // A template that places the signature itself still reads well for a rep without one.
    sender_signature: present(sender.signature) ? sender.signature : sender.name,
  };
  for (const [k, v] of Object.entries(fixed)) if (present(v)) fields[k] = v;
  const item: TemplateVars['value'] = {};
  if (value) {
    if (present(value.title)) item.title = value.title;
    if (present(value.summary)) item.summary = value.summary;
    if (present(value.url)) item.link = value.url;
  }
  return { fields, value: item };
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

// ---------------------------------------------------------------------------------------------
// What a template uses: variables (required in {{…}}, optional as the condition of #if/#unless)
// and fill-in slots.

interface Uses {
  required: Set<string>;
  optional: Set<string>;
}

type Node = { type?: string; path?: { type?: string; original?: string }; params?: Node[]; body?: Node[]; program?: Node; inverse?: Node; original?: string };

/** Walks a template; inside `{{#if x}}…{{/if}}`, x itself is known to be there (`guarded`). */
function collect(node: Node | undefined, uses: Uses, guarded: ReadonlySet<string> = new Set()): void {
  if (!node || typeof node !== 'object') return;
  if (node.type === 'MustacheStatement' && node.path?.type === 'PathExpression' && (node.params?.length ?? 0) === 0 && !guarded.has(node.path.original!)) {
    uses.required.add(node.path.original!);
  }
  let inside = guarded;
  if (node.type === 'BlockStatement') {
    const params = (node.params ?? []).filter((p) => p.type === 'PathExpression').map((p) => p.original!);
    for (const p of params) uses.optional.add(p);
    if (node.path?.original === 'if') inside = new Set([...guarded, ...params]);
  }
  for (const b of node.body ?? []) collect(b, uses, guarded);
  collect(node.program, uses, inside);
  collect(node.inverse, uses, guarded);
}

function parse(source: string, what: string): Node {
  try {
    return hb.parse(source) as Node;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TallyError(`the ${what} is not a valid template: ${message}`, 'template');
  }
}

/** What each template source names, kept like the compiled templates: the queue drafts every card's mail on every read. */
const usesCache = new Map<string, Readonly<Uses>>();

function uses(source: string, what: string): Readonly<Uses> {
  let u = usesCache.get(source);
  if (!u) {
    const found: Uses = { required: new Set(), optional: new Set() };
    collect(parse(source, what), found);
    if (usesCache.size > 1000) usesCache.clear();
    usesCache.set(source, (u = found));
  }
  return u;
}

/** Every variable a template names, required or not (for checks and the editor). */
export function templateVariables(source: string): string[] {
  const u = uses(source, 'template');
  return [...new Set([...u.required, ...u.optional])];
}

// ---------------------------------------------------------------------------------------------
// Drafting a mail: what the prospect would receive, and what still needs the rep's words.

export interface Need {
  kind: 'slot' | 'variable';
  /** The slot as written ("insight about their market") or the variable ("company", "value.link"). */
  label: string;
  /** What a fill is stored under: slotKey(label) for a slot, "{{company}}" for a variable. */
  key: string;
}


export interface ComposeInput {
  subject: string;
  body: string;
  vars: TemplateVars;
  /** The rep's words, by Need.key: this prospect's first, then the cadence's. */
  fills: ReadonlyMap<string, string>;
  unsubscribe: UnsubscribeLinks;
  /** The rep's signature, added below the text unless the template places {{sender_signature}}. */
  signature?: string | null;
}

export interface MailDraft {
  subject: string;
  text: string;
  /** Only when the template uses formatting (**bold**, [a link](https://…)); else plain text alone. */
  html: string | null;
  /** Slots and variables with no words yet, shown in the draft as [[label]]: nothing goes out until empty. */
  needs: Need[];
}

function lookup(vars: TemplateVars, path: string): string | undefined {
  if (path.startsWith('value.')) return vars.value[path.slice(6) as (typeof VALUE_FIELDS)[number]];
  return vars.fields[path];
}

/** The context Handlebars renders with: known values, the rep's fills, and a visible [[marker]] for the rest. */
function context(sources: string[], input: ComposeInput, needs: Map<string, Need>): Record<string, unknown> {
  const fields: Record<string, string> = { ...input.vars.fields };
  const value: Record<string, string> = { ...input.vars.value };
  for (const source of sources) {
    for (const path of uses(source, 'template').required) {
      if (lookup(input.vars, path) !== undefined) continue;
      const key = variableKey(path);
      const filled = input.fills.get(key);
      if (filled === undefined) needs.set(key, { kind: 'variable', label: path, key });
      const shown = filled ?? `[[${key}]]`;
      if (path.startsWith('value.')) value[path.slice(6)] = shown;
      else fields[path] = shown;
    }
  }
  return { ...fields, value };
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

function compiled(source: string): HandlebarsTemplateDelegate {
  let t = cache.get(source);
  if (!t) {
    const ast = hb.parse(source) as unknown as HbsNode;
    // The text is rendered unescaped and escaped as a whole for HTML: {{{x}}} saved before templates were vetted is harmless.
    const problem = vet(ast, 'keep');
    if (problem) throw new Error(problem);
    t = hb.compile(ast as unknown as hbs.AST.Program, { strict: true, noEscape: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true });
    if (cache.size > 1000) cache.clear();
    cache.set(source, t);
  }
  return t;
}

function render(source: string, ctx: Record<string, unknown>, what: string): string {
  try {
    return compiled(source)(ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TallyError(`cannot render the ${what}: ${message}`, 'template');
  }
}

function fillSlots(text: string, fills: ReadonlyMap<string, string>, needs: Map<string, Need>): string {
  return text.replace(SLOT, (whole, label: string) => {
    if (label.startsWith('{{')) return whole; // a missing variable's marker, already counted
    const key = slotKey(label);
    const filled = fills.get(key);
    if (filled !== undefined) return filled;
    needs.set(key, { kind: 'slot', label: label.trim().replace(/\s+/g, ' '), key });
    return whole;
  });
}

const BOLD = /\*\*([^*\n]+)\*\*/g;
const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g;

/** A template "uses formatting" when it has **bold** or [a link](https://…): only then is HTML sent. */
export function usesFormatting(source: string): boolean {
  return new RegExp(BOLD.source).test(source) || new RegExp(LINK.source).test(source);
}

const escape = (s: string) => hb.Utils.escapeExpression(s);

function toHtml(text: string): string {
  return escape(text)
    .replace(BOLD, '<strong>$1</strong>')
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_w, label: string, href: string) => `<a href="${href}">${label}</a>`)
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

function toPlain(text: string): string {
  return text.replace(BOLD, '$1').replace(LINK, '$1 ($2)');
}

/** The mail a step makes for a prospect, with what still needs the rep's words. Throws only on an unreadable template. */
export function composeMail(input: ComposeInput): MailDraft {
  const needs = new Map<string, Need>();
  const body = input.body.replace(/\r\n/g, '\n').trim();
  const ctx = context([input.subject, body], input, needs);
  const subject = toPlain(fillSlots(render(input.subject, ctx, 'subject'), input.fills, needs)).replace(/\s+/g, ' ').trim();
  const rendered = fillSlots(render(body, ctx, 'template'), input.fills, needs).replace(/\n{3,}/g, '\n\n').trim();
  // Added after rendering: the signature is the rep's text, never a template.
  const filled = input.signature && !templateVariables(body).includes('sender_signature') ? `${rendered}\n\n${input.signature.trim()}` : rendered;
  return { subject, ...withOptOut(filled, usesFormatting(body), input.unsubscribe), needs: [...needs.values()] };
}

/** The plain text and, when the words use formatting, the HTML of the same words: both end with the opt-out line. */
function withOptOut(words: string, formatted: boolean, unsubscribe: UnsubscribeLinks): { text: string; html: string | null } {
  const link = unsubscribe.https ?? unsubscribe.mailto;
  const text = `${toPlain(words)}\n\n--\nNot the right time? Reply "unsubscribe" or open ${link}\n`;
  const html = formatted
    ? `<!doctype html>\n<html><body>\n${toHtml(words)}\n<p style="color:#777;font-size:12px">Not the right time? Reply &quot;unsubscribe&quot; or <a href="${escape(link)}">unsubscribe here</a>.</p>\n</body></html>\n`
    : null;
  return { text, html };
}

/** The rep's own words for one prospect, edited from the draft in the queue: final text, not a template. */
export interface MailEdit {
  subject?: string;
  text?: string;
}

/** Why an edited mail cannot go as written (a marker left unfilled, an empty subject), or null. */
export function editProblem(edit: MailEdit): { field: 'subject' | 'text'; message: string } | null {
  if (edit.subject !== undefined) {
    if (!edit.subject.trim()) return { field: 'subject', message: 'the subject is empty: write one before sending' };
    if (/[\r\n]/.test(edit.subject)) return { field: 'subject', message: 'the subject must fit on one line' };
  }
  if (edit.text !== undefined) {
    const text = edit.text.trim();
    if (!text) return { field: 'text', message: 'the message is empty: write it before sending' };
    // Edited words go as written: a marker left in would reach the prospect as is.
    const marker = /\[\[[^\]\n]*\]\]|\{\{[^}\n]*\}\}/.exec(text);
    if (marker) return { field: 'text', message: `the message still has ${marker[0]}: replace it with your words before sending` };
  }
  return null;
}

/**
 * The mail with the rep's edits: an edited text replaces the words above the opt-out line (HTML-escaped
 * like a template's, with an HTML part only when it uses **bold** or [a link](https://…)); an edited
 * subject replaces the subject. Throws a TallyError when the edit cannot go as written.
 */
export function applyEdit(mail: { subject: string; text: string; html: string | null }, edit: MailEdit, unsubscribe: UnsubscribeLinks): { subject: string; text: string; html: string | null } {
  const problem = editProblem(edit);
  if (problem) throw new TallyError(`Not sent: ${problem.message}.`, 'invalid', { field: problem.field });
  const subject = edit.subject === undefined ? mail.subject : edit.subject.replace(/\s+/g, ' ').trim();
  if (edit.text === undefined) return { ...mail, subject };
  const words = edit.text.replace(/\r\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return { subject, ...withOptOut(words, usesFormatting(words), unsubscribe) };
}

/** "[[insight about their market]] and {{company}}": the needs as a rep reads them. */
export function describeNeeds(needs: readonly Need[]): string {
  return needs.map((n) => (n.kind === 'slot' ? `[[${n.label}]]` : `{{${n.label}}} (missing for this prospect)`)).join(', ');
}
