// The demo workspace: a few hundred realistic prospects, cadences and a week of touch history,
// made through the same services a rep uses, so the history is exactly what Tally would have recorded.
import { DateTime } from 'luxon';
import type { Runtime } from './ports/runtime.ts';
import type { NewProspect } from './ports/store/prospects.ts';
import { validateCadence } from '../core/cadence.ts';
import { DEFAULT_CADENCE_NAME, DEFAULT_CADENCES } from '../core/default-cadences.ts';
import type { ObjectionInput, ValueItemInput } from '../core/playbook.ts';
import type { CadenceDefinition } from '../core/types.ts';
import { createObjection, createValueItem } from './playbook.ts';
import type { Outcome } from '../core/types.ts';
import { openContext, type Context } from './context.ts';
import { initWorkspace } from './workspace.ts';
import { saveCadence } from './cadences.ts';
import { enroll } from './enrollments.ts';
import { logTouch } from './touches.ts';
import { emailKey, nameKey } from '../core/keys.ts';

/** Small seeded generator: the same demo every time. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ava', 'Liam', 'Noah', 'Mia', 'Lucas', 'Zoe', 'Ethan', 'Chloe', 'Mateo', 'Priya', 'Arjun', 'Hana', 'Kenji', 'Sofia', 'Jonas', 'Lena', 'Omar', 'Fatima', 'Diego', 'Camila', 'Wei', 'Mei', 'Tomás', 'Inès', 'Elif', 'Emre', 'Grace', 'Daniel', 'Nora', 'Felix', 'Ruth', 'Samuel', 'Ingrid', 'Lars', 'Aisha', 'Kwame', 'Yuki', 'Marta', 'Pavel', 'Chiara'];
const LAST = ['Johnson', 'Martin', 'Schmidt', 'Dubois', 'García', 'Rossi', 'Nakamura', 'Kim', 'Singh', 'Patel', 'Okafor', 'Nguyen', 'Silva', 'Novak', 'Larsen', 'Hughes', 'Fischer', 'Moreau', 'López', 'Bianchi', 'Tanaka', 'Cohen', 'Kowalski', 'Andersson', 'Byrne', 'Mensah', 'Haddad', 'Costa', 'Weber', 'Murphy'];
const COMPANIES: [string, string, string][] = [
  ['Northwind Logistics', 'northwind-logistics.com', 'America/Chicago'], ['Bluepeak Software', 'bluepeak.io', 'America/Los_Angeles'],
  ['Harbor & Finch', 'harborfinch.com', 'America/New_York'], ['Kestrel Health', 'kestrelhealth.com', 'America/New_York'],
  ['Lumen Analytics', 'lumenanalytics.co', 'Europe/London'], ['Alpenrose Maschinenbau', 'alpenrose.de', 'Europe/Berlin'],
  ['Maison Verdier', 'maisonverdier.fr', 'Europe/Paris'], ['Solana Retail Group', 'solanaretail.es', 'Europe/Madrid'],
  ['Tidewater Energy', 'tidewater-energy.com', 'America/Denver'], ['Quill & Co', 'quillco.com', 'America/Los_Angeles'],
  ['Aurora Fintech', 'aurorafintech.ca', 'America/Toronto'], ['Kiwi Freight', 'kiwifreight.co.nz', 'Pacific/Auckland'],
  ['Sakura Components', 'sakura-components.jp', 'Asia/Tokyo'], ['Ganges Data Labs', 'gangesdata.in', 'Asia/Kolkata'],
  ['Copperline Telecom', 'copperline.com', 'America/Chicago'], ['Fjord Outdoor', 'fjordoutdoor.no', 'Europe/Oslo'],
  ['Atlas Insurance', 'atlas-ins.com', 'America/New_York'], ['Verde Foods', 'verdefoods.com.br', 'America/Sao_Paulo'],
  ['Orbit Robotics', 'orbitrobotics.ai', 'America/Los_Angeles'], ['Beacon Legal', 'beaconlegal.co.uk', 'Europe/London'],
  ['Cedar Property Partners', 'cedarpp.com', 'America/New_York'], ['Pinnacle Staffing', 'pinnaclestaffing.com', 'America/Phoenix'],
  ['Mistral Aviation', 'mistral-aviation.fr', 'Europe/Paris'], ['Granite Construction Supply', 'granitecs.com', 'America/Denver'],
  ['Helix Biotech', 'helixbio.ch', 'Europe/Zurich'], ['Newfound Fisheries', 'newfoundfish.ca', 'America/St_Johns'],
  ['Everest Trekking Co', 'everesttrek.np', 'Asia/Kathmandu'], ['Coral Bay Resorts', 'coralbay.com.au', 'Australia/Sydney'],
  ['Ironclad Security', 'ironcladsec.com', 'America/Chicago'], ['Saffron Hospitality', 'saffronhotels.ae', 'Asia/Dubai'],
];
const TITLES = ['VP Sales', 'Head of Operations', 'CFO', 'Director of IT', 'Revenue Operations Manager', 'COO', 'Head of Procurement', 'Sales Director', 'CTO', 'Marketing Director', 'Office Manager', 'Founder & CEO'];
const INDUSTRY: Record<string, string> = { Logistics: 'logistics', Software: 'software', Health: 'healthcare' };

// The demo team's playbook: what prospects really say, answers that keep the conversation going,
// and the material that gives each touch its value.
const DEMO_OBJECTIONS: ObjectionInput[] = [
  { key: 'send-me-an-email', objection: 'Just send me an email.', tags: ['brush-off'],
    answer: 'Happy to. So I send something worth reading: is it the follow-up gaps or the reporting that matters more to you right now? I will keep it to five lines.' },
  { key: 'no-time', objection: "I don't have time for this right now.",
    answer: 'Understood, I will be quick: one number and one question, thirty seconds. If it is not relevant, tell me and I will not call again.' },
  { key: 'not-the-right-person', objection: "I'm not the right person for this.",
    answer: 'Thanks for saying so. Who owns follow-up and pipeline hygiene on your team? May I mention that you pointed me to them?' },
  { key: 'already-use-a-crm', objection: 'We already use a CRM for this.', tags: ['competition'],
    answer: 'Most of our customers do too: the CRM stores the record, Tally makes sure the next touch happens. We sit next to it. Which CRM do you use? We import from it.' },
  { key: 'too-expensive', objection: "It's too expensive.", tags: ['pricing'],
    answer: 'Compared with what? One extra meeting a month usually covers a seat. Shall I run your numbers through the ROI calculator with you, so you can judge with your own figures?' },
  { key: 'no-budget', objection: "We don't have budget this year.", tags: ['pricing', 'timing'],
    answer: 'That is common this time of year. When does planning for next year start? I can send the case study now so it is on the table when budgets open.' },
  { key: 'not-a-priority', objection: "It's not a priority this quarter.", tags: ['timing'],
    answer: 'Fair. What is the priority? If it is pipeline, follow-up is usually the cheapest lever. Otherwise, when should I check back: next quarter?' },
  { key: 'call-me-in-six-months', objection: 'Call me back in six months.', tags: ['timing'],
    answer: 'Will do, I will put it in the calendar. What would need to change by then for this to be worth a conversation?' },
  { key: 'how-did-you-get-my-number', objection: 'How did you get my number?', channel: 'call',
    answer: 'It is listed on your company website. If you would rather I email, say so and I will not call again.' },
];

const DEMO_VALUE_ITEMS: ValueItemInput[] = [
  { key: 'follow-up-benchmark', kind: 'insight', title: 'Only 2% of sales close on the first conversation',
    summary: 'Only 2% of sales close on the first conversation, yet about three reps in four never follow up after the first touch: most pipeline is lost to silence, not to a "no".' },
  { key: 'northwind-case-study', kind: 'case_study', title: 'Northwind Logistics: no prospect left without a next touch',
    summary: 'Northwind Logistics, a 12-rep team, moved every prospect into a cadence: touches per prospect went from 1.6 to 6.2, and meetings booked rose by a third in one quarter.',
    url: 'https://tally.example/customers/northwind-logistics' },
  { key: 'evaluation-checklist', kind: 'link', title: 'Sales engagement evaluation checklist',
    summary: 'It is a checklist of twelve questions to ask any vendor, from guardrails against over-contacting to data export.',
    url: 'https://tally.example/resources/evaluation-checklist' },
  { key: 'roi-calculator', kind: 'link', title: 'Follow-up ROI calculator',
    summary: 'Reps, prospects per month and current follow-up rate in; extra meetings per month out.', url: 'https://tally.example/roi' },
  { key: 'quarterly-trend-report', kind: 'insight', title: 'Buyers answer on the fourth to sixth touch',
    summary: 'Across our customers, half of all replies came after the third touch; email and phone mixed beat either alone.' },
];

/** Playbook references for the built-in outbound cadence's steps, by step index (its emails' own items otherwise). */
const OUTBOUND_REFS: Record<number, { value_item_key?: string; objections?: string[]; objection_tags?: string[] }> = {
  2: { value_item_key: 'follow-up-benchmark', objections: ['no-time', 'not-the-right-person', 'send-me-an-email'] },
  3: { value_item_key: 'northwind-case-study' },
  4: { value_item_key: 'northwind-case-study', objections: ['already-use-a-crm', 'too-expensive'] },
  5: { value_item_key: 'evaluation-checklist' },
  7: { objections: ['not-a-priority'], objection_tags: ['pricing'] },
  9: { objection_tags: ['timing'] },
};

