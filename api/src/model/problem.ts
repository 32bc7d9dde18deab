// RFC 9457 problem details, the only error shape the API returns, and the problem types that
// carry fields of their own.
import { z } from 'zod';
import { refusalReasons } from '../../../contracts/agent-api-v1.js';
import { backfillGapSchema } from './backfill.js';
import { component } from './components.js';
import { uuid } from './fields.js';
import { problemTypes, problemTypeUri, type ProblemType } from './problem-types.js';

/**
 * Why a switch cannot happen now (`reason` of the switch-not-possible problem): no node
 * serves, a switch is already under way, or the agent's own refusal (agent-api-v1), where
 * `refused` stands for a refusal without a reason this controller knows.
 */
export const switchRefusalReasons = ['no-serving-node', 'switch-in-progress', ...refusalReasons, 'refused'] as const;
export type SwitchRefusalReason = (typeof switchRefusalReasons)[number];

/** Open: a problem type may add fields of its own. */
const problemBase = z.looseObject({
  type: z.enum(Object.keys(problemTypes).map((t) => problemTypeUri(t as ProblemType))),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.looseObject({ path: z.string().optional(), message: z.string().optional() })).optional(),
});

const problemWith = (extensions: z.ZodRawShape) => problemBase.extend(extensions).describe('RFC 9457 problem details');

export const problemSchema = component('Problem', problemWith({}));
export type Problem = z.infer<typeof problemSchema>;

export const loginRateLimitedSchema = component('LoginRateLimited', problemWith({ retryAfterSeconds: z.int().min(1).describe('As the Retry-After header') }));

export const switchNotPossibleSchema = component(
  'SwitchNotPossible',
  problemWith({ reason: z.enum(switchRefusalReasons).describe('`refused`: the agent gave no reason this controller knows') }),
);

export const commandRefusedSchema = component('CommandRefused', problemWith({ reason: z.enum([...refusalReasons, 'refused']).optional(), nodeId: uuid.optional() }));

/** Most cameras a target-missing-data problem lists (those missing most); `camerasAffected` counts them all. */
export const targetMissingCamerasMax = 64;

/** What a target-missing-data problem adds to the problem's fields. */
const targetMissingDataFields = z.strictObject({
  nodeId: uuid.describe('The node that would serve'),
  nodeName: z.string(),
  missingSeconds: z.number().min(0).describe('Camera-seconds it lacks of what its peer holds, within its own retention, as its agent last reported them'),
  camerasAffected: z.int().min(0),
  cameras: z
    .array(z.strictObject({ deviceId: z.string(), missingSeconds: z.number().min(0), gaps: z.array(backfillGapSchema) }))
    .max(targetMissingCamerasMax)
    .describe(`The cameras it lacks data of, most missing first (at most ${targetMissingCamerasMax}), each with its missing ranges (the newest, as its agent reports them)`),
});
export type TargetMissingDataFields = z.infer<typeof targetMissingDataFields>;

export const targetMissingDataSchema = component('TargetMissingData', problemWith(targetMissingDataFields.shape));
