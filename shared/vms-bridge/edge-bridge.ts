// The `edge` VMS bridge: plugin-host's Twinrec.Bridge (net10.0) loaded in-process by edge-js on
// CoreCLR. Each EdgeEntry method takes one JSON string and resolves to one JSON string
// (plugin-host/README.md). Loading checks every part it needs and names the one that is missing:
// there is no fallback to the native bridge, so a configured `edge` is the bridge that runs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BridgeCamera, BridgeDeviceStatus, GenericEventReceipt, GenericEventTarget, VmsBridge, VmsConnection } from './bridge.js';

/** Where `dotnet build plugin-host/Twinrec.PluginHost.slnx -c Release` puts the bridge, under the repository root. */
export const bridgeAssemblyRelativePath = 'plugin-host/src/Twinrec.Bridge/bin/Release/net10.0/Twinrec.Bridge.dll';
const entryTypeName = 'Twinrec.Bridge.Edge.EdgeEntry';
/** Bound on calls into .NET at once; edge-js calls cannot be cancelled, the bridge's requestTimeoutMs ends each. */
const callsInFlightMax = 32;
const errorTextMax = 300;

/** The bridge cannot be loaded; the message names the missing part and how to make it. */
export class EdgeBridgeLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EdgeBridgeLoadError';
  }
}

/** edge-js's `func`, as far as twinrec uses it (its own typings declare an ambient module). */
interface EdgeJs {
  func(params: { assemblyFile: string; typeName: string; methodName: string }): EdgeFunction;
}
type EdgeFunction = (payload: string, callback: (error: Error | null, result: unknown) => void) => void;

/**
 * The repository's Twinrec.Bridge.dll: found from this module's folder, whether it runs from
 * source (shared/vms-bridge) or built (dist/shared/vms-bridge). The first candidate when none exists.
 */
export function defaultBridgeAssembly(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', bridgeAssemblyRelativePath), join(here, '..', '..', '..', bridgeAssemblyRelativePath)];
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}

/**
 * edge-js with CoreCLR, checked part by part. Twinrec.Bridge is net10.0, so CoreCLR also on
 * Windows (where edge-js would start .NET Framework by default).
 */
function loadEdgeJs(): EdgeJs {
  const require = createRequire(import.meta.url);
  let edgeMain: string;
  try {
    edgeMain = require.resolve('edge-js');
  } catch {
    throw new EdgeBridgeLoadError('vms.bridge edge: the npm package edge-js is not installed (npm ci installs it)');
  }
  // With EDGE_APP_ROOT, CoreCLR takes its assemblies from that app's .deps.json only, which does
  // not list edge-js's EdgeJs.dll: GetFunc then fails with 0x80070002 (plugin-host/README.md).
  if (process.env.EDGE_APP_ROOT !== undefined) throw new EdgeBridgeLoadError('vms.bridge edge: unset EDGE_APP_ROOT: edge-js then loads only the assemblies of that folder\'s .deps.json, which lacks edge-js\'s EdgeJs.dll');
  const edgeRoot = join(dirname(edgeMain), '..');
  if (process.platform !== 'win32') {
    // edge-js ships prebuilt addons for Windows only; elsewhere its install builds them.
    const addon = join(edgeRoot, 'build', 'Release', 'edge_coreclr.node');
    if (!existsSync(addon)) throw new EdgeBridgeLoadError(`vms.bridge edge: edge-js's native part ${addon} is missing: build it with \`bash plugin-host/edge/build-edge.sh\` (node-gyp against this Node's headers)`);
  }
  if (process.env.EDGE_BOOTSTRAP_DIR === undefined) {
    const bootstrap = join(edgeRoot, 'lib', 'bootstrap', 'bin', 'Release', 'bootstrap.dll');
    if (!existsSync(bootstrap)) throw new EdgeBridgeLoadError(`vms.bridge edge: edge-js's managed bootstrap ${bootstrap} is missing: build it with \`bash plugin-host/edge/build-edge.sh\` (needs the .NET SDK)`);
  }
  process.env.EDGE_USE_CORECLR = '1';
  try {
    return require('edge-js') as EdgeJs;
  } catch (err) {
    throw new EdgeBridgeLoadError(`vms.bridge edge: edge-js could not start .NET (CoreCLR): ${oneLine(err)}; is a .NET runtime 10 installed (dotnet --list-runtimes)?`);
  }
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim().slice(0, errorTextMax);
}

let edgeJs: EdgeJs | null = null;

