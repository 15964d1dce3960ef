// A chart.js chart as a React component: made on mount, updated in place when the config
// changes, destroyed on unmount. The canvas is hidden from screen readers; the `summary` (the
// numbers in words) and an optional table stand in for it.
import { useEffect, useRef, type ReactNode } from 'react';
import {
  BarController, BarElement, CategoryScale, Chart as ChartJs, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
  type ChartConfiguration, type Plugin,
} from 'chart.js';

ChartJs.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export function Chart({ config, summary, table, height = 220 }: { config: ChartConfiguration; summary: string; table?: ReactNode; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartJs | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new ChartJs(canvas.current, config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
    // Made once per canvas; later configs are applied below without a rebuild.
  }, []);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data = config.data;
    if (config.options) c.options = config.options;
    c.update('none');
  }, [config]);
  return (
    <figure className="chart">
      <div className="chart-canvas" style={{ height }}>
        <canvas ref={canvas} aria-hidden="true" />
      </div>
      <figcaption className="chart-summary">{summary}</figcaption>
      {table && <div className="visually-hidden">{table}</div>}
    </figure>
  );
}

/** A dashed vertical reference line at `value` on the x axis, labelled (chart.js has no built-in one). */
export function referenceLine(value: number, label: string): Plugin {
  return {
    id: 'referenceLine',
    afterDatasetsDraw(c) {
      const x = c.scales.x?.getPixelForValue(value);
      const { top, bottom } = c.chartArea;
      if (x === undefined) return;
      const ctx = c.ctx;
      ctx.save();
      ctx.strokeStyle = '#a3261b';
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#a3261b';
      ctx.font = '12px system-ui, sans-serif';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      // Above the plot area (the chart leaves room with layout.padding.top), clear of the bars.
      ctx.fillText(label, x + 4, top - 2);
      ctx.restore();
    },
  };
}
