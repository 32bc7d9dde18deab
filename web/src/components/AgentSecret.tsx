// The cluster's agent secret: whether it is set (agents cannot register without it, unless the
// controller trusts on first use), and for admins a button that generates one. A generated
// secret is shown here once, to copy into each agent's `cluster.secretFile`; the controller never
// shows it again. Replacing a secret locks the agents out until they have the new one, so it
// asks first.
import { useState } from 'react';
import { api, ApiError, describeError } from '../api/client';

export interface AgentSecretProps {
  clusterId: string;
  /** The cluster list's `agentSecretSet`. */
  secretSet: boolean;
  /** The caller is an admin. */
  canEdit: boolean;
}

type Step = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'busy' } | { kind: 'shown'; secret: string } | { kind: 'failed'; text: string };

export function AgentSecret({ clusterId, secretSet, canEdit }: AgentSecretProps) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  // Set here as soon as a secret was generated, before the cluster list catches up.
  const [generated, setGenerated] = useState(false);
  const isSet = secretSet || generated;

  const generate = async (replace: boolean) => {
    setStep({ kind: 'busy' });
    try {
      const answer = await api.generateAgentSecret(clusterId, replace);
      setGenerated(true);
      setStep(answer.secret === undefined ? { kind: 'idle' } : { kind: 'shown', secret: answer.secret });
    } catch (err) {
      setStep({ kind: 'failed', text: err instanceof ApiError ? (err.problem.detail !== '' ? err.problem.detail : err.problem.title) : describeError(err) });
    }
  };

  return (
    <div className="agent-secret" data-testid="agent-secret">
      <span className="muted small">Agent secret:</span>{' '}
      {isSet ? (
        <span className="flag flag-ok" data-testid="agent-secret-state">set</span>
      ) : (
        <span className="flag flag-warn" data-testid="agent-secret-state" title="The cluster's agents cannot register until an admin sets its secret">
          not set
        </span>
      )}
      {canEdit && step.kind !== 'confirm' && step.kind !== 'shown' && (
        <button type="button" disabled={step.kind === 'busy'} onClick={() => (isSet ? setStep({ kind: 'confirm' }) : void generate(false))}>
          {isSet ? 'Replace secret…' : 'Generate secret'}
        </button>
      )}
      {step.kind === 'confirm' && (
        <span role="alert">
          {' '}Replacing the secret locks both agents out until each has the new one.{' '}
          <button type="button" className="primary" onClick={() => void generate(true)}>
            Replace
          </button>{' '}
          <button type="button" onClick={() => setStep({ kind: 'idle' })}>
            Cancel
          </button>
        </span>
      )}
      {step.kind === 'shown' && (
        <div role="status">
          <p>
            Shown once: put this in each agent's <code>cluster.secretFile</code> (mode 0600); the controller will not show it again.
          </p>
          <code data-testid="agent-secret-value">{step.secret}</code>{' '}
          <button type="button" onClick={() => setStep({ kind: 'idle' })}>
            Done
          </button>
        </div>
      )}
      {step.kind === 'failed' && (
        <p role="alert" className="error">
          {step.text}
        </p>
      )}
    </div>
  );
}
