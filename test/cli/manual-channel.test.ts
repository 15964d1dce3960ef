// Adding a channel is one driver and its registration: a manual WhatsApp step, defined and
// registered here only (no production file knows it), works end to end through the CLI.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { channelIds, registerChannel, type ChannelDriver } from '../../src/core/channels/index.ts';
import { validateCadence } from '../../src/core/cadence.ts';
import type { PlanReport } from '../../src/app/plan.ts';
import type { Queue } from '../../src/app/queue.ts';
import type { LogTouchResult } from '../../src/app/touches.ts';
import { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

// The type system learns the id the same way a plug-in would teach it.
declare module '../../src/core/channels/driver.ts' {
  interface ChannelIds {
    whatsapp: true;
  }
}

const whatsapp: ChannelDriver = {
  id: 'whatsapp',
  label: 'WhatsApp',
  address: 'phone',
  templateFields: [{ key: 'message', slot: 'text', label: 'Message', audience: 'prospect', multiline: true }],
  actions: [{ kind: 'open_link', href: 'https://wa.me/{phone_digits}?text={text}', label: 'Open WhatsApp' }, { kind: 'copy_text' }],
  outcomes: ['sent', 'replied'],
  defaultMinutes: 2,
  defaultWindow: null,
};
afterAll(registerChannel(whatsapp));

const CADENCE = `name: Chat first
steps:
  - channel: whatsapp
    delay: 0
    name: Hello on WhatsApp
    message: "Hi {{first_name}}, saw your talk: one idea for {{company}}?"
    value_item: a question about their talk
  - { channel: email, delay: 2, name: Follow-up, value_item: the idea in writing }
`;

const dir = tempDir();

describe('a manual channel registered by a test', () => {
  it('cadence validation accepts a step on it, with its own message field and outcomes', () => {
    expect(channelIds()).toContain('whatsapp');
    const r = validateCadence({ name: 'x', steps: [{ channel: 'whatsapp', delay: 0, message: 'Hi', value_item: 'why' }] });
    expect(r.ok && r.value.steps[0]).toMatchObject({ channel: 'whatsapp', template: 'Hi' });
    const bad = validateCadence({ name: 'x', steps: [{ channel: 'whatsapp', delay: 0, subject: 'Hi', value_item: 'why' }] });
    expect(!bad.ok && bad.issues).toEqual([{ path: ['steps', 0, 'subject'], message: 'WhatsApp steps have no subject (their message fields: message)' }]);
  });

  it('shows in the CLI help, the queue and the log, and a touch on it moves the cadence on', async () => {
    const cli = new TallyCli(join(dir, 'whatsapp.db'), '2026-03-02T10:00:00Z');
    await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example', '--user-name', 'Me');
    await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', 'email,name,company,phone\ndana@acme.example,Dana Reyes,Acme,+1 555 010 2030\nlee@globex.example,Lee Park,Globex,\n'));
    await cli.ok('cadence', 'add', writeFile(dir, 'chat.yaml', CADENCE));
    await cli.ok('enroll', 'dana@acme.example', 'lee@globex.example', '--cadence', 'Chat first');

    const help = await cli.run('log', '--help');
    expect(help.stdout).toMatch(/one of email, call, linkedin, sms, task, whatsapp/);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('whatsapp: sent, replied');

    const today = await cli.ok('today');
    expect(today).toContain('WHATSAPP — step 1/2 of Chat first: Hello on WhatsApp');
    expect(today).toContain('+1 555 010 2030  →  tally log');
    expect(today).toContain('--channel whatsapp --outcome sent|replied');
    const queue = await cli.json<Queue>('today');
    expect(queue.items.map((i) => i.channel)).toEqual(['whatsapp', 'whatsapp']);
    // The planner fits them into a block with the driver's minutes; no window of its own: any working hour.
    await cli.ok('blocks', 'add', 'mon', '11:00', '30');
    const plan = await cli.json<PlanReport>('plan');
    expect(plan.plan.blocks[0]!.touches.map((t) => [t.item.channel, t.minutes])).toEqual([['whatsapp', 2], ['whatsapp', 2]]);
    expect(plan.plan.minutesPerChannel.whatsapp).toBe(2);

    const sent = await cli.json<LogTouchResult>('log', 'dana@acme.example', '--channel', 'whatsapp', '--outcome', 'sent');
    expect(sent.enrollment!.after).toMatchObject({ status: 'active', stepIndex: 1 });
    expect(await cli.ok('log', 'lee@globex.example', '--channel', 'whatsapp', '--outcome', 'replied')).toContain('Logged whatsapp → replied');
    expect(query<{ channel: string; outcome: string }>(cli.db, 'select channel, outcome from touches order by id')).toEqual([
      { channel: 'whatsapp', outcome: 'sent' },
      { channel: 'whatsapp', outcome: 'replied' },
    ]);
    const refused = await cli.run('log', 'dana@acme.example', '--channel', 'whatsapp', '--outcome', 'connected');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"connected" is not an outcome of a WhatsApp touch (use one of: sent, replied, no_answer');
  });
});