export interface EdgeBridgeOptions {
  /** The Management Server and user; without it only sendGenericEvent works (the data source takes no login), as the controller uses it. */
  readonly connection?: VmsConnection | undefined;
  /** Twinrec.Bridge.dll (config vms.bridgeAssembly); default: the repository's Release build. */
  readonly assemblyFile?: string | undefined;
}

/**
 * Loads Twinrec.Bridge through edge-js; every method is bound now, so a missing part fails here,
 * at start, not at the first call.
 *
 * @throws EdgeBridgeLoadError naming what is missing: edge-js, its native part, its bootstrap, the bridge's dll, or the dll's entry type.
 * @example
 *   const bridge = loadEdgeBridge({ connection: { managementServerUrl: 'http://ms/', username, password, requestTimeoutMs: 10_000 } });
 *   await bridge.currentDeviceStatus('http://rs:7563/', ids); // [{ deviceId, recording, errorNoConnection, … }]
 */
export function loadEdgeBridge(options: EdgeBridgeOptions): VmsBridge {
  const assemblyFile = options.assemblyFile ?? defaultBridgeAssembly();
  if (!existsSync(assemblyFile)) throw new EdgeBridgeLoadError(`vms.bridge edge: the bridge ${assemblyFile} is missing: build it with \`dotnet build plugin-host/Twinrec.PluginHost.slnx -c Release\`, or set vms.bridgeAssembly to where it is`);
  edgeJs ??= loadEdgeJs();
  const edge = edgeJs;
  let inFlight = 0;
  const method = <T>(methodName: string): ((request: object) => Promise<T>) => {
    let fn: EdgeFunction;
    try {
      fn = edge.func({ assemblyFile, typeName: entryTypeName, methodName });
    } catch (err) {
      throw new EdgeBridgeLoadError(`vms.bridge edge: ${assemblyFile} has no ${entryTypeName}.${methodName} that edge-js can call: ${oneLine(err)}`);
    }
    return (request) => {
      if (inFlight >= callsInFlightMax) return Promise.reject(new Error(`${methodName}: ${callsInFlightMax} bridge calls are already running`));
      inFlight += 1;
      return new Promise<T>((resolve, reject) => {
        fn(JSON.stringify(request), (error, result) => {
          inFlight -= 1;
          if (error !== null) reject(new Error(oneLine(error)));
          else {
            try {
              resolve(JSON.parse(String(result)) as T);
            } catch {
              reject(new Error(`${methodName}: the bridge answered no JSON`));
            }
          }
        });
      });
    };
  };
  const given = options.connection;
  const connectionOf = (what: string): VmsConnection => {
    if (given === undefined) throw new Error(`${what}: this edge bridge was loaded without a VMS connection`);
    return given;
  };
  const login = method<{ vmsToken: string }>('Login');
  const list = method<Array<{ id: string; hardware: Array<{ cameras: BridgeCamera[] }> }>>('ListRecordingServers');
  const status = method<BridgeDeviceStatus[]>('GetCurrentDeviceStatus');
  const send = method<{ requestNumber: number; chars: number; matches: number; eventName: string }>('SendGenericEvent');
  return {
    kind: 'edge',
    login: async () => (await login({ connection: connectionOf('Login') })).vmsToken,
    cameras: async (recordingServerId) => {
      const wanted = recordingServerId.replace(/^\{|\}$/g, '').toLowerCase();
      const server = (await list({ connection: connectionOf('ListRecordingServers') })).find((rs) => rs.id.toLowerCase() === wanted);
      if (server === undefined) throw new Error(`the Management Server lists no recording server ${wanted}`);
      return server.hardware.flatMap((hw) => hw.cameras.map((camera) => ({ id: camera.id.toLowerCase(), name: camera.name }))).sort((a, b) => a.id.localeCompare(b.id));
    },
    currentDeviceStatus: async (recorderWebServerUri, deviceIds) =>
      (await status({ connection: connectionOf('GetCurrentDeviceStatus'), recorderWebServerUri, deviceIds })).map((s) => ({ deviceId: s.deviceId.toLowerCase(), enabled: s.enabled, started: s.started, recording: s.recording, errorNoConnection: s.errorNoConnection, errorOverflow: s.errorOverflow, error: s.error })).sort((a, b) => a.deviceId.localeCompare(b.deviceId)),
    sendGenericEvent: async (target: GenericEventTarget, text: string): Promise<GenericEventReceipt> => {
      const receipt = await send({ host: target.host, port: target.port, readTimeoutMs: target.readTimeoutMs, text });
      return { requestNumber: receipt.requestNumber, characters: receipt.chars, matches: receipt.matches, eventName: receipt.eventName };
    },
    close: () => Promise.resolve(),
  };
}
