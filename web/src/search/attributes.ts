// The attributes analytics reads from a track's best crop (a vehicle's type and body colour, a
// person's upper and lower clothing colours), in the console's words, and the palette the search
// may ask for (the server's Colour: anything else it refuses). No React here: `npm test` runs it.

import type { Translate } from "../i18n/I18n";
import { wordOr } from "../i18n/problems";

/** The palette, in the server's order. */
export const COLOURS = ["black", "white", "grey", "red", "orange", "yellow", "green", "blue", "purple", "pink", "brown"] as const;
export type Colour = (typeof COLOURS)[number];

/** The classes whose body colour is read (two-wheelers get a type only). */
export const BODY_LABELS: readonly string[] = ["car", "bus", "truck"];

export function isColour(value: string): value is Colour {
  return (COLOURS as readonly string[]).includes(value);
}

/** A colour in words ("unknown" too); one the console has no word for is shown as it came. */
export function colourWord(t: Translate, colour: string): string {
  return wordOr(t, "attributes.colour.", colour);
}

/** A track's attributes in one line: a vehicle's type and colour, a person's clothes; null when
 * it has none (other classes, or none read). */
export function attributeWords(t: Translate, attributes: Record<string, string> | null | undefined): string | null {
  if (!attributes) return null;
  const { type, colour, upper, lower } = attributes;
  if (upper !== undefined || lower !== undefined) {
    return t("attributes.person", { upper: colourWord(t, upper ?? "unknown"), lower: colourWord(t, lower ?? "unknown") });
  }
  if (type === undefined) return null;
  const kind = wordOr(t, "attributes.type.", type);
  return colour === undefined ? kind : t("attributes.vehicle", { type: kind, colour: colourWord(t, colour) });
}
