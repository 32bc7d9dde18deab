// What the controller answers its agents (contracts/controller-v1.ts), described for the API.
import { clusterPolicySchema } from '../../../contracts/cluster-policy-v1.js';
import { registerResponseSchema, reportResponseSchema } from '../../../contracts/controller-v1.js';
import { component } from './components.js';

/** The cluster policy as agents get it (cluster-policy-v1): the preferred node by name. */
export const agentPolicySchema = component('AgentPolicy', clusterPolicySchema);

export const agentRegistrationSchema = component('AgentRegistration', registerResponseSchema);

const answer = reportResponseSchema.shape;

export const agentReportAnswerSchema = component(
  'AgentReportAnswer',
  reportResponseSchema.extend({
    eventsStored: answer.eventsStored.describe("How many of the report's events are stored (all of them)"),
    peer: answer.peer.extend({ alive: answer.peer.shape.alive.describe('The peer reported within witnessWindowMs') }),
  }),
);
