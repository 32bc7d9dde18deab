// What the agent and the controller ask of the VMS, behind one interface with two
// implementations (agent.yaml / controller config `vms.bridge`): `native`, today's TypeScript
// adapters, and `edge`, plugin-host's Twinrec.Bridge loaded in-process by edge-js
// (edge-bridge.ts). test/vms-bridge-contract.test.ts runs both against the lab so that they
// stay interchangeable.

/** Which implementation reaches the VMS. */
export type VmsBridgeKind = 'native' | 'edge';

export const vmsBridgeKinds: readonly VmsBridgeKind[] = ['native', 'edge'];

/** A Management Server and the basic (IDP) user the bridge logs in with. */
export interface VmsConnection {
  /** e.g. http://ms/ : the IDP at /IDP/, the configuration REST API at /api/rest/v1/, ServerCommandServiceOAuth at /ManagementServer/. */
  readonly managementServerUrl: string;
  readonly username: string;
  readonly password: string;
  /** Bound on each HTTP or SOAP request the bridge makes. */
  readonly requestTimeoutMs: number;
}

/** A camera as the configuration API lists it (ids lower case). */
export interface BridgeCamera {
  readonly id: string;
  readonly name: string;
}

/** RecorderStatusService2's MediaStreamDeviceStatusBase flags that twinrec reads. */
export interface BridgeDeviceStatus {
  readonly deviceId: string;
  readonly enabled: boolean;
  readonly started: boolean;
  readonly recording: boolean;
  readonly errorNoConnection: boolean;
  readonly errorOverflow: boolean;
  readonly error: boolean;
}

/** The Event Server's International generic-event data source. */
export interface GenericEventTarget {
  readonly host: string;
  readonly port: number;
  readonly readTimeoutMs: number;
}

/** The data source's echo `[reqNo],[chars],[matches],[event name]`. */
export interface GenericEventReceipt {
  readonly requestNumber: number;
  readonly characters: number;
  /** 0: no generic event's expression matched the text. */
  readonly matches: number;
  readonly eventName: string;
}

/** What each bridge offers the agent and the controller. */
export interface VmsBridge {
  readonly kind: VmsBridgeKind;
  /** A VMS token (IDP password grant, then ServerCommandServiceOAuth Login). */
  login(): Promise<string>;
  /** The cameras of one recording server (lower-case ids, sorted by id). */
  cameras(recordingServerId: string): Promise<BridgeCamera[]>;
  /** RecorderStatusService2 GetCurrentDeviceStatus with explicit ids (lower case), sorted by id. */
  currentDeviceStatus(recorderWebServerUri: string, deviceIds: readonly string[]): Promise<BridgeDeviceStatus[]>;
  /** One generic event to the International data source; rejects on "No access", no echo or a bad echo. */
  sendGenericEvent(target: GenericEventTarget, text: string): Promise<GenericEventReceipt>;
  close(): Promise<void>;
}

const idpTokenPath = '/IDP/connect/token';

/**
 * The Management Server's URL from its IDP token endpoint (what agent.yaml's recorder.tokenUrl
 * holds); null when the URL does not end in /IDP/connect/token, where XProtect serves it.
 *
 * @example
 *   managementServerUrlOf('http://ms:8080/IDP/connect/token') // 'http://ms:8080/'
 */
export function managementServerUrlOf(tokenUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    return null;
  }
  if (url.search !== '' || url.hash !== '' || !url.pathname.toLowerCase().endsWith(idpTokenPath.toLowerCase())) return null;
  return `${url.origin}${url.pathname.slice(0, -idpTokenPath.length)}/`;
}
