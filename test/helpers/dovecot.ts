// A real IMAP server for the mail tests: Dovecot (Debian's dovecot-imapd), started per test file
// with its own configuration in a temp dir: 127.0.0.1 on a free port, plaintext auth on loopback,
// one passwd-file user, maildir storage in the temp dir. No system service is touched.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = '/usr/sbin/dovecot';
const PACKAGE = 'dovecot-imapd';

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  /** Drops messages straight into the user's INBOX (maildir), each arriving at its date: fast for big mailboxes. */
  fill(messages: Iterable<{ raw: Buffer; arrived: Date }>): number;
  stop(): Promise<void>;
}

/** Installs dovecot-imapd when missing (root only); otherwise fails naming the package. */
export function ensureDovecot(): void {
  if (existsSync(BINARY) && existsSync('/usr/lib/dovecot/imap')) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`the mail tests need Dovecot's IMAP server: install the Debian package "${PACKAGE}" (apt-get install -y ${PACKAGE})`);
  }
  try {
    execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${PACKAGE}`], { stdio: 'pipe', timeout: 300_000 });
  } catch (err) {
    throw new Error(`could not install the Debian package "${PACKAGE}" for the mail tests: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!existsSync(BINARY)) throw new Error(`"${PACKAGE}" installed but ${BINARY} is missing`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function idOf(kind: 'u' | 'g', name: string): number | null {
  try {
    return Number(execFileSync('id', [`-${kind}`, name], { stdio: 'pipe' }).toString().trim());
  } catch {
    return null;
  }
}

async function waitForPort(port: number, timeoutMs: number, log: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '(no log)';
      throw new Error(`Dovecot did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface DovecotOptions {
  user?: string;
  password?: string;
  /** Also log in with XOAUTH2 / OAUTHBEARER, the token checked by introspection (RFC 7662) at this URL (Dovecot's oauth2 passdb). */
  oauth2IntrospectionUrl?: string;
  /** The name of the folder flagged \\Sent (default "Sent"), e.g. a localized one. */
  sentFolder?: string;
}

export async function startDovecot(opts: DovecotOptions = {}): Promise<DovecotServer> {
  ensureDovecot();
  const user = opts.user ?? 'rep@tally.test';
  const password = opts.password ?? 'imap-secret-pw';
  const dir = mkdtempSync(join(tmpdir(), 'tally-dovecot-'));
  chmodSync(dir, 0o755);
  const isRoot = process.getuid?.() === 0;
  // Mail processes may not run as root: as root, the mail belongs to the "dovecot" system user.
  const mailUid = isRoot ? idOf('u', 'dovecot') ?? 65534 : process.getuid!();
  const mailGid = isRoot ? idOf('g', 'dovecot') ?? 65534 : process.getgid!();
  const internalUser = isRoot ? 'dovecot' : (process.env.USER ?? 'nobody');
  const loginUser = isRoot ? (idOf('u', 'dovenull') !== null ? 'dovenull' : 'nobody') : internalUser;
  const mail = join(dir, 'mail');
  mkdirSync(mail, { recursive: true });
  if (isRoot) chownSync(mail, mailUid, mailGid);
  const port = await freePort();
  const log = join(dir, 'dovecot.log');
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const oauth = opts.oauth2IntrospectionUrl;
  if (oauth) {
    writeFileSync(
      join(dir, 'oauth2.conf.ext'),
      `introspection_mode = post\nintrospection_url = ${oauth}\nforce_introspection = yes\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
      { mode: 0o644 },
    );
  }
  const oauthPassdb = oauth ? `passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = ${dir}/oauth2.conf.ext\n}\n` : '';
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = tally-test-${port}
log_path = ${log}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${oauth ? ' xoauth2 oauthbearer' : ''}
default_internal_user = ${internalUser}
default_internal_group = ${isRoot ? 'dovecot' : (execFileSync('id', ['-gn']).toString().trim())}
default_login_user = ${loginUser}
first_valid_uid = ${mailUid}
last_valid_uid = ${mailUid}
first_valid_gid = ${mailGid}
mail_location = maildir:${mail}/%u
mail_uid = ${mailUid}
mail_gid = ${mailGid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
${oauthPassdb}userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${mail}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
namespace inbox {
  inbox = yes
  mailbox "${opts.sentFolder ?? 'Sent'}" {
    special_use = \\Sent
    auto = create
  }
}
`,
  );
  const child: ChildProcess = spawn(BINARY, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(port, 15_000, log),
      exited.then(() => {
        throw new Error(`Dovecot exited at start: ${output}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    fill: (messages) => fillMaildir(join(mail, user), messages, isRoot ? { uid: mailUid, gid: mailGid } : null),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let filled = 0;

/**
 * Writes messages into a maildir's cur/ (Dovecot assigns their UIDs at the next login), the file's
 * mtime being the arrival date Dovecot reports as INTERNALDATE. Returns how many were written.
 */
function fillMaildir(box: string, messages: Iterable<{ raw: Buffer; arrived: Date }>, owner: { uid: number; gid: number } | null): number {
  const dirs = [box, join(box, 'cur'), join(box, 'new'), join(box, 'tmp')];
  for (const d of dirs) {
    mkdirSync(d, { recursive: true });
    if (owner) chownSync(d, owner.uid, owner.gid);
  }
  let n = 0;
  for (const m of messages) {
    const seconds = Math.floor(m.arrived.getTime() / 1000);
    const file = join(box, 'cur', `${seconds}.M${++filled}P${process.pid}.tally-test,S=${m.raw.length}:2,S`);
    writeFileSync(file, m.raw);
    if (owner) chownSync(file, owner.uid, owner.gid);
    utimesSync(file, m.arrived, m.arrived);
    n++;
  }
  return n;
}
