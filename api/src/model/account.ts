// Accounts and how they sign in: console sessions (cookie) and API tokens, each acting with a role.
import { z } from 'zod';
import { component } from './components.js';
import { displayName, nullableTimestamp, role, timestamp, uuid } from './fields.js';
import { focusSchema } from './focus.js';
import { usernamePattern } from './vocabulary.js';

/** Shortest and longest password accepted for an account (the longest bounds hashing work). */
export const passwordLengthMin = 12;
export const passwordLengthMax = 256;

/** How a caller signed in: a session cookie, or an API token. */
export const credentialKinds = ['session', 'token'] as const;
export type CredentialKind = (typeof credentialKinds)[number];

const newPassword = z.string().min(passwordLengthMin).max(passwordLengthMax).describe(`${passwordLengthMin} to ${passwordLengthMax} characters`);
/** A password to check: any length up to the longest, so that a wrong one is refused like any other. */
const givenPassword = z.string().min(1).max(passwordLengthMax);

export const loginRequestSchema = component('LoginRequest', z.strictObject({ username: z.string().min(1).max(64).describe('Compared in lower case'), password: givenPassword }));
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** The public face of an account: never its password hash. */
export const userRefSchema = component('UserRef', z.strictObject({ id: uuid, username: z.string(), role }));
export type UserRef = z.infer<typeof userRefSchema>;

export const loginAnswerSchema = component('LoginAnswer', z.strictObject({ user: userRefSchema, expiresAt: timestamp.describe('When the session ends (auth.sessionTtlMs after login)') }));
export type LoginAnswer = z.infer<typeof loginAnswerSchema>;

export const sessionSchema = component(
  'Session',
  z.strictObject({
    user: userRefSchema,
    via: z.enum(credentialKinds).describe('The session cookie, or an API token'),
    role: role.describe("What this caller may do: the account's role, bounded by the token's for a token"),
    expiresAt: nullableTimestamp.describe('When the session or token ends; null for a token without an end'),
    focus: z.array(focusSchema).describe('The focused node per cluster'),
  }),
);
export type Session = z.infer<typeof sessionSchema>;

export const passwordChangeSchema = component('PasswordChange', z.strictObject({ currentPassword: givenPassword, newPassword }));
export type PasswordChange = z.infer<typeof passwordChangeSchema>;

export const userSchema = component(
  'User',
  z.strictObject({ id: uuid, username: z.string(), role, createdAt: timestamp, updatedAt: timestamp, passwordChangedAt: timestamp, lastLoginAt: nullableTimestamp }),
);
export type User = z.infer<typeof userSchema>;

export const userCreateSchema = component(
  'UserCreate',
  z.strictObject({
    username: z.string().regex(new RegExp(usernamePattern)).describe('Lower-case letters, digits and `. _ @ -`, at most 64; unique'),
    password: newPassword,
    role,
  }),
);
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = component('UserUpdate', z.strictObject({ role, password: newPassword }).partial().meta({ minProperties: 1 }));
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const tokenSchema = component(
  'Token',
  z.strictObject({
    id: uuid,
    name: z.string(),
    role,
    userId: uuid.describe('The owner'),
    username: z.string().describe("The owner's name"),
    createdAt: timestamp,
    expiresAt: nullableTimestamp,
    lastUsedAt: nullableTimestamp.describe('Within a minute'),
  }),
);
export type Token = z.infer<typeof tokenSchema>;

export const tokenCreateSchema = component(
  'TokenCreate',
  z.strictObject({
    name: displayName.describe('What the token is for, e.g. `monitoring`'),
    role: role.describe("At most the caller's role (the default)").optional(),
    expiresAt: z.iso.datetime({ offset: true }).describe('When it stops working; none by default').optional(),
  }),
);
export type TokenCreate = z.infer<typeof tokenCreateSchema>;

export const tokenCreatedSchema = component(
  'TokenCreated',
  tokenSchema.extend({ lastUsedAt: z.null(), token: z.string().regex(/^trk_[A-Za-z0-9_-]{43}$/).describe('The secret: shown only in this answer') }),
);
export type TokenCreated = z.infer<typeof tokenCreatedSchema>;
