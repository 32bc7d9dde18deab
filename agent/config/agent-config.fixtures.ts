// agent.yaml as the config tests start from: a valid plain-HTTP node on loopback, each test
// changing what it is about.
export const validAgentConfig = {
  cluster: { name: 'pair-1', sharedAddress: '127.0.0.1:7563', secretFile: 'cluster.secret' },
  node: { id: 'rs-a', rank: 0 },
  peer: { id: 'rs-b', heartbeat: { host: '127.0.0.1', port: 7601 }, agentUrl: 'http://127.0.0.1:7602' },
  heartbeat: { listen: { host: '127.0.0.1', port: 7600 } },
  recorder: { webServerUrl: 'http://127.0.0.1:7563/', tokenUrl: 'http://127.0.0.1/IDP/connect/token', username: 'svc', passwordFile: 'secrets/password' },
  service: { kind: 'windows-service' },
  servingEndpoint: { kind: 'relay', controlUrl: 'http://127.0.0.1:8750' },
  controller: { url: 'http://127.0.0.1:8740' },
};

// A pool standby's agent.yaml (issue 17): no peer, the pool's shared addresses with their endpoints.
export const validPoolStandbyConfig = {
  cluster: { name: 'pool-1', sharedAddress: '127.0.0.1:7563', secretFile: 'cluster.secret' },
  node: { id: 'standby-1' },
  recorder: { webServerUrl: 'http://127.0.0.1:7565/', tokenUrl: 'http://127.0.0.1/IDP/connect/token', username: 'svc', passwordFile: 'secrets/password', recorderConfigPath: 'RecorderConfig.xml' },
  service: { kind: 'windows-service' },
  controller: { url: 'http://127.0.0.1:8740' },
  pool: {
    role: 'standby',
    cameraCapacity: 64,
    endpoints: [
      { sharedAddress: '127.0.0.1:7563', kind: 'relay', controlUrl: 'http://127.0.0.1:8750' },
      { sharedAddress: 'rs-2.example:7563', kind: 'command', command: ['/usr/local/bin/move-vip', 'rs-2'] },
    ],
  },
};

// A protected recording server's agent.yaml (issue 17): no twin, its own shared address and the endpoint behind it.
export const validPoolProtectedConfig = {
  cluster: { name: 'pool-1', sharedAddress: '127.0.0.1:7563', secretFile: 'cluster.secret' },
  node: { id: 'protected-1' },
  recorder: { webServerUrl: 'http://127.0.0.1:7563/', tokenUrl: 'http://127.0.0.1/IDP/connect/token', username: 'svc', passwordFile: 'secrets/password', recorderConfigPath: 'RecorderConfig.xml' },
  service: { kind: 'windows-service' },
  controller: { url: 'http://127.0.0.1:8740' },
  pool: { role: 'protected', endpoint: { sharedAddress: '127.0.0.1:7563', kind: 'relay', controlUrl: 'http://127.0.0.1:8750' } },
};
