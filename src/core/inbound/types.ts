// Public result types of the classifier (re-exported by classify.ts).

export type InboundClass = 'human_reply' | 'auto_reply' | 'bounce' | 'feedback' | 'unsubscribe' | 'other';
export const INBOUND_CLASSES: readonly InboundClass[] = ['human_reply', 'auto_reply', 'bounce', 'feedback', 'unsubscribe', 'other'];

/** What decided a classification, e.g. {source:'header', detail:'Auto-Submitted: auto-replied'}. */
export interface Evidence {
  source: 'header' | 'body' | 'subject' | 'mime';
  detail: string;
}

export interface BounceInfo {
  kind: 'hard' | 'soft';
  recipient?: string;
  /** Enhanced status code (RFC 3463), e.g. "5.1.1". */
  status?: string;
  smtpCode?: number;
  diagnostic?: string;
  originalMessageId?: string;
}

export interface FeedbackInfo {
  feedbackType?: string;
  originalRecipient?: string;
  originalMessageId?: string;
}

export interface Classification {
  class: InboundClass;
  evidence: Evidence[];
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Bare lowercased address of the sender. */
  from?: string;
  subject?: string;
  bounce?: BounceInfo;
  autoReply?: { returnDate?: string };
  feedback?: FeedbackInfo;
  /** New text of a human reply (or unsubscribe request), quoted history stripped. */
  text?: string;
}
