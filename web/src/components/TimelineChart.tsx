// The availability chart (Apache ECharts, canvas): one row per node with its serving bands in the
// node's colour and its data gaps shaded below them, and the changes of the Serving role as
// vertical lines across all rows, each with a tooltip. Loaded on its own (TimelinePanel lazy-loads
// it), so the console's first load does not carry ECharts. Only the parts used are imported.
// Each marker also gets a focusable pin above the chart at the x the chart drew it, so keyboard
// users reach its tooltip and the browser test can check where it is.
import { CustomChart, type CustomSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { Timeline, TimelineGapBand, TimelineMarker } from '../api/types';
import { formatDuration, formatLocal, formatMs, gapColours, gapStateLabels, markerColours, markerKindLabels, nodeColour, timelineChartGrid, timelineRowHeightPx, utcOffsetLabel } from '../lib/timeline';

use([CustomChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = ComposeOption<CustomSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;
type RenderItem = NonNullable<CustomSeriesOption['renderItem']>;

export interface TimelineChartProps {
  timeline: Timeline;
  nameOf: (nodeId: string | null) => string;
}

interface Pin {
  marker: TimelineMarker;
  x: number;
  text: string;
  seriesIndex: number;
  dataIndex: number;
}

const markerKinds = ['failover', 'switch', 'failback'] as const;
const gapStates = ['open', 'filled', 'expired'] as const;

/** A tooltip as DOM nodes made with textContent: names come from operators, so no HTML is parsed. */
function tip(lines: readonly string[]): HTMLElement {
  const box = document.createElement('div');
  box.className = 'timeline-tip';
  lines.forEach((line, i) => {
    const el = document.createElement(i === 0 ? 'strong' : 'div');
    el.textContent = line;
    box.append(el);
  });
  return box;
}

export function markerText(m: TimelineMarker, nameOf: TimelineChartProps['nameOf']): string[] {
  return [
    `${markerKindLabels[m.kind]} ${formatLocal(m.time)} (${utcOffsetLabel(new Date(m.time))})`,
    `${nameOf(m.fromNodeId)} → ${nameOf(m.toNodeId)}`,
    `Reason: ${m.reason} (${m.trigger})`,
    `Detection: ${formatMs(m.detectionMs)} · switch: ${formatMs(m.switchMs)}`,
  ];
}

function gapText(node: string, g: TimelineGapBand): string[] {
  const seconds = (Date.parse(g.end) - Date.parse(g.start)) / 1000;
  return [
    `${gapStateLabels[g.state]} on ${node}`,
    `${formatLocal(g.start)} – ${formatLocal(g.end)} (${formatDuration(seconds)})`,
    `${g.cameras} camera${g.cameras === 1 ? '' : 's'}${g.state === 'open' ? ` · ${formatDuration(g.missingSeconds)} still missing` : ''}`,
    ...(g.resolvedAt !== null ? [`${g.state === 'filled' ? 'Backfilled' : 'Expired'} ${formatLocal(g.resolvedAt)}`] : []),
  ];
}

/** A bar across [value(1), value(2)) on the row value(0), between `top` and `bottom` (fractions of the row, from its centre). */
const bar =
  (top: number, bottom: number): RenderItem =>
  (params, api) => {
    const row = api.value(0);
    const start = api.coord([api.value(1), row]);
    const end = api.coord([api.value(2), row]);
    const rowHeight = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? timelineRowHeightPx;
    const [x0, y] = [start[0] ?? 0, start[1] ?? 0];
    const x1 = end[0] ?? x0;
    const grid = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    const left = Math.max(x0, grid.x);
    const right = Math.min(Math.max(x1, x0 + 1), grid.x + grid.width);
    if (right <= left) return null;
    return { type: 'rect', shape: { x: left, y: y + top * rowHeight, width: right - left, height: (bottom - top) * rowHeight }, style: api.style() };
  };

/** A vertical line across the plot at value(0), with a wider invisible strip that takes the hover. */
const markerLine =
  (colour: string): RenderItem =>
  (params, api) => {
    const grid = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    const x = api.coord([api.value(0), 0])[0] ?? 0;
    return {
      type: 'group',
      children: [
        { type: 'line', shape: { x1: x, y1: grid.y - 6, x2: x, y2: grid.y + grid.height }, style: { stroke: colour, lineWidth: 2 } },
        { type: 'polygon', shape: { points: [[x - 5, grid.y - 12], [x + 5, grid.y - 12], [x, grid.y - 4]] }, style: { fill: colour } },
        { type: 'rect', shape: { x: x - 6, y: grid.y - 12, width: 12, height: grid.height + 12 }, style: { fill: 'rgba(0,0,0,0)' } },
      ],
    };
  };

function optionOf(timeline: Timeline, nameOf: TimelineChartProps['nameOf']): { option: ChartOption; tips: Map<string, string[]>; markerSeries: Map<string, [number, number]> } {
  const tips = new Map<string, string[]>();
  const markerSeries = new Map<string, [number, number]>();
  const series: CustomSeriesOption[] = [];
  const rows = timeline.nodes.map((n) => n.name);
  timeline.nodes.forEach((node, row) => {
    const seriesIndex = series.length;
    node.serving.forEach((band, i) => {
      const seconds = (Date.parse(band.end) - Date.parse(band.start)) / 1000;
      tips.set(`${seriesIndex}:${i}`, [`${node.name} served`, `${formatLocal(band.start)} – ${formatLocal(band.end)} (${formatDuration(seconds)})`, `Epoch ${band.epoch}${band.open ? ' · still serving' : ''}`]);
    });
    series.push({
      type: 'custom',
      name: node.name,
      color: nodeColour(row),
      renderItem: bar(-0.36, 0.04),
      encode: { x: [1, 2], y: 0 },
      data: node.serving.map((band) => [row, Date.parse(band.start), Date.parse(band.end)]),
      clip: true,
    });
  });
  for (const state of gapStates) {
    const seriesIndex = series.length;
    const data: number[][] = [];
    timeline.nodes.forEach((node, row) => {
      for (const g of node.gaps.filter((x) => x.state === state)) {
        tips.set(`${seriesIndex}:${data.length}`, gapText(node.name, g));
        data.push([row, Date.parse(g.start), Date.parse(g.end)]);
      }
    });
    series.push({ type: 'custom', name: gapStateLabels[state], color: gapColours[state], renderItem: bar(0.1, 0.36), encode: { x: [1, 2], y: 0 }, data, clip: true });
  }
  for (const kind of markerKinds) {
    const seriesIndex = series.length;
    const markers = timeline.markers.filter((m) => m.kind === kind);
    markers.forEach((m, i) => {
      tips.set(`${seriesIndex}:${i}`, markerText(m, nameOf));
      markerSeries.set(m.id, [seriesIndex, i]);
    });
    series.push({ type: 'custom', name: markerKindLabels[kind], color: markerColours[kind], renderItem: markerLine(markerColours[kind]), encode: { x: 0 }, data: markers.map((m) => [Date.parse(m.time)]), z: 5 });
  }
  const option: ChartOption = {
    animation: false,
    grid: { ...timelineChartGrid, containLabel: false },
    legend: { top: 0, left: timelineChartGrid.left, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 11 } },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => {
        const params = Array.isArray(p) ? p[0] : p;
        return tip(params === undefined ? [] : (tips.get(`${params.seriesIndex ?? -1}:${params.dataIndex}`) ?? []));
      },
    },
    xAxis: {
      type: 'time',
      min: Date.parse(timeline.from),
      max: Date.parse(timeline.to),
      name: `Local time (${utcOffsetLabel(new Date(timeline.to))})`,
      nameLocation: 'middle',
      nameGap: 22,
      nameTextStyle: { fontSize: 11, color: '#5d6878' },
      // Local time (ECharts' default); a new day shows its date rather than a bare day number.
      axisLabel: { fontSize: 11, hideOverlap: true, formatter: { year: '{yyyy}', month: '{MMM} {yyyy}', day: '{d} {MMM}', hour: '{HH}:{mm}', minute: '{HH}:{mm}', second: '{HH}:{mm}:{ss}', millisecond: '{HH}:{mm}:{ss}' } },
      splitLine: { show: true, lineStyle: { color: '#edf0f3' } },
    },
    yAxis: { type: 'category', data: rows, inverse: true, axisTick: { show: false }, axisLabel: { fontSize: 12, fontWeight: 'bold', width: timelineChartGrid.left - 16, overflow: 'truncate' }, splitLine: { show: true, lineStyle: { color: '#d9dee4' } } },
    series,
  };
  return { option, tips, markerSeries };
}

export default function TimelineChart({ timeline, nameOf }: TimelineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const [pins, setPins] = useState<Pin[]>([]);
  const height = timelineChartGrid.top + timelineChartGrid.bottom + Math.max(1, timeline.nodes.length) * timelineRowHeightPx;

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const instance = init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (instance === null) return;
    const { option, markerSeries } = optionOf(timeline, nameOf);
    instance.setOption(option, { notMerge: true });
    instance.resize();
    // Where the chart drew each marker, for its pin.
    const place = () =>
      setPins(
        timeline.markers.map((m) => {
          const [seriesIndex, dataIndex] = markerSeries.get(m.id) ?? [0, 0];
          return { marker: m, x: Number(instance.convertToPixel({ xAxisIndex: 0 }, Date.parse(m.time))), text: markerText(m, nameOf).join('; '), seriesIndex, dataIndex };
        }),
      );
    place();
    instance.on('finished', place);
    return () => {
      instance.off('finished', place);
    };
  }, [timeline, nameOf]);

  const showTip = (pin: Pin | null) => {
    const instance = chart.current;
    if (instance === null) return;
    if (pin === null) instance.dispatchAction({ type: 'hideTip' });
    else instance.dispatchAction({ type: 'showTip', seriesIndex: pin.seriesIndex, dataIndex: pin.dataIndex });
  };

  return (
    <div className="timeline-chart" data-testid="timeline-chart" data-from={timeline.from} data-to={timeline.to}>
      <div ref={box} className="timeline-canvas" style={{ height }} aria-hidden="true" />
      <ol className="timeline-pins" aria-label="Changes of the Serving role on the chart">
        {pins.map((pin) => (
          <li
            key={pin.marker.id}
            className={`timeline-pin pin-${pin.marker.kind}`}
            data-testid="timeline-pin"
            data-time={pin.marker.time}
            data-kind={pin.marker.kind}
            style={{ left: pin.x }}
            tabIndex={0}
            aria-label={pin.text}
            onFocus={() => showTip(pin)}
            onBlur={() => showTip(null)}
          />
        ))}
      </ol>
    </div>
  );
}
