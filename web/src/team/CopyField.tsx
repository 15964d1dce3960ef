// A secret shown once (an invitation link, an API token): in a read-only field people can select,
// with a button that copies it. The clipboard API needs a secure context (https or loopback);
// elsewhere the text is selected so Ctrl+C finishes the job.
import { useEffect, useRef, useState } from 'react';

export function CopyField({ id, label, value, autoFocus = false }: { id: string; label: string; value: string; autoFocus?: boolean }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    if (!autoFocus) return;
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [autoFocus, value]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('Copied to the clipboard.');
    } catch {
      inputRef.current?.focus();
      inputRef.current?.select();
      setStatus('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };

  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} ref={inputRef} readOnly value={value} spellCheck={false} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => void copy()}>Copy</button>
      </div>
      <span role="status" aria-live="polite" className="status">{status}</span>
    </div>
  );
}
