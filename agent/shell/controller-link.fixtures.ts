// What the controller-link tests register with: one node of a pair, its ids and its secret.
import type { RegisterRequest } from '../../contracts/controller-v1.js';

export const ids = { clusterId: '7c0e6c2e-1111-4c1f-9a59-2a7d1e2b9c01', nodeId: '7c0e6c2e-2222-4c1f-9a59-2a7d1e2b9c02' };
export const registration: RegisterRequest = {
  cluster: { name: 'pair-1', sharedAddress: '127.0.0.1:7563' },
  node: { name: 'rs-a', peerName: 'rs-b', rank: 0, hostName: '127.0.0.1', agentUrl: 'http://127.0.0.1:8741', recorderId: null, webServerUri: 'http://127.0.0.1:7563/' },
  agentVersion: '0.1.0',
};
export const secret = 'a-cluster-secret-of-some-length';
