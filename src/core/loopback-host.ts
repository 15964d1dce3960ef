// This machine's own names: where plain http is acceptable (a local stand-in, a server reached
// through a tunnel) and where an address means "Tally runs on the manager's own machine".

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/** Whether a URL's hostname (as `new URL(…).hostname` gives it) names this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}
