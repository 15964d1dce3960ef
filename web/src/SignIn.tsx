// Before anyone is signed in: create the workspace while nobody owns it (the first person to sign
// up becomes its manager), sign in once someone does, or, arriving from an invitation link
// (/accept#TOKEN), choose a password. A forgotten password: ask for a reset link by mail, then
// choose a new one on the page it opens (/reset#TOKEN).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Session, SetupStatus } from '@contract';
// The server enforces it; the page states it next to the field so nobody has to guess.
import { MIN_PASSWORD } from '@core/accounts.ts';
import { ApiFailure, client } from './api.ts';
import { ErrorText, fieldError, useSubmit, type FormError } from './playbook/common.tsx';

const OFFLINE = 'cannot reach the server';

/** The message for `field` and the aria-describedby that goes with it. */
function fieldHelpers(err: FormError | null, prefix: string) {
  return (field: string, hintId?: string) => {
    const fe = fieldError(err, field, prefix);
    const describedBy = [hintId, fe?.id].filter(Boolean).join(' ') || undefined;
    return { fe, props: { 'aria-describedby': describedBy, 'aria-invalid': fe ? true : undefined } };
  };
}

export function SignIn({ onSignedIn }: { onSignedIn: (me: Session) => void }) {
  if (location.pathname === '/reset') return <ResetForm token={location.hash.slice(1)} onSignedIn={onSignedIn} />;
  return <Welcome onSignedIn={onSignedIn} />;
}

function Welcome({ onSignedIn }: { onSignedIn: (me: Session) => void }) {
  const inviteToken = location.pathname === '/accept' ? location.hash.slice(1) : '';
  // undefined: still asking the server; null: it did not say (show the sign-in form).
  const [setup, setSetup] = useState<SetupStatus | null | undefined>(inviteToken ? null : undefined);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (inviteToken) return;
    client.get('/api/auth/setup').then(setSetup, () => setSetup(null));
  }, [inviteToken]);

  if (setup === undefined) return <p className="loading">Loading…</p>;
  if (setup?.signupOpen) {
    return (
      <SignUp
        workspaceName={setup.workspaceName}
        onSignedIn={onSignedIn}
        onClosed={(message) => {
          // Someone else just became the owner: this person needs an invitation, or to sign in.
          setNotice(message);
          setSetup({ signupOpen: false, workspaceName: null, setupCodeRequired: false });
        }}
      />
    );
  }
  return <SignInForm inviteToken={inviteToken} notice={notice} onSignedIn={onSignedIn} />;
}

function SignInForm({ inviteToken, notice, onSignedIn }: { inviteToken: string; notice: string | null; onSignedIn: (me: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const me = inviteToken
      ? await client.post('/api/auth/accept', { body: { token: inviteToken, password } })
      : await client.post('/api/auth/login', { body: { email, password } });
    if (inviteToken) history.replaceState(null, '', '/');
    onSignedIn(me);
  }, OFFLINE);
  const fieldProps = fieldHelpers(error, 'signin');

  const emailErr = fieldProps('email');
  const passwordErr = fieldProps('password', inviteToken ? 'signin-password-rule' : undefined);
  // An error that names no field shown here (e.g. "wrong email or password", an expired invitation).
  const general = error && !emailErr.fe && !passwordErr.fe ? error.message : null;

  return (
    <main className="signin">
      <h1>{inviteToken ? 'Choose your password' : 'Sign in to Tally'}</h1>
      {notice && <p className="held" role="note">{notice}</p>}
      <form onSubmit={submit} aria-describedby={general ? 'signin-error' : undefined}>
        {!inviteToken && (
          <>
            <label htmlFor="email">Email</label>
            <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus {...emailErr.props} />
            <ErrorText error={emailErr.fe} />
          </>
        )}
        <label htmlFor="password">Password</label>
        <input
          id="password" type="password" required minLength={inviteToken ? MIN_PASSWORD : undefined}
          autoComplete={inviteToken ? 'new-password' : 'current-password'} value={password} onChange={(e) => setPassword(e.target.value)}
          autoFocus={!!inviteToken} {...passwordErr.props}
        />
        {inviteToken && <span id="signin-password-rule" className="hint">At least {MIN_PASSWORD} characters.</span>}
        <ErrorText error={passwordErr.fe} />
        {general && <p id="signin-error" role="alert" className="error">{general}</p>}
        <button type="submit" disabled={busy}>{inviteToken ? 'Set password and sign in' : 'Sign in'}</button>
      </form>
      {!inviteToken && <ForgotPassword email={email} />}
    </main>
  );
}

