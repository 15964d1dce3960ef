// The settings pages (src/contract/settings.ts): your profile, your follow-up blocks and calendar
// feed URL, the workspace's settings; and the feed itself, outside /api/, read with its token alone.
import { addBlock, listBlocks, moveBlock, removeBlock } from '../../app/blocks.ts';
import { calendarForToken, feedStatus, revokeFeed, rotateFeed } from '../../app/calendar-feed.ts';
import { userZone, type Context } from '../../app/context.ts';
import { myProfile, updateProfile } from '../../app/profile.ts';
import { settingsView, updateWorkspaceSettings, type SettingsView } from '../../app/workspace-settings.ts';
import type { Runtime } from '../../app/ports/runtime.ts';
import { channelDrivers } from '../../core/channels/registry.ts';
import { describeGuardrails } from '../../core/guardrails/index.ts';
import { calendarFeed, settings, type WorkspaceSettingsView } from '../../contract/settings.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import { implement, type Api } from '../routing.ts';

function workspaceView(v: SettingsView): WorkspaceSettingsView {
  const s = v.settings;
  return {
    timezone: v.timezone,
    workdays: s.workdays,
    holidays: s.holidays,
    windows: channelDrivers().map((d) => ({ channel: d.id, label: d.label, window: s.windows[d.id] ?? null, defaultWindow: d.defaultWindow })),
    guardrails: describeGuardrails(s.guardrails),
    answers: {
      companyWideStop: s.inbound.companyWideStop,
      autoReplyDefaultBusinessDays: s.inbound.autoReplyDefaultBusinessDays,
      senderFailuresToPause: s.inbound.senderFailuresToPause,
      senderFailureWindowHours: s.inbound.senderFailureWindowHours,
    },
  };
}

async function blocksView(ctx: Context) {
  return { items: await listBlocks(ctx), zone: userZone(ctx), feed: await feedStatus(ctx) };
}

export function settingsRoutes(app: Api, rt: Runtime): void {
  implement(app, settings, {
    profile: async (req) => myProfile(ctxOf(req)),
    saveProfile: async (req) => updateProfile(ctxOf(req), req.body),
    blocks: async (req) => blocksView(ctxOf(req)),
    addBlock: async (req, reply) => reply.code(201).send(await addBlock(ctxOf(req), req.body)),
    moveBlock: async (req) => moveBlock(ctxOf(req), req.params.id, req.body),
    removeBlock: async (req, reply) => {
      await removeBlock(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
    rotateFeed: async (req, reply) => reply.code(201).send(await rotateFeed(ctxOf(req))),
    revokeFeed: async (req, reply) => {
      await revokeFeed(ctxOf(req));
      return reply.code(204).send(null);
    },
    workspace: async (req) => workspaceView(settingsView(ctxOf(req))),
    saveWorkspace: async (req) => workspaceView(await updateWorkspaceSettings(ctxOf(req), req.body)),
  });

  implement(app, calendarFeed, {
    feed: async (req, reply) => {
      const token = req.params.file.endsWith('.ics') ? req.params.file.slice(0, -'.ics'.length) : '';
      const ics = token ? await calendarForToken(rt, token) : null;
      if (ics === null) throw refuse('not_found', 'no such calendar: the link was turned off or replaced');
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .header('content-disposition', 'inline; filename="tally.ics"')
        .send(ics);
    },
  });
}
