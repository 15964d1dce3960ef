// Public result types of the classifier (re-exported by classify.ts).

export const INBOUND_CLASSES = ['human_reply', 'auto_reply', 'bounce', 'feedback', 'unsubscribe', 'meeting', 'other'] as const;
/** `meeting`: the prospect sent a calendar invitation or accepted ours (a meeting is booked). */
export type InboundClass = (typeof INBOUND_CLASSES)[number];

/** How sure the classifier is; the rules for each level are in docs/classifier.md. */
export const CONFIDENCES = ['certain', 'likely', 'unsure'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** What decided a classification, e.g. {source:'header', detail:'Auto-Submitted: auto-replied'}. */
export interface Evidence {
  source: 'header' | 'body' | 'subject' | 'mime';
  detail: string;
}

/**
 * Why a delivery failed: a fixed taxonomy (docs/classifier.md). Only the four address-level
 * reasons say the address itself is bad.
 */
export const BOUNCE_REASONS = [
  'user_unknown',
  'host_unknown',
  'has_moved',
  'not_accept',
  'mailbox_full',
  'suspended',
  'expired',
  'exceed_limit',
  'message_too_big',
  'blocked',
  'spam_detected',
  'filtered',
  'policy_violation',
  'rejected_sender',
  'auth_failure',
  'require_ptr',
  'not_rfc_compliant',
  'no_relaying',
  'rate_limited',
  'content_error',
  'system_error',
  'on_hold',
  'undefined',
] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];

/**
 * What a bounce means for the prospect:
 * - address_bad: the address is dead (mark it bad, stop);
 * - mailbox_state: the mailbox is full, suspended, or delivery expired (retry later, with a limit);
 * - sender_side: the sending side was refused (blocked, spam, policy, auth, PTR, rate, content):
 *   never touch the prospect, warn about the sending mailbox;
 * - undetermined: the server's answer says nothing usable (retry later, with a limit).
 */
export type BounceEffect = 'address_bad' | 'mailbox_state' | 'sender_side' | 'undetermined';

/** The SMTP stage a remote server refused at, when the report says so. */
export type SmtpStage = 'connect' | 'mail_from' | 'rcpt_to' | 'data';

export interface RecipientResult {
  /** Bare lowercased address that failed (or is delayed). */
  recipient: string;
  /** `delayed`: a warning, the server keeps trying: not a failure. */
  action: 'failed' | 'delayed';
  reason: BounceReason;
  addressBad: boolean;
  /** Enhanced status code (RFC 3463), e.g. "5.1.1". */
  status?: string;
  smtpCode?: number;
  stage?: SmtpStage;
  /** The server's words, one line. */
  diagnostic?: string;
}

export interface BounceInfo {
  /** The first failed recipient's reason (or the first delayed one's when nothing failed). */
  reason: BounceReason;
  effect: BounceEffect;
  /** True when at least one recipient failed for an address-level reason. */
  addressBad: boolean;
  /** True for a delay warning: no recipient failed, the server keeps trying. */
  delayed: boolean;
  /** Every failed or delayed recipient, in report order. */
  recipients: RecipientResult[];
  /** The first recipient (kept flat for callers that handle one address). */
  recipient?: string;
  status?: string;
  smtpCode?: number;
  diagnostic?: string;
  originalMessageId?: string;
}

export interface FeedbackInfo {
  /** `abuse`, `fraud`, … (ARF Feedback-Type), or `abuse` for a non-standard complaint. */
  feedbackType?: string;
  /** `arf` (RFC 5965), or the non-standard format it came in. */
  format: 'arf' | 'jmrp' | 'yahoo-cfl' | 'abuse-forward';
  originalRecipient?: string;
  originalMessageId?: string;
}

/** Out of office, a challenge to prove we are human, a ticket-system acknowledgement, a notice from a no-reply sender. */
export const AUTO_REPLY_KINDS = ['out_of_office', 'challenge', 'acknowledgement', 'notification'] as const;
export type AutoReplyKind = (typeof AUTO_REPLY_KINDS)[number];

export interface AutoReplyInfo {
  kind: AutoReplyKind;
  /**
   * First day the person says they are back (ISO YYYY-MM-DD), read relative to the message's Date
   * header. May lie in the past (a stale notice): it is never rolled into next year.
   */
  returnDate?: string;
  /** False when no return date is stated: the caller applies its default (5 business days). */
  returnDateStated: boolean;
}

export interface MeetingInfo {
  /** iCalendar METHOD: REQUEST (they invite us) or REPLY (they answer our invitation). */
  method: string;
  /** PARTSTAT of the replying attendee (REPLY only): ACCEPTED, DECLINED, TENTATIVE… */
  partstat?: string;
  /** Start of the meeting, ISO 8601, when the invitation says. */
  start?: string;
  summary?: string;
}

export interface Classification {
  class: InboundClass;
  confidence: Confidence;
  evidence: Evidence[];
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Bare lowercased address of the sender. */
  from?: string;
  subject?: string;
  /** The message's own Date header, ISO 8601, when readable. */
  date?: string;
  bounce?: BounceInfo;
  autoReply?: AutoReplyInfo;
  feedback?: FeedbackInfo;
  /** Calendar content: a booked meeting (class meeting) or a declined/tentative answer (human_reply). */
  meeting?: MeetingInfo;
  /** New text of a human reply (or unsubscribe request), quoted history stripped. */
  text?: string;
}
