// The mailbox tab: the rep's mailbox connected with a password (what "tally mailbox add" takes:
// SMTP and IMAP host, port, login, password, the From line, the daily limit and the spacing),
// tested, paused and resumed; its sync status. Sections of MAILBOX_SECTIONS (OAuth, deliverability)
// render above the form.
import { useCallback, useEffect, useState } from 'react';
import type { MailboxInfo, RequestFor, ResponseFor, Session } from '@contract';
import { client } from '../api.ts';
import { MailboxSync } from '../MailboxSync.tsx';
import { ErrorText, fieldError, useSubmit, type FormError } from '../playbook/common.tsx';
import { useAction } from '../team/hooks.ts';
import { MAILBOX_SECTIONS } from './mailbox-sections.tsx';

type Body = RequestFor<'PUT /api/mailbox'>['body'];
type Form = Record<'smtpHost' | 'smtpPort' | 'smtpTls' | 'imapHost' | 'imapPort' | 'imapTls' | 'user' | 'password' | 'fromName' | 'fromAddress' | 'dailyLimit' | 'minSpacingSeconds', string>;
const TLS = [['starttls', 'STARTTLS'], ['tls', 'TLS'], ['none', 'None (testing only)']] as const;

function formOf(m: MailboxInfo | null, me: Session): Form {
  const c = m?.connection;
  return {
    smtpHost: c?.smtpHost ?? '', smtpPort: c ? String(c.smtpPort) : '587', smtpTls: c?.smtpTls ?? 'starttls',
    imapHost: c?.imapHost ?? '', imapPort: c?.imapPort ? String(c.imapPort) : '993', imapTls: c?.imapTls ?? 'tls',
    user: c?.smtpUser ?? me.user.email, password: '', fromName: c?.fromName ?? me.user.name, fromAddress: c?.fromAddress ?? me.user.email,
    dailyLimit: String(m?.dailyLimit ?? 200), minSpacingSeconds: String(m?.minSpacingSeconds ?? 30),
  };
}

const tlsOf = (v: string) => TLS.find(([k]) => k === v)?.[0];
const num = (v: string) => (v.trim() === '' ? undefined : Number(v));

function bodyOf(f: Form): Body {
  return {
    smtpHost: f.smtpHost, smtpPort: num(f.smtpPort), smtpTls: tlsOf(f.smtpTls), imapHost: f.imapHost.trim() || undefined, imapPort: f.imapHost.trim() ? num(f.imapPort) : undefined,
    imapTls: f.imapHost.trim() ? tlsOf(f.imapTls) : undefined, user: f.user, password: f.password || undefined, fromName: f.fromName, fromAddress: f.fromAddress,
    dailyLimit: num(f.dailyLimit), minSpacingSeconds: num(f.minSpacingSeconds),
  };
}

/** The API names the fields as the CLI's options (smtp-host); the form as the body (smtpHost). */
const FIELD_ALIASES: Record<string, keyof Form> = { 'smtp-host': 'smtpHost', from: 'fromAddress', password: 'password', 'imap-host': 'imapHost' };

function Field({ name, label, form, set, error, type = 'text', hint }: { name: keyof Form; label: string; form: Form; set: (f: Form) => void; error: FormError | null; type?: string; hint?: string }) {
  const aliased = error?.field ? { ...error, field: FIELD_ALIASES[error.field] ?? error.field } : error;
  const err = fieldError(aliased, name, 'mbx');
  return (
    <span className="mbx-field">
      <label htmlFor={`mbx-${name}`}>{label}</label>
      <input id={`mbx-${name}`} type={type} value={form[name]} onChange={(e) => set({ ...form, [name]: e.target.value })} autoComplete={type === 'password' ? 'new-password' : 'off'} aria-invalid={err ? true : undefined} aria-describedby={err?.id ?? (hint ? `mbx-${name}-hint` : undefined)} />
      {hint && <span id={`mbx-${name}-hint`} className="hint">{hint}</span>}
      <ErrorText error={err} />
    </span>
  );
}

export function Mailbox({ me }: { me: Session }) {
  const [mailbox, setMailbox] = useState<MailboxInfo | null | undefined>(undefined);
  const reload = useCallback(() => void client.get('/api/mailbox').then((r) => setMailbox(r.mailbox)), []);
  useEffect(reload, [reload]);
  if (mailbox === undefined) return <p className="loading">Loading your mailbox…</p>;
  return (
    <section aria-labelledby="mbx-title" className="settings-page">
      <h1 id="mbx-title">Mailbox</h1>
      <p className="lede">Tally sends your email steps from your own mailbox and reads the replies, out-of-office answers and bounces from it.</p>
      {mailbox && <MailboxSync key={`${mailbox.id}-${mailbox.paused?.at ?? 0}`} />}
      {MAILBOX_SECTIONS.filter((s) => !s.managerOnly || me.user.role === 'manager').map(({ id, title, Section }) => (
        <section key={id} className="card" aria-labelledby={`${id}-title`}>
          <h2 id={`${id}-title`}>{title}</h2>
          <Section me={me} mailbox={mailbox} reload={reload} />
        </section>
      ))}
      <div className="settings-grid">
        <section className="card" aria-labelledby="mbx-form-title">
          <h2 id="mbx-form-title">{mailbox ? 'Connection (SMTP and IMAP)' : 'Connect with a password (SMTP and IMAP)'}</h2>
          <MailboxForm key={mailbox?.id ?? 0} me={me} mailbox={mailbox} onSaved={setMailbox} />
        </section>
        {mailbox && (
          <section className="card" aria-labelledby="mbx-state-title">
            <h2 id="mbx-state-title">Sending</h2>
            <MailboxState mailbox={mailbox} onChanged={setMailbox} />
          </section>
        )}
      </div>
    </section>
  );
}

