// Erase a prospect on request (a privacy request): says what goes, that it is for good, and what
// stays (a salted fingerprint of the email, so no import brings them back) before it acts.
import { useState } from 'react';
import type { ProspectView } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { Modal } from './Modal.tsx';

export function EraseDialog({ view, onClose }: { view: ProspectView; onClose: (erased: string | null) => void }) {
  const p = view.prospect;
  const name = [p.first_name, p.last_name].filter(Boolean).join(' ') || p.email;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const erase = async () => {
    setBusy(true);
    try {
      await client.delete('/api/prospects/:id', { params: { id: p.id } });
      onClose(`Erased ${name}: nothing of them is kept but a fingerprint of the email that keeps imports from adding them back.`);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'the server did not answer');
      setBusy(false);
    }
  };
  const touches = view.tally.count;
  return (
    <Modal title={`Erase ${name} for good?`} onClose={() => onClose(null)} className="erase">
      <p><strong>This cannot be undone.</strong> Use it for a privacy request ("delete everything you hold about me"). Erased now:</p>
      <ul>
        <li>their details: name, email ({p.email}), phone, title, LinkedIn profile, time zone and {Object.keys(p.custom_fields).length} custom fields;</li>
        <li>{touches} {touches === 1 ? 'touch' : 'touches'} with their notes, and the history of corrections to them;</li>
        <li>{view.enrollments.length} {view.enrollments.length === 1 ? 'cadence enrollment' : 'cadence enrollments'};</li>
        <li>mail from them, mail drafted or sent to them (reviewed or not), and webhook events that name them.</li>
      </ul>
      <p>Kept: only a salted fingerprint of the email address, so an import leaves them out ("erased on request") and they are never enrolled again.</p>
      {error && <p role="alert" className="error">Not erased: {error}</p>}
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={() => void erase()}>Erase {name} for good</button>
        <button type="button" data-autofocus onClick={() => onClose(null)}>Cancel</button>
      </div>
    </Modal>
  );
}
