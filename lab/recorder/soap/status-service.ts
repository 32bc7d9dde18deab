import type { CameraStatusFlags } from '../device-status.js';
import type { Recorder } from '../recorder.js';
import { SessionError } from '../status-sessions.js';
import type { TrackedStatus } from '../status-tracker.js';
import { EMPTY_GUID, guidArg, guidList, intArg, iso, requireToken, soapFault } from './soap-args.js';

type Args = Record<string, unknown>;

const ALL_FALSE: CameraStatusFlags = {
  Enabled: false,
  Started: false,
  Error: false,
  ErrorNotLicensed: false,
  ErrorNoConnection: false,
  Recording: false,
  DbMoveInProgress: false,
  ErrorOverflow: false,
  ErrorWritingGop: false,
  DbRepairInProgress: false,
  Motion: false,
};

function statusXml(deviceId: string, flags: CameraStatusFlags, timeMs: number, isChange: boolean): Record<string, unknown> {
  return {
    Time: iso(timeMs),
    DeviceId: deviceId,
    IsChange: isChange,
    Enabled: flags.Enabled,
    Started: flags.Started,
    Error: flags.Error,
    ErrorNotLicensed: flags.ErrorNotLicensed,
    ErrorNoConnection: flags.ErrorNoConnection,
    Recording: flags.Recording,
    DbMoveInProgress: flags.DbMoveInProgress,
    ErrorOverflow: flags.ErrorOverflow,
    ErrorWritingGop: flags.ErrorWritingGop,
    DbRepairInProgress: flags.DbRepairInProgress,
    Motion: flags.Motion,
  };
}

function statusOf(tracked: readonly TrackedStatus[], isChange: boolean): Record<string, unknown> {
  return { CameraDeviceStatusArray: { CameraDeviceStatus: tracked.map((s) => statusXml(s.deviceId, s.flags, s.changedAtMs, isChange)) } };
}

function sessionCall<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (err instanceof SessionError) throw soapFault(err.message, 4);
    throw err;
  }
}

/**
 * RecorderStatusService2's operations, as node-soap service methods. Every call checks the
 * token first. GetCurrentDeviceStatus and GetVideoDeviceStatistics answer the device ids asked
 * for (unknown ones are left out; no ids, no devices). Before the device configuration is
 * loaded, GetCurrentDeviceStatus answers the all-zero device id for each id, as XProtect does.
 */
export function statusService(recorder: Recorder): Record<string, (args: Args) => unknown> {
  // Only the ids asked for: Milestone's clients always pass them (MilestonePSTools
  // Get-VmsDeviceStatus, Get-CurrentDeviceStatus), and what a real recorder answers to an empty
  // list is not documented (xprotect-integration.md 0a), so an empty list gets no devices here.
  const requested = (args: Args): string[] => guidList(args.deviceIds ?? args.deviceId);
  return {
    async GetCurrentDeviceStatus(args: Args) {
      requireToken(await recorder.checkToken(args.token as string | undefined));
      const ids = guidList(args.deviceIds ?? args.deviceId);
      if (recorder.cameras() === null) {
        const nowMs = Date.now();
        return { GetCurrentDeviceStatusResult: { CameraDeviceStatusArray: { CameraDeviceStatus: ids.map(() => statusXml(EMPTY_GUID, ALL_FALSE, nowMs, false)) } } };
      }
      const tracked = requested(args).flatMap((id) => recorder.tracker.get(id) ?? []);
      return { GetCurrentDeviceStatusResult: statusOf(tracked, false) };
    },

    async GetVideoDeviceStatistics(args: Args) {
      requireToken(await recorder.checkToken(args.token as string | undefined));
      const items = requested(args).flatMap((id) => {
        const stats = recorder.statistics(id);
        if (stats === undefined) return [];
        const camera = stats.camera;
        return [
          {
            DeviceId: camera.id,
            UsedSpaceInBytes: stats.usedSpaceBytes,
            VideoStreamStatisticsArray: {
              VideoStreamStatistics: [
                {
                  StreamId: camera.streamId,
                  Name: 'Video stream 1',
                  RecordingStream: true,
                  LiveStream: true,
                  LiveStreamDefault: true,
                  LiveStreamRunAlways: false,
                  BPS: stats.bps,
                  FPS: Math.round(stats.fps * 100) / 100,
                  ImageResolution: { Width: camera.width, Height: camera.height },
                  VideoFormat: camera.codec,
                  ImageSizeInBytes: stats.imageSizeBytes,
                  FPSRequested: camera.fps,
                },
              ],
            },
          },
        ];
      });
      return { GetVideoDeviceStatisticsResult: { VideoDeviceStatistics: items } };
    },

    async GetRecordingStorageStatus(args: Args) {
      requireToken(await recorder.checkToken(args.token as string | undefined));
      const status = recorder.storageStatus();
      const items =
        status === null
          ? []
          : [{ StorageId: status.id, Name: status.name, Path: status.path, Available: status.available, UsedSpaceInBytes: status.usedBytes, FreeSpaceInBytes: status.freeBytes }];
      return { GetRecordingStorageStatusResult: { StorageStatus: items } };
    },

    async StartStatusSession(args: Args) {
      requireToken(await recorder.checkToken(args.token as string | undefined));
      return { StartStatusSessionResult: sessionCall(() => recorder.sessions.start(Date.now())) };
    },

    async SubscribeDeviceStatus(args: Args) {
      requireToken(await recorder.checkToken(args.token as string | undefined));
      const sessionId = guidArg(args.statusSessionId, 'statusSessionId');
      sessionCall(() => recorder.sessions.subscribe(sessionId, guidList(args.deviceIds), Date.now()));
      return {};
    },

    async GetStatus(args: Args) {
      requireToken(await recorder.checkToken(args.token as string | undefined));
      const sessionId = guidArg(args.statusSessionId, 'statusSessionId');
      let changed: TrackedStatus[];
      try {
        changed = await recorder.sessions.getStatus(sessionId, intArg(args.millisecondsTimeout, 0), Date.now());
      } catch (err) {
        if (err instanceof SessionError) throw soapFault(err.message, 4);
        throw err;
      }
      return { GetStatusResult: statusOf(changed, true) };
    },

    async StopStatusSession(args: Args) {
      requireToken(await recorder.checkToken(args.token as string | undefined));
      const sessionId = guidArg(args.statusSessionId, 'statusSessionId');
      sessionCall(() => recorder.sessions.stop(sessionId));
      return {};
    },
  };
}
