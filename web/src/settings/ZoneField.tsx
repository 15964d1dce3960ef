// A time zone picked from the IANA zones the browser knows: typing filters the list (a datalist),
// and only a zone of the list is accepted.
import { useId } from 'react';

const ZONES: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

export const isKnownZone = (zone: string) => zone === 'UTC' || ZONES.includes(zone);

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (zone: string) => void;
  /** Shown when the field is empty (the zone used then). */
  placeholder?: string;
  describedBy?: string;
  invalid?: boolean;
}

export function ZoneField({ id, label, value, onChange, placeholder, describedBy, invalid }: Props) {
  const listId = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id} list={listId} value={value} autoComplete="off" spellCheck={false} placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid ? true : undefined}
      />
      <datalist id={listId}>
        {ZONES.map((z) => <option key={z} value={z} />)}
      </datalist>
    </>
  );
}
