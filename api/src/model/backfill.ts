// Backfill as the REST API shows it: what each node lacks of what its peer holds (the gap audit
// its agent runs) and the job that copies it, as the agents report them (backfillStatusSchema
// of contracts/controller-v1.ts, described here for the API), and the operator's commands on it.
import { z } from 'zod';
import { commandRequestSchema, refusalReasons } from '../../../contracts/agent-api-v1.js';
import { backfillGapsPerCameraMax, backfillStatusSchema as wire } from '../../../contracts/controller-v1.js';
import { commandResultSchema } from './command.js';
import { component } from './components.js';
import { displayName, nullableTimestamp, uuid } from './fields.js';

const status = wire.shape;
const cameraWire = status.cameras.element;
const camera = cameraWire.shape;

export const backfillGapSchema = component(
  'BackfillGap',
  camera.gaps.element.describe('A range the peer holds and this node lacks: from `startAt` (inclusive) to `endAt` (exclusive)'),
);

export const backfillCameraSchema = component(
  'BackfillCamera',
  cameraWire
    .extend({
      deviceId: camera.deviceId.describe('The device id the recorders report (the camera GUID)'),
      missingSeconds: camera.missingSeconds.describe("Seconds of this camera's recordings the peer holds and this node lacks, within this node's retention"),
      placeholderSeconds: camera.placeholderSeconds.describe('Of which placeholders wait to be filled'),
      completeUntilAt: camera.completeUntilAt.describe('Complete from the retention start until here (the start of the oldest gap); null when there is no gap'),
      completeSinceAt: camera.completeSinceAt.describe('Complete from here to now (the end of the newest gap); null when there is no gap'),
      gaps: z.array(backfillGapSchema).max(backfillGapsPerCameraMax).describe(`The newest ${backfillGapsPerCameraMax} gaps at most, newest first; \`missingSeconds\` counts them all`),
    })
    .describe('One camera with missing data on a node'),
);

export const backfillStatusSchema = component(
  'BackfillStatus',
  wire
    .extend({
      mode: status.mode.describe("The cluster policy's backfill mode the node runs: `enabled` (placeholders, then filling, automatically), `placeholders` (filling only on `…/backfill/start`), `disabled`"),
      state: status.state.describe('The job: `idle` (nothing to do, or waiting for a start in placeholders mode), `planning`, `running`, `paused` (by an operator, outside the daily window, or the storage full), `waiting-for-peer`, `failed`, `done`'),
      reason: status.reason.describe('Why the job is paused, waiting or failed; null otherwise'),
      auditedAt: status.auditedAt.describe('When the gap audit these figures come from finished; null before the first'),
      retentionMinutes: status.retentionMinutes.describe("The node's own retention, in minutes: nothing older is missing or filled. Null when unknown"),
      completeSinceAt: status.completeSinceAt.describe('From this time on the node holds everything its peer holds (the end of its newest gap; the retention start when complete)'),
      missingSeconds: status.missingSeconds.describe("Camera-seconds the peer holds and this node lacks, within this node's retention, summed over cameras"),
      dataComplete: status.dataComplete.describe('Nothing is left to fill and no camera lacks more than one block (10 s) that only the next stop of its recorder can reserve: what an automatic failback and a Switch to this node wait for. Absent from older agents'),
      placeholderSeconds: status.placeholderSeconds.describe('Of which placeholders wait to be filled'),
      camerasAffected: status.camerasAffected.describe('Cameras with missing data'),
      cameras: z.array(backfillCameraSchema).max(4096).describe('The cameras with missing data, most missing first'),
      bytesDone: status.bytesDone.describe('Bytes the job has copied'),
      bytesTotal: status.bytesTotal.describe('Bytes the job copies in all'),
      blocksDone: status.blocksDone.describe('Blocks copied and checked'),
      blocksTotal: status.blocksTotal.describe('Blocks the job copies in all'),
      rateBytesPerSecond: status.rateBytesPerSecond.describe('Recent copy rate'),
      etaSeconds: status.etaSeconds.describe('Time left at the recent rate; null while unknown'),
      startedAt: status.startedAt.describe('When the job started; null before'),
    })
    .describe("What a node lacks of what its peer holds, within its own retention (its agent's gap audit), and the backfill job that copies it, as its agent last reported them"),
);
export type BackfillStatus = z.infer<typeof backfillStatusSchema>;