/** "Forgot your password?": the server mails a reset link when the address has an account (and says the same either way). */
function ForgotPassword({ email: typed }: { email: string }) {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const r = await client.post('/api/auth/password-reset/request', { body: { email } });
    setSent(`${r.message.replace(/^\w/, (c) => c.toUpperCase())}. It works for one hour. No mail? Ask a manager for a reset link.`);
  }, OFFLINE);
  const emailErr = fieldError(error, 'email', 'forgot');
  if (!open) return <p><button type="button" className="link" onClick={() => { setEmail(typed); setOpen(true); }}>Forgot your password?</button></p>;
  return (
    <form className="forgot" onSubmit={submit} noValidate aria-labelledby="forgot-title">
      <h2 id="forgot-title">Reset your password</h2>
      <label htmlFor="forgot-email">Your email</label>
      <input id="forgot-email" type="email" autoComplete="username" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={emailErr ? true : undefined} aria-describedby={emailErr?.id} />
      <ErrorText error={emailErr} />
      {error && !emailErr && <p role="alert" className="error">{error.message}</p>}
      <p role="status" aria-live="polite" className="status">{sent}</p>
      <button type="submit" disabled={busy}>Mail me a reset link</button>
    </form>
  );
}

/** The page a reset link opens: a new password, then signed in (every other session of the account ended). */
function ResetForm({ token, onSignedIn }: { token: string; onSignedIn: (me: Session) => void }) {
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const me = await client.post('/api/auth/password-reset', { body: { token, password } });
    history.replaceState(null, '', '/');
    onSignedIn(me);
  }, OFFLINE);
  const fieldProps = fieldHelpers(error, 'reset');
  const passwordErr = fieldProps('password', 'reset-password-rule');
  const general = error && !passwordErr.fe ? error.message : null;
  return (
    <main className="signin">
      <h1>Choose a new password</h1>
      <form onSubmit={submit} noValidate>
        <label htmlFor="reset-password">New password</label>
        <input id="reset-password" type="password" autoComplete="new-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} {...passwordErr.props} />
        <span id="reset-password-rule" className="hint">At least {MIN_PASSWORD} characters; a few unrelated words are easy to remember and hard to guess.</span>
        <ErrorText error={passwordErr.fe} />
        {general && <p role="alert" className="error">{general}</p>}
        <button type="submit" disabled={busy}>Set password and sign in</button>
      </form>
      <p><a href="/">Back to sign-in</a></p>
    </main>
  );
}

/** Every zone the browser knows, with the browser's own first choice included even if unlisted (e.g. "UTC"). */
function timeZones(own: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(own) ? all : [own, ...all];
}

const FIELDS = ['name', 'email', 'password', 'workspaceName', 'timezone', 'setupCode'] as const;
type Field = (typeof FIELDS)[number];

