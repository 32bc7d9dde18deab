// The OpenAPI 3.1 document: the single source of truth for the REST API. Requests are
// validated against it on every call, and responses too when http.validateResponses is on
// (always in tests). Served at /api/v1/openapi.json.
import { clusterModes, failbackPolicies, nodeRoles } from '../domain/vocabulary.js';
import { problemTypes, problemTypeUri } from './problem-types.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const json = (schema: object, description: string, headers?: object) => ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } } });
const etagHeader = { ETag: { description: 'Version of the resource, for If-Match', schema: { type: 'string' } } };

const errors = {
  400: problemResponse('The request does not match the schema (`validation-failed`, `malformed-json`)'),
  413: problemResponse('The body is larger than http.bodyLimitBytes (`body-too-large`)'),
  415: problemResponse('The body is not JSON (`unsupported-media-type`)'),
  503: problemResponse('The database is unavailable; nothing was changed (`database-unavailable`)'),
  500: problemResponse('Unexpected error (`internal-error`)'),
};
const notFound = { 404: problemResponse('No such cluster or node (`not-found`)') };
const preconditionFailed = { 412: problemResponse('If-Match does not match the current ETag (`precondition-failed`)') };

const name = { type: 'string', minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$', description: 'Unique display name; no leading or trailing spaces' };
const hostName = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?$', description: 'DNS host name of the recording server' };
const address = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]%-]+$', description: 'IP address or host name' };
const sharedAddress = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9.:\\[\\]%-]+$', description: 'Address clients use to reach the Serving node: `host` or `host:port`' };
const uuid = { type: 'string', format: 'uuid' };
const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const timestamp = { type: 'string', format: 'date-time' };
const holdDown = { type: 'integer', minimum: 0, maximum: 86_400, description: 'Seconds of healthy peer before automatic failback' };

