/**
 * Subtask cells in run mode, coloured as Flink's web UI colours its job graph: a blend of
 * busy (red-ish), idle (blue-ish) and back-pressured (near black, also hatched) by the three
 * time ratios. The anchors are Okabe–Ito vermillion and sky blue, which stay apart for every
 * common colour-vision deficiency and differ in lightness too; back-pressure additionally
 * draws hatching, and failed or finished subtasks carry an icon, so colour is never the only
 * signal.
 */
import type { SubtaskMetrics } from '../../engine/runtime/telemetry';
import type { Theme } from './regionsView';

type Rgb = readonly [number, number, number];

const BUSY: Rgb = [0xd5, 0x5e, 0x00];
const IDLE: Rgb = [0x56, 0xb4, 0xe9];
const BACK_PRESSURED: Record<Theme, Rgb> = { light: [0x2b, 0x2b, 0x2b], dark: [0x9a, 0x9a, 0x9a] };
const NEUTRAL: Record<Theme, string> = { light: '#d7dbe1', dark: '#3a404b' };
/** Restarting and restoring: Okabe–Ito yellow (light) / a dimmer gold (dark), with ↻ and ⤓. */
const RECOVERING: Record<Theme, string> = { light: '#F0E442', dark: '#8a7f1c' };

/** Back-pressure from this share of the second on is hatched. */
export const HATCH_FROM = 0.1;

export interface CellLook {
  fill: string;
  text: string;
  /** 0..1: how strongly to draw the back-pressure hatching (0 = none). */
  hatch: number;
  /** Short mark written in the cell instead of the index, when there is one (running cells show their index). */
  mark: StateMark | null;
}

/** The glyph of each subtask state (colour is never the only signal). */
export const STATE_MARKS = {
  created: '…', running: '▶', finished: '✓', failed: '✕', canceled: '■', restarting: '↻', restoring: '⤓',
} as const satisfies Record<SubtaskMetrics['state'], string>;
export type StateMark = (typeof STATE_MARKS)[keyof typeof STATE_MARKS];

const hex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** Relative luminance (WCAG) of an sRGB colour. */
function luminance(c: Rgb): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever reads better on `fill`. */
function textOn(fill: Rgb): string {
  const l = luminance(fill);
  return (1.05) / (l + 0.05) > (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

/** The busy / idle / back-pressured blend of three ms-per-second ratios. */
export function blendRatios(busyMs: number, idleMs: number, backPressuredMs: number, theme: Theme): { fill: string; text: string; hatch: number } | null {
  const busy = Math.max(0, busyMs);
  const idle = Math.max(0, idleMs);
  const bp = Math.max(0, backPressuredMs);
  const total = busy + idle + bp;
  if (!(total > 0)) return null;
  const anchors: [Rgb, number][] = [[BUSY, busy / total], [IDLE, idle / total], [BACK_PRESSURED[theme], bp / total]];
  const rgb: Rgb = [0, 1, 2].map((i) => anchors.reduce((sum, [c, w]) => sum + c[i]! * w, 0)) as unknown as Rgb;
  const share = bp / total;
  return { fill: hex(rgb), text: textOn(rgb), hatch: share >= HATCH_FROM ? share : 0 };
}

/** How a subtask cell looks for its latest figures. */
export function subtaskLook(m: Pick<SubtaskMetrics, 'state' | 'busyMsPerSecond' | 'idleMsPerSecond' | 'backPressuredMsPerSecond'>, theme: Theme): CellLook {
  const mark = m.state === 'running' ? null : STATE_MARKS[m.state];
  if (m.state !== 'running') {
    const fill = m.state === 'failed' ? '#b42318' : m.state === 'restarting' || m.state === 'restoring' ? RECOVERING[theme] : NEUTRAL[theme];
    return { fill, text: m.state === 'failed' || theme === 'dark' ? '#ffffff' : '#000000', hatch: 0, mark };
  }
  const blend = blendRatios(m.busyMsPerSecond, m.idleMsPerSecond, m.backPressuredMsPerSecond, theme);
  if (!blend) return { fill: NEUTRAL[theme], text: theme === 'dark' ? '#ffffff' : '#000000', hatch: 0, mark };
  return { ...blend, mark };
}
