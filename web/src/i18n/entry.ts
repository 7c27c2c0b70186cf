// The console's two languages, and one string in both of them: what every table of strings
// (strings.ts and the *Strings.ts it spreads in) holds under each key.

export type Lang = "zh" | "en";

export type Entry = Record<Lang, string>;
