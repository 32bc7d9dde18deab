// Makes the CLI entry executable after tsc, so `npx twinrec` and dist/cli/main.js run directly.
import { chmodSync, existsSync } from 'node:fs';
const entry = 'dist/cli/main.js';
if (!existsSync(entry)) {
  console.error(`post-build: ${entry} was not built`);
  process.exit(1);
}
chmodSync(entry, 0o755);
