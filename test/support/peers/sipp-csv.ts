// SIPp injection files for the scenarios in test/interop/scenarios: one line per user,
// `user;domain;[authentication username=user password=pw];target`.
import { writeFile } from 'node:fs/promises';

export interface SippUser {
  user: string;
  password: string;
  /** Number this user calls (uac-auth-*.xml); empty for REGISTER-only scenarios. */
  target?: string;
}

export type SippCsvOrder = 'SEQUENTIAL' | 'RANDOM' | 'USER';

export function sippUsersCsv(domain: string, users: readonly SippUser[], order: SippCsvOrder = 'SEQUENTIAL'): string {
  const lines = users.map((u) => `${u.user};${domain};[authentication username=${u.user} password=${u.password}];${u.target ?? ''}`);
  return `${order}\n${lines.join('\n')}\n`;
}

/** Users first..first+count-1 with Kamailio-peer style passwords (`pw-<user>`). */
export function numberedUsers(first: number, count: number, target?: (user: number) => string): SippUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    const user: SippUser = { user: String(n), password: `pw-${n}` };
    const t = target?.(n);
    if (t !== undefined) user.target = t;
    return user;
  });
}

export async function writeSippCsv(path: string, domain: string, users: readonly SippUser[], order: SippCsvOrder = 'SEQUENTIAL'): Promise<string> {
  await writeFile(path, sippUsersCsv(domain, users, order));
  return path;
}
