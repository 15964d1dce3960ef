// The channel drivers and their registry: what each built-in channel needs and offers, and the
// one list of outcomes they draw from.
import { describe, expect, it } from 'vitest';
import { actionLink, channelDriver, channelDrivers, channelIds, channelLabel, channelsActing, isChannel } from '../../src/core/channels/index.ts';
import { outcomeAllowed, outcomesAllowed, outcomesFor, perChannel, registerChannel, templateFieldsFor, type Channel, type OpenLinkAction } from '../../src/core/channels/index.ts';
import { OUTCOME_INFO, OUTCOMES, REPLY_OUTCOMES, TERMINAL_OUTCOMES, isOutcome, outcomeLabel } from '../../src/core/outcomes.ts';
import { minutesFor } from '../../src/core/planner.ts';
import { defaultWindow } from '../../src/core/schedule.ts';

describe('built-in drivers', () => {
  it('are email, call, LinkedIn, SMS and task, with their labels', () => {
    expect(channelIds()).toEqual(['email', 'call', 'linkedin', 'sms', 'task']);
    expect(channelDrivers().map((d) => d.label)).toEqual(['Email', 'Call', 'LinkedIn', 'SMS', 'Task']);
    expect(channelLabel('linkedin')).toBe('LinkedIn');
    expect(channelLabel('pigeon')).toBe('pigeon');
    expect(isChannel('sms')).toBe(true);
    expect(isChannel('fax')).toBe(false);
  });

  it('offer the outcomes a rep picks from, in order', () => {
    const codes = (channel: Parameters<typeof outcomesFor>[0]) => outcomesFor(channel).map((o) => o.code);
    expect(codes('email')).toEqual(['sent', 'replied', 'meeting_booked', 'not_interested']);
    expect(codes('call')).toEqual(['connected', 'no_answer', 'left_voicemail', 'wrong_number', 'bad_number', 'meeting_booked', 'not_interested']);
    expect(codes('linkedin')).toEqual(['connection_sent', 'message_sent', 'replied']);
    expect(codes('sms')).toEqual(['sent', 'replied']);
    expect(codes('task')).toEqual(['done']);
    expect(outcomesFor('call')[2]).toEqual({ code: 'left_voicemail', ...OUTCOME_INFO.left_voicemail });
  });

  it('name their message fields and how the rep acts', () => {
    const fields = (channel: Parameters<typeof templateFieldsFor>[0]) => templateFieldsFor(channel).map((f) => `${f.key}:${f.label}`);
    expect(fields('email')).toEqual(['subject:Subject', 'template:Body']);
    expect(fields('call')).toEqual(['script:Call script']);
    expect(fields('sms')).toEqual(['message:Message']);
    expect(fields('linkedin')).toEqual(['message:Message']);
    expect(fields('task')).toEqual(['instructions:Instructions']);
    expect(channelDriver('email').actions[0]).toEqual({ kind: 'mailbox_send' });
    expect(channelDriver('call').actions).toEqual([{ kind: 'open_link', href: 'tel:{phone}', label: 'Call' }]);
    expect(channelDriver('linkedin').actions.map((a) => a.kind)).toEqual(['open_link', 'copy_text']);
    expect(channelDriver('sms').actions.map((a) => a.kind)).toEqual(['open_link', 'copy_text']);
    expect(channelDriver('task').actions).toEqual([{ kind: 'do_task' }]);
    expect(channelsActing('mailbox_send')).toEqual(['email']);
    expect(channelsActing('copy_text')).toEqual(['linkedin', 'sms']);
  });

  it('carry the planning defaults: minutes per touch and sending window', () => {
    expect(perChannel((c) => minutesFor(c))).toEqual({ email: 3, call: 6, linkedin: 2, sms: 2, task: 5 });
    expect(minutesFor('call', { call: 8 })).toBe(8);
    expect(minutesFor('call', { call: 0 })).toBe(6);
    expect(defaultWindow('call')).toEqual({ start: '09:00', end: '17:00' });
    expect(defaultWindow('email')).toEqual({ start: '07:00', end: '19:00' });
  });
});

