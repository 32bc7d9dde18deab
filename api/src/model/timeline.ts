// The availability timeline of one cluster (GET /api/v1/clusters/{id}/timeline), made by
// api/src/domain/timeline.ts from the serving spans, the failover history and the camera gaps.
import { z } from 'zod';
import { component } from './components.js';
import { nullableTimestamp, nullableUuid, timestamp, uuid } from './fields.js';

export const timelineMarkerKinds = ['failover', 'failback', 'switch'] as const;
export const timelineGapStates = ['open', 'filled', 'expired'] as const;

export const timelineServingBandSchema = component(
  'TimelineServingBand',
  z
    .strictObject({
      start: timestamp,
      end: timestamp,
      epoch: z.int().min(0).describe('The epoch the node served under'),
      open: z.boolean().describe('Still serving at the latest report (`end` is that report\'s time)'),
    })
    .describe('A stretch of time one node served, clipped to the window; spans under one epoch less than 2 s apart are one band'),
);

export const timelineGapBandSchema = component(
  'TimelineGapBand',
  z
    .strictObject({
      start: timestamp,
      end: timestamp,
      state: z.enum(timelineGapStates).describe('`open`: still (partly) missing; `filled`: backfill restored all of it; `expired`: it left the node\'s retention first'),
      cameras: z.int().min(1).describe('How many cameras lacked recordings within it'),
      missingSeconds: z.number().min(0).describe('What the latest gap audits still found missing in it, summed over its cameras (0 once filled)'),
      resolvedAt: nullableTimestamp.describe('When the last of its gaps was found filled (or expired); null while open'),
    })
    .describe("Recordings one node lacked and its peer held (the union of its cameras' gaps in one state), clipped to the window"),
);

export const timelineNodeSchema = component(
  'TimelineNode',
  z
    .strictObject({
      nodeId: uuid,
      name: z.string().describe("The node's name; its id for a node no longer in the cluster"),
      servingSeconds: z.number().min(0).describe('How long it served within the window'),
      servingShare: z.number().min(0).max(1).describe('servingSeconds over the window\'s length'),
      serving: z.array(timelineServingBandSchema).describe('Oldest first'),
      gaps: z.array(timelineGapBandSchema).describe('Oldest first'),
    })
    .describe('One node on the timeline'),
);

export const timelineMarkerSchema = component(
  'TimelineMarker',
  z
    .strictObject({
      id: z.string().describe('The failover record'),
      time: timestamp.describe('When the deciding agent decided'),
      kind: z.enum(timelineMarkerKinds).describe('`failover` (peer-dead, peer-unhealthy, peer-stopped, peer-not-serving, local-health), `failback`, `switch` (switch, swap)'),
      fromNodeId: nullableUuid,
      toNodeId: nullableUuid,
      reason: z.string().describe('peer-dead, peer-unhealthy, peer-stopped, peer-not-serving, local-health, failback, switch, swap'),
      trigger: z.enum(['automatic', 'manual']),
      detectionMs: z.int().min(0).nullable().describe('From the trouble to the decision; null when not measured'),
      switchMs: z.int().min(0).nullable().describe("From the decision to the new node's serving endpoint claimed; null until known"),
      epoch: z.int().min(0).nullable(),
    })
    .describe('One change of the Serving role (the failover history)'),
);

export const timelineSchema = component(
  'Timeline',
  z
    .strictObject({
      clusterId: uuid,
      from: timestamp,
      to: timestamp,
      windowSeconds: z.number().min(0),
      observedFrom: nullableTimestamp.describe('Where `unservedSeconds` is counted from: the window\'s start, or the first time any node of the cluster was seen serving if later; null when none ever was'),
      observedTo: nullableTimestamp.describe('Where it is counted to: the window\'s end, or now if earlier'),
      unservedSeconds: z.number().min(0).describe('Seconds between observedFrom and observedTo in which no node served (as the reports say)'),
      nodes: z.array(timelineNodeSchema).describe("The cluster's nodes (by name), then any other node the records name"),
      markers: z.array(timelineMarkerSchema).describe('Oldest first'),
      truncated: z.boolean().describe('More bands and markers than itemsMax (the markers are kept first, then each node\'s oldest bands), or more records matched than the controller reads for one answer'),
      itemsMax: z.int().describe('The most bands and markers one answer holds, all nodes together'),
    })
    .describe("Which node served when, the changes of the Serving role, and each node's data gaps, in [from, to)"),
);

export type Timeline = z.infer<typeof timelineSchema>;
export type TimelineNode = z.infer<typeof timelineNodeSchema>;
export type TimelineMarker = z.infer<typeof timelineMarkerSchema>;
export type TimelineServingBand = z.infer<typeof timelineServingBandSchema>;
export type TimelineGapBand = z.infer<typeof timelineGapBandSchema>;
export type TimelineMarkerKind = (typeof timelineMarkerKinds)[number];
