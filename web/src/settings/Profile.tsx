// My profile: the name teammates and prospects see, my time zone (my blocks, my queue's days and my
// calendar feed follow it), the signature added below my emails; then my password, the browsers
// signed in as me and my API tokens (moved here from the team page).
import { useEffect, useState } from 'react';
import type { ProfileView, Session } from '@contract';
import { client } from '../api.ts';
import { ErrorText, fieldError, useSubmit } from '../playbook/common.tsx';
import { Account } from '../team/Account.tsx';
import { Tokens } from '../team/Tokens.tsx';
import { isKnownZone, ZoneField } from './ZoneField.tsx';

export function Profile({ me }: { me: Session }) {
  const [profile, setProfile] = useState<ProfileView | null>(null);
  const [name, setName] = useState('');
  const [zone, setZone] = useState('');
  const [signature, setSignature] = useState('');
  const [saved, setSaved] = useState('');

  useEffect(() => {
    void client.get('/api/settings/profile').then((p) => {
      setProfile(p);
      setName(p.name);
      setZone(p.timezone ?? '');
      setSignature(p.signature ?? '');
    });
  }, []);

  const { busy, error, submit } = useSubmit(async () => {
    setSaved('');
    if (zone.trim() && !isKnownZone(zone.trim())) return; // the field says why already
    const p = await client.put('/api/settings/profile', { body: { name, timezone: zone.trim() || null, signature: signature.trim() ? signature : null } });
    setProfile(p);
    setSaved('Profile saved: new emails carry this signature.');
  });
  const zoneError = zone.trim() && !isKnownZone(zone.trim()) ? { id: 'profile-timezone-error', message: `"${zone}" is not a time zone of the list: type a city, e.g. Paris, and pick from the list` } : fieldError(error, 'timezone', 'profile');
  const nameError = fieldError(error, 'name', 'profile');
  const signatureError = fieldError(error, 'signature', 'profile');
  const general = error && !nameError && !signatureError && !zoneError ? error.message : null;

  return (
    <section aria-labelledby="profile-title" className="settings-page">
      <h1 id="profile-title">My profile</h1>
      <div className="settings-grid">
        <section className="card" aria-labelledby="profile-form-title">
          <h2 id="profile-form-title">You</h2>
          {!profile ? <p className="loading">Loading your profile…</p> : (
            <form className="settings-form" onSubmit={submit} noValidate aria-labelledby="profile-form-title">
              <p className="meta">Signed in as {me.user.email}.</p>
              <label htmlFor="profile-name">Name</label>
              <input id="profile-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" aria-invalid={nameError ? true : undefined} aria-describedby={nameError?.id} />
              <ErrorText error={nameError} />
              <ZoneField
                id="profile-timezone" label="Time zone" value={zone} onChange={setZone} placeholder={`${profile.workspaceTimezone} (the workspace’s)`}
                describedBy={zoneError ? zoneError.id : 'profile-timezone-hint'} invalid={zoneError !== null}
              />
              <span id="profile-timezone-hint" className="hint">Your follow-up blocks, your queue’s days and your calendar feed use it. Empty: the workspace’s zone ({profile.workspaceTimezone}).</span>
              <ErrorText error={zoneError} />
              <label htmlFor="profile-signature">Email signature</label>
              <textarea id="profile-signature" rows={5} value={signature} onChange={(e) => setSignature(e.target.value)} aria-describedby={signatureError?.id ?? 'profile-signature-hint'} aria-invalid={signatureError ? true : undefined} />
              <span id="profile-signature-hint" className="hint">Added below every email sent for you, after the template’s text (a template can place it itself with {'{{sender_signature}}'}). Plain text; up to 1000 characters.</span>
              <ErrorText error={signatureError} />
              {general && <p role="alert" className="error">{general}</p>}
              <p role="status" aria-live="polite" className="status">{saved}</p>
              <button type="submit" className="primary" disabled={busy}>Save profile</button>
            </form>
          )}
        </section>
        <section className="card" aria-labelledby="account-title">
          <h2 id="account-title">Your account</h2>
          <Account />
        </section>
        <section className="card" aria-labelledby="tokens-title">
          <h2 id="tokens-title">Your API tokens</h2>
          <Tokens />
        </section>
      </div>
    </section>
  );
}
