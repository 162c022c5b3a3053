/** Characters as people count them, and as PostgreSQL's VARCHAR(n) does (code points): an emoji counts once. */
export const charCount = (value: string) => [...value].length;

/** A name folded for "unique ignoring case" (lists, tags): NFC, then lower case, so `Home` and `HOME` collide. */
export const nameKey = (name: string) => name.normalize("NFC").toLowerCase();
