// Reading a password in the CLI: from an environment variable, standard input, or a prompt that
// does not echo. Never from a flag's value (it would sit in the shell history and in `ps`).
import { UsageError } from './cli.ts';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks for the password on the terminal without echoing it. */
export async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new UsageError('no password: pipe it with --password-stdin, or name a variable with --password-env');
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          finish();
          return resolve(value);
        }
        if (ch === '\u0003') {
          finish();
          return reject(new UsageError('cancelled'));
        }
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

export interface SecretFlags {
  passwordStdin?: boolean;
  passwordEnv?: string;
}

/** The password from --password-env, --password-stdin, or a hidden prompt. */
export async function readSecret(o: SecretFlags, question: string): Promise<string> {
  if (o.passwordEnv) {
    const v = process.env[o.passwordEnv];
    if (!v) throw new UsageError(`the environment variable ${o.passwordEnv} is empty or not set`);
    return v;
  }
  if (o.passwordStdin) return readStdin();
  return promptHidden(question);
}