function SignUp({ workspaceName, onSignedIn, onClosed }: { workspaceName: string | null; onSignedIn: (me: Session) => void; onClosed: (message: string) => void }) {
  const browserZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', []);
  const zones = useMemo(() => timeZones(browserZone), [browserZone]);
  // A workspace made by `tally init` or the demo already has its name and zone: sign-up claims it.
  const claiming = workspaceName !== null;
  const [form, setForm] = useState({ name: '', email: '', password: '', workspaceName: '', timezone: browserZone, setupCode: '' });
  const { busy, error, submit } = useSubmit(async () => {
    const body = claiming ? { name: form.name, email: form.email, password: form.password, setupCode: form.setupCode } : form;
    try {
      onSignedIn(await client.post('/api/auth/signup', { body }));
    } catch (err) {
      // Someone else made the workspace meanwhile: the page turns to signing in.
      if (err instanceof ApiFailure && err.error.code === 'signup_closed') onClosed(err.message);
      else throw err;
    }
  }, OFFLINE);
  const refs = useRef<Partial<Record<Field, HTMLInputElement | HTMLSelectElement | null>>>({});
  const fieldProps = fieldHelpers(error, 'signup');
  const set = (field: Field) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));

  // The keyboard follows the error: the field at fault gets the focus, its message read with it.
  useEffect(() => {
    const f = error?.field as Field | undefined;
    if (f && FIELDS.includes(f)) refs.current[f]?.focus();
  }, [error]);


  const errs = {
    name: fieldProps('name'),
    email: fieldProps('email'),
    password: fieldProps('password', 'signup-password-rule'),
    workspaceName: fieldProps('workspaceName'),
    timezone: fieldProps('timezone', 'signup-timezone-hint'),
    setupCode: fieldProps('setupCode', 'signup-setup-code-hint'),
  };
  const general = error && !Object.values(errs).some((x) => x.fe) ? error.message : null;

  return (
    <main className="signin signup">
      <h1 id="signup-title">Create your workspace</h1>
      <p id="signup-intro">
        {claiming
          ? <>This server already has the workspace <strong>{workspaceName}</strong> (made with <code>tally init</code> or <code>tally demo</code>). The first person to sign up becomes its manager; everyone else joins by invitation.</>
          : <>Nobody has signed up on this server yet. You will be the workspace’s manager and can invite your team from Settings → Team.</>}
      </p>
      {/* The server checks every field; its messages appear next to the field they name. */}
      <form onSubmit={submit} noValidate aria-labelledby="signup-title" aria-describedby="signup-intro">
        <label htmlFor="signup-name">Your name</label>
        <input id="signup-name" ref={(el) => { refs.current.name = el; }} autoComplete="name" required autoFocus value={form.name} onChange={set('name')} {...errs.name.props} />
        <ErrorText error={errs.name.fe} />

        <label htmlFor="signup-email">Email</label>
        <input id="signup-email" ref={(el) => { refs.current.email = el; }} type="email" autoComplete="username" required value={form.email} onChange={set('email')} {...errs.email.props} />
        <ErrorText error={errs.email.fe} />

        <label htmlFor="signup-password">Password</label>
        <input
          id="signup-password" ref={(el) => { refs.current.password = el; }} type="password" autoComplete="new-password" required minLength={MIN_PASSWORD}
          value={form.password} onChange={set('password')} {...errs.password.props}
        />
        <span id="signup-password-rule" className="hint">At least {MIN_PASSWORD} characters; a few words make a good one.</span>
        <ErrorText error={errs.password.fe} />

        {!claiming && (
          <>
            <label htmlFor="signup-workspace">Workspace name</label>
            <input id="signup-workspace" ref={(el) => { refs.current.workspaceName = el; }} autoComplete="organization" required value={form.workspaceName} onChange={set('workspaceName')} {...errs.workspaceName.props} />
            <ErrorText error={errs.workspaceName.fe} />

            <label htmlFor="signup-timezone">Time zone</label>
            <select id="signup-timezone" ref={(el) => { refs.current.timezone = el; }} value={form.timezone} onChange={set('timezone')} {...errs.timezone.props}>
              {zones.map((z) => <option key={z} value={z}>{z.replace(/_/g, ' ')}</option>)}
            </select>
            <span id="signup-timezone-hint" className="hint">Your browser’s is chosen. Touches are scheduled in it for prospects with no zone of their own.</span>
            <ErrorText error={errs.timezone.fe} />
          </>
        )}
        <label htmlFor="signup-setup-code">Setup code</label>
        <input id="signup-setup-code" ref={(el) => { refs.current.setupCode = el; }} autoComplete="off" spellCheck={false} required value={form.setupCode} onChange={set('setupCode')} {...errs.setupCode.props} />
        <span id="signup-setup-code-hint" className="hint">Printed by <code>tally serve</code> when it started: it proves you run this server.</span>
        <ErrorText error={errs.setupCode.fe} />

        {general && <p role="alert" className="error">{general}</p>}
        <button type="submit" disabled={busy}>{claiming ? 'Sign up and own this workspace' : 'Create workspace'}</button>
      </form>
    </main>
  );
}