const nodeFields = {
  name: { ...name, description: 'Node name, unique in the cluster (often the Windows host name)' },
  role: { type: 'string', enum: [...nodeRoles], description: 'primary/secondary in a cloned pair; primary/failover in a pool' },
  hostName,
  addresses: { type: 'array', items: address, maxItems: 16, description: 'Addresses of the host, most preferred first' },
  agentUrl: { type: ['string', 'null'], format: 'uri', maxLength: 2048, pattern: '^https?://', description: "Base URL of the node's twinrec agent" },
  recorderId: { ...nullableUuid, description: 'RecorderConfig.xml recorder/id; a cloned pair shares one' },
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'twinrec controller API',
    version: '1.0.0',
    summary: 'High availability for Milestone XProtect recording servers',
    description:
      'Clusters of recording servers (cloned pairs and failover pools), their nodes, and the controller health endpoints. ' +
      `Every error is RFC 9457 \`application/problem+json\` whose \`type\` is one of: ${Object.keys(problemTypes).map((t) => `\`${problemTypeUri(t as keyof typeof problemTypes)}\``).join(', ')}.`,
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
  },
  servers: [{ url: '/' }],
  tags: [{ name: 'clusters' }, { name: 'nodes' }, { name: 'operations' }],
  paths: {
    '/api/v1/clusters': {
      get: {
        tags: ['clusters'],
        operationId: 'listClusters',
        summary: 'List clusters with their nodes',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 } },
          { name: 'q', in: 'query', description: 'Case-insensitive text that the cluster name contains', schema: { type: 'string', maxLength: 64 } },
        ],
        responses: { 200: json(ref('ClusterPage'), 'A page of clusters, ordered by name'), ...errors },
      },
      post: {
        tags: ['clusters'],
        operationId: 'createCluster',
        summary: 'Create a cluster, optionally with its nodes, in one transaction',
        requestBody: { required: true, content: { 'application/json': { schema: ref('ClusterCreate') } } },
        responses: {
          201: json(ref('Cluster'), 'Created', { ...etagHeader, Location: { schema: { type: 'string' } } }),
          409: problemResponse('Name taken or node rules violated (`cluster-name-taken`, `node-name-taken`, `role-conflict`, `recorder-identity-mismatch`)'),
          ...errors,
        },
      },
    },
    '/api/v1/clusters/{clusterId}': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['clusters'],
        operationId: 'getCluster',
        summary: 'One cluster with its nodes',
        responses: { 200: json(ref('Cluster'), 'The cluster', etagHeader), ...notFound, ...errors },
      },
      patch: {
        tags: ['clusters'],
        operationId: 'updateCluster',
        summary: 'Change a cluster; the mode cannot change',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', maxLength: 256 } }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('ClusterUpdate') } } },
        responses: {
          200: json(ref('Cluster'), 'The updated cluster', etagHeader),
          409: problemResponse('Name taken or preferred node invalid (`cluster-name-taken`, `preferred-node-invalid`)'),
          ...notFound,
          ...preconditionFailed,
          ...errors,
        },
      },
      delete: {
        tags: ['clusters'],
        operationId: 'deleteCluster',
        summary: 'Delete a cluster and its nodes',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', maxLength: 256 } }],
        responses: { 204: { description: 'Deleted' }, ...notFound, ...preconditionFailed, ...errors },
      },
    },
    '/api/v1/clusters/{clusterId}/nodes': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['nodes'],
        operationId: 'listNodes',
        summary: "The cluster's nodes",
        responses: { 200: json({ type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: ref('Node') } } }, 'Nodes, ordered by name'), ...notFound, ...errors },
      },
      post: {
        tags: ['nodes'],
        operationId: 'createNode',
        summary: 'Add a node to a cluster',
        requestBody: { required: true, content: { 'application/json': { schema: ref('NodeCreate') } } },
        responses: {
          201: json(ref('Node'), 'Created', { ...etagHeader, Location: { schema: { type: 'string' } } }),
          409: problemResponse('Node rules violated (`node-name-taken`, `role-conflict`, `recorder-identity-mismatch`)'),
          ...notFound,
          ...errors,
        },
      },
    },
    '/api/v1/clusters/{clusterId}/nodes/{nodeId}': {
      parameters: [
        { name: 'clusterId', in: 'path', required: true, schema: uuid },
        { name: 'nodeId', in: 'path', required: true, schema: uuid },
      ],
      get: { tags: ['nodes'], operationId: 'getNode', summary: 'One node', responses: { 200: json(ref('Node'), 'The node', etagHeader), ...notFound, ...errors } },
      patch: {
        tags: ['nodes'],
        operationId: 'updateNode',
        summary: 'Change a node',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', maxLength: 256 } }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('NodeUpdate') } } },
        responses: {
          200: json(ref('Node'), 'The updated node', etagHeader),
          409: problemResponse('Node rules violated'),
          ...notFound,
          ...preconditionFailed,
          ...errors,
        },
      },
      delete: {
        tags: ['nodes'],
        operationId: 'deleteNode',
        summary: 'Remove a node from its cluster',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', maxLength: 256 } }],
        responses: { 204: { description: 'Deleted' }, ...notFound, ...preconditionFailed, ...errors },
      },
    },
    '/api/v1/openapi.json': {
      get: { tags: ['operations'], operationId: 'getOpenApi', summary: 'This document', responses: { 200: json({ type: 'object' }, 'The OpenAPI 3.1 document') } },
    },
    '/healthz': {
      get: { tags: ['operations'], operationId: 'getHealth', summary: 'Liveness: answers while the process is up', responses: { 200: json(ref('Health'), 'Alive') } },
    },
    '/readyz': {
      get: {
        tags: ['operations'],
        operationId: 'getReadiness',
        summary: 'Readiness: the database is reachable and every migration is applied',
        responses: { 200: json(ref('Readiness'), 'Ready'), 503: json(ref('Readiness'), 'Not ready') },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        operationId: 'getMetrics',
        summary: 'Prometheus metrics: HTTP requests and latencies, database health, process',
        responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Problem: {
        type: 'object',
        description: 'RFC 9457 problem details',
        required: ['type', 'title', 'status', 'detail'],
        properties: {
          type: { type: 'string', enum: Object.keys(problemTypes).map((t) => problemTypeUri(t as keyof typeof problemTypes)) },
          title: { type: 'string' },
          status: { type: 'integer', minimum: 400, maximum: 599 },
          detail: { type: 'string' },
          instance: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
      Node: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'clusterId', 'name', 'role', 'hostName', 'addresses', 'agentUrl', 'recorderId', 'createdAt', 'updatedAt', 'version'],
        properties: { id: uuid, clusterId: uuid, ...nodeFields, createdAt: timestamp, updatedAt: timestamp, version: { type: 'integer', minimum: 1 } },
      },
      NodeCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'role', 'hostName'],
        properties: nodeFields,
      },
      NodeUpdate: { type: 'object', additionalProperties: false, minProperties: 1, properties: nodeFields },
      Cluster: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'mode', 'sharedAddress', 'preferredNodeId', 'failbackPolicy', 'failbackHoldDownSeconds', 'description', 'createdAt', 'updatedAt', 'version', 'nodes'],
        properties: {
          id: uuid,
          name,
          mode: { type: 'string', enum: [...clusterModes], description: '`cloning`: a 1:1 pair with one recorder identity; `pool`: N:M failover servers' },
          sharedAddress,
          preferredNodeId: { ...nullableUuid, description: 'Node that serves when both are healthy; null means the primary' },
          failbackPolicy: { type: 'string', enum: [...failbackPolicies] },
          failbackHoldDownSeconds: holdDown,
          description: { type: 'string', maxLength: 1024 },
          createdAt: timestamp,
          updatedAt: timestamp,
          version: { type: 'integer', minimum: 1 },
          nodes: { type: 'array', items: ref('Node') },
        },
      },
      ClusterCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'mode', 'sharedAddress'],
        properties: {
          name,
          mode: { type: 'string', enum: [...clusterModes] },
          sharedAddress,
          failbackPolicy: { type: 'string', enum: [...failbackPolicies], default: 'automatic' },
          failbackHoldDownSeconds: { ...holdDown, default: 300 },
          description: { type: 'string', maxLength: 1024 },
          nodes: { type: 'array', items: ref('NodeCreate'), maxItems: 128 },
        },
      },
      ClusterUpdate: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          name,
          sharedAddress,
          preferredNodeId: nullableUuid,
          failbackPolicy: { type: 'string', enum: [...failbackPolicies] },
          failbackHoldDownSeconds: holdDown,
          description: { type: 'string', maxLength: 1024 },
        },
      },
      ClusterPage: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'total', 'limit', 'offset'],
        properties: { items: { type: 'array', items: ref('Cluster') }, total: { type: 'integer', minimum: 0 }, limit: { type: 'integer' }, offset: { type: 'integer' } },
      },
      Health: { type: 'object', required: ['status'], properties: { status: { const: 'ok' }, uptimeSeconds: { type: 'number' } } },
      Readiness: {
        type: 'object',
        required: ['status', 'database'],
        properties: {
          status: { type: 'string', enum: ['ready', 'not-ready'] },
          database: {
            type: 'object',
            required: ['dialect', 'reachable', 'migrationsPending'],
            properties: { dialect: { type: 'string', enum: ['sqlite', 'postgres', 'mssql'] }, reachable: { type: 'boolean' }, migrationsPending: { type: 'integer' }, error: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;
