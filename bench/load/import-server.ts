// The server of the import-load bench, in a process of its own so that its RSS is the server's alone:
// a fresh workspace, one API token, the real API server (buildServer, as `tally serve` builds it).
// Prints {"url","token","pid"} on its first line once listening.
import type { AddressInfo } from 'node:net';
import { buildServer } from '../../src/api/server.ts';
import { createApiToken } from '../../src/app/accounts.ts';
import { openContext } from '../../src/app/context.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore } from '../../src/store/store.ts';

const store = await openStore(process.argv[2]!);
const rt = runtimeFor(store);
await initWorkspace(rt, { timezone: 'America/New_York', userEmail: 'bench@example.com' });
const { token } = await createApiToken(await openContext(rt), 'import-load bench');
const app = await buildServer({ runtime: rt, database: store, webDir: false, importStore: () => openStore(process.argv[2]!, { migrate: false, bulk: true }) });
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, token, pid: process.pid })}\n`);