function MailboxForm({ me, mailbox, onSaved }: { me: Session; mailbox: MailboxInfo | null; onSaved: (m: MailboxInfo) => void }) {
  const [form, setForm] = useState<Form>(() => formOf(mailbox, me));
  const [saved, setSaved] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    setSaved('');
    const r = await client.put('/api/mailbox', { body: bodyOf(form) });
    setForm({ ...form, password: '' });
    onSaved(r.mailbox);
    setSaved('Mailbox saved. Test the connection to be sure it works.');
  });
  const p = { form, set: setForm, error };
  const general = error && !error.field ? error.message : null;
  return (
    <form className="mbx-form" onSubmit={submit} noValidate aria-labelledby="mbx-form-title">
      <fieldset>
        <legend>Sending (SMTP)</legend>
        <Field name="smtpHost" label="SMTP host" {...p} hint="e.g. smtp.office365.com" />
        <Field name="smtpPort" label="Port" type="number" {...p} />
        <TlsSelect name="smtpTls" label="Security" form={form} set={setForm} />
      </fieldset>
      <fieldset>
        <legend>Reading (IMAP)</legend>
        <Field name="imapHost" label="IMAP host" {...p} hint="Empty: Tally sends but reads no replies (they stop nothing)." />
        <Field name="imapPort" label="Port" type="number" {...p} />
        <TlsSelect name="imapTls" label="Security" form={form} set={setForm} />
      </fieldset>
      <fieldset>
        <legend>Sign-in</legend>
        <Field name="user" label="Login" {...p} />
        <Field name="password" label="Password" type="password" {...p} hint={mailbox ? 'Leave empty to keep the stored password (it is stored encrypted and never shown).' : 'An app password when your provider has them; stored encrypted, never shown.'} />
      </fieldset>
      <fieldset>
        <legend>Sender</legend>
        <Field name="fromName" label="From name" {...p} />
        <Field name="fromAddress" label="From address" type="email" {...p} />
        <Field name="dailyLimit" label="Most emails a day" type="number" {...p} hint="Tally stops for the day at this count; the rest waits for tomorrow." />
        <Field name="minSpacingSeconds" label="Seconds between two emails" type="number" {...p} />
      </fieldset>
      {general && <p role="alert" className="error">{general}</p>}
      <p role="status" aria-live="polite" className="status">{saved}</p>
      <button type="submit" className="primary" disabled={busy}>{mailbox ? 'Save mailbox' : 'Connect mailbox'}</button>
    </form>
  );
}

function TlsSelect({ name, label, form, set }: { name: 'smtpTls' | 'imapTls'; label: string; form: Form; set: (f: Form) => void }) {
  return (
    <span className="mbx-field">
      <label htmlFor={`mbx-${name}`}>{label}</label>
      <select id={`mbx-${name}`} value={form[name]} onChange={(e) => set({ ...form, [name]: e.target.value })}>
        {TLS.map(([k, l]) => <option key={k} value={k}>{l}</option>)}
      </select>
    </span>
  );
}

type TestResult = ResponseFor<'POST /api/mailbox/test'>;

function MailboxState({ mailbox, onChanged }: { mailbox: MailboxInfo; onChanged: (m: MailboxInfo) => void }) {
  const [test, setTest] = useState<TestResult | null>(null);
  const { status, busy, statusRef, run } = useAction(() => undefined);
  const check = () =>
    run(async () => {
      setTest(null);
      const r = await client.post('/api/mailbox/test');
      setTest(r);
      return r.smtp.ok && (r.imap?.ok ?? true) ? 'The connection works.' : 'The connection failed: see below.';
    });
  const pause = () => run(async () => { onChanged((await client.post('/api/mailbox/pause')).mailbox); return 'Sending is paused: your emails wait in the outbox.'; });
  const resume = () => run(async () => { onChanged((await client.post('/api/mailbox/resume')).mailbox); return 'Sending resumed.'; });
  return (
    <>
      <dl className="mbx-facts">
        <dt>From</dt><dd>{mailbox.from}</dd>
        <dt>Sending</dt><dd>{mailbox.smtp}</dd>
        <dt>Reading</dt><dd>{mailbox.imap ?? 'not set: replies are not read'}</dd>
        <dt>Limits</dt><dd>{mailbox.dailyLimit} a day, {mailbox.minSpacingSeconds} s apart</dd>
        <dt>State</dt><dd>{mailbox.paused ? <span className="warn">Paused: {mailbox.paused.reason}</span> : 'Sending'}</dd>
      </dl>
      <p role="status" aria-live="polite" className="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {test && (
        <ul className="mbx-test" aria-label="Connection test">
          <li className={test.smtp.ok ? 'ok' : 'error'}>SMTP: {test.smtp.ok ? 'ok' : 'failed'} — {test.smtp.detail}</li>
          {test.imap && <li className={test.imap.ok ? 'ok' : 'error'}>IMAP: {test.imap.ok ? 'ok' : 'failed'} — {test.imap.detail}</li>}
        </ul>
      )}
      <button type="button" disabled={busy} onClick={() => void check()}>Test connection</button>{' '}
      {mailbox.paused ? (mailbox.paused.kind !== 'grant' && <button type="button" disabled={busy} onClick={() => void resume()}>Resume sending</button>) : <button type="button" disabled={busy} onClick={() => void pause()}>Pause sending</button>}
    </>
  );
}
