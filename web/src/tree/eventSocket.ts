// The console's end of GET /api/v1/events: send the token first, then receive bus events.

import { socketUrl } from "../api/client";

export interface BusEvent {
  subject: string;
  [field: string]: unknown;
}

export type SocketState = "connecting" | "live" | "down";

const MAX_BACKOFF_MS = 30_000;
const CLOSE_UNAUTHORIZED = 4401;

/** Keeps one events socket open (reconnecting with backoff) until the returned stop is called. */
export function openEvents(
  token: string,
  onEvent: (event: BusEvent) => void,
  onState: (state: SocketState) => void,
): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let backoff = 1000;
  let timer: number | undefined;

  const connect = () => {
    onState("connecting");
    socket = new WebSocket(socketUrl("/api/v1/events"));
    socket.onopen = () => socket?.send(JSON.stringify({ token }));
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as BusEvent;
      if (event.subject === "ready") {
        backoff = 1000;
        onState("live");
        return;
      }
      onEvent(event);
    };
    socket.onclose = (close) => {
      onState("down");
      if (stopped || close.code === CLOSE_UNAUTHORIZED) return;
      timer = window.setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
  };
  connect();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    socket?.close();
  };
}
