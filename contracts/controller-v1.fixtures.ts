// Test fixtures for the agent-to-controller link (controller-v1.ts): pure values, no I/O, so
// that unit tests in agent/ and api/ may use them as well as the end-to-end tests under test/
// (whose helpers, test/helpers/agent-reports.ts, build on these). Not part of the build.
import type { NodeStatus } from './controller-v1.js';

/** One camera of a report, as cameraStatusSchema has it (agent/shell/ports.ts' CameraStatus too). */
export type CameraStatusWire = NodeStatus['cameras'][number];

/** A camera that is enabled, connected and recording 25 fps of 1080p H.264; override what a test is about. */
export function cameraStatus(deviceId: string, overrides: Partial<CameraStatusWire> = {}): CameraStatusWire {
  return {
    deviceId,
    enabled: true,
    started: true,
    recording: true,
    errorNoConnection: false,
    errorOverflow: false,
    error: false,
    fps: 25,
    fpsRequested: 25,
    resolution: '1920x1080',
    videoFormat: 'H.264',
    usedSpaceBytes: 1024,
    ...overrides,
  };
}
