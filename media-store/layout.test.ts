import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { blockPath, cameraDir, indexPath, isCameraDirName } from './layout.js';

const camera = '1e100000-0000-4000-8000-000000000001';

describe('storage layout', () => {
  it('puts each camera under cameras/<id>, with its index and blocks', () => {
    assert.equal(cameraDir('/s', camera), join('/s', 'cameras', camera));
    assert.equal(indexPath('/s', camera), join('/s', 'cameras', camera, 'index.log'));
    assert.equal(blockPath('/s', camera, 1_700_000_000_000), join('/s', 'cameras', camera, 'blocks', '001700000000000.blk'));
  });

  it('accepts only canonical GUIDs as camera folders, so an id can never leave the storage', () => {
    assert.equal(isCameraDirName(camera), true);
    for (const bad of [camera.toUpperCase(), `{${camera}}`, '..', '../etc', 'config-cache.json', '']) {
      assert.equal(isCameraDirName(bad), false, bad);
      assert.throws(() => cameraDir('/s', bad), /bad camera id/);
    }
  });
});
