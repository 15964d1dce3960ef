// Versioning made visible: every version with its date, author, steps and live enrollments.
import type { CadenceVersionInfo } from '@contract';

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export interface VersionsProps {
  versions: CadenceVersionInfo[];
  viewing: number;
  canRestore: boolean;
  onView: (version: number) => void;
  onRestore: (version: number) => void;
}

export function Versions({ versions, viewing, canRestore, onView, onRestore }: VersionsProps) {
  const current = versions[0]?.version ?? 1;
  return (
    <section className="versions" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      <p className="hint">Saving creates version {current + 1}; live enrollments stay on their version.</p>
      <ol reversed>
        {versions.map((v) => (
          <li key={v.version} aria-current={v.version === viewing ? 'true' : undefined}>
            <strong>v{v.version}</strong>{v.version === current ? ' (current)' : ''} · {when(v.createdAt)}{v.author ? ` · by ${v.author}` : ''} · {v.steps} steps · {v.live} live
            {v.version !== viewing && (
              <button type="button" className="link" onClick={() => onView(v.version)} aria-label={`View version ${v.version}${v.version === current ? ' (current)' : ' read-only'}`}>
                {v.version === current ? 'Edit' : 'View'}
              </button>
            )}
            {canRestore && v.version !== current && (
              <button type="button" className="link" onClick={() => onRestore(v.version)} aria-label={`Restore version ${v.version} as the current one`}>Restore</button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
