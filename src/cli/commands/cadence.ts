import type { Command } from 'commander';
import { stringify } from 'yaml';
import { parseCadenceText } from '../../app/cadence-file.ts';
import { readInputFile } from '../files.ts';
import { archiveCadence, cadenceStats, cloneCadence, deleteCadence, getCadence, listCadences, restoreCadenceVersion, saveCadence } from '../../app/cadences.ts';
import { ratePercent, type RateCounts } from '../../core/cadence-stats.ts';
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
        const shape = `${def.steps.length} steps over ${cadenceSpanBusinessDays(def)} business days`;
        if (r.change === 'created') print(cli.io, `Added cadence "${r.cadence.name}" (v1, ${shape}).`);
        else if (r.change === 'unchanged') print(cli.io, `No change to cadence "${r.cadence.name}": the file is its current version v${r.cadence.version} (${shape}).`);
        else print(cli.io, `Updated cadence "${r.cadence.name}": new version v${r.cadence.version} (${shape}). Prospects already in it stay on their version.`);
        if (r.cadence.archivedAt !== null) print(cli.io, `Note: "${r.cadence.name}" is archived, so nobody new can be enrolled ("tally cadence unarchive" brings it back).`);
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
        for (const r of rows) print(cli.io, `${pad(String(r.id), 5)}${pad(r.name, 34)}${pad(`v${r.version}`, 9)}${pad(String(r.steps), 7)}${pad(String(r.live), 7)}${r.finished}${r.archivedAt !== null ? '  (archived)' : ''}`);
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
    .command('clone <cadence>')
    .description('copy a cadence\'s current version as a new cadence')
    .option('--name <name>', 'the new cadence\'s name (default: "… (copy)")')
    .action(async (ref: string, o: { name?: string }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const r = await cloneCadence(ctx, ref, o.name);
        if (cli.opts(cmd).json) return printJson(cli.io, { id: r.cadence.id, name: r.cadence.name, version: r.cadence.version });
        print(cli.io, `Cloned into "${r.cadence.name}" (id ${r.cadence.id}, v1).`);
      });
    });
  for (const [name, archived] of [['archive', true], ['unarchive', false]] as const) {
    cadence
      .command(`${name} <cadence>`)
      .description(archived ? 'archive a cadence: nobody new can be enrolled; the live enrollments finish' : 'bring an archived cadence back')
      .action(async (ref: string, _o: unknown, cmd: Command) => {
        await cli.withContext(cmd, async (ctx) => {
          const r = await archiveCadence(ctx, ref, archived);
          if (cli.opts(cmd).json) return printJson(cli.io, r);
          print(cli.io, archived ? `Archived "${r.name}": nobody new can be enrolled; ${r.live} live enrollment${r.live === 1 ? '' : 's'} will finish.` : `"${r.name}" takes enrollments again.`);
        });
      });
  }
  cadence
    .command('delete <cadence>')
    .description('delete a cadence nobody was ever enrolled in (else archive it)')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const r = await deleteCadence(ctx, ref);
        if (cli.opts(cmd).json) return printJson(cli.io, { deleted: r.name });
        print(cli.io, `Deleted cadence "${r.name}".`);
      });
    });
  cadence
    .command('restore <cadence> <version>')
    .description('make an old version the current one again (saved as the next version)')
    .action(async (ref: string, versionText: string, _o: unknown, cmd: Command) => {
      const version = Number(versionText.replace(/^v/i, ''));
      if (!Number.isInteger(version) || version < 1) throw new UsageError(`version must be a version number such as 2 or v2, got "${versionText}"`);
      await cli.withContext(cmd, async (ctx) => {
        const r = await restoreCadenceVersion(ctx, ref, version);
        if (cli.opts(cmd).json) return printJson(cli.io, { change: r.change, id: r.cadence.id, name: r.cadence.name, version: r.cadence.version });
        print(cli.io, r.change === 'unchanged' ? `v${version} of "${r.cadence.name}" is the same as its current version v${r.cadence.version}: nothing to restore.` : `Restored v${version} of "${r.cadence.name}" as new version v${r.cadence.version}.`);
      });
    });
  cadence
    .command('stats <cadence>')
    .description('sent, reply, meeting, opt-out and bounce rates of a cadence, and of each step of a version (enrollments on it)')
    .option('--version <n>', 'the version whose steps to show (default: the current one)', wholeNumber(1))
    .action(async (ref: string, o: { version?: number }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const r = await cadenceStats(ctx, ref, o.version);
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        const c = await getCadence(ctx, ref, o.version);
        const line = (label: string, n: RateCounts) =>
          `${pad(label, 34)}${pad(String(n.sent), 7)}${pad(ratePercent(n.replies, n.sent), 8)}${pad(ratePercent(n.meetings, n.sent), 9)}${pad(ratePercent(n.optOuts, n.sent), 9)}${ratePercent(n.bounces, n.sent)}`;
        print(cli.io, `${c.name}: ${r.enrolled} enrolled${r.scope === 'mine' ? ' (your prospects)' : ''} in all versions; steps of v${c.version}, enrollments on it`);
        print(cli.io, `${pad('', 34)}${pad('SENT', 7)}${pad('REPLY', 8)}${pad('MEETING', 9)}${pad('OPT-OUT', 9)}BOUNCE`);
        print(cli.io, line('Whole cadence (per prospect)', r.cadence));
        r.steps.forEach((s, i) => print(cli.io, line(`${i + 1}. ${c.definition.steps[i]?.name ?? ''}`.slice(0, 33), s)));
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
