/**
 * A camera's status as RecorderStatusService2 reports it (CameraDeviceStatus), computed from
 * what the recorder observes. Pure.
 */
export interface CameraObservation {
  readonly enabled: boolean;
  /** The recorder has loaded its configuration and started the device. */
  readonly started: boolean;
  /** The camera stream is connected and delivering frames. */
  readonly connected: boolean;
  /** A connection attempt failed or the stream broke (and has not recovered). */
  readonly connectionFailed: boolean;
  /** Frames were dropped because storage could not keep up. */
  readonly overflow: boolean;
  /** Frames could not be written (storage offline or full). */
  readonly writeError: boolean;
  /** The storage is being repaired (on open after a crash). */
  readonly repairing: boolean;
}

export interface CameraStatusFlags {
  readonly Enabled: boolean;
  readonly Started: boolean;
  readonly Error: boolean;
  readonly ErrorNotLicensed: boolean;
  readonly ErrorNoConnection: boolean;
  readonly Recording: boolean;
  readonly DbMoveInProgress: boolean;
  readonly ErrorOverflow: boolean;
  readonly ErrorWritingGop: boolean;
  readonly DbRepairInProgress: boolean;
  readonly Motion: boolean;
}

/**
 * @example cameraStatusFlags({ enabled: true, started: true, connected: true, connectionFailed: false, overflow: false, writeError: false, repairing: false }).Recording === true
 */
export function cameraStatusFlags(o: CameraObservation): CameraStatusFlags {
  const started = o.enabled && o.started;
  const errorNoConnection = started && !o.connected && o.connectionFailed;
  const errorOverflow = started && o.overflow;
  const errorWritingGop = started && o.writeError;
  return {
    Enabled: o.enabled,
    Started: started,
    Error: errorNoConnection || errorOverflow || errorWritingGop,
    ErrorNotLicensed: false,
    ErrorNoConnection: errorNoConnection,
    Recording: started && o.connected && !o.writeError && !o.repairing,
    DbMoveInProgress: false,
    ErrorOverflow: errorOverflow,
    ErrorWritingGop: errorWritingGop,
    DbRepairInProgress: started && o.repairing,
    Motion: false,
  };
}

export function sameFlags(a: CameraStatusFlags, b: CameraStatusFlags): boolean {
  return (Object.keys(a) as Array<keyof CameraStatusFlags>).every((key) => a[key] === b[key]);
}
