// The board's vocabulary: how it sorts and which due dates it filters on.

/** due: next due first (none last); name; touches; id. */
export const BOARD_SORTS = ['id', 'due', 'name', 'touches'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

export const BOARD_DUE = ['overdue', 'today'] as const;
export type BoardDue = (typeof BOARD_DUE)[number];
