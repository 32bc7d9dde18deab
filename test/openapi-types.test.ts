// The console's generated API types (web/src/api/openapi.ts) must be what the OpenAPI document
// gives now: a change to the document (api/src/model/ schemas, api/src/http/openapi.ts operations)
// without `npm run openapi:types` fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateOpenApiTypes, openApiTypesFile, readOpenApiTypes, regenerateCommand } from '../scripts/openapi-types.js';

/** Where two texts first differ, as `line N: expected … / found …`. */
function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return `line ${i + 1}:\n  generated:  ${want[i] ?? '(end of file)'}\n  checked in: ${got[i] ?? '(end of file)'}`;
  }
  return 'no line differs (line endings?)';
}

describe('generated OpenAPI types', () => {
  it('the checked-in file is what the OpenAPI document generates', async () => {
    const generated = await generateOpenApiTypes();
    const current = readOpenApiTypes();
    assert.ok(current !== null, `${openApiTypesFile} is missing: run \`${regenerateCommand}\` and commit it`);
    if (current !== generated) {
      assert.fail(`${openApiTypesFile} is stale: the OpenAPI document (api/src/http/openapi.ts) changed since it was generated. Run \`${regenerateCommand}\` and commit it. First difference at ${firstDifference(generated, current)}`);
    }
  });

  it('generates the same text every time', async () => {
    assert.equal(await generateOpenApiTypes(), await generateOpenApiTypes());
  });

  it('holds the schemas and operations the console derives its types from', async () => {
    const generated = await generateOpenApiTypes();
    for (const name of ['ClusterSummary', 'ClusterState', 'NodeState', 'NodeDetail', 'Camera', 'Event', 'Session', 'Focus', 'Problem', 'SwitchNotPossible']) {
      assert.match(generated, new RegExp(`^ {8}${name}: \\{`, 'm'), `components.schemas.${name}`);
    }
    assert.match(generated, /^ {4}listClusterCameras: \{/m, 'operations.listClusterCameras');
    // An open object stays open (emptyObjectsUnknown), so the console may read Event.data.
    assert.match(generated, /^ {12}data: Record<string, unknown>;/m);
  });
});
