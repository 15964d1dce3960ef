// The board's vocabulary: how it sorts, which due dates it filters on, and its stages.
import { OUTCOME_INFO } from './outcomes.ts';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from './types.ts';

/** due: next due first (none last); name; touches; id. */
export const BOARD_SORTS = ['id', 'due', 'name', 'touches'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

export const BOARD_DUE = ['overdue', 'today'] as const;
export type BoardDue = (typeof BOARD_DUE)[number];

/**
 * A stage on the board: the latest enrollment's status, except that a meeting booked is its own
 * stage (the enrollment ended "replied" with the meeting's reason), and "none" for never enrolled.
 */
export const BOARD_STAGES = [...ENROLLMENT_STATUSES, 'meeting_booked', 'none'] as const;
export type BoardStage = (typeof BOARD_STAGES)[number];

/** The reason an enrollment ends with when a meeting is booked (logged, or read from a calendar invitation). */
export const MEETING_REASON = OUTCOME_INFO.meeting_booked.ends.reason;

export function boardStage(status: EnrollmentStatus, reason: string | null): Exclude<BoardStage, 'none'> {
  return status === 'replied' && reason !== null && reason.startsWith(MEETING_REASON) ? 'meeting_booked' : status;
}
