// For unit tests that wait on a real socket, timer or process: polls a synchronous condition
// every 10 ms until it holds, and fails after `timeoutMs` (a bound, never a timing assertion).

/** Resolves once `check()` is true; throws `timed out waiting for <what>` after timeoutMs. */
export async function until(check: () => boolean, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
