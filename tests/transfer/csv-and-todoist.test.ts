import { describe, expect, it } from "vitest";
import { CsvSyntaxError, csvCell, csvRecord, parseCsv } from "@/lib/transfer/csv";
import { splitLabels, todoistDue } from "@/lib/transfer/todoist";

describe("CSV, as RFC 4180 has it", () => {
  it("reads quoted commas, doubled quotes, line breaks in quotes, CRLF, LF, CR and a BOM", () => {
    const text = '\uFEFFa,"b, c","say ""hi"""\r\n"two\nlines",,x\n"",y\rlast';
    expect(parseCsv(text).map(({ row, cells }) => [row, cells])).toEqual([
      [1, ["a", "b, c", 'say "hi"']],
      [2, ["two\nlines", "", "x"]],
      [3, ["", "y"]],
      [4, ["last"]],
    ]);
  });

  it("writes what it reads back, and refuses an unclosed quote or text after a closing one with the row", () => {
    const cells = ['quote " and, comma', "line\r\nbreak", "", "plain"];
    expect(parseCsv(csvRecord(cells))[0]?.cells).toEqual(cells);
    expect(() => parseCsv('a\r\n"open')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\r\n"open')).toThrow(expect.objectContaining({ row: 2 }));
    expect(() => parseCsv('"closed"late')).toThrow(/closing quote/);
  });

  it("prefixes a ' to a cell a spreadsheet would take for a formula, and only those", () => {
    expect(["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "a=b", " =x"].map(csvCell)).toEqual([
      `"'=1+1"`,
      `"'+1"`,
      `"'-1"`,
      `"'@A1"`,
      `"'\tx"`,
      `"'\rx"`,
      `"a=b"`,
      `" =x"`,
    ]);
  });
});

describe("Todoist's DATE and labels", () => {
  it("takes a date that names one day, with a time when it has one", () => {
    expect(todoistDue("2026-10-05")).toEqual({ due_date: "2026-10-05", due_time: null });
    expect(todoistDue("2026-10-05 15:30")).toEqual({ due_date: "2026-10-05", due_time: "15:30" });
    expect(todoistDue("2026-10-05T07:05:00")).toEqual({ due_date: "2026-10-05", due_time: "07:05" });
    expect(todoistDue("Oct 5 2026")).toEqual({ due_date: "2026-10-05", due_time: null });
    expect(todoistDue("Mon, October 5th, 2026 at 9am")).toEqual({ due_date: "2026-10-05", due_time: "09:00" });
    expect(todoistDue("5 Nov 2026 12:30 am")).toEqual({ due_date: "2026-11-05", due_time: "00:30" });
    expect(todoistDue("5 November 2026 at 6:30pm")).toEqual({ due_date: "2026-11-05", due_time: "18:30" });
  });

  it("leaves out recurring, relative and impossible dates", () => {
    for (const date of [
      "every monday",
      "tomorrow",
      "next tuesday at noon",
      "2026-02-30",
      "Feb 30 2026",
      "Oct 5 2026 9",
      "2026-10-05 25:00",
      "13pm Oct 5 2026",
    ]) {
      expect(todoistDue(date), date).toBeUndefined();
    }
  });

  it("takes @labels out of the content as tags, once each, leaving the title", () => {
    expect(splitLabels("Renew passport @errands @Admin")).toEqual({
      title: "Renew passport",
      tags: ["errands", "Admin"],
    });
    expect(splitLabels("@home Fix @HOME the tap")).toEqual({ title: "Fix the tap", tags: ["home"] });
    expect(splitLabels("Email ada@example.com")).toEqual({ title: "Email ada@example.com", tags: [] });
  });
});
