// Focus: the node of a cluster a session (or token) looks at directly, its live view and its
// configuration, while clients keep using the shared address and the Serving node.
import { z } from 'zod';
import { component } from './components.js';
import { haStatus, timestamp, uuid } from './fields.js';

export const focusRequestSchema = component('FocusRequest', z.strictObject({ nodeId: uuid }));
export type FocusRequest = z.infer<typeof focusRequestSchema>;

export const focusSchema = component(
  'Focus',
  z.strictObject({
    clusterId: uuid,
    nodeId: uuid,
    nodeName: z.string(),
    serving: z.boolean().describe('It is the Serving node now (it is reachable, its agent says it serves, and no reachable node serves under a higher epoch)'),
    haStatus,
    liveView: z
      .strictObject({ webServerUri: z.string().nullable().describe('As its agent registered it; null before it did') })
      .describe("Where this node's own live view is: its recorder's web server (ImageServer), not the shared address"),
    configuration: z
      .strictObject({ hostName: z.string(), addresses: z.array(z.string()), agentUrl: z.string().nullable() })
      .describe('Where this node is configured: its host and the agent beside it'),
    focusedAt: timestamp,
  }),
);
export type Focus = z.infer<typeof focusSchema>;
