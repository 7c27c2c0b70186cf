// The address of the playback page at an instant of a channel's recordings (an alarm's clip, a
// hit of a video search): the page reads `channel` and `at` (ISO 8601) and opens that instant's
// day with the cursor on it.

/** The playback page of `channelId` at `at` (ISO 8601). */
export function playbackLink(channelId: string, at: string): string {
  const query = new URLSearchParams({ channel: channelId, at });
  return `/playback?${query}`;
}
