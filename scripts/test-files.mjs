// Prints every *.test.ts file, so `npm test` passes them to node --test explicitly:
// Node 20's runner finds no .ts files by itself and does not expand quoted globs.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['contracts', 'shared', 'api', 'agent', 'lab', 'media-store', 'recorder-config-sync', 'cli', 'test', 'bench'];
const skip = new Set(['node_modules', 'dist', 'fixtures']);
const found = [];
function walk(dir, depth) {
  if (depth > 8) return;
  let names;
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, depth + 1);
    else if (name.endsWith('.test.ts')) found.push(path);
  }
}
for (const root of roots) walk(root, 0);
if (found.length === 0) {
  console.error('test-files: no *.test.ts files found');
  process.exit(1);
}
console.log(found.sort().join(' '));
