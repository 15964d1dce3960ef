// The links of a channel's actions for one prospect (`tel:+1555…`, `sms:…`, the LinkedIn profile,
// `mailto:`), or why there is none. Pure string building from the driver's pattern: the web and the
// CLI show them.
import type { OpenLinkAction } from './driver.ts';

export interface ContactDetails {
  email?: string | null;
  phone?: string | null;
  linkedinUrl?: string | null;
}

export type ActionLink = { href: string; label: string } | { missing: string };

type Filler = { value: (c: ContactDetails, m: { subject?: string; text?: string }) => string | null; missing: string };

const MISSING_PHONE = 'No phone number on file.';
const FILLERS: Record<string, Filler> = {
  phone: { value: (c) => c.phone?.replace(/[^\d+]/g, '') || null, missing: MISSING_PHONE },
  phone_digits: { value: (c) => c.phone?.replace(/\D/g, '') || null, missing: MISSING_PHONE },
  email: { value: (c) => c.email?.trim() || null, missing: 'No email address on file.' },
  // Only a web address: the profile link must never become javascript: or a file path.
  linkedin_url: { value: (c) => (c.linkedinUrl && /^https:\/\/\S+$/i.test(c.linkedinUrl.trim()) ? c.linkedinUrl.trim() : null), missing: 'No LinkedIn profile on file.' },
  subject: { value: (_c, m) => encodeURIComponent(m.subject ?? ''), missing: '' },
  text: { value: (_c, m) => encodeURIComponent(m.text ?? ''), missing: '' },
};

/** The action's link for this prospect and message, or what is missing to make it. */
export function actionLink(action: OpenLinkAction, contact: ContactDetails, message: { subject?: string; text?: string } = {}): ActionLink {
  let missing: string | null = null;
  const href = action.href.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const filler = FILLERS[name];
    if (filler === undefined) throw new Error(`unknown placeholder ${whole} in the link "${action.href}"`);
    const value = filler.value(contact, message);
    if (value === null) missing ??= filler.missing;
    return value ?? '';
  });
  if (missing !== null) return { missing };
  // A phone link says which number it calls.
  const shown = /\{phone(_digits)?\}/.test(action.href) ? ` ${contact.phone?.trim()}` : /\{email\}/.test(action.href) ? ` to ${contact.email?.trim()}` : '';
  return { href, label: `${action.label}${shown}` };
}
