// A parsed inbound message as the classifier's readers see it (parsed in message.ts). Its own module
// so the readers (ndr.ts, bounce.ts…) and the parser can share it without importing each other.
import type { Header } from './headers.ts';
import type { MimePart } from './mime.ts';

export interface InboundMessage {
  root: MimePart;
  headers: Header[];
  subject: string;
  /** Bare lowercased sender address (or a bare local word such as "mailer-daemon"). */
  from?: string;
  /** Display name part of From, decoded. */
  fromName: string;
  /** Return-Path address; '' for the null path "<>". */
  returnPath?: string;
  to: string[];
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Readable body text of the message itself (plain part, or HTML converted). */
  text: string;
  /** `text` without quoted history and signature (computed on first use: bounces rarely need it). */
  readonly newText: string;
  /** `text` above the copy of the original message (computed on first use). */
  readonly report: string;
  /** The Date header: the instant and the writer's UTC offset in minutes. */
  date?: { at: Date; offsetMinutes: number };
}
