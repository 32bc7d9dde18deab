// A child process of the scale bench (the agent simulators, the consoles): forked with an IPC
// channel, told which phase the bench is in, asked for its figures at the end, and stopped by
// its PID (SIGKILL if it has not exited 10 s after SIGTERM), on signals too.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { stopOnSignal } from '../test/helpers/process.js';

/** What the bench sends a child. */
export type ToChild = { readonly type: 'phase'; readonly name: string } | { readonly type: 'finish' };
/** What a child sends: `ready` once it runs, `result` after `finish`, `failed` when it cannot go on. */
export type FromChild<R> = { readonly type: 'ready'; readonly detail: string } | { readonly type: 'result'; readonly result: R } | { readonly type: 'failed'; readonly message: string };

export interface BenchChild<R> {
  readonly pid: number;
  readonly ready: Promise<string>;
  phase(name: string): void;
  /** Asks for the child's figures (within timeoutMs), then stops it. */
  finish(timeoutMs?: number): Promise<R>;
  stop(): Promise<void>;
}

/** Forks `module` (a file beside this one) with `--import tsx`, giving it `workFile` as its argument. */
export function forkBenchChild<R>(module: string, workFile: string): BenchChild<R> {
  const child: ChildProcess = fork(fileURLToPath(new URL(module, import.meta.url)), [workFile], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${module} did not start`);
  const exited = once(child, 'exit');
  let failure: Error | null = null;
  const messages: Array<FromChild<R>> = [];
  const waiters = new Set<() => void>();
  child.on('message', (m: FromChild<R>) => {
    if (m.type === 'failed') failure = new Error(`${module}: ${m.message}`);
    messages.push(m);
    for (const w of waiters) w();
  });
  void exited.then(() => {
    failure ??= new Error(`${module} exited`);
    for (const w of waiters) w();
  });
  const next = <T extends FromChild<R>['type']>(type: T, timeoutMs: number): Promise<Extract<FromChild<R>, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${module}: no ${type} within ${timeoutMs} ms`)), timeoutMs);
      const check = (): void => {
        const found = messages.find((m) => m.type === type);
        if (found !== undefined) return done(null, found as Extract<FromChild<R>, { type: T }>);
        if (failure !== null) done(failure);
      };
      const done = (err: Error | null, value?: Extract<FromChild<R>, { type: T }>): void => {
        clearTimeout(timer);
        waiters.delete(check);
        if (err !== null) reject(err);
        else resolve(value as Extract<FromChild<R>, { type: T }>);
      };
      waiters.add(check);
      check();
    });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const forget = stopOnSignal(stop);
  void exited.then(forget);
  const send = (m: ToChild): void => {
    if (child.connected) child.send(m);
  };
  return {
    pid,
    ready: next('ready', 600_000).then((m) => m.detail),
    phase: (name) => send({ type: 'phase', name }),
    finish: async (timeoutMs = 60_000) => {
      send({ type: 'finish' });
      try {
        return (await next('result', timeoutMs)).result;
      } finally {
        await stop();
      }
    },
    stop,
  };
}

/** The child's side: its work file, phase changes, and how it answers `finish`. */
export function benchChildSide<R>(handlers: { phase(name: string): void; finish(): Promise<R> | R }): { ready(detail: string): void; fail(message: string): never } {
  const send = (m: FromChild<R>): void => {
    process.send?.(m);
  };
  process.on('message', (m: ToChild) => {
    if (m.type === 'phase') handlers.phase(m.name);
    else
      void Promise.resolve(handlers.finish())
        .then((result) => send({ type: 'result', result }))
        .catch((err: unknown) => send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
  return {
    ready: (detail) => send({ type: 'ready', detail }),
    fail: (message) => {
      send({ type: 'failed', message });
      setTimeout(() => process.exit(1), 100);
      throw new Error(message);
    },
  };
}
