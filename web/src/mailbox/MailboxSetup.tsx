// The workspace's mailbox setup on the mailbox tab (issue 19), for managers: the Google and
// Microsoft 365 sign-in clients of the organisation's own app — with the exact redirect URI and
// scopes to register beside each, the secret write-only ("set" / "not set") — and the one-click
// unsubscribe link every mail carries (GET /api/mailbox/setup, PUT …/oauth-clients/:provider,
// PUT …/unsubscribe-url).
import { useEffect, useState } from 'react';
import type { MailboxSetup as Setup, OAuthClientInfo } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { SIGN_IN_SAVED } from './ConnectMailbox.tsx';
import { ErrorText, fieldError, useSubmit, type FormError } from '../playbook/common.tsx';

/** Where the admin registers the app, in the provider's own words. */
const WHERE: Record<OAuthClientInfo['provider'], string> = {
  google: 'Google Cloud console › APIs & Services › Credentials › Create OAuth client ID, type Web application. Add the scope on the OAuth consent screen.',
  microsoft: 'Microsoft Entra admin center › App registrations › New registration, platform Web. Add the scopes as delegated API permissions, and make a client secret under Certificates & secrets.',
};

/** The API names fields as the CLI's options (client-id) or the body (clientId); the form as the body. */
const FIELD_ALIASES: Record<string, string> = { 'client-id': 'clientId', 'client-secret': 'clientSecret', 'redirect-uri': 'redirectUri' };
const aliased = (e: FormError | null): FormError | null => (e?.field ? { ...e, field: FIELD_ALIASES[e.field] ?? e.field } : e);

function Field({ id, label, value, set, error, type = 'text', hint, placeholder }: {
  id: string; label: string; value: string; set: (v: string) => void; error: { id: string; message: string } | null; type?: string; hint?: string; placeholder?: string;
}) {
  return (
    <span className="mbx-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type={type} value={value} placeholder={placeholder} onChange={(e) => set(e.target.value)} autoComplete={type === 'password' ? 'new-password' : 'off'} aria-invalid={error ? true : undefined} aria-describedby={error?.id ?? (hint ? `${id}-hint` : undefined)} />
      {hint && <span id={`${id}-hint`} className="hint">{hint}</span>}
      <ErrorText error={error} />
    </span>
  );
}

function OAuthClientForm({ info, suggested, onSaved }: { info: OAuthClientInfo; suggested: string; onSaved: (c: OAuthClientInfo) => void }) {
  const p = info.provider;
  const [form, setForm] = useState({ clientId: info.clientId ?? '', clientSecret: '', redirectUri: info.redirectUri ?? suggested, tenant: info.tenant ?? '' });
  const [saved, setSaved] = useState('');
  const [initiallyOpen] = useState(info.clientId === null);
  const { busy, error, submit } = useSubmit(async () => {
    setSaved('');
    const r = await client.put('/api/mailbox/oauth-clients/:provider', {
      params: { provider: p },
      body: { clientId: form.clientId, clientSecret: form.clientSecret || undefined, redirectUri: form.redirectUri, tenant: p === 'microsoft' ? form.tenant : undefined },
    });
    setForm({ ...form, clientSecret: '' });
    onSaved(r);
    setSaved(`${info.label} sign-in saved: reps can connect their mailboxes with it.`);
  });
  const err = aliased(error);
  const f = (name: keyof typeof form, label: string, more: { type?: string; hint?: string; placeholder?: string } = {}) => (
    <Field id={`oauth-${p}-${name}`} label={label} value={form[name]} set={(v) => setForm({ ...form, [name]: v })} error={fieldError(err, name, `oauth-${p}`)} {...more} />
  );
  const redirect = form.redirectUri.trim() || suggested;
  return (
    <form className="oauth-client" onSubmit={submit} noValidate aria-labelledby={`oauth-${p}-title`}>
      {/* Open while it is not set up; once it is, a click away (it takes room on every visit). */}
      <details open={initiallyOpen}>
        <summary>
          <h3 id={`oauth-${p}-title`}>{info.label}</h3>{' '}
          <span className={info.clientId ? 'setup-state ok' : 'setup-state'}>
            {info.clientId ? `Set up: reps can connect with ${info.label}.` : `Not set up: reps cannot connect with ${info.label} yet.`}
            {info.standIn && ' (Stand-in endpoints set with the CLI are kept.)'}
          </span>
        </summary>
        <div className="oauth-client-body">
          <div className="oauth-client-fields">
            {f('clientId', 'Client ID')}
            {f('clientSecret', 'Client secret', {
              type: 'password',
              placeholder: info.secret === 'set' ? 'set (leave empty to keep it)' : 'not set',
              hint: info.secret === 'set' ? 'Secret: set. Stored encrypted and never shown; type a new one to replace it.' : 'Secret: not set. Stored encrypted and never shown.',
            })}
            {f('redirectUri', 'Redirect URI', { hint: 'This server’s address followed by /api/mailbox/oauth/callback.' })}
            {p === 'microsoft' && f('tenant', 'Tenant', { placeholder: 'common', hint: 'Your directory (tenant) ID or domain; empty: any organisation (common).' })}
          </div>
          <aside className="oauth-register" aria-label={`Register with ${info.label}`}>
            <h4>Register with {info.label}</h4>
            <p>{WHERE[p]}</p>
            <dl>
              <dt>Redirect URI (exactly)</dt>
              <dd><code>{redirect}</code></dd>
              <dt>Scopes</dt>
              <dd>{info.scopes.map((s) => <code key={s}>{s}</code>)}</dd>
            </dl>
          </aside>
        </div>
        {err && !err.field && <p role="alert" className="error">{err.message}</p>}
        <p role="status" aria-live="polite" className="status">{saved}</p>
        <button type="submit" className="primary" disabled={busy}>Save {info.label} sign-in</button>
      </details>
    </form>
  );
}