describe('outcomes', () => {
  it('are listed once, with where each leaves the enrollment and how metrics count it', () => {
    expect(OUTCOMES).toEqual(Object.keys(OUTCOME_INFO));
    expect([...TERMINAL_OUTCOMES].sort()).toEqual(['bad_contact', 'meeting_booked', 'not_interested', 'opted_out', 'replied', 'wrong_person']);
    expect(REPLY_OUTCOMES).toEqual(['replied', 'meeting_booked']);
    for (const code of ['connected', 'wrong_number', 'bad_number', 'connection_sent', 'message_sent', 'done'] as const) {
      expect(OUTCOME_INFO[code]).toMatchObject({ ends: null, reply: false, anyChannel: false });
    }
    expect(outcomeLabel('connection_sent', true)).toBe('Connection request sent');
    expect(isOutcome('ghosted')).toBe(false);
  });

  it('every driver offers only known outcomes; the older codes stay valid on every channel', () => {
    for (const driver of channelDrivers()) for (const o of driver.outcomes) expect(isOutcome(o)).toBe(true);
    expect(outcomeAllowed('email', 'no_answer')).toBe(true); // stored touches use it
    expect(outcomeAllowed('email', 'connected')).toBe(false);
    expect(outcomeAllowed('call', 'connected')).toBe(true);
    expect(outcomesAllowed('task')).toEqual(['done', ...OUTCOMES.filter((o) => OUTCOME_INFO[o].anyChannel)]);
  });
});

describe('links for the rep’s actions', () => {
  const contact = { email: 'dana@acme.example', phone: '+1 (555) 010-2030', linkedinUrl: 'https://www.linkedin.com/in/dana' };
  const link = (channel: Channel) => channelDriver(channel).actions.find((a): a is OpenLinkAction => a.kind === 'open_link')!;

  it('builds tel:, sms:, mailto: and profile links from the drivers’ patterns', () => {
    expect(actionLink(link('call'), contact)).toEqual({ href: 'tel:+15550102030', label: 'Call +1 (555) 010-2030' });
    expect(actionLink(link('sms'), contact)).toEqual({ href: 'sms:+15550102030', label: 'Text +1 (555) 010-2030' });
    expect(actionLink(link('linkedin'), contact)).toEqual({ href: 'https://www.linkedin.com/in/dana', label: 'Open LinkedIn profile' });
    expect(actionLink(link('email'), contact, { subject: 'Hi there', text: 'a&b' })).toEqual({
      href: 'mailto:dana@acme.example?subject=Hi%20there&body=a%26b',
      label: 'Open in mail to dana@acme.example',
    });
    expect(actionLink({ kind: 'open_link', href: 'https://wa.me/{phone_digits}?text={text}', label: 'Open WhatsApp' }, contact, { text: 'hi' })).toEqual({
      href: 'https://wa.me/15550102030?text=hi',
      label: 'Open WhatsApp +1 (555) 010-2030',
    });
  });

  it('says what is missing instead of a broken link', () => {
    expect(actionLink(link('call'), { phone: ' ' })).toEqual({ missing: 'No phone number on file.' });
    expect(actionLink(link('linkedin'), { linkedinUrl: 'javascript:alert(1)' })).toEqual({ missing: 'No LinkedIn profile on file.' });
    expect(actionLink(link('email'), {})).toEqual({ missing: 'No email address on file.' });
    expect(() => actionLink({ kind: 'open_link', href: 'x:{fax}', label: 'Fax' }, contact)).toThrow(/unknown placeholder \{fax\}/);
  });
});

describe('registering a channel', () => {
  it('refuses a duplicate id, a bad id and unknown outcomes', () => {
    const base = { ...channelDriver('sms') };
    expect(() => registerChannel(base)).toThrow(/already registered/);
    expect(() => registerChannel({ ...base, id: 'Bad Id' as never })).toThrow(/lower-case/);
    expect(() => registerChannel({ ...base, id: 'pager' as never, outcomes: ['beeped' as never] })).toThrow(/unknown outcome "beeped"/);
    expect(() => registerChannel({ ...base, id: 'pager' as never, outcomes: [] })).toThrow(/no outcome/);
    expect(isChannel('pager')).toBe(false);
  });
});
