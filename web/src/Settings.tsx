// The settings pages, one tab each under #/settings/<tab>: your profile (and password, sessions,
// API tokens), your follow-up blocks and calendar feed, your mailbox, the team, and the workspace
// (managers). Each tab is a link, so a reload or a shared URL opens the same tab.
import type { Session } from '@contract';
import { Profile } from './settings/Profile.tsx';
import { Blocks } from './settings/Blocks.tsx';
import { Mailbox } from './settings/Mailbox.tsx';
import { Workspace } from './settings/Workspace.tsx';
import { Team } from './Team.tsx';

const TABS = [
  { tab: 'profile', label: 'My profile', Tab: Profile, manager: false },
  { tab: 'blocks', label: 'My follow-up blocks', Tab: Blocks, manager: false },
  { tab: 'mailbox', label: 'Mailbox', Tab: Mailbox, manager: false },
  { tab: 'team', label: 'Team', Tab: Team, manager: false },
  { tab: 'workspace', label: 'Workspace', Tab: Workspace, manager: true },
] as const;

/** "#/settings/blocks" → "blocks"; the profile when the tab is missing or not the reader's. */
function currentTab(manager: boolean): (typeof TABS)[number] {
  const sub = window.location.hash.replace(/^#\/?/, '').split('?')[0]!.split('/')[1] ?? '';
  return TABS.find((t) => t.tab === sub && (manager || !t.manager)) ?? TABS[0];
}

export function Settings({ me }: { me: Session }) {
  const manager = me.user.role === 'manager';
  const current = currentTab(manager);
  const { Tab } = current;
  return (
    <div className="settings">
      <nav className="settings-tabs" aria-label="Settings">
        {TABS.filter((t) => manager || !t.manager).map((t) => (
          <a key={t.tab} href={`#/settings/${t.tab}`} aria-current={t.tab === current.tab ? 'page' : undefined}>{t.label}</a>
        ))}
      </nav>
      <div className="settings-body">
        <Tab me={me} />
      </div>
    </div>
  );
}
