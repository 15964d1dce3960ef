// A session's browser as a person recognises it ("Chrome 156 on Linux"), not its raw user agent.
import Bowser from 'bowser';

export function browserName(userAgent: string | null): string {
  if (!userAgent) return 'unknown browser';
  const { browser, os } = Bowser.parse(userAgent);
  const name = [browser.name, browser.version?.split('.')[0]].filter(Boolean).join(' ');
  // Something no parser knows (a script's own agent): as it came, cut short.
  if (!name) return userAgent.length > 60 ? `${userAgent.slice(0, 59)}…` : userAgent;
  const system = [os.name, os.versionName].filter(Boolean).join(' ');
  return system ? `${name} on ${system}` : name;
}
