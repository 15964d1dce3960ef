// The dashboard's charts: each one a chart.js config built from the API's numbers, a sentence
// that says the same in words, and a table with every number (for screen readers).
import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { Chart, referenceLine } from './Chart.tsx';
import type { DashboardData, ReplyRate } from '@contract';

const BLUE = '#1f3a5f';
const GREEN = '#2e7d32';
const ORANGE = '#c77700';
const RED = '#a3261b';

export const pct = (x: number | null, digits = 1) => (x === null ? '—' : `${(x * 100).toFixed(digits)}%`);

/** Histogram keys in numeric order ("10+" last). */
function sortedEntries(h: Record<string, number>): [string, number][] {
  return Object.entries(h).sort((a, b) => parseInt(a[0]) - parseInt(b[0]));
}

function baseOptions(yTitle: string, xTitle: string, max?: number) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: { legend: { display: false } },
    scales: {
      x: { title: { display: true, text: xTitle } },
      y: { beginAtZero: true, ...(max !== undefined ? { max } : {}), title: { display: true, text: yTitle }, ticks: { precision: 0 } },
    },
  };
}

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead><tr>{head.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
      <tbody>{rows.map((r, i) => <tr key={i}>{r.map((c, j) => (j === 0 ? <th key={j} scope="row">{c}</th> : <td key={j}>{c}</td>))}</tr>)}</tbody>
    </table>
  );
}

export function FollowUpRateChart({ d }: { d: DashboardData }) {
  const rate = d.stats.followUpRate;
  const industry = d.industryFollowUpRate;
  const config = useMemo<ChartConfiguration>(() => ({
    type: 'bar',
    data: {
      labels: [d.scope.name, 'Industry'],
      datasets: [{ data: [rate === null ? 0 : rate * 100, industry * 100], backgroundColor: [rate !== null && rate >= industry ? GREEN : ORANGE, '#9aa5b1'] }],
    },
    options: {
      ...baseOptions('', 'follow-up rate (%)'),
      indexAxis: 'y',
      layout: { padding: { top: 16 } },
      scales: { x: { min: 0, max: 100, title: { display: true, text: 'prospects with a second touch (%)' } }, y: { title: { display: false } } },
    },
    plugins: [referenceLine(industry * 100, `industry ${pct(industry, 0)}`)],
  }), [d.scope.name, rate, industry]);
  const verdict = rate === null ? 'no prospect touched yet' : rate >= industry ? 'above the industry figure' : 'below the industry figure';
  const summary = `Follow-up rate ${pct(rate)}: ${d.stats.followedUp} of ${d.stats.touched} touched prospects got a second touch, ${verdict} of ${pct(industry, 0)}.`;
  return <Chart config={config} summary={summary} height={140} />;
}

export function HistogramChart({ title, h, xTitle, yTitle, color = BLUE, empty }: { title: string; h: Record<string, number>; xTitle: string; yTitle: string; color?: string; empty: string }) {
  const entries = sortedEntries(h);
  const config = useMemo<ChartConfiguration>(() => ({
    type: 'bar',
    data: { labels: entries.map(([k]) => k), datasets: [{ label: yTitle, data: entries.map(([, v]) => v), backgroundColor: color }] },
    options: baseOptions(yTitle, xTitle),
  }), [JSON.stringify(entries), xTitle, yTitle, color]);
  const summary = entries.length === 0 ? empty : `${title}: ${entries.map(([k, v]) => `${k} → ${v}`).join(', ')}.`;
  return <Chart config={config} summary={summary} table={<Table caption={title} head={[xTitle, yTitle]} rows={entries} />} />;
}

export function ReplyRateChart({ title, rates, xTitle }: { title: string; rates: ReplyRate[]; xTitle: string }) {
  const config = useMemo<ChartConfiguration>(() => ({
    type: 'bar',
    data: { labels: rates.map((r) => r.key), datasets: [{ label: 'reply rate (%)', data: rates.map((r) => (r.rate ?? 0) * 100), backgroundColor: GREEN }] },
    options: { ...baseOptions('reply rate (%)', xTitle), scales: { x: { title: { display: true, text: xTitle } }, y: { beginAtZero: true, suggestedMax: 10, title: { display: true, text: 'reply rate (%)' } } } },
  }), [JSON.stringify(rates), xTitle]);
  const summary = rates.length === 0 ? `${title}: no touches yet.` : `${title}: ${rates.map((r) => `${r.key} ${pct(r.rate)} (${r.replies} of ${r.touches})`).join(', ')}.`;
  return <Chart config={config} summary={summary} table={<Table caption={title} head={[xTitle, 'touches', 'replies', 'reply rate']} rows={rates.map((r) => [r.key, r.touches, r.replies, pct(r.rate)])} />} />;
}

export function OverdueChart({ d }: { d: DashboardData }) {
  const b = d.overdue.buckets;
  const config = useMemo<ChartConfiguration>(() => ({
    type: 'bar',
    data: { labels: b.map((x) => x.label), datasets: [{ label: 'overdue touches', data: b.map((x) => x.count), backgroundColor: RED }] },
    options: baseOptions('touches', 'days late'),
  }), [JSON.stringify(b)]);
  const summary = d.overdue.count === 0 ? 'Nothing overdue.' : `${d.overdue.count} overdue touch${d.overdue.count === 1 ? '' : 'es'}: ${b.map((x) => `${x.label} ${x.count}`).join(', ')}; the oldest is ${d.overdue.oldestDays} days late.`;
  return <Chart config={config} summary={summary} table={<Table caption="Overdue touches by age" head={['days late', 'touches']} rows={b.map((x) => [x.label, x.count])} />} />;
}

export function CapacityChart({ d }: { d: DashboardData }) {
  const days = d.capacity.days;
  const label = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', timeZone: 'UTC' });
  const config = useMemo<ChartConfiguration>(() => ({
    type: 'bar',
    data: {
      labels: days.map((x) => label(x.date)),
      datasets: [
        { label: 'block capacity (min)', data: days.map((x) => x.capacityMinutes), backgroundColor: BLUE },
        { label: 'due work (min)', data: days.map((x) => x.dueMinutes), backgroundColor: ORANGE },
      ],
    },
    options: { ...baseOptions('minutes', 'day'), plugins: { legend: { display: true, position: 'bottom' } } },
  }), [JSON.stringify(days)]);
  const over = days.filter((x) => x.dueMinutes > x.capacityMinutes);
  const summary = `Coming week: ${d.capacity.capacityMinutes} min of follow-up blocks for ${d.capacity.dueMinutes} min of due work${
    d.capacity.hasBlocks ? '' : ' (no follow-up blocks yet: add them in Settings › My follow-up blocks)'
  }${over.length ? `; more due than fits on ${over.map((x) => label(x.date)).join(', ')}` : ''}.`;
  return (
    <Chart
      config={config}
      summary={summary}
      table={<Table caption="Block capacity against due work per day (minutes)" head={['day', 'capacity', 'due', 'touches due']} rows={days.map((x) => [label(x.date), x.capacityMinutes, x.dueMinutes, x.dueTouches])} />}
    />
  );
}
