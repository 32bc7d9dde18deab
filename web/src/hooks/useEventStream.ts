// The live event log: the newest events from GET /api/v1/events, then every new one from the
// SSE stream. EventSource reconnects by itself with Last-Event-ID; a resumed stream may repeat
// an event, so events are kept by id.
import { useEffect, useState } from 'react';
import { api, eventStreamUrl } from '../api/client';
import type { TwinrecEvent } from '../api/types';
import { mergeEvents } from '../lib/events';

const historyLimit = 50;

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface EventLog {
  events: TwinrecEvent[];
  status: StreamStatus;
}

export function useEventStream(enabled: boolean): EventLog {
  const [events, setEvents] = useState<TwinrecEvent[]>([]);
  const [status, setStatus] = useState<StreamStatus>('connecting');

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let stopped = false;
    const controller = new AbortController();
    const open = (since: string | undefined): void => {
      source = new EventSource(eventStreamUrl(since));
      source.onopen = () => setStatus('live');
      source.onmessage = (message: MessageEvent<string>) => {
        try {
          const event = JSON.parse(message.data) as TwinrecEvent;
          setEvents((current) => mergeEvents(current, [event]));
        } catch {
          // Not an Event: nothing to show.
        }
      };
      // readyState CONNECTING: EventSource retries by itself; CLOSED: the controller refused
      // the stream (session gone, too many streams), so it stays closed until the next login.
      source.onerror = () => setStatus(source?.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    };
    api
      .events(historyLimit, controller.signal)
      .then((page) => {
        if (stopped) return;
        setEvents((current) => mergeEvents(current, page.items));
        open(page.items[0]?.time);
      })
      .catch(() => {
        if (!stopped) open(undefined);
      });
    return () => {
      stopped = true;
      controller.abort();
      source?.close();
    };
  }, [enabled]);

  return { events, status };
}
