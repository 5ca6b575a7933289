export { openDatabase, dialectFor, SQLITE_FILE_NAME, type OpenDatabaseOptions } from './open-database.js';
export type { Store, StoreRepositories } from './store.js';
export { StoreError } from './store-error.js';
export type { SqlDialectName } from './migrations/dialect-name.js';
export type { DigestAlgorithm, RecordingPolicy } from './schema.js';
export type { ChangeContext, WriteOutcome } from './change-context.js';
export { digestHa1 } from './digest-ha1.js';
export { canonicalJson } from './canonical-json.js';
export {
  ExtensionRepository,
  type Extension,
  type ExtensionInput,
  type DigestCredential,
} from './repositories/extension-repository.js';
export {
  RegistrationRepository,
  registrationKey,
  type RegistrationBinding,
  type StoredRegistration,
  type ReceivedSource,
} from './repositories/registration-repository.js';
export {
  SettingsRepository,
  DEFAULT_SECURITY_SETTINGS,
  type SecuritySettings,
  type SettingsMap,
  type SettingKey,
} from './repositories/settings-repository.js';
export { BanRepository, type Ban } from './repositories/ban-repository.js';
export { HistoryRepository, type HistoryEntry } from './repositories/history-repository.js';
export { UserRepository, type User } from './repositories/user-repository.js';