const INBOUND_CADENCE = {
  name: 'Inbound demo request',
  description: 'Fast follow-up for people who asked for a demo: 6 touches in 8 business days.',
  nurture: 'Tally nurture',
  steps: [
    { channel: 'call', delay: '0h', name: 'Call within the hour', reason: 'answer their question while it is fresh', talking_points: ['Ask what prompted the request', 'Offer two demo slots'], objections: ['no-time', 'send-me-an-email'] },
    { channel: 'email', delay: '2h', name: 'Recap and slots', subject: 'Your demo request, {{first_name}}',
      template: "Hi {{first_name}},\n\nThanks for asking for a demo. I can do [[two times that suit you]]; 20 minutes is enough, and I'll start with the part you asked about.\n\nWhich of those works better for you?\n\n{{sender_name}}",
      reason: 'two proposed times, so booking takes one reply', talking_points: ['Offer times in their time zone'] },
    { channel: 'call', delay: 1, name: 'Second call', reason: 'a customer story from their industry', value_item_key: 'northwind-case-study', talking_points: ['Mention a peer company by name if allowed'], objection_tags: ['pricing', 'competition'] },
    { channel: 'sms', delay: 1, name: 'Short text', reason: 'a one-line link to book a time that suits them', talking_points: ['Keep it under 160 characters'] },
    { channel: 'email', delay: 2, name: 'Resource email', subject: 'A checklist for {{company}}',
      template: 'Hi {{first_name}},\n\nWhether or not we end up working together, this may help. {{value.summary}}{{#if value.link}}\n\n{{value.link}}{{/if}}\n\nWould a short call to go through it be useful?\n\n{{sender_name}}',
      reason: 'an evaluation checklist they can use with any vendor', value_item_key: 'evaluation-checklist', talking_points: [] },
    { channel: 'call', delay: 3, name: 'Last call', reason: 'an offer to follow up next quarter instead', value_item_key: 'roi-calculator', talking_points: ['A "not now" is fine: ask when'], objection_tags: ['timing'] },
  ],
};