function UnsubscribeForm({ setup, onSaved }: { setup: Setup; onSaved: (url: string | null) => void }) {
  const [url, setUrl] = useState(setup.unsubscribeUrl ?? '');
  const [saved, setSaved] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    setSaved('');
    const r = await client.put('/api/mailbox/unsubscribe-url', { body: { url: url.trim() || null } });
    setUrl(r.unsubscribeUrl ?? '');
    onSaved(r.unsubscribeUrl);
    setSaved(r.unsubscribeUrl ? `Saved: mail carries the one-click link ${r.unsubscribeUrl}?token=…` : 'Cleared: mail carries a mailto unsubscribe link only.');
  });
  const hint = setup.serverIsLocal
    ? 'Tally runs on this machine: a local address is accepted, for trying things out.'
    : 'https, reachable from the internet (not a private or loopback address).';
  return (
    <form className="unsubscribe-url" onSubmit={submit} noValidate aria-labelledby="unsubscribe-url-title">
      <h3 id="unsubscribe-url-title">One-click unsubscribe link</h3>
      <p>
        Gmail and Yahoo require a one-click unsubscribe link (List-Unsubscribe) in mail like Tally’s: Tally’s own page at its public address, usually <code>{setup.suggested.unsubscribeUrl}</code>.
        Every mailbox uses it unless it was given one of its own. Empty: a mailto link only.
      </p>
      <Field id="unsubscribe-url" label="Unsubscribe link" type="url" value={url} set={setUrl} placeholder={setup.suggested.unsubscribeUrl} hint={hint} error={fieldError(error, 'unsubscribeUrl', 'unsubscribe')} />
      {error && !error.field && <p role="alert" className="error">{error.message}</p>}
      <p role="status" aria-live="polite" className="status">{saved}</p>
      <button type="submit" className="primary" disabled={busy}>Save unsubscribe link</button>
    </form>
  );
}

/** A manager-only section of MAILBOX_SECTIONS. */
export function MailboxSetup() {
  const [setup, setSetup] = useState<Setup | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.get('/api/mailbox/setup').then(setSetup, (e: unknown) => setError(e instanceof ApiFailure ? e.message : 'cannot load the setup'));
  }, []);
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!setup) return <p className="loading">Loading the workspace’s setup…</p>;
  const savedClient = (c: OAuthClientInfo) => {
    setSetup({ ...setup, clients: setup.clients.map((x) => (x.provider === c.provider ? c : x)) });
    window.dispatchEvent(new Event(SIGN_IN_SAVED)); // the connect buttons above enable the provider
  };
  return (
    <div className="mailbox-setup">
      <p>Only managers see this. Reps connect Google and Microsoft 365 mailboxes through your organisation’s own app: register it with the provider, then enter its client here.</p>
      {setup.clients.map((c) => <OAuthClientForm key={c.provider} info={c} suggested={setup.suggested.redirectUri} onSaved={savedClient} />)}
      <UnsubscribeForm setup={setup} onSaved={(unsubscribeUrl) => setSetup({ ...setup, unsubscribeUrl })} />
    </div>
  );
}
