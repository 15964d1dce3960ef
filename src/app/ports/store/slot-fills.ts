// The rep's words for fill-in slots and missing variables of cadence steps.
import type { SlotFill } from '../records.ts';

/** A cadence step, by cadence (all its versions) and position. */
export interface CadenceStepRef {
  cadenceId: number;
  stepIndex: number;
}

export interface SlotFillQueries {
  /** Fills of these cadence steps: the cadence-wide ones and those of these prospects. */
  forSteps(workspaceId: number, steps: CadenceStepRef[], prospectIds: number[]): Promise<SlotFill[]>;
  /** Sets the words of one slot (for one prospect, or for the whole step when prospect_id is null), replacing earlier ones. */
  put(fill: Omit<SlotFill, 'id'>): Promise<void>;
}
