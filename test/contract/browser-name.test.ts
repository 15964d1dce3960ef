// The sessions table names a browser as a person recognises it, from user agents real browsers send.
import { describe, expect, it } from 'vitest';
import { browserName } from '../../web/src/team/browser-name.ts';

describe('browserName', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36', /^Chrome.* 156 on Linux$/],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', /^Chrome 131 on Windows 10$/],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', /^Safari 18 on macOS Catalina$/],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', /^Firefox 133 on Windows 10$/],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', /^Safari 18 on iOS/],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86', /^Microsoft Edge 131 on Windows 10$/],
  ])('%s', (ua, name) => {
    expect(browserName(ua)).toMatch(name);
  });

  it('keeps an agent no parser knows as it came, cut short, and says when there is none', () => {
    expect(browserName('tally-sync/1.0')).toBe('tally-sync/1.0');
    expect(browserName(`x${'y'.repeat(80)}`)).toHaveLength(60);
    expect(browserName(null)).toBe('unknown browser');
  });
});
