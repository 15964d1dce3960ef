// The links of a channel's actions for one prospect (`tel:+1555…`, `sms:…`, the LinkedIn profile,
// `mailto:`), or why there is none. Pure string building: the web and the CLI show them.
import type { RepAction } from './driver.ts';

export interface ContactDetails {
  email?: string | null;
  phone?: string | null;
  linkedinUrl?: string | null;
}

export type ActionLink = { href: string; label: string } | { missing: string };

/** Digits and a leading + only: what tel: and sms: links accept. */
function dialable(phone: string): string {
  return phone.replace(/[^\d+]/g, '');
}

export function actionLink(action: Extract<RepAction, { kind: 'open_link' }>, contact: ContactDetails, message?: { subject?: string; body?: string }): ActionLink {
  switch (action.link) {
    case 'tel':
    case 'sms': {
      const phone = contact.phone?.trim();
      if (!phone) return { missing: 'No phone number on file.' };
      return { href: `${action.link}:${dialable(phone)}`, label: `${action.label} ${phone}` };
    }
    case 'profile': {
      const url = contact.linkedinUrl?.trim();
      if (!url || !/^https:\/\//i.test(url)) return { missing: 'No LinkedIn profile on file.' };
      return { href: url, label: action.label };
    }
    case 'mailto': {
      const to = contact.email?.trim();
      if (!to) return { missing: 'No email address on file.' };
      const query = `subject=${encodeURIComponent(message?.subject ?? '')}&body=${encodeURIComponent(message?.body ?? '')}`;
      return { href: `mailto:${to}?${query}`, label: `${action.label} to ${to}` };
    }
  }
}
