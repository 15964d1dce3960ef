// Errors meant for the person at the keyboard: what went wrong and where, never a stack trace.

export interface ErrorWhere {
  file?: string;
  line?: number;
  field?: string;
}

/** Bad input or a request that makes no sense in the current state. */
export class TallyError extends Error {
  constructor(
    message: string,
    readonly code: string = 'invalid',
    readonly where: ErrorWhere = {},
  ) {
    super(message);
    this.name = 'TallyError';
  }
}

export class NotFoundError extends TallyError {
  constructor(message: string) {
    super(message, 'not_found');
    this.name = 'NotFoundError';
  }
}

/** "file.csv:12: field email: …" */
export function formatWhere(where: ErrorWhere): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.line ? `${where.file}:${where.line}` : where.file);
  else if (where.line) parts.push(`line ${where.line}`);
  if (where.field) parts.push(`field ${where.field}`);
  return parts.join(': ');
}
