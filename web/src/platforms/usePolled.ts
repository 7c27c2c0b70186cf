// Reading a page's live state now and again every few seconds, while the page is shown.

import { useEffect } from "react";

/** Calls `read` at once and then every `everyMs` until the page goes or `read` changes. */
export function usePolled(read: () => Promise<void>, everyMs: number): void {
  useEffect(() => {
    void read();
    const timer = window.setInterval(() => void read(), everyMs);
    return () => window.clearInterval(timer);
  }, [read, everyMs]);
}
