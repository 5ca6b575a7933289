import type { Generated } from 'kysely';

/** Digest algorithms whose HA1 we keep (RFC 7616, RFC 8760). */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

// Timestamps are epoch milliseconds (bigint in PostgreSQL, parsed back to number).

export interface StoreMetaTable {
  key: string;
  value: number;
}

export interface SettingsTable {
  key: string;
  /** Canonical JSON (sorted keys), so equal values compare equal as text. */
  value: string;
  updated_at: number;
}

/** Which of an extension's calls are recorded. */
export type RecordingPolicy = 'always' | 'never' | 'onDemand';

export interface ExtensionsTable {
  number: string;
  name: string;
  email: string | null;
  recording: Generated<RecordingPolicy>;
  created_at: number;
  updated_at: number;
}

export interface ExtensionCredentialsTable {
  number: string;
  algorithm: DigestAlgorithm;
  realm: string;
  ha1: string;
  updated_at: number;
}

export interface RegistrationsTable {
  aor: string;
  /** Identity of the binding within the AoR: see registrationKey(). */
  binding_key: string;
  contact_uri: string;
  instance_id: string | null;
  reg_id: number | null;
  expires_at: number;
  q: number | null;
  call_id: string;
  cseq: number;
  /** JSON array of Path header values (RFC 3327). */
  path: string;
  received_protocol: string | null;
  received_address: string | null;
  received_port: number | null;
  connection_id: string | null;
  user_agent: string | null;
  updated_at: number;
}

export interface BansTable {
  address: string;
  reason: string;
  created_at: number;
  banned_until: number;
}

export interface ConfigHistoryTable {
  id: Generated<number>;
  at: number;
  actor: string;
  source: string;
  entity: string;
  action: string;
  before_json: string | null;
  after_json: string | null;
}

export interface UsersTable {
  username: string;
  role: string;
  /** scrypt hash (see src/auth); null for accounts that log in only through a directory. */
  password_hash: string | null;
  created_at: number;
  updated_at: number;
}

/** The whole database, as Kysely sees it. */
export interface Database {
  store_meta: StoreMetaTable;
  settings: SettingsTable;
  extensions: ExtensionsTable;
  extension_credentials: ExtensionCredentialsTable;
  registrations: RegistrationsTable;
  bans: BansTable;
  config_history: ConfigHistoryTable;
  users: UsersTable;
}
