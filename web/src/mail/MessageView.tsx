// A mail as the prospect would receive it: subject and text with every [[slot]] still to write
// marked, and the HTML part (only when the template uses formatting) shown in a sandboxed frame.
import type { QueueMessage } from '@contract';

type Need = QueueMessage['needs'][number];

const SLOT = /(\[\[[^[\]\n]+\]\])/;

/** The text with each [[slot]] (and [[{{variable}}]] missing for the prospect) in a <mark>. */
export function Marked({ text }: { text: string }) {
  return <>{text.split(SLOT).map((part, i) => (i % 2 === 1 ? <mark key={i} className="slot">{part}</mark> : part))}</>;
}

export function describeNeed(n: Need): string {
  return n.kind === 'slot' ? `[[${n.label}]]` : `{{${n.label}}} (missing for this prospect)`;
}

export function MessageView({ subject, text, html, label }: { subject: string; text: string; html: string | null; label: string }) {
  return (
    <div className="message" aria-label={label}>
      <p className="message-subject"><strong>Subject:</strong> <Marked text={subject} /></p>
      <pre className="message-text"><Marked text={text} /></pre>
      {html ? (
        <details className="message-html">
          <summary>HTML part (the template uses formatting)</summary>
          <iframe title={`${label}: HTML part`} sandbox="" srcDoc={html} />
        </details>
      ) : <p className="hint">Plain text only, as a person’s mail client sends it.</p>}
    </div>
  );
}
