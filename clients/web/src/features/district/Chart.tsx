import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

// Only the parts the dashboard draws: lines and bars on a grid, with a legend and tooltips.
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = EChartsCoreOption;

/** The design system's palette for series (distinct, readable on white). */
export const SERIES_COLOURS = ['#1f4e9c', '#1c6b3a', '#b4530a', '#7a3fa0', '#0f7c8c', '#a61b1b', '#5c6b80'];

/**
 * An echarts chart that follows its container's width. The picture is for the
 * eye; the same numbers are in a table beside it (the label says what it shows).
 */
export function Chart({ option, label, height = 320 }: { option: ChartOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => instance.resize());
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ color: SERIES_COLOURS, textStyle: { fontFamily: 'Inter, Segoe UI, Roboto, Arial, sans-serif' }, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={element} className="district-chart" role="img" aria-label={label} style={{ height }} />;
}
