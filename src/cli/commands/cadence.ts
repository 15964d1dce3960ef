import type { Command } from 'commander';
import { stringify } from 'yaml';
import { parseCadenceText } from '../../app/cadence-file.ts';
import { readInputFile } from '../files.ts';
import { getCadence, listCadences, saveCadence } from '../../app/cadences.ts';
import { loadPlaybook } from '../../app/playbook.ts';
import { cadenceSpanBusinessDays, cadenceToFile, formatDelay } from '../../core/cadence.ts';
import { HAND_SENT_BEFORE_AUTOMATIC, sendingMode } from '../../core/step-sending.ts';
import { SENDING_MODES, type CadenceStep, type SendingMode } from '../../core/types.ts';
import { TallyError } from '../../core/errors.ts';
import { UsageError, type Cli } from '../cli.ts';
import { wholeNumber } from '../options.ts';
import { pad, print, printJson } from '../io.ts';

export function registerCadence(program: Command, cli: Cli): void {
  const cadence = program.command('cadence').description('cadences: planned series of touches');
  cadence
    .command('add <file>')
    .description('add a cadence from a YAML or JSON file (a changed cadence becomes a new version; running enrollments keep theirs)')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const input = readInputFile(file);
      const def = parseCadenceText(input.bytes.toString('utf8'), input.name);
      await cli.withContext(cmd, async (ctx) => {
        const r = await saveCadence(ctx, def);
        if (cli.opts(cmd).json) return printJson(cli.io, { change: r.change, id: r.cadence.id, name: r.cadence.name, version: r.cadence.version, steps: def.steps.length });
        const what = { created: 'Added', new_version: 'Saved a new version of', unchanged: 'No change to' }[r.change];
        print(cli.io, `${what} cadence "${r.cadence.name}" (v${r.cadence.version}, ${def.steps.length} steps over ${cadenceSpanBusinessDays(def)} business days).`);
      });
    });
  cadence
    .command('list')
    .description('list cadences with their live enrollments')
    .action(async (_o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const rows = await listCadences(ctx);
        if (cli.opts(cmd).json) return printJson(cli.io, rows);
        print(cli.io, `${pad('ID', 5)}${pad('NAME', 34)}${pad('VERSION', 9)}${pad('STEPS', 7)}${pad('LIVE', 7)}ENDED`);
        for (const r of rows) print(cli.io, `${pad(String(r.id), 5)}${pad(r.name, 34)}${pad(`v${r.version}`, 9)}${pad(String(r.steps), 7)}${pad(String(r.live), 7)}${r.finished}`);
      });
    });
  cadence
    .command('show <cadence>')
    .description('show a cadence\'s steps (by id or name)')
    .option('--version <n>', 'an older version', wholeNumber(1))
    .option('--yaml', 'print it as a cadence file')
    .action(async (ref: string, o: { version?: number; yaml?: boolean }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const c = await getCadence(ctx, ref, o.version);
        if (cli.opts(cmd).json) return printJson(cli.io, c);
        if (o.yaml) return print(cli.io, stringify(cadenceToFile(c.definition)));
        const d = c.definition;
        const playbook = await loadPlaybook(ctx);
        const items = new Map(playbook.valueItems.map((v) => [v.key, v]));
        print(cli.io, `${c.name} — v${c.version}, ${d.steps.length} steps over ${cadenceSpanBusinessDays(d)} business days`);
        if (d.description) print(cli.io, d.description);
        if (d.nurture) print(cli.io, `Then, with no reply: ${d.nurture}`);
        d.steps.forEach((s, i) => {
          print(cli.io, `\n${i + 1}. ${s.name} [${s.channel}] after ${formatDelay(s.delay)}${s.newThread ? ' (new thread)' : ''}`);
          print(cli.io, `   Reason (a note for you, never sent): ${s.reason}`);
          if (s.channel === 'email') print(cli.io, `   Sending: ${sendingLine(d.steps, i)}`);
          const item = s.valueItemKey ? items.get(s.valueItemKey) : undefined;
          if (s.valueItemKey) print(cli.io, `   Playbook item: ${s.valueItemKey}${item ? ` (${item.kind.replace('_', ' ')}: ${item.title}${item.url ? `, ${item.url}` : ''})` : ''}${item?.archived ? ' [archived]' : ''}`);
          if (s.objections?.length) print(cli.io, `   Objections: ${s.objections.join(', ')}`);
          if (s.objectionTags?.length) print(cli.io, `   Objections tagged: ${s.objectionTags.join(', ')}`);
          if (s.subject) print(cli.io, `   Subject: ${s.subject}`);
          for (const t of s.talkingPoints) print(cli.io, `   • ${t}`);
        });
      });
    });
  cadence
    .command('sending <cadence> <step> <mode>')
    .description('make an email step automatic (sent on schedule) or manual (you review and send each one); saves a new version')
    .action(async (ref: string, stepText: string, mode: string, _o: unknown, cmd: Command) => {
      if (!(SENDING_MODES as readonly string[]).includes(mode)) throw new UsageError(`mode must be ${SENDING_MODES.join(' or ')}`);
      const index = Number(stepText) - 1;
      await cli.withContext(cmd, async (ctx) => {
        const c = await getCadence(ctx, ref);
        const step = c.definition.steps[index];
        if (!Number.isInteger(index) || !step) throw new UsageError(`step must be a number from 1 to ${c.definition.steps.length}`);
        if (step.channel !== 'email') throw new TallyError(`step ${index + 1} (${step.name}) is a ${step.channel} step: only email steps are sent`, 'invalid', { field: 'step' });
        const steps = c.definition.steps.map((s, i) => (i === index ? { ...s, sending: mode as SendingMode } : s));
        const r = await saveCadence(ctx, { ...c.definition, steps });
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        print(cli.io, `${c.name} step ${index + 1} (${step.name}): ${sendingLine(steps, index)}${r.change === 'unchanged' ? ' (it already was)' : ` — saved as v${r.cadence.version}`}.`);
      });
    });
}

/** How an email step goes out, in the words of `tally cadence show`. */
function sendingLine(steps: readonly CadenceStep[], index: number): string {
  const d = sendingMode(steps, index, 0);
  if (d.explicit || d.mode === 'automatic') return `${d.mode}${d.explicit ? '' : ' (default for a later step)'}`;
  return `manual until you have sent ${HAND_SENT_BEFORE_AUTOMATIC} by hand (default for an opening step; "tally cadence sending" changes it)`;
}
