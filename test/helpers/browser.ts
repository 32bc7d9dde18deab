// Debian's Chromium driven by playwright-core, for the web console's browser tests. The
// browser is a child process of the test: its PID is noted at launch and killed (with its
// process group) on close if it has not gone by itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** /work/shared/docs/toolchain-notes.md §9: headless, no sandbox (root in a container), nothing phoning home. */
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const launchTimeoutMs = 60_000;
const closeTimeoutMs = 10_000;

export interface RunningBrowser {
  readonly browser: Browser;
  /** The Chromium processes this launch started (direct children of the test process). */
  readonly pids: readonly number[];
  close(): Promise<void>;
}

/** PIDs of this process's direct children, with their command lines. */
function children(): Map<number, string> {
  const found = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      found.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Launches Chromium, or fails with how to install it: a missing browser is a failure, never a skip. */
export async function launchChromium(): Promise<RunningBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: the web console's browser tests need it. Install it with \`apt-get install -y chromium\` (as .ci/run does).`);
  }
  const before = children();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: launchTimeoutMs });
  const pids = [...children()].filter(([pid, cmd]) => !before.has(pid) && cmd.includes('chromium')).map(([pid]) => pid);
  return {
    browser,
    pids,
    close: async () => {
      await Promise.race([browser.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, closeTimeoutMs))]);
      for (const pid of pids) {
        if (!alive(pid)) continue;
        try {
          // Playwright starts Chromium in its own process group: end its helpers with it.
          process.kill(-pid, 'SIGKILL');
        } catch {
          process.kill(pid, 'SIGKILL');
        }
      }
    },
  };
}
