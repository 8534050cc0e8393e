import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration, type Plugin } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
// Axis labels and legends are drawn on the canvas, out of reach of the browser tests' contrast
// check: they take the page's muted text colour (--muted, 7.8:1 on white) rather than Chart.js's #666.
Chart.defaults.color = '#4a5360';

/** A horizontal band drawn behind a chart's bars, e.g. the CSAT bands. */
export interface Band {
  readonly from: number;
  readonly to: number;
  readonly colour: string;
}

const NO_BANDS: readonly Band[] = [];

/** Paints `bands` (in y-axis units) behind the datasets. */
const bandsPlugin = (bands: readonly Band[]): Plugin<'bar' | 'line'> => ({
  id: 'bands',
  beforeDatasetsDraw(chart) {
    const { ctx, chartArea, scales } = chart;
    const y = scales.y;
    if (!y) return;
    ctx.save();
    for (const band of bands) {
      const top = y.getPixelForValue(band.to);
      const bottom = y.getPixelForValue(band.from);
      ctx.fillStyle = band.colour;
      ctx.fillRect(chartArea.left, top, chartArea.right - chartArea.left, bottom - top);
    }
    ctx.restore();
  },
});

/**
 * One chart.js chart on a canvas, rebuilt when its configuration changes (new figures, another
 * language). The canvas is an image with `summary` as its text; the figures themselves are in
 * the table next to it, for keyboard and screen-reader users.
 */
export function KpiChart({ config, summary, bands = NO_BANDS, testId }: { config: ChartConfiguration<'bar' | 'line'>; summary: string; bands?: readonly Band[]; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, { ...config, plugins: [...(config.plugins ?? []), bandsPlugin(bands)] });
    return () => chart.destroy();
  }, [config, bands]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={summary} data-testid={testId} />
    </div>
  );
}
