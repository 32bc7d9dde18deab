// A standby that replaced a protected server (contracts/pool-v1.ts become-protected) is that
// pool's protected server for good: its role switch is kept in `<stateDir>/pool-role.json`, and
// the agent starts as a protected server's whenever the file is there, whatever agent.yaml says
// (agent.ts; agent/README.md says how an admin makes it permanent in agent.yaml).
//
// The switch writes the protected server's first state (`pool-protected.json`: fenced below the
// serving lease's epoch, or serving at it) before the role file, which is the commit point: a
// crash between the two leaves a standby, and the controller's order, sent again, switches again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sharedAddressSchema } from '../../contracts/pool-v1.js';
import { describeIssues } from '../shared/describe-issues.js';
import { writeFileDurably } from '../store/durable-file.js';
import { replacementProtectedState } from './protected.js';
import { saveProtectedState } from './protected-service.js';
import type { RoleSwitch } from './standby.js';

/** The role file's name in `stateDir`. */
export const poolRoleFile = 'pool-role.json';

const roleFileSchema = z
  .object({
    version: z.literal(1),
    role: z.literal('protected'),
    /** Its shared address from now on: the replaced server's (the serving endpoint is agent.yaml's pool.endpoints entry for it). */
    sharedAddress: sharedAddressSchema,
    /** Whom it replaced, and under which epoch: for the log and support. */
    replacedNodeId: z.string().min(1).max(64),
    replacedName: z.string().min(1).max(64),
    epoch: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    switchedAt: z.string().datetime(),
  })
  .strict();
export type PoolRole = z.infer<typeof roleFileSchema>;

/**
 * The role switch, made durable: the protected server's first state, then the role file.
 *
 * @example writeRoleSwitch('/var/lib/twinrec', switching, Date.now())   // pool-protected.json (fenced at 1 below 7), then pool-role.json
 */
export function writeRoleSwitch(stateDir: string, switching: RoleSwitch, atMs: number): PoolRole {
  saveProtectedState(stateDir, replacementProtectedState(atMs, switching.epoch, switching.serving));
  const role: PoolRole = { version: 1, role: 'protected', sharedAddress: switching.sharedAddress, replacedNodeId: switching.replacedNodeId, replacedName: switching.replacedName, epoch: switching.epoch, switchedAt: new Date(atMs).toISOString() };
  writeFileDurably(join(stateDir, poolRoleFile), `${JSON.stringify(role)}\n`, 0o600);
  return role;
}

/** The role switch, if this agent made one; null without the file. An unreadable file throws: guessing could run a standby beside its own identity. */
export function readPoolRole(stateDir: string): PoolRole | null {
  const path = join(stateDir, poolRoleFile);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`the pool role file ${path} cannot be read (${(err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`the pool role file ${path} is not valid JSON; restore it from a backup`);
  }
  const parsed = roleFileSchema.safeParse(value);
  if (!parsed.success) throw new Error(`the pool role file ${path} is not valid (${describeIssues(parsed.error.issues)})`);
  return parsed.data;
}