export const nodeBackfillSummarySchema = component(
  'NodeBackfillSummary',
  backfillStatusSchema
    .pick({ mode: true, state: true, reason: true, missingSeconds: true, placeholderSeconds: true, camerasAffected: true, bytesDone: true, bytesTotal: true, etaSeconds: true })
    .describe('The figures of the backfill status the cluster list shows; `GET /api/v1/clusters/{id}/backfill` has the rest'),
);
export type NodeBackfillSummary = z.infer<typeof nodeBackfillSummarySchema>;

export const nodeBackfillSchema = component(
  'NodeBackfill',
  z.strictObject({
    nodeId: uuid,
    name: displayName,
    serving: z.boolean().describe('It is the Serving node'),
    reachable: z.boolean().describe('Its reports are fresh; if not, `backfill` is what it said last'),
    reportedAt: nullableTimestamp.describe("When the controller received the agent's last report"),
    backfill: backfillStatusSchema.nullable().describe("As its agent last reported it; null when it reports none (no storage adapter in its agent.yaml, or an agent that predates backfill) or has not reported"),
  }),
);
export type NodeBackfill = z.infer<typeof nodeBackfillSchema>;

export const clusterBackfillSchema = component(
  'ClusterBackfill',
  z.strictObject({
    clusterId: uuid,
    dataMissing: z.boolean().describe("As the cluster list's `dataMissing`"),
    missingSeconds: z.number().min(0).nullable().describe("As the cluster list's `dataMissingSeconds`: the nodes' missing seconds summed; null when no node reports a backfill status"),
    nodes: z.array(nodeBackfillSchema).describe('Each node, by name'),
  }),
);
export type ClusterBackfill = z.infer<typeof clusterBackfillSchema>;

/** The agent commands of backfill, as the operations name them (`…/backfill/start`). */
export const backfillActions = ['start', 'pause', 'resume'] as const;
export type BackfillAction = (typeof backfillActions)[number];
export const backfillCommandOf = { start: 'backfill-start', pause: 'backfill-pause', resume: 'backfill-resume' } as const satisfies Record<BackfillAction, string>;
export type BackfillCommand = (typeof backfillCommandOf)[BackfillAction];

export const backfillCommandRequestSchema = component(
  'BackfillCommandRequest',
  z.strictObject({
    node: displayName.optional().describe('The node to ask, by name; absent: `start` asks every node that lacks data (every node that reports a backfill status when none does), `pause` and `resume` every node that reports one'),
    reason: commandRequestSchema.shape.reason.describe("Free text for the agent's event log"),
  }),
);
export type BackfillCommandRequest = z.infer<typeof backfillCommandRequestSchema>;

export const backfillCommandOutcomeSchema = component(
  'BackfillCommandOutcome',
  z.strictObject({
    nodeId: uuid,
    name: displayName,
    outcome: z.enum(['done', 'refused', 'unreachable']).describe('`done`: the agent took it; `refused`: it answered 409 (see `reason`); `unreachable`: no usable answer'),
    reason: z.enum([...refusalReasons, 'refused']).nullable().describe("The agent's refusal reason (`refused`: one this controller does not know); null unless refused"),
    detail: z.string().describe('What happened, in words'),
    result: commandResultSchema.nullable().describe("The agent's answer when it took the command"),
  }),
);
export type BackfillCommandOutcome = z.infer<typeof backfillCommandOutcomeSchema>;

export const backfillCommandAcceptedSchema = component(
  'BackfillCommandAccepted',
  z.strictObject({
    clusterId: uuid,
    command: z.enum(['backfill-start', 'backfill-pause', 'backfill-resume']),
    nodes: z.array(backfillCommandOutcomeSchema).describe('What each node asked answered, by name; at least one took it'),
  }),
);
export type BackfillCommandAccepted = z.infer<typeof backfillCommandAcceptedSchema>;
