/** Characters as people count them, and as PostgreSQL's VARCHAR(n) does (code points): an emoji counts once. */
export const charCount = (value: string) => [...value].length;