function withRefs(def: CadenceDefinition, refs: typeof OUTBOUND_REFS): CadenceDefinition {
  return {
    ...def,
    steps: def.steps.map((s, i) => {
      const r = refs[i];
      if (!r) return s;
      return { ...s, ...(r.value_item_key ? { valueItemKey: r.value_item_key } : {}), ...(r.objections ? { objections: r.objections } : {}), ...(r.objection_tags ? { objectionTags: r.objection_tags } : {}) };
    }),
  };
}

export interface DemoSummary {
  prospects: number;
  companies: number;
  users: number;
  cadences: number;
  enrollments: number;
  touches: number;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function outcomeFor(channel: string, rand: () => number): Outcome {
  const r = rand();
  if (channel === 'email' || channel === 'linkedin' || channel === 'sms') return r < 0.06 ? 'replied' : r < 0.08 ? 'meeting_booked' : r < 0.09 ? 'opted_out' : 'sent';
  if (channel === 'call') return r < 0.5 ? 'no_answer' : r < 0.85 ? 'left_voicemail' : r < 0.92 ? 'meeting_booked' : r < 0.97 ? 'not_interested' : 'wrong_person';
  return 'sent';
}

/** The demo's prospects: realistic names at the demo companies, spread over the owners, no address twice. */
function demoProspects(rand: () => number, o: { count: number; workspaceId: number; owners: number[]; companyIds: Map<string, number>; at: number }): NewProspect[] {
  const used = new Set<string>();
  const rows: NewProspect[] = [];
  for (let i = 0; rows.length < o.count; i++) {
    const first = pick(rand, FIRST);
    const last = pick(rand, LAST);
    const [company, domain, zone] = pick(rand, COMPANIES);
    const local = `${first}.${last}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase();
    const email = `${local}${used.has(`${local}@${domain}`) ? i : ''}@${domain}`;
    if (used.has(email)) continue;
    used.add(email);
    const industry = Object.keys(INDUSTRY).find((k) => company.includes(k));
    rows.push({
      workspace_id: o.workspaceId,
      owner_id: pick(rand, o.owners),
      email,
      email_key: emailKey(email),
      first_name: first,
      last_name: last,
      phone: `+1 555 ${String(100 + Math.floor(rand() * 900))} ${String(1000 + Math.floor(rand() * 9000))}`,
      title: pick(rand, TITLES),
      company_id: o.companyIds.get(company)!,
      timezone: zone,
      priority: rand() < 0.1 ? 2 : rand() < 0.2 ? 1 : 0,
      custom: JSON.stringify({ source: pick(rand, ['webinar', 'trade show', 'outbound list', 'referral', 'website']), ...(industry ? { industry: INDUSTRY[industry] } : {}) }),
      created_at: o.at,
      updated_at: o.at,
    });
  }
  return rows;
}

/** Works the queue pass after pass the way a rep would, until nothing is due; returns the touches logged. */
async function workTheQueue(
  store: Runtime['store'],
  o: { workspaceId: number; now: number; rand: () => number; neglected: Set<number>; ctxFor: (userId: number, at: number) => Context },
): Promise<number> {
  const { now, rand } = o;
  let touches = 0;
  for (let pass = 0; pass < 12; pass++) {
    // In id order: the same demo on every engine.
    const due = await store.due.steps({ workspaceId: o.workspaceId, dueBefore: now - 3 * 3_600_000, order: 'id' }, {});
    if (due.length === 0) break;
    let worked = 0;
    for (const d of due) {
      if (o.neglected.has(d.prospectId)) continue;
      const at = Math.min(d.dueAt + Math.floor(rand() * 3 * 3_600_000), now - 3_600_000);
      await logTouch(o.ctxFor(d.ownerId, at), d.prospectId, { channel: d.step.channel, outcome: outcomeFor(d.step.channel, rand), at });
      touches++;
      worked++;
    }
    if (worked === 0) break;
  }
  return touches;
}

/** Fills an empty store with the demo workspace. `now` anchors the week of history. */
export async function buildDemo(rt: Runtime, opts: { prospects?: number; now?: number; seed?: number } = {}): Promise<DemoSummary> {
  const { store } = rt;
  const rand = seeded(opts.seed ?? 42);
  const now = opts.now ?? rt.now();
  const weekAgo = DateTime.fromMillis(now, { zone: 'America/New_York' }).minus({ days: 7 }).set({ hour: 8, minute: 0 }).toMillis();
  const count = opts.prospects ?? 300;
  await initWorkspace(rt, { workspaceName: 'Demo: Acme Sales', timezone: 'America/New_York', userEmail: 'you@demo.tally', userName: 'You (demo)', role: 'manager' }, weekAgo);
  const base = await openContext(rt, { now: () => weekAgo });
  const ws = base.workspace.id;
  const reps = [
    await store.users.insert({ workspace_id: ws, email: 'sam@demo.tally', name: 'Sam Rivera', role: 'rep', password_hash: null, timezone: 'America/Chicago', created_at: weekAgo }),
    await store.users.insert({ workspace_id: ws, email: 'priya@demo.tally', name: 'Priya Natarajan', role: 'rep', password_hash: null, timezone: 'Europe/London', created_at: weekAgo }),
  ];
  const owners = [base.user.id, base.user.id, base.user.id, reps[0]!.id, reps[1]!.id];
  for (const o of DEMO_OBJECTIONS) await createObjection(base, o);
  for (const v of DEMO_VALUE_ITEMS) await createValueItem(base, v);
  // The built-in outbound gets a second version wired to the playbook, so the demo shows versioning too.
  await saveCadence(base, withRefs(DEFAULT_CADENCES[0]!, OUTBOUND_REFS));
  const inbound = validateCadence(INBOUND_CADENCE);
  if (!inbound.ok) throw new Error(`demo cadence is invalid: ${JSON.stringify(inbound.issues)}`);
  await saveCadence(base, inbound.value);

  const companyIds = new Map<string, number>();
  for (const [name, domain] of COMPANIES) {
    companyIds.set(name, await store.companies.insert({ workspace_id: ws, name, name_key: nameKey(name), domain, created_at: weekAgo }));
  }
  const prospectRows = demoProspects(rand, { count, workspaceId: ws, owners, companyIds, at: weekAgo });
  const prospectIds = await store.transaction((tx) => tx.prospects.insertMany(prospectRows));
  const ids = prospectIds.map((id, i) => ({ id, owner_id: prospectRows[i]!.owner_id }));

  // Enroll in waves over the week, then work the queue day by day the way a rep would.
  const users = await store.users.list(ws);
  const ctxFor = (userId: number, at: number): Context => ({ ...base, user: users.find((u) => u.id === userId)!, now: () => at });
  let enrollments = 0;
  const unenrolledShare = 0.15;
  for (const [i, p] of ids.entries()) {
    if (rand() < unenrolledShare) continue;
    const day = Math.floor(rand() * 6);
    const at = weekAgo + day * 86_400_000 + Math.floor(rand() * 8) * 3_600_000;
    const cadence = i % 4 === 0 ? INBOUND_CADENCE.name : DEFAULT_CADENCE_NAME;
    const r = await enroll(ctxFor(p.owner_id, at), [p.id], cadence);
    enrollments += r.enrolled.length;
  }
  // Some prospects get neglected (the very problem Tally solves): their touches stay overdue.
  const neglected = new Set(ids.filter(() => rand() < 0.12).map((p) => p.id));
  const touches = await workTheQueue(store, { workspaceId: ws, now, rand, neglected, ctxFor });
  const cadences = await store.cadences.list(ws);
  return { prospects: ids.length, companies: COMPANIES.length, users: users.length, cadences: cadences.length, enrollments, touches };
}
