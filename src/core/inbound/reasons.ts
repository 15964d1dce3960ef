// The bounce reason taxonomy and what each reason means for the prospect (docs/classifier.md).
import type { BounceEffect, BounceReason } from './types.ts';

export { BOUNCE_REASONS } from './types.ts';
export type { BounceEffect, BounceReason } from './types.ts';

/** One entry per reason: its effect and a plain phrase for people. */
export const REASON_INFO: Readonly<Record<BounceReason, { effect: BounceEffect; label: string }>> = Object.freeze({
  user_unknown: { effect: 'address_bad', label: 'the mailbox does not exist' },
  host_unknown: { effect: 'address_bad', label: 'the domain does not exist' },
  has_moved: { effect: 'address_bad', label: 'the person has moved, no forwarding address' },
  not_accept: { effect: 'address_bad', label: 'the domain accepts no mail' },
  mailbox_full: { effect: 'mailbox_state', label: 'the mailbox is full' },
  suspended: { effect: 'mailbox_state', label: 'the mailbox is suspended or disabled' },
  expired: { effect: 'mailbox_state', label: 'delivery expired after repeated tries' },
  exceed_limit: { effect: 'sender_side', label: 'the message exceeds a limit of the receiving system' },
  message_too_big: { effect: 'sender_side', label: 'the message is too big' },
  blocked: { effect: 'sender_side', label: 'the sending server or IP is blocked' },
  spam_detected: { effect: 'sender_side', label: 'the message was taken for spam' },
  filtered: { effect: 'sender_side', label: 'the message was filtered by the receiving side' },
  policy_violation: { effect: 'sender_side', label: 'the message was refused by policy' },
  rejected_sender: { effect: 'sender_side', label: 'the sender address was refused' },
  auth_failure: { effect: 'sender_side', label: 'the sending domain failed SPF/DKIM/DMARC' },
  require_ptr: { effect: 'sender_side', label: 'the sending IP has no valid reverse DNS (PTR)' },
  not_rfc_compliant: { effect: 'sender_side', label: 'the message is not RFC compliant' },
  no_relaying: { effect: 'sender_side', label: 'relaying was denied' },
  rate_limited: { effect: 'sender_side', label: 'too many connections or messages: rate limited' },
  content_error: { effect: 'sender_side', label: 'the content was refused (virus, attachment, format)' },
  system_error: { effect: 'undetermined', label: 'a network or system error' },
  on_hold: { effect: 'undetermined', label: 'the message is on hold' },
  undefined: { effect: 'undetermined', label: 'the reason is not given' },
});

/** What a bounce with this reason means: address bad, mailbox state, sender side, or undetermined. */
export function bounceEffect(reason: BounceReason): BounceEffect {
  return REASON_INFO[reason].effect;
}

/** Only user unknown, host unknown, has moved and does not accept mail make an address bad. */
export function isAddressLevel(reason: BounceReason): boolean {
  return REASON_INFO[reason].effect === 'address_bad';
}

/** What to do about a sender-side refusal, in a rep's words (the warning's second half). */
const SENDER_ADVICE: Partial<Record<BounceReason, string>> = {
  auth_failure: "fix your domain's SPF, DKIM and DMARC records (ask whoever runs your mail domain)",
  require_ptr: 'your mail provider must give the sending server a reverse DNS (PTR) name',
  blocked: 'the sending server or its IP is on a block list: ask your mail provider to check and delist it',
  spam_detected: 'change the wording, links or attachments of the step',
  filtered: 'change the wording, links or attachments of the step',
  content_error: 'remove or change the attachment or format of the step',
  policy_violation: "the receiver's policy refuses this mail: check the step's content and your sending domain",
  rejected_sender: 'the receiving server refuses your sending address: check it with your mail provider',
  no_relaying: 'your SMTP settings are wrong (the server refuses to relay): check them with tally mailbox test',
  rate_limited: 'send fewer at once: raise the mailbox spacing or lower its daily limit',
  message_too_big: 'make the mail smaller',
  exceed_limit: 'make the mail smaller or send fewer at once',
  not_rfc_compliant: 'the mail is malformed for this receiver: report it to the Tally maintainers',
};

/** The plain warning a sender-side refusal gives the rep and their manager. */
export function senderSideWarning(reason: BounceReason, recipientDomain: string): string {
  const advice = SENDER_ADVICE[reason] ?? 'check your mailbox settings with your mail provider';
  return `Your mail to ${recipientDomain || 'this domain'} is being rejected (${REASON_INFO[reason].label}): ${advice}.`;
}