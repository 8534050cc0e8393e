import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage, Loading } from '../components/status';

/**
 * The KPI view, loaded when first opened: chart.js is most of its weight, and agents and
 * merchants never open it, so it is a chunk of its own rather than part of every page load.
 */
export function LazyKpiReport() {
  const [view, setView] = useState<{ View: ComponentType } | { error: Error }>();
  useEffect(() => {
    import('./kpi-report').then(
      (module) => setView({ View: module.KpiReportView }),
      (error: unknown) => setView({ error: error as Error }),
    );
  }, []);
  if (!view) return <Loading />;
  if ('error' in view) return <ErrorMessage error={view.error} />;
  return <view.View />;
}
