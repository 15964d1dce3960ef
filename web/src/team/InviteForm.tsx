// Managers invite a rep or a manager. The server mails the invitation through the workspace's
// mailbox when it has one; the page always shows the link once too (/accept#TOKEN: after the #, so
// it never reaches a server log), to hand over when no mail went. Inviting an address again, or
// Resend, renews its open invitation: a new link, the old one dead.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { InviteMade, PendingInvite } from '@contract';
import { ROLES, type Role } from '@core/accounts.ts';
import { client } from '../api.ts';
import { oneOf } from '../select.ts';
import { ErrorText, fieldError, toFormError, type FormError } from '../playbook/common.tsx';
import { CopyField } from './CopyField.tsx';
import { useAction } from './hooks.ts';

const day = (ms: number) => new Date(ms).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

export function InviteForm({ onInvited }: { onInvited: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('rep');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<InviteMade | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const emailErr = fieldError(error, 'email', 'invite');
  const nameErr = fieldError(error, 'name', 'invite');
  const general = error && !emailErr && !nameErr ? error.message : null;

  useEffect(() => {
    if (error?.field === 'email') emailRef.current?.focus();
    else if (error?.field === 'name') nameRef.current?.focus();
  }, [error]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setMade(await client.post('/api/auth/invites', { body: { email, name, role } }));
      setEmail('');
      setName('');
      setRole('rep');
      onInvited();
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {made && (
        <div className="secret-once" role="group" aria-labelledby="invite-made-title">
          <h3 id="invite-made-title">{made.resent ? 'Invitation renewed' : 'Invitation'} for {made.name} ({made.role === 'manager' ? 'manager' : 'rep'})</h3>
          <InviteOutcome made={made} />
          <CopyField id="invite-link" label="Invitation link" value={`${location.origin}${made.acceptPath}`} autoFocus />
          <button type="button" onClick={() => { setMade(null); emailRef.current?.focus(); }}>Done</button>
        </div>
      )}
      <form className="team-form" onSubmit={submit} noValidate aria-labelledby="invite-title">
        <label htmlFor="invite-email">Email</label>
        <input
          id="invite-email" ref={emailRef} type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)}
          aria-invalid={emailErr ? true : undefined} aria-describedby={emailErr?.id}
        />
        <ErrorText error={emailErr} />
        <label htmlFor="invite-name">Name</label>
        <input
          id="invite-name" ref={nameRef} required autoComplete="off" value={name} onChange={(e) => setName(e.target.value)}
          aria-invalid={nameErr ? true : undefined} aria-describedby={nameErr?.id}
        />
        <ErrorText error={nameErr} />
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" value={role} onChange={(e) => setRole(oneOf(ROLES, e.target.value) ?? 'rep')} aria-describedby="invite-role-hint">
          <option value="rep">Rep</option>
          <option value="manager">Manager</option>
        </select>
        <span id="invite-role-hint" className="hint">A rep sees and works only their own prospects; a manager sees the team, edits cadences and the playbook, and invites people.</span>
        {general && <p role="alert" className="error">{general}</p>}
        <button type="submit" disabled={busy}>Invite</button>
      </form>
    </>
  );
}

/** Whether the invitation went by mail, and the link (shown once) for when it did not. */
function InviteOutcome({ made }: { made: InviteMade }) {
  const until = day(made.expiresAt);
  if (made.mailed) return <p>Mailed to {made.email}{made.resent ? ' again, with a new link (the old one no longer works)' : ''}. The link works once, until {until}; here it is too, shown only now:</p>;
  return (
    <>
      {made.mailError && <p role="alert" className="error">{made.mailError}</p>}
      <p>{made.mailError ? '' : 'The workspace has no mailbox to send it from: '}Send {made.email} this link{made.resent ? ' (it replaces the one sent before)' : ''}; it works once, until {until}, and is shown only now.</p>
    </>
  );
}

/** Invitations not yet accepted: resending one gives it a new link; cancelling one makes its link useless. */
export function PendingInvites({ invites, onChanged }: { invites: PendingInvite[]; onChanged: () => void }) {
  const { status, busy, statusRef, run } = useAction(onChanged);
  const [resent, setResent] = useState<InviteMade | null>(null);
  const resend = (i: PendingInvite) =>
    run(async () => {
      const r = await client.post('/api/auth/invites/:id/resend', { params: { id: i.id } });
      setResent(r);
      return r.mailed ? `The invitation of ${i.email} is sent again with a new link.` : `The invitation of ${i.email} has a new link: hand it over (below).`;
    });
  const cancel = (i: PendingInvite) =>
    run(async () => {
      await client.delete('/api/auth/invites/:id', { params: { id: i.id } });
      return `The invitation of ${i.email} is cancelled: its link no longer works.`;
    });
  return (
    <>
      <p role="status" aria-live="polite" className="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {resent && !resent.mailed && <CopyField id="resent-link" label={`New invitation link for ${resent.email}`} value={`${location.origin}${resent.acceptPath}`} />}
      {invites.length === 0 ? <p className="meta">No invitation is waiting.</p> : (
        <table className="team-invites">
          <caption className="visually-hidden">Invitations not yet accepted</caption>
          <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Invited by</th><th scope="col">Valid until</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {invites.map((i) => (
              <tr key={i.id}>
                <th scope="row">{i.email}</th><td>{i.name}</td><td>{i.role === 'manager' ? 'Manager' : 'Rep'}</td><td>{i.invitedBy ?? '—'}</td><td>{day(i.expiresAt)}</td>
                <td>
                  <button type="button" disabled={busy} aria-label={`Resend the invitation of ${i.email}`} onClick={() => void resend(i)}>Resend</button>{' '}
                  <button type="button" disabled={busy} aria-label={`Cancel the invitation of ${i.email}`} onClick={() => void cancel(i)}>Cancel</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
