// What a cadence's emails would say to one prospect: each email step drafted as it would go out
// (text, and HTML when the template uses formatting), with what still needs the rep's words, the
// rep notes or slots the editor flags in prospect-facing fields, and how the step is sent. Nothing
// is saved. The sample is a prospect the user may see, or a made-up one when they have none.
import { composeMail, templateVars, type MailDraft, type ProspectFields } from '../core/mail-template.ts';
import { copyWarnings, type CopyWarning } from '../core/step-copy.ts';
import { sendingMode, type SendingDecision } from '../core/step-sending.ts';
import { TallyError } from '../core/errors.ts';
import type { CadenceDefinition } from '../core/types.ts';
import { unsubscribeLinks, unsubscribeToken } from '../core/unsubscribe-token.ts';
import type { Context } from './context.ts';
import { findMailbox } from './mailboxes.ts';
import { findProspect } from './prospects.ts';
import { unsubscribeUrlOf } from './unsubscribe-url.ts';

export interface StepMessage {
  /** 1-based. */
  step: number;
  name: string;
  /** null when the step cannot be drafted (no template…): `error` says why. */
  draft: MailDraft | null;
  error: string | null;
  warnings: CopyWarning[];
  sending: SendingDecision;
}

export interface MessagePreview {
  prospect: { id: number | null; name: string; email: string; company: string | null };
  steps: StepMessage[];
}

const SAMPLE: ProspectFields = { first_name: 'Dana', last_name: 'Scully', email: 'dana@example.com', title: 'VP Sales', company: 'Acme Corp', custom: '{}' };

async function sampleProspect(ctx: Context, ref: string | number | undefined): Promise<{ id: number | null; fields: ProspectFields }> {
  if (ref === undefined) return { id: null, fields: SAMPLE };
  const p = await findProspect(ctx, ref);
  const company = p.company_id === null ? null : (await ctx.store.companies.names([p.company_id])).get(p.company_id) ?? null;
  return { id: p.id, fields: { ...p, company } };
}

export async function previewMessages(ctx: Context, def: CadenceDefinition, opts: { prospect?: string | number } = {}): Promise<MessagePreview> {
  const [{ id, fields }, mailbox, items] = await Promise.all([sampleProspect(ctx, opts.prospect), findMailbox(ctx), ctx.store.playbook.valueItems(ctx.workspace.id)]);
  const from = mailbox?.from_address ?? ctx.user.email;
  const token = unsubscribeToken({ workspaceId: ctx.workspace.id, prospectId: id ?? 0 }, ctx.secrets.unsubscribeKey());
  const unsubscribe = unsubscribeLinks(token, from, unsubscribeUrlOf(ctx.settings, mailbox));
  const byKey = new Map(items.filter((v) => !v.archived).map((v) => [v.key, v]));
  const sender = { name: mailbox?.from_name ?? ctx.user.name, email: from, signature: ctx.user.signature };
  const steps: StepMessage[] = [];
  def.steps.forEach((s, i) => {
    if (s.channel !== 'email') return;
    const base = { step: i + 1, name: s.name, warnings: copyWarnings(s), sending: sendingMode(def.steps, i, 0) };
    if (!s.template) return steps.push({ ...base, draft: null, error: 'no template: write the email the prospect receives' });
    const vars = templateVars(fields, s.valueItemKey ? byKey.get(s.valueItemKey) ?? null : null, sender);
    try {
      steps.push({ ...base, draft: composeMail({ subject: s.subject ?? '', body: s.template, vars, fills: new Map(), unsubscribe, signature: sender.signature }), error: null });
    } catch (err) {
      if (!(err instanceof TallyError)) throw err;
      steps.push({ ...base, draft: null, error: err.message });
    }
  });
  const name = [fields.first_name, fields.last_name].filter(Boolean).join(' ') || fields.email;
  return { prospect: { id, name, email: fields.email, company: fields.company }, steps };
}
