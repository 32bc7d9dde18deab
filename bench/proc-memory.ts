// Resident memory of another process, from Linux's /proc/<pid>/status: now (VmRSS) and its peak
// so far (VmHWM, the kernel's high-water mark, so no sample is missed). Elsewhere: null.
import { readFileSync } from 'node:fs';

export interface ResidentBytes {
  readonly now: number;
  readonly peak: number;
}

export function residentBytes(pid: number): ResidentBytes | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field: string): number | null => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
    return match === null ? null : Number(match[1]) * 1024;
  };
  const now = kib('VmRSS');
  const peak = kib('VmHWM');
  return now === null || peak === null ? null : { now, peak };
}
