// The shape ARCHITECTURE.md promises, read from the import graph: wire contracts and small
// helpers have one home each (contracts/, shared/) that api/ and agent/ both use, neither
// of the two imports the other, only tests and benchmarks reach the lab, top-level folders
// import each other one way only, and inside the controller the layers run one way:
// http → agent-link → auth → domain → db → model.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const skipped = new Set(['node_modules', 'dist', '.git', 'data']);

interface Edge {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string, depth = 0, found: string[] = []): string[] {
  assert.ok(depth < 12, `folders nested deeper than 12 under ${dir}`);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipped.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, depth + 1, found);
    else if (/\.(ts|tsx|mts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** Every relative import of every source file (static, `export … from`, dynamic `import()`), as repo paths. */
function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(repoRoot)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const imported of info.importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      edges.push({ from: relative(repoRoot, file), to: relative(repoRoot, resolve(dirname(file), imported.fileName)) });
    }
  }
  return edges;
}

const edges = importEdges();
const topOf = (path: string): string => path.split('/')[0] as string;
const isTest = (path: string): boolean => /\.test\.tsx?$/.test(path) || path.startsWith('test/') || path.startsWith('bench/');
const show = (list: readonly Edge[]): string => list.map((e) => `${e.from} → ${e.to}`).join('\n');

describe('import graph', () => {
  it('sees the imports it checks (the reader works)', () => {
    assert.ok(edges.length > 500, `only ${edges.length} imports found`);
    assert.ok(edges.some((e) => e.from.startsWith('api/') && e.to.startsWith('contracts/')), 'api/ uses the wire contracts');
    assert.ok(edges.some((e) => e.from.startsWith('agent/') && e.to.startsWith('contracts/')), 'agent/ uses the wire contracts');
  });

  it('api/ never imports agent/, and agent/ never imports api/', () => {
    const wrong = edges.filter((e) => (topOf(e.from) === 'api' && topOf(e.to) === 'agent') || (topOf(e.from) === 'agent' && topOf(e.to) === 'api'));
    assert.equal(show(wrong), '');
  });

  it('only lab/, test/ and bench/ import lab/', () => {
    const wrong = edges.filter((e) => topOf(e.to) === 'lab' && !['lab', 'test', 'bench'].includes(topOf(e.from)));
    assert.equal(show(wrong), '');
  });

  it('contracts/ and shared/ are leaves: they import only each other (contracts → shared)', () => {
    const wrong = edges.filter((e) => {
      const from = topOf(e.from);
      const to = topOf(e.to);
      if (from === to) return false;
      if (from === 'contracts') return to !== 'shared';
      if (from === 'shared') return true;
      return false;
    });
    assert.equal(show(wrong), '');
  });

  it('has no import circle between top-level folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
      const from = topOf(e.from);
      const to = topOf(e.to);
      if (from !== to) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (folder: string, path: string[]): void => {
      if (state.get(folder) === 'done') return;
      if (state.get(folder) === 'open') {
        circles.push([...path.slice(path.indexOf(folder)), folder].join(' → '));
        return;
      }
      state.set(folder, 'open');
      for (const next of graph.get(folder) ?? []) visit(next, [...path, folder]);
      state.set(folder, 'done');
    };
    for (const folder of graph.keys()) visit(folder, []);
    assert.deepEqual(circles, []);
  });

  it("runs one way inside the controller: http → support → reports → agent-link → xprotect-events → webhooks → auth → domain → db → model", () => {
    // A layer may import itself and those after it; the composition root (server.ts) and the
    // CLI wiring (api/src/cli) may import any. Tests may reach up to build their fixtures.
    const layers = ['http', 'support', 'reports', 'agent-link', 'xprotect-events', 'webhooks', 'auth', 'domain', 'db', 'model'];
    const layerOf = (path: string): string | null => {
      const parts = path.split('/');
      if (parts[0] !== 'api' || parts[1] !== 'src' || parts.length < 4) return null;
      return parts[2] as string;
    };
    const wrong = edges.filter((e) => {
      if (isTest(e.from)) return false;
      const from = layerOf(e.from);
      const to = layerOf(e.to);
      if (from === null || to === null || from === to) return false;
      const fromRank = layers.indexOf(from);
      const toRank = layers.indexOf(to);
      if (fromRank === -1) return false;
      return toRank === -1 ? to !== 'config' && to !== 'log' : toRank < fromRank;
    });
    assert.equal(show(wrong), '');
  });
});
