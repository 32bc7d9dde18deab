// `npm run bench -- config`: parse + clone + serialize of a ~1 MB RecorderConfig.xml.
// Target: median ≤ 50 ms on the project machine (issue 4).
//
// Real files are tens of kilobytes; the generated one reaches 1 MB with a long driverservices/hosts
// section (elements with attributes, comments, CDATA, CRLF line endings): the schema lets a host
// hold any content, and the clone rules share it whole, so the clone really edits it. The target
// differs from the primary in node-local values and in about 1% of the shared ones.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { clone, verifyClone } from '../recorder-config-sync/clone.js';
import { parseRecorderConfig } from '../recorder-config-sync/validate.js';
import { encodeXml } from '../recorder-config-sync/xml-document.js';
import { summarize } from './stats.js';

const targetBytes = 1024 * 1024;
const warmupRuns = 10;
const measuredRuns = 100;

function generate(): { primary: string; target: string } {
  const base = readFileSync(new URL('../recorder-config-sync/fixtures/01-primary-crlf.xml', import.meta.url), 'utf8');
  const hosts: string[] = [];
  const targetHosts: string[] = [];
  let size = base.length;
  for (let i = 0; size < targetBytes; i++) {
    const comment = i % 10 === 0 ? `\r\n      <!-- driver host group ${i / 10}: hardware ${i}–${i + 9} -->` : '';
    const host = (timeoutMs: number): string =>
      `${comment}\r\n      <host id="h${i}" enabled="true" priority="${i % 7}">\r\n        <name>Driver host ${i} &amp; cameras</name>\r\n        <description><![CDATA[Hardware ${i} <rack ${i % 40}>]]></description>\r\n        <timeout>${timeoutMs}</timeout>\r\n      </host>`;
    hosts.push(host(30));
    targetHosts.push(host(i % 100 === 0 ? 45 : 30));
    size += hosts[hosts.length - 1]?.length ?? 0;
  }
  const anchor = '    <hosts />';
  if (!base.includes(anchor)) throw new Error(`config bench: fixture 01 no longer has ${anchor.trim()}`);
  const withHosts = (body: string[]): string => base.replace(anchor, `    <hosts>${body.join('')}\r\n    </hosts>`);
  const primary = withHosts(hosts);
  const target = withHosts(targetHosts)
    .replace('<id>4b1c2f3e-8d7a-4c55-9e21-0a6b3c9d7e11</id>', '<id>c0ffee00-1234-4abc-8def-00000000b002</id>')
    .replace('<host>rec-a.lab.local</host>', '<host>rec-b.lab.local</host>')
    .replace('<publicUri>rec-a.lab.local:9001</publicUri>', '<publicUri>rec-b.lab.local:9001</publicUri>');
  return { primary, target };
}

const { primary, target } = generate();
const primaryConfig = parseRecorderConfig(primary); // the CLI has the primary parsed already
let shared = 0;
const cloneMs: number[] = [];
const verifyMs: number[] = [];
for (let run = 0; run < warmupRuns + measuredRuns; run++) {
  const start = performance.now();
  const result = clone(primary, target); // parses both, compares, patches the target's text
  const bytes = encodeXml(result.xml);
  const cloned = performance.now();
  // What the CLI adds before writing: re-parse the clone and check it against the primary.
  verifyClone(primaryConfig, parseRecorderConfig(bytes));
  const verified = performance.now();
  shared = result.changes.filter((c) => c.kind === 'shared').length;
  if (run >= warmupRuns) {
    cloneMs.push(cloned - start);
    verifyMs.push(verified - cloned);
  }
}

const mb = (Buffer.byteLength(primary) / (1024 * 1024)).toFixed(2);
const line = (label: string, samples: readonly number[]): string => {
  const s = summarize(samples);
  return `  ${label.padEnd(36)} median ${s.median.toFixed(1).padStart(5)} ms   p99 ${s.p99.toFixed(1).padStart(5)} ms   max ${s.max.toFixed(1).padStart(5)} ms`;
};
console.log(`config: ${mb} MB RecorderConfig.xml, ${shared} shared changes applied per clone, ${measuredRuns} runs after ${warmupRuns} warm-up`);
console.log(line('parse + clone + serialize', cloneMs));
console.log(line('then verify (re-parse clone + diff)', verifyMs));
console.log('  target: parse + clone + serialize median <= 50 ms');
