// The live event log: the newest events from GET /api/v1/events, then every new one from the
// SSE stream. EventSource reconnects by itself with Last-Event-ID; a resumed stream may repeat
// an event, so events are kept by id. When the controller refuses a reconnection (a 503 while
// its database is down, too many streams, a restart), EventSource gives up for good; this hook
// then opens a new stream, after a capped, growing delay, for as long as the session holds.
import { useEffect, useState } from 'react';
import { api, eventStreamUrl } from '../api/client';
import type { TwinrecEvent } from '../api/types';
import { publishStreamEvent } from '../lib/event-feed';
import { mergeEvents, streamReopenDelayMs } from '../lib/events';

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
    let reopenTimer: ReturnType<typeof setTimeout> | null = null;
    /** Reopenings since the stream was last live. */
    let attempt = 0;
    /** The newest event's time: where a reopened stream starts (the merge drops what repeats). */
    let newest: string | undefined;
    const controller = new AbortController();
    const seen = (items: readonly TwinrecEvent[]): void => {
      for (const item of items) if (newest === undefined || item.time > newest) newest = item.time;
    };

    const open = (): void => {
      const opened = new EventSource(eventStreamUrl(newest));
      source = opened;
      opened.onopen = () => {
        attempt = 0;
        setStatus('live');
      };
      opened.onmessage = (message: MessageEvent<string>) => {
        try {
          const event = JSON.parse(message.data) as TwinrecEvent;
          seen([event]);
          setEvents((current) => mergeEvents(current, [event]));
          // Views that refresh on events (the pool view) hear of it too.
          publishStreamEvent(event);
        } catch {
          // Not an Event: nothing to show.
        }
      };
      opened.onerror = () => {
        // CONNECTING: EventSource retries by itself. CLOSED: the controller refused the stream
        // (a 503, a 401), and EventSource will not try again: this hook does.
        if (opened.readyState !== EventSource.CLOSED) {
          setStatus('reconnecting');
          return;
        }
        opened.close();
        if (source === opened) source = null;
        reopenLater();
      };
    };

    // Waits, then reopens if the session still holds; a session that has ended leaves the stream closed
    // (the console's next request finds it gone and shows the sign-in form).
    const reopenLater = (): void => {
      if (stopped) return;
      setStatus('reconnecting');
      const delayMs = streamReopenDelayMs(attempt);
      attempt += 1;
      reopenTimer = setTimeout(() => {
        reopenTimer = null;
        api.session(controller.signal).then(
          () => {
            if (!stopped) open();
          },
          (err: unknown) => {
            if (stopped) return;
            if ((err as { status?: number }).status === 401) setStatus('closed');
            // The controller or its database is not answering yet: keep trying.
            else reopenLater();
          },
        );
      }, delayMs);
    };

    api
      .events(historyLimit, controller.signal)
      .then((page) => {
        if (stopped) return;
        seen(page.items);
        setEvents((current) => mergeEvents(current, page.items));
        open();
      })
      .catch(() => {
        if (!stopped) open();
      });
    return () => {
      stopped = true;
      controller.abort();
      if (reopenTimer !== null) clearTimeout(reopenTimer);
      source?.close();
    };
  }, [enabled]);

  return { events, status };
}
