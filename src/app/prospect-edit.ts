// Adding one prospect by hand and editing one: the fields a rep sees on the board, their custom
// fields, the owner (a manager reassigns; the live cadence moves with the prospect). Every problem
// is refused in words, naming the field, before anything is written.
import type { Context } from './context.ts';
import { inTransaction, isManager } from './context.ts';
import { findProspect } from './prospects.ts';
import { isErased } from './erase.ts';
import type { Store } from './ports/store/index.ts';
import type { ProspectChange } from './ports/store/prospects.ts';
import { TallyError } from '../core/errors.ts';
import { isEmailAddress } from '../core/email-address.ts';
import { emailKey, nameKey } from '../core/keys.ts';
import { isValidTimeZone } from '../core/schedule.ts';
import { isLinkedInUrl } from '../core/linkedin-url.ts';

export const MAX_CUSTOM_FIELDS = 200;

/** What a person types; null or '' clears a field, undefined leaves it as it is. */
export interface ProspectInput {
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  title?: string | null;
  company?: string | null;
  timezone?: string | null;
  linkedinUrl?: string | null;
  ownerId?: number;
  /** The custom fields as they should be (replaces them all). */
  custom?: Record<string, string>;
}

const invalid = (message: string, field: string) => new TallyError(message, 'invalid', { field });

/** '' and blanks are no value. */
const clean = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

async function checkedChange(ctx: Context, tx: Store, input: ProspectInput, selfId: number | null): Promise<ProspectChange> {
  const set: ProspectChange = {};
  if (input.email !== undefined) {
    const email = input.email.trim();
    if (!email) throw invalid('an email address is needed', 'email');
    if (!isEmailAddress(email)) throw invalid(`"${email}" is not an email address (write it as name@company.com)`, 'email');
    const key = emailKey(email);
    const other = await tx.prospects.find(ctx.workspace.id, { emailKey: key });
    if (other && other.id !== selfId) {
      const mine = isManager(ctx) || other.owner_id === ctx.user.id;
      throw new TallyError(mine ? `another prospect already has the email ${email}` : 'this email is already a prospect of another rep: ask a manager', 'conflict', { field: 'email' });
    }
    if (await isErased(ctx, tx, key)) {
      throw new TallyError('this person was erased on request: they cannot be added again', 'conflict', { field: 'email' });
    }
    set.email = email;
    set.email_key = key;
  }
  for (const [field, column, label] of [['firstName', 'first_name', 'first name'], ['lastName', 'last_name', 'last name'], ['phone', 'phone', 'phone number'], ['title', 'title', 'title']] as const) {
    const v = clean(input[field]);
    if (v === undefined) continue;
    if (v !== null && v.length > 200) throw invalid(`the ${label} is too long (at most 200 characters)`, field);
    set[column] = v;
  }
  const zone = clean(input.timezone);
  if (zone !== undefined) {
    if (zone !== null && !isValidTimeZone(zone)) throw invalid(`unknown time zone "${zone}" (pick one such as America/New_York or Europe/Paris)`, 'timezone');
    set.timezone = zone;
  }
  const linkedin = clean(input.linkedinUrl);
  if (linkedin !== undefined) {
    if (linkedin !== null && !isLinkedInUrl(linkedin)) throw invalid('the LinkedIn profile must be an address like https://www.linkedin.com/in/their-name', 'linkedinUrl');
    set.linkedin_url = linkedin;
  }
  if (input.ownerId !== undefined && input.ownerId !== ctx.user.id) {
    if (!isManager(ctx)) throw new TallyError('only a manager can give a prospect to another rep', 'forbidden', { field: 'ownerId' });
    const owner = await tx.users.byId(input.ownerId);
    if (!owner || owner.workspace_id !== ctx.workspace.id || owner.deactivated_at !== null) throw invalid('the new owner is not an active member of the team', 'ownerId');
  }
  if (input.ownerId !== undefined) set.owner_id = input.ownerId;
  const company = clean(input.company);
  if (company !== undefined) {
    if (company !== null && company.length > 200) throw invalid('the company name is too long (at most 200 characters)', 'company');
    set.company_id = company === null ? null : await companyId(ctx, tx, company);
  }
  if (input.custom !== undefined) set.custom = JSON.stringify(checkedCustom(input.custom));
  return set;
}

function checkedCustom(custom: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(custom)) {
    const key = name.trim();
    if (!key) throw invalid('a custom field needs a name', 'custom');
    if (key.length > 100) throw invalid(`the custom field name "${key.slice(0, 20)}…" is too long (at most 100 characters)`, 'custom');
    if (value.length > 2000) throw invalid(`the custom field "${key}" is too long (at most 2000 characters)`, 'custom');
    if (value.trim()) out[key] = value.trim();
  }
  if (Object.keys(out).length > MAX_CUSTOM_FIELDS) throw invalid(`at most ${MAX_CUSTOM_FIELDS} custom fields`, 'custom');
  return out;
}

async function companyId(ctx: Context, tx: Store, name: string): Promise<number> {
  const key = nameKey(name);
  const known = await tx.records.companyByKey(ctx.workspace.id, key);
  if (known !== undefined) return known;
  return tx.companies.insert({ workspace_id: ctx.workspace.id, name, name_key: key, domain: null, created_at: ctx.now() });
}

export async function createProspect(ctx: Context, input: ProspectInput & { email: string }): Promise<{ id: number }> {
  return ctx.store.transaction(async (tx) => {
    const set = await checkedChange(inTransaction(ctx, tx), tx, input, null);
    const now = ctx.now();
    const [id] = await tx.prospects.insertMany([{
      workspace_id: ctx.workspace.id,
      owner_id: set.owner_id ?? ctx.user.id,
      email: set.email!,
      email_key: set.email_key!,
      first_name: set.first_name ?? null,
      last_name: set.last_name ?? null,
      phone: set.phone ?? null,
      title: set.title ?? null,
      company_id: set.company_id ?? null,
      timezone: set.timezone ?? null,
      linkedin_url: set.linkedin_url ?? null,
      custom: set.custom ?? '{}',
      created_at: now,
      updated_at: now,
    }]);
    return { id: id! };
  });
}

/** Edits the fields given; a new owner takes the live cadence along (it is in their queue from now on). */
export async function updateProspect(ctx: Context, ref: number, input: ProspectInput): Promise<{ id: number }> {
  const p = await findProspect(ctx, ref);
  await ctx.store.transaction(async (tx) => {
    const set = await checkedChange(inTransaction(ctx, tx), tx, input, p.id);
    if (Object.keys(set).length === 0) return;
    await tx.prospects.update(p.id, { ...set, updated_at: ctx.now() });
    if (set.owner_id !== undefined && set.owner_id !== p.owner_id) await tx.enrollments.updateLive(p.id, { owner_id: set.owner_id, updated_at: ctx.now() });
  });
  return { id: p.id };
}
