// CSV as RFC 4180 has it: records end in CRLF, a field with a quote, comma or line break is quoted and its quotes
// doubled. Written cells are also made safe to open in a spreadsheet (OWASP's CSV injection advice).

/** What a spreadsheet reads as the start of a formula (or a DDE call): such a cell gets a leading `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: text starting like a formula is prefixed with `'`; every cell is quoted, its quotes doubled. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export const csvRecord = (cells: string[]) => `${cells.map(csvCell).join(",")}\r\n`;

/** A byte-order mark: Excel reads a CSV as UTF-8 only with it. */
export const UTF8_BOM = "\uFEFF";

/** A record of a parsed file and its number (the first record, usually the header, is row 1). */
export type CsvRecord = { row: number; cells: string[] };

export class CsvSyntaxError extends Error {
  readonly row: number;
  constructor(row: number, message: string) {
    super(message);
    this.name = "CsvSyntaxError";
    this.row = row;
  }
}

/**
 * Parses CSV text into records: a leading BOM is dropped; CRLF, LF or CR end a record outside quotes; inside
 * quotes anything goes and `""` is a quote. Throws CsvSyntaxError for an unclosed quote or text after a closing one.
 */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.startsWith(UTF8_BOM) ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let afterQuote = false;
  let index = 0;
  const endCell = () => {
    cells.push(cell);
    cell = "";
    afterQuote = false;
  };
  const endRecord = () => {
    endCell();
    records.push({ row: records.length + 1, cells });
    cells = [];
  };
  while (index < text.length) {
    const char = text[index] as string;
    if (quoted) {
      if (char !== '"') cell += char;
      else if (text[index + 1] === '"') {
        cell += '"';
        index++;
      } else {
        quoted = false;
        afterQuote = true;
      }
    } else if (char === ",") endCell();
    else if (char === "\r" || char === "\n") {
      if (char === "\r" && text[index + 1] === "\n") index++;
      endRecord();
    } else if (afterQuote) {
      throw new CsvSyntaxError(records.length + 1, "text follows a closing quote (a quote inside a field is doubled)");
    } else if (char === '"' && cell === "") quoted = true;
    else cell += char;
    index++;
  }
  if (quoted) throw new CsvSyntaxError(records.length + 1, "a quoted field is not closed");
  if (cell !== "" || cells.length > 0 || afterQuote) endRecord();
  return records;
}
