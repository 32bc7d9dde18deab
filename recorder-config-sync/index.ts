// recorder-config-sync: faithful RecorderConfig.xml round-trip, clone-for-peer, diff, atomic
// apply with backups and rollback, and a watcher. See README.md.
export { clone, cloneDocuments, verifyClone, type CloneResult } from './clone.js';
export { diff, diffDocuments, isNamespaceDeclaration, redacted, type Change, type ChangeSubject, type DifferenceKind } from './diff.js';
export {
  maxUnclassifiedPaths, unclassifiedPaths, unclassifiedPathsOf, type UnclassifiedIn, type UnclassifiedPath, type UnclassifiedReport,
} from './unclassified.js';
export {
  compileRules, defaultCloneRules, mapStoragePath, parseRulesFile, unknownKind, withOverrides,
  type ChangeKind, type CloneRule, type CloneRules, type RuleKind, type RuleScope, type RulesOverride, type StoragePathMapping,
} from './clone-rules.js';
export {
  applyRecorderConfig, defaultKeepBackups, listBackups, rollbackRecorderConfig,
  type ApplyOptions, type ApplyResult, type BackupInfo, type RollbackOptions, type RollbackResult,
} from './apply.js';
export { readConfigFile, readConfigFileIfExists, realTargetOf, sha256Hex, type ConfigFileSnapshot } from './config-file.js';
export { watchConfigFile, type ConfigFileChange, type ConfigWatcher, type WatchOptions } from './watch.js';
export {
  assertWellFormedIndependently, parseRecorderConfig, validateRecorderConfig,
  type RecorderConfig, type RecorderConfigInfo,
} from './validate.js';
export { encodeXml, maxConfigBytes, parseXml, serializeXml, type XmlDocument, type XmlElement } from './xml-document.js';
export { RecorderConfigError, type RecorderConfigErrorCode } from './errors.js';
