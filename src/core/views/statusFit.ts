// How long the status bar item's text may be: VS Code clips the right-hand items of a 1,440 px window at about 60
// characters ("⚠ truncated: last round 16/16 tok · 32 tok in 3 rounds · price unknown · session price unknown" was
// cut off). What does not fit is left out of the text — the tooltip has every figure.

/** Characters of the item's text shown in full (a $(codicon) is one glyph). */
export const MAX_STATUS_CHARS = 60;

/** Longest preset name shown in the text (the tooltip has the whole name). */
export const MAX_PRESET_CHARS = 20;

/** The text's length as shown: each $(icon) is one glyph. */
export function visibleLength(text: string): number {
  return text.replace(/\$\([\w~-]{1,40}\)/g, '#').length;
}

/** A preset name cut to fit the item (to `max` characters, ending in "…"). */
export function shortName(name: string, max = MAX_PRESET_CHARS): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/**
 * The parts joined with " · ": every required part, then as many of the optional ones (in order) as fit within
 * MAX_STATUS_CHARS.
 */
export function fitStatus(required: readonly string[], optional: readonly string[] = []): string {
  let text = required.join(' · ');
  for (const o of optional) {
    if (!o) continue;
    const longer = `${text} · ${o}`;
    if (visibleLength(longer) <= MAX_STATUS_CHARS) text = longer;
  }
  return text;
}
