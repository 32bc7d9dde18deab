// What the controller answers its agents (contracts/controller-v1.ts), described for the API.
import { registerResponseSchema, reportResponseSchema } from '../../../contracts/controller-v1.js';
import { component } from './components.js';

export const agentRegistrationSchema = component('AgentRegistration', registerResponseSchema);

const answer = reportResponseSchema.shape;

export const agentReportAnswerSchema = component(
  'AgentReportAnswer',
  reportResponseSchema.extend({
    eventsStored: answer.eventsStored.describe("How many of the report's events are stored (all of them)"),
    peer: answer.peer.extend({ alive: answer.peer.shape.alive.describe('The peer reported within witnessWindowMs') }),
  }),
);
