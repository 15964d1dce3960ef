// What a channel is to Tally: what a step on it needs (template fields), how the rep acts on it,
// the outcomes it offers, and its defaults. Pure descriptions: anything that does IO (sending
// through a mailbox) lives in the app and adapters and is named here by its kind.
import type { Outcome } from '../outcomes.ts';

/**
 * The channel ids the type system knows. A driver added outside this folder (a plug-in, a test)
 * extends it by declaration merging:
 *   declare module '…/core/channels/driver.ts' { interface ChannelIds { whatsapp: true } }
 * and registers the driver at start-up (registry.ts). Validation always reads the registry.
 */
export interface ChannelIds {
  email: true;
  call: true;
  linkedin: true;
  sms: true;
  task: true;
}

/** A channel id: the type of every channel column and field. */
export type Channel = keyof ChannelIds & string;

/** A local time window "HH:mm"–"HH:mm" ([start, end)). */
export interface TimeWindow {
  start: string;
  end: string;
}

/** Where a step keeps a template field: the subject line or the main text. */
export type TemplateSlot = 'subject' | 'text';

export interface TemplateField {
  /** Its key in a cadence file: `subject`, `template` (email's body), `script`, `message`, `instructions`. */
  key: string;
  slot: TemplateSlot;
  /** For editors and the queue: "Subject", "Body", "Call script". */
  label: string;
  /** Who reads it: the prospect (it is sent or pasted) or the rep (a script, instructions). */
  audience: 'prospect' | 'rep';
  multiline: boolean;
}

/** What the prospect is reached at; a bad email address holds every channel that writes to it. */
export type ContactAddress = 'email' | 'phone' | 'linkedin';

/** How the rep acts on a step of this channel, in the order the queue offers it. */
export type RepAction =
  /** The app sends the rendered message through the rep's connected mailbox (the outbox). */
  | { kind: 'mailbox_send' }
  /**
   * A link that opens the right app, from a pattern filled with the prospect's details: {phone}
   * (digits and +), {phone_digits}, {email}, {linkedin_url} (an https URL, the whole link), and
   * {subject} and {text} of the rendered message. E.g. "tel:{phone}", "https://wa.me/{phone_digits}".
   */
  | { kind: 'open_link'; href: string; label: string }
  /** The rendered text, to paste where the link leads. */
  | { kind: 'copy_text' }
  /** Something the rep does outside Tally, following the instructions. */
  | { kind: 'do_task' };

export type OpenLinkAction = Extract<RepAction, { kind: 'open_link' }>;

export interface ChannelDriver {
  id: Channel;
  /** "Email", "Call", "LinkedIn", "SMS", "Task". */
  label: string;
  address: ContactAddress | null;
  /** A step's message fields on this channel; its cadence-file keys are exactly these (plus `template` for the text). */
  templateFields: readonly TemplateField[];
  actions: readonly RepAction[];
  /** The outcomes a rep picks from, in the order shown (keys 1, 2, 3… in the queue). */
  outcomes: readonly Outcome[];
  /** Estimated minutes per touch, used to plan follow-up blocks until the workspace sets its own. */
  defaultMinutes: number;
  /** Its hours in the prospect's local time until the workspace sets them; null: any time of a working day. */
  defaultWindow: TimeWindow | null;
}
