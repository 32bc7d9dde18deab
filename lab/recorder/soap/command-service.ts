import type { Recorder } from '../recorder.js';
import { sequencesBetween } from '../sequences.js';
import { guidArg, guidList, intArg, iso, requireToken, soapFault, timeArg } from './soap-args.js';

type Args = Record<string, unknown>;

/** Sequence types with the ids a real recording server reports. */
export const SEQUENCE_TYPES = {
  recordingWithTrigger: { Id: '0601d294-b7e5-4d93-9614-9658561ad5e4', Name: 'RecordingWithTriggerSequence' },
  recording: { Id: 'f9c62604-d0c5-4050-ae25-72de51639b14', Name: 'RecordingSequence' },
  motion: { Id: '53cb5e33-2183-44bd-9491-8364d2457480', Name: 'MotionSequence' },
} as const;

const MAX_SEQUENCES_PER_CALL = 10_000;

/**
 * RecorderCommandService's sequence queries. The lab records continuously, so recording and
 * recording-with-trigger sequences are the same ranges (trigger time = begin time), and there
 * is never motion.
 */
export function commandService(recorder: Recorder): Record<string, (args: Args) => unknown> {
  return {
    async SequencesGetTypes(args: Args) {
      requireToken(await recorder.checkToken(args.token as string | undefined));
      guidList(args.deviceIds ?? args.deviceId);
      return { SequencesGetTypesResult: { SequenceType: [SEQUENCE_TYPES.recordingWithTrigger, SEQUENCE_TYPES.recording, SEQUENCE_TYPES.motion] } };
    },

    async SequencesGet(args: Args) {
      requireToken(await recorder.checkToken(args.token as string | undefined));
      const deviceId = guidArg(args.deviceId, 'deviceId');
      const type = guidArg(args.sequenceType, 'sequenceType');
      const minMs = timeArg(args.minTime, 'minTime');
      const maxMs = timeArg(args.maxTime, 'maxTime');
      const maxCount = Math.max(0, Math.min(intArg(args.maxCount, 100), MAX_SEQUENCES_PER_CALL));
      if (recorder.camera(deviceId) === undefined && recorder.cameras() !== null) throw soapFault('Unknown device', 5);
      if (type !== SEQUENCE_TYPES.recording.Id && type !== SEQUENCE_TYPES.recordingWithTrigger.Id) {
        if (type === SEQUENCE_TYPES.motion.Id) return { SequencesGetResult: { SequenceEntry: [] } };
        throw soapFault('Unknown sequence type', 6);
      }
      const entries = sequencesBetween(recorder.sequences(deviceId), minMs, maxMs, maxCount).map((s) => ({ TimeBegin: iso(s.beginMs), TimeTrigged: iso(s.beginMs), TimeEnd: iso(s.endMs) }));
      return { SequencesGetResult: { SequenceEntry: entries } };
    },
  };
}
