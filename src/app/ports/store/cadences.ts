// Cadences, their versions and steps.
import type { CadenceDefinition, CadenceStep, Channel, EnrollmentStatus } from '../../../core/types.ts';
import type { Outcome } from '../../../core/outcomes.ts';
import type { Cadence, CadenceVersion } from '../records.ts';

export interface CadenceListing {
  id: number;
  name: string;
  version: number;
  steps: number;
  live: number;
  finished: number;
  /** When it was archived (no new enrollments), else null. */
  archivedAt: number | null;
}

export interface CadenceVersionInfo {
  version: number;
  createdAt: number;
  /** Who saved it (null for versions saved before authors were recorded). */
  author: string | null;
  steps: number;
  /** Enrollments still running on this version. */
  live: number;
}

export interface CurrentDefinition {
  cadenceId: number;
  cadence: string;
  version: number;
  def: CadenceDefinition;
}

export interface CadenceQueries {
  byId(workspaceId: number, id: number): Promise<Cadence | undefined>;
  byNameKey(workspaceId: number, nameKey: string): Promise<Cadence | undefined>;
  nameOf(id: number): Promise<string>;
  version(cadenceId: number, version: number): Promise<CadenceVersion | undefined>;
  insert(c: Omit<Cadence, 'id'>): Promise<number>;
  setCurrentVersion(id: number, version: number, name: string, nameKey: string): Promise<void>;
  setArchived(id: number, at: number | null): Promise<void>;
  /** Enrollments ever made in the cadence, and those still live. */
  enrollmentCounts(id: number): Promise<{ total: number; live: number }>;
  /** Deletes a cadence with its versions and steps (only one nobody was enrolled in). */
  remove(id: number): Promise<void>;
  /** Touches made in the cadence's enrollments (of one owner's prospects, or everyone's), in order per enrollment, with the enrollments' statuses (its rates). */
  touchFacts(id: number, ownerId: number | null): Promise<{ enrollments: { id: number; status: EnrollmentStatus; versionId: number }[]; touches: { enrollmentId: number; stepIndex: number | null; channel: Channel; outcome: Outcome }[] }>;
  /** A version with its steps (the step rows are what the queue, the tick and the sender read). */
  insertVersion(v: Omit<CadenceVersion, 'id'>, steps: CadenceStep[]): Promise<number>;
  stepsOf(versionId: number): Promise<CadenceStep[]>;
  list(workspaceId: number): Promise<CadenceListing[]>;
  versions(workspaceId: number, cadenceId: number): Promise<CadenceVersionInfo[]>;
  /** The current version of every cadence of the workspace, in id order. */
  currentDefinitions(workspaceId: number): Promise<CurrentDefinition[]>;
  /** Cadence version id → its steps' channels by position, for every step of the workspace's cadences (a small table). */
  stepChannels(workspaceId: number): Promise<Map<number, Channel[]>>;
}
