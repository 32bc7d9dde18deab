// This recording server's id as the Management Server knows it: what the camera list (REST) and
// the edge bridge's recorder lookup ask by.
import { parseRecorderConfig, readConfigFile } from '../../recorder-config-sync/index.js';
import type { AgentConfig } from './agent-config.js';

/**
 * This recording server's id, for the Management Server: configured, or RecorderConfig.xml's
 * recorder/id read before each use (config sync may replace the file); null when neither is set.
 */
export function recorderIdOf(config: Pick<AgentConfig, 'recorder'>): (() => Promise<string>) | null {
  const { recorderId, recorderConfigPath } = config.recorder;
  if (recorderId !== null) return () => Promise.resolve(recorderId.toLowerCase());
  if (recorderConfigPath === undefined) return null;
  return async () => parseRecorderConfig((await readConfigFile(recorderConfigPath)).bytes).info.recorderId.replace(/^\{|\}$/g, '').toLowerCase();
}
