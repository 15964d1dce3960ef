// The deliverability check on the mailbox tab (issue 19): what GET /api/mailbox/check finds — SPF,
// DKIM and DMARC of the From domain, TLS on SMTP, the unsubscribe link, the complaint rate — each
// line with its verdict and the fix. It runs when asked: it looks things up on the network.
import { useState } from 'react';
import type { MailboxCheck as Report, MailboxInfo } from '@contract';
import { ApiFailure, client } from '../api.ts';

const WORD: Record<Report['lines'][number]['verdict'], string> = { pass: 'OK', warn: 'Check', fail: 'Fix' };

/** A section of MAILBOX_SECTIONS (it needs only the mailbox of the section's props). */
export function MailboxCheck({ mailbox }: { mailbox: MailboxInfo | null }) {
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!mailbox) return <p>Connect a mailbox first: then Tally can check what mail from it needs to land in the inbox.</p>;
  const run = () => {
    setBusy(true);
    setError(null);
    client.get('/api/mailbox/check').then(
      (r) => {
        setReport(r);
        setBusy(false);
      },
      (e: unknown) => {
        setError(e instanceof ApiFailure ? e.message : 'the check could not run');
        setBusy(false);
      },
    );
  };
  return (
    <div className="mailbox-check">
      <p>What Gmail, Yahoo and Microsoft look for in mail from <strong>{mailbox.from}</strong>: the domain’s DNS records, an encrypted connection, a one-click unsubscribe link and few complaints.</p>
      <button type="button" className="primary" disabled={busy} onClick={run}>{busy ? 'Checking…' : report ? 'Check again' : 'Check now'}</button>
      {error && <p role="alert" className="error">{error}</p>}
      {report && (
        <>
          <p role="status">{report.ok ? `Nothing blocks mail from ${report.domain}.` : `Mail from ${report.domain} is missing something providers require: fix the lines marked Fix.`}</p>
          <ul className="check-lines">
            {report.lines.map((l) => (
              <li key={l.id} className={`check-${l.verdict}`}>
                <span className="check-verdict">{WORD[l.verdict]}</span> <strong>{l.title}</strong>: {l.detail}
                {l.fix && <div className="check-fix">Fix: {l.fix}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
