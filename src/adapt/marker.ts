/** Marker that starts every comment the adjuster writes, so a reader (and a second run) can find them. */
export const COMMENT_MARKER = "vmsport:";
