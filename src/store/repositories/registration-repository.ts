import type { Selectable } from 'kysely';
import type { RegistrationsTable } from '../schema.js';
import type { RepositoryContext } from '../change-context.js';

/** Where a REGISTER really came from (RFC 3581 received/rport), to reach a NAT'd client. */
export interface ReceivedSource {
  protocol: string;
  address: string;
  port: number;
}

/** One contact binding of an address-of-record (RFC 3261 section 10, RFC 5626 flows). */
export interface RegistrationBinding {
  /** The address-of-record; the registrar decides its form (an extension number today). */
  aor: string;
  contactUri: string;
  /** RFC 5626 +sip.instance, without the angle brackets' quoting decisions made here. */
  instanceId: string | null;
  regId: number | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  q: number | null;
  callId: string;
  cseq: number;
  /** Path header values (RFC 3327), in order. */
  path: string[];
  received: ReceivedSource | null;
  connectionId: string | null;
  userAgent: string | null;
}

/** A stored binding with its identity within the AoR. */
export interface StoredRegistration extends RegistrationBinding {
  key: string;
  updatedAt: number;
}

/**
 * The identity of a binding within its AoR: (instance-id, reg-id) for RFC 5626 flows,
 * the instance-id alone for RFC 5627 style contacts, otherwise the contact URI (RFC 3261 10.3).
 */
export function registrationKey(b: Pick<RegistrationBinding, 'contactUri' | 'instanceId' | 'regId'>): string {
  if (b.instanceId !== null && b.regId !== null) return `instance:${b.instanceId};reg-id=${b.regId}`;
  if (b.instanceId !== null) return `instance:${b.instanceId}`;
  return `contact:${b.contactUri}`;
}

function toBinding(row: Selectable<RegistrationsTable>): StoredRegistration {
  const received =
    row.received_protocol !== null && row.received_address !== null && row.received_port !== null
      ? { protocol: row.received_protocol, address: row.received_address, port: row.received_port }
      : null;
  return {
    key: row.binding_key,
    aor: row.aor,
    contactUri: row.contact_uri,
    instanceId: row.instance_id,
    regId: row.reg_id,
    expiresAt: row.expires_at,
    q: row.q,
    callId: row.call_id,
    cseq: row.cseq,
    path: JSON.parse(row.path) as string[],
    received,
    connectionId: row.connection_id,
    userAgent: row.user_agent,
    updatedAt: row.updated_at,
  };
}

/** Registrar bindings, persisted so they survive a restart. Runtime state: no history. */
export class RegistrationRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  /** Inserts or replaces the binding with the same AoR and key; returns the key. */
  async upsert(binding: RegistrationBinding): Promise<string> {
    const key = registrationKey(binding);
    const row = {
      aor: binding.aor,
      binding_key: key,
      contact_uri: binding.contactUri,
      instance_id: binding.instanceId,
      reg_id: binding.regId,
      expires_at: binding.expiresAt,
      q: binding.q,
      call_id: binding.callId,
      cseq: binding.cseq,
      path: JSON.stringify(binding.path),
      received_protocol: binding.received?.protocol ?? null,
      received_address: binding.received?.address ?? null,
      received_port: binding.received?.port ?? null,
      connection_id: binding.connectionId,
      user_agent: binding.userAgent,
      updated_at: this.ctx.clock.now(),
    };
    const { aor: _aor, binding_key: _key, ...rest } = row;
    await this.ctx.db
      .insertInto('registrations')
      .values(row)
      .onConflict((oc) => oc.columns(['aor', 'binding_key']).doUpdateSet(rest))
      .execute();
    return key;
  }

  /** Removes one binding; true when it existed. */
  async delete(aor: string, key: string): Promise<boolean> {
    const r = await this.ctx.db
      .deleteFrom('registrations')
      .where('aor', '=', aor)
      .where('binding_key', '=', key)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Removes every binding of an AoR (REGISTER with Contact: * and Expires: 0); returns how many. */
  async deleteAor(aor: string): Promise<number> {
    const r = await this.ctx.db.deleteFrom('registrations').where('aor', '=', aor).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listByAor(aor: string): Promise<StoredRegistration[]> {
    const rows = await this.ctx.db
      .selectFrom('registrations')
      .selectAll()
      .where('aor', '=', aor)
      .orderBy('binding_key')
      .execute();
    return rows.map(toBinding);
  }

  async listAll(): Promise<StoredRegistration[]> {
    const rows = await this.ctx.db.selectFrom('registrations').selectAll().orderBy('aor').orderBy('binding_key').execute();
    return rows.map(toBinding);
  }

  /** Removes bindings whose expiry is at or before `now`; returns how many. */
  async deleteExpired(now: number): Promise<number> {
    const r = await this.ctx.db.deleteFrom('registrations').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
