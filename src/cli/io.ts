// How the CLI talks: plain text for people, JSON for scripts, progress on stderr.
import { DateTime } from 'luxon';
import cliProgress from 'cli-progress';
import type { Writable } from 'node:stream';
import { jsonSafe, terminalSafe } from './terminal-text.ts';

export interface Io {
  stdout: Writable;
  stderr: Writable;
  /** Whether stderr is a terminal (progress bars only there). */
  interactive: boolean;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, interactive: Boolean(process.stderr.isTTY) };

/** Every line goes out terminal-safe: user data (names, notes, subjects) may hold control characters. */
export function print(io: Io, text = ''): void {
  const safe = terminalSafe(text);
  io.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${jsonSafe(JSON.stringify(value, null, 2))}\n`);
}

export function warn(io: Io, text: string): void {
  io.stderr.write(`${terminalSafe(text)}\n`);
}

export function formatTime(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL HH:mm');
}

/** "3d overdue", "in 2h", "now". */
export function relative(ms: number, now: number): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const unit = abs >= 86_400_000 ? `${Math.floor(abs / 86_400_000)}d` : abs >= 3_600_000 ? `${Math.floor(abs / 3_600_000)}h` : `${Math.floor(abs / 60_000)}m`;
  if (abs < 60_000) return 'now';
  return diff < 0 ? `${unit} overdue` : `in ${unit}`;
}

export function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, Math.max(0, width - 1)) + (text.length > width ? '…' : ' ') : text + ' '.repeat(width - text.length);
}

export function percent(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

export interface Progress {
  update(done: number, detail?: string): void;
  stop(): void;
}

/** A progress bar on an interactive terminal; nothing otherwise (scripts and pipes stay clean). */
export function progressBar(io: Io, label: string, total: number, unit = ''): Progress {
  if (!io.interactive) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}${unit} {detail}`, stream: io.stderr as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { detail: '' });
  return {
    update: (done, detail = '') => bar.update(done, { detail }),
    stop: () => bar.stop(),
  };
}
