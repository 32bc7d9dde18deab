// Why the controller or an agent refused a command (the `reason` of `switch-not-possible` and
// `command-refused` problems), in the operator's words: one table for every dialog.
import type { SwitchRefusalReason } from '../api/types';

/** Every refusal reason of the OpenAPI document's, so that a new one fails the typecheck until it is worded. */
const reasonText: Record<SwitchRefusalReason, string> = {
  'no-serving-node': 'No node is serving, so there is nothing to hand over.',
  'switch-in-progress': 'A switch is already under way.',
  'not-serving': 'The node asked to hand over does not serve any more.',
  'peer-not-ready': 'The standby node is not ready to take over.',
  maintenance: 'Maintenance is on.',
  stopped: 'The node is stopped.',
  'sync-not-pending': 'No recorder configuration sync is pending on the node.',
  busy: 'The agent is busy with another command.',
  'no-backfill': 'The node has no backfill to act on.',
  'backfill-disabled': 'Backfill is disabled in the cluster policy.',
  refused: 'The agent refused without a known reason.',
};

/** The operator's words for a refusal reason, including one this console does not know yet. */
export const describeRefusal = (reason: string): string => (Object.hasOwn(reasonText, reason) ? reasonText[reason as SwitchRefusalReason] : `reason ${reason}.`);
