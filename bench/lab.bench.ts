// `npm run bench -- lab`: frames recorded per second and CPU use of one lab recorder process
// recording 32 cameras at 25 fps (the camera hub and management server run beside it, and the
// pair's second recorder is stopped so that one recorder is measured alone).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { labVmsToken, soapClient, startLab, waitFor } from '../lab/testing/harness.js';
import { summarize } from './stats.js';

const CAMERAS = 32;
const FPS = 25;
const SECONDS = Number(process.env.LAB_BENCH_SECONDS ?? 20);
const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used, in seconds, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

async function framesWritten(controlUrl: string): Promise<number> {
  const res = await fetch(`${controlUrl}/lab/state`, { signal: AbortSignal.timeout(5_000) });
  return ((await res.json()) as { framesWrittenTotal: number }).framesWrittenTotal;
}

const fmt = (n: number): string => n.toFixed(1);

const lab = await startLab(['--pairs', '1', '--cameras', String(CAMERAS), '--fps', String(FPS), '--block-duration-ms', '10000']);
try {
  const pair = lab.description.pairs[0];
  const recorder = pair?.recorders[0];
  const standby = pair?.recorders[1];
  if (pair === undefined || recorder === undefined || standby === undefined) throw new Error('lab has no pair');
  await fetch(`${lab.description.control.url}/lab/recorders/${standby.name}/stop`, { method: 'POST', signal: AbortSignal.timeout(60_000) });
  const token = await labVmsToken(lab.description);
  const status = await soapClient(recorder.statusServiceUrl);
  await waitFor(
    'all cameras recording',
    async () => {
      const [result] = (await status.GetCurrentDeviceStatusAsync({ token, deviceIds: { guid: pair.cameraIds } })) as [{ GetCurrentDeviceStatusResult: { CameraDeviceStatusArray: { CameraDeviceStatus: Array<{ Recording: boolean }> } | null } }];
      const list = result.GetCurrentDeviceStatusResult.CameraDeviceStatusArray?.CameraDeviceStatus ?? [];
      return list.length === CAMERAS && list.every((s) => s.Recording) ? true : undefined;
    },
    60_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // warm-up
  const pid = recorder.pid as number;
  const hubPid = lab.description.cameraHub.pid;
  const framesPerSecond: number[] = [];
  const cpuPercent: number[] = [];
  const hubCpuPercent: number[] = [];
  let lastFrames = await framesWritten(recorder.controlUrl);
  let lastCpu = cpuSeconds(pid);
  let lastHubCpu = cpuSeconds(hubPid);
  let lastMs = performance.now();
  const firstFrames = lastFrames;
  const firstCpu = lastCpu;
  const firstMs = lastMs;
  for (let i = 0; i < SECONDS; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const frames = await framesWritten(recorder.controlUrl);
    const cpu = cpuSeconds(pid);
    const hubCpu = cpuSeconds(hubPid);
    const nowMs = performance.now();
    const seconds = (nowMs - lastMs) / 1000;
    framesPerSecond.push((frames - lastFrames) / seconds);
    cpuPercent.push(((cpu - lastCpu) / seconds) * 100);
    hubCpuPercent.push(((hubCpu - lastHubCpu) / seconds) * 100);
    [lastFrames, lastCpu, lastHubCpu, lastMs] = [frames, cpu, hubCpu, nowMs];
  }
  const totalSeconds = (lastMs - firstMs) / 1000;
  const fps = summarize(framesPerSecond);
  const cpu = summarize(cpuPercent);
  const hub = summarize(hubCpuPercent);
  const [stats] = (await status.GetVideoDeviceStatisticsAsync({ token, deviceIds: { guid: pair.cameraIds.slice(0, 1) } })) as [{ GetVideoDeviceStatisticsResult: { VideoDeviceStatistics: Array<{ VideoStreamStatisticsArray: { VideoStreamStatistics: Array<{ ImageSizeInBytes: string }> } }> } }];
  const frameBytes = Number(stats.GetVideoDeviceStatisticsResult.VideoDeviceStatistics[0]?.VideoStreamStatisticsArray.VideoStreamStatistics[0]?.ImageSizeInBytes ?? 0);
  console.log(`lab recorder: ${CAMERAS} cameras x ${FPS} fps (${CAMERAS * FPS} frames/s offered, ${frameBytes} bytes per frame), ${SECONDS} one-second samples`);
  console.log(`  frames recorded per second   median ${fmt(fps.median)}  p99 ${fmt(fps.p99)}  min ${fmt(fps.min)}  max ${fmt(fps.max)}  overall ${fmt((lastFrames - firstFrames) / totalSeconds)}`);
  console.log(`  recorder CPU (% of one core) median ${fmt(cpu.median)}  p99 ${fmt(cpu.p99)}  max ${fmt(cpu.max)}  overall ${fmt(((lastCpu - firstCpu) / totalSeconds) * 100)}`);
  console.log(`  camera hub CPU (% of a core) median ${fmt(hub.median)}  p99 ${fmt(hub.p99)}  max ${fmt(hub.max)}`);
} finally {
  await lab.stop();
}
