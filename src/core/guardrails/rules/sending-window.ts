// Each channel has its hours in the prospect's zone (calls 09:00–17:00 by default).
import { formatLocalClock, placeInWindow, windowMinutes } from '../../schedule.ts';
import { defineRule } from '../rule.ts';
import { clockText } from '../words.ts';

export const sendingWindow = defineRule({
  id: 'sending_window',
  permanent: false,
  calendar: true,
  settings: {},
  explanation: "Each channel has its hours in the prospect's local time (for example calls 09:00–17:00): a touch outside them waits for the next window (settings: windows.CHANNEL).",
  summary: () => null,
  check: (touch) => {
    // On a day off the working-day rule speaks for the window.
    if (touch.offDay !== null) return null;
    const window = windowMinutes(touch.channel, touch.rules);
    if (touch.minute >= window.start && touch.minute < window.end) return null;
    return {
      explanation: touch.words ? `held: outside the ${touch.channel} window in ${touch.zone} (${formatLocalClock(touch.at, touch.zone)} local; window ${clockText(window.start)}–${clockText(window.end)})` : '',
      until: placeInWindow(touch.at, touch.channel, touch.rules),
    };
  },
});
