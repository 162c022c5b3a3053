import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseQuickAdd, type QuickAddContext, type QuickAddResult, withoutToken } from "@/lib/quick-add";

const LISTS = [
  { id: "list-home", name: "Home" },
  { id: "list-work", name: "Work" },
  { id: "list-work-stuff", name: "Work stuff" },
  { id: "list-groceries", name: "Groceries" },
];

const context = (now: string, timeZone: string, locale = "en-US"): QuickAddContext => ({
  now: new Date(now),
  timeZone,
  locale,
  lists: LISTS,
});

// Friday 6 March 2026, 10:00 in Paris (09:00 UTC).
const PARIS = context("2026-03-06T09:00:00Z", "Europe/Paris");
const PARIS_GB = context("2026-03-06T09:00:00Z", "Europe/Paris", "en-GB");
const PARIS_FR = context("2026-03-06T09:00:00Z", "Europe/Paris", "fr");
const BERLIN_DE = context("2026-03-06T09:00:00Z", "Europe/Berlin", "de");
// 2026-03-05T23:30Z, near midnight: UTC's Thursday 5 March, but Friday 6 March 08:30 in Tokyo and 00:30 in Paris.
const NEAR_MIDNIGHT = "2026-03-05T23:30:00Z";
const TOKYO = context(NEAR_MIDNIGHT, "Asia/Tokyo");
const PARIS_MIDNIGHT = context(NEAR_MIDNIGHT, "Europe/Paris", "en-GB");
// 2026-03-06T06:30Z: UTC's Friday 6 March, but Thursday 5 March 22:30 in Los Angeles.
const LOS_ANGELES = context("2026-03-06T06:30:00Z", "America/Los_Angeles");

type Fields = Omit<QuickAddResult, "tokens">;
const fields = ({ tokens: _tokens, ...rest }: QuickAddResult): Fields => rest;
const expected = (title: string, rest: Partial<Fields> = {}): Fields => ({
  title,
  due_date: null,
  due_time: null,
  list_id: null,
  priority: "none",
  tags: [],
  ...rest,
});

const PHRASES: [string, QuickAddContext, Fields][] = [
  [
    "Pay rent tomorrow 9am #home !high @bills",
    PARIS,
    expected("Pay rent", {
      due_date: "2026-03-07",
      due_time: "09:00",
      list_id: "list-home",
      priority: "high",
      tags: ["bills"],
    }),
  ],
  // English, Paris, Friday 10:00
  ["Buy milk today", PARIS, expected("Buy milk", { due_date: "2026-03-06" })],
  ["Take out the bins tonight", PARIS, expected("Take out the bins", { due_date: "2026-03-06" })],
  ["Dentist next friday", PARIS, expected("Dentist", { due_date: "2026-03-13" })],
  ["Pay invoice fri", PARIS, expected("Pay invoice", { due_date: "2026-03-06" })],
  ["Send report thu", PARIS, expected("Send report", { due_date: "2026-03-12" })],
  ["Review what happened last friday", PARIS, expected("Review what happened", { due_date: "2026-02-27" })],
  ["Party on 5 dec", PARIS, expected("Party", { due_date: "2026-12-05" })],
  ["Meeting dec 5 at 3pm", PARIS, expected("Meeting", { due_date: "2026-12-05", due_time: "15:00" })],
  ["Renew passport Feb 3", PARIS, expected("Renew passport", { due_date: "2027-02-03" })],
  ["Call back in 3 days", PARIS, expected("Call back", { due_date: "2026-03-09" })],
  ["Call Ann in 2 hours", PARIS, expected("Call Ann", { due_date: "2026-03-06", due_time: "12:00" })],
  ["Standup 9am", PARIS, expected("Standup", { due_date: "2026-03-07", due_time: "09:00" })],
  ["Standup 11am", PARIS, expected("Standup", { due_date: "2026-03-06", due_time: "11:00" })],
  ["Standup 10am", PARIS, expected("Standup", { due_date: "2026-03-06", due_time: "10:00" })],
  ["Gym at 18:30", PARIS, expected("Gym", { due_date: "2026-03-06", due_time: "18:30" })],
  ["Lunch at noon", PARIS, expected("Lunch", { due_date: "2026-03-06", due_time: "12:00" })],
  ["File taxes 2026-04-15", PARIS, expected("File taxes", { due_date: "2026-04-15" })],
  ["Water plants yesterday", PARIS, expected("Water plants", { due_date: "2026-03-05" })],
  ["Call the NY office 9am EST", PARIS, expected("Call the NY office", { due_date: "2026-03-06", due_time: "15:00" })],
  ["Submit form by friday", PARIS, expected("Submit form", { due_date: "2026-03-06" })],
  ["Dentist 5/12", PARIS, expected("Dentist", { due_date: "2026-05-12" })],
  ["Dentist 5/12", PARIS_GB, expected("Dentist", { due_date: "2026-12-05" })],
  [
    "Only the first date: tomorrow, not monday",
    PARIS,
    expected("Only the first date:, not monday", { due_date: "2026-03-07" }),
  ],
  // Things that look like dates but are not
  ["Call mum", PARIS, expected("Call mum")],
  ["Read chapter 5", PARIS, expected("Read chapter 5")],
  ["Read chapter 11 tomorrow", PARIS, expected("Read chapter 11", { due_date: "2026-03-07" })],
  ["Buy sun cream", PARIS, expected("Buy sun cream")],
  ["Sat down with Bob", PARIS, expected("Sat down with Bob")],
  ["Do it now", PARIS, expected("Do it now")],
  ["Plan the June trip", PARIS, expected("Plan the June trip")],
  ["Buy 2 apples", PARIS, expected("Buy 2 apples")],
  // French, Paris
  ["Payer le loyer demain 9h", PARIS_FR, expected("Payer le loyer", { due_date: "2026-03-07", due_time: "09:00" })],
  ["Réunion vendredi", PARIS_FR, expected("Réunion", { due_date: "2026-03-06" })],
  ["Dentiste lundi prochain", PARIS_FR, expected("Dentiste", { due_date: "2026-03-09" })],
  ["Appeler maman le 5 décembre", PARIS_FR, expected("Appeler maman", { due_date: "2026-12-05" })],
  ["Courses dans 3 jours", PARIS_FR, expected("Courses", { due_date: "2026-03-09" })],
  ["Sport à 18h30", PARIS_FR, expected("Sport", { due_date: "2026-03-06", due_time: "18:30" })],
  ["Aller à la mer demain", PARIS_FR, expected("Aller à la mer", { due_date: "2026-03-07" })],
  ["Lire le chapitre 5", PARIS_FR, expected("Lire le chapitre 5")],
  ["Dentiste 5/12", PARIS_FR, expected("Dentiste", { due_date: "2026-12-05" })],
  // German, Berlin
  ["Miete zahlen morgen um 9", BERLIN_DE, expected("Miete zahlen", { due_date: "2026-03-07", due_time: "09:00" })],
  ["Arzt nächsten Freitag", BERLIN_DE, expected("Arzt", { due_date: "2026-03-13" })],
  ["Bericht am 5. Dezember", BERLIN_DE, expected("Bericht", { due_date: "2026-12-05" })],
  ["Mama anrufen übermorgen", BERLIN_DE, expected("Mama anrufen", { due_date: "2026-03-08" })],
  ["Kapitel 5 lesen", BERLIN_DE, expected("Kapitel 5 lesen")],
  ["So geht das", BERLIN_DE, expected("So geht das")],
  // Near midnight: the user's date, not UTC's
  ["Pay rent today", TOKYO, expected("Pay rent", { due_date: "2026-03-06" })],
  ["Pay rent tomorrow", TOKYO, expected("Pay rent", { due_date: "2026-03-07" })],
  ["Standup 9am", TOKYO, expected("Standup", { due_date: "2026-03-06", due_time: "09:00" })],
  ["Standup 8am", TOKYO, expected("Standup", { due_date: "2026-03-07", due_time: "08:00" })],
  ["Pay rent today", LOS_ANGELES, expected("Pay rent", { due_date: "2026-03-05" })],
  ["Pay rent tomorrow", LOS_ANGELES, expected("Pay rent", { due_date: "2026-03-06" })],
  ["Pay rent fri", LOS_ANGELES, expected("Pay rent", { due_date: "2026-03-06" })],
  ["Pay rent thu", LOS_ANGELES, expected("Pay rent", { due_date: "2026-03-05" })],
  ["Pay rent 9am", LOS_ANGELES, expected("Pay rent", { due_date: "2026-03-06", due_time: "09:00" })],
  ["Pay rent at 23:45", LOS_ANGELES, expected("Pay rent", { due_date: "2026-03-05", due_time: "23:45" })],
  ["Pay rent today", PARIS_MIDNIGHT, expected("Pay rent", { due_date: "2026-03-06" })],
  ["Pay rent yesterday", PARIS_MIDNIGHT, expected("Pay rent", { due_date: "2026-03-05" })],
];

describe("Quick add: phrases → task fields", () => {
  it.each(PHRASES)("%j (%o)", (input, ctx, want) => {
    expect(fields(parseQuickAdd(input, ctx))).toEqual(want);
  });
});

describe("Quick add: the machine's own time zone does not matter", () => {
  const original = process.env.TZ;
  afterAll(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  // The machine's UTC offsets on 6 March 2026 (getTimezoneOffset's sign: minutes behind UTC).
  for (const [machineZone, offset] of [
    ["Pacific/Kiritimati", -840],
    ["America/St_Johns", 210],
    ["Pacific/Pago_Pago", 660],
  ] as const) {
    describe(`on a machine in ${machineZone}`, () => {
      beforeAll(() => {
        process.env.TZ = machineZone;
        expect(new Date("2026-03-06T12:00:00Z").getTimezoneOffset()).toBe(offset);
      });
      it.each(PHRASES)("%j", (input, ctx, want) => {
        expect(fields(parseQuickAdd(input, ctx))).toEqual(want);
      });
    });
  }
});

describe("Quick add: chips", () => {
  const input = "Pay rent tomorrow 9am #home !high @bills";
  const { tokens } = parseQuickAdd(input, PARIS);

  it("are the recognised parts, in order, with their offsets and labels", () => {
    expect(tokens.map(({ kind, text, label }) => ({ kind, text, label }))).toEqual([
      { kind: "due", text: "tomorrow 9am", label: "Tomorrow 09:00" },
      { kind: "list", text: "#home", label: "#Home" },
      { kind: "priority", text: "!high", label: "High priority" },
      { kind: "tag", text: "@bills", label: "@bills" },
    ]);
    for (const token of tokens) expect(input.slice(token.start, token.end)).toBe(token.text);
  });

  it.each([
    ["due", "Pay rent tomorrow 9am", { due_date: null, due_time: null }],
    ["list", "Pay rent #home", { list_id: null }],
    ["priority", "Pay rent !high", { priority: "none" }],
    ["tag", "Pay rent @bills", { tags: [] }],
  ] as const)("✕ on the %s chip keeps its text in the title and drops only that field", (kind, title, cleared) => {
    const token = tokens.find((candidate) => candidate.kind === kind);
    if (!token) throw new Error(`no ${kind} token`);
    const again = parseQuickAdd(withoutToken(input, token), PARIS);
    expect(fields(again)).toEqual({ ...fields(parseQuickAdd(input, PARIS)), title, ...cleared });
    expect(again.tokens.map((t) => t.kind)).toEqual(tokens.map((t) => t.kind).filter((k) => k !== kind));
  });

  it("✕ on a date lets the next date expression count", () => {
    const line = "Dinner tomorrow, not monday";
    const due = parseQuickAdd(line, PARIS).tokens[0];
    if (!due) throw new Error("no token");
    expect(fields(parseQuickAdd(withoutToken(line, due), PARIS))).toEqual(
      expected("Dinner tomorrow, not", { due_date: "2026-03-09" }),
    );
  });

  it("a stale token (the input changed since) leaves the input as it is", () => {
    const token = tokens[0];
    if (!token) throw new Error("no token");
    expect(withoutToken(`x${input}`, token)).toBe(`x${input}`);
  });

  it.each([
    ["Call Bob fri", "Today"],
    ["Call Bob sat 8:15", "Tomorrow 08:15"],
    ["Call Bob yesterday", "Yesterday"],
    ["Call Bob next monday", "Monday"],
    ["Call Bob next friday", "Mar 13"],
    ["Call Bob Feb 3", "Feb 3, 2027"],
  ])("%j is labelled %j", (line, label) => {
    expect(parseQuickAdd(line, PARIS).tokens.map((t) => t.label)).toEqual([label]);
  });
});

describe("Quick add: the title", () => {
  it.each([
    ["  Buy   milk \t now-ish ", "Buy milk now-ish"],
    ["Buy @shop, then milk", "Buy, then milk"],
    ["Email me@example.com", "Email me@example.com"],
    ["Learn C# today", "Learn C#"],
    ["Wow! Great", "Wow! Great"],
    ["\\#home chores", "#home chores"],
    ["\\tomorrow's plan", "tomorrow's plan"],
    ["\\!high \\@bills \\p1", "!high @bills p1"],
    ['Watch "Friday Night Lights" tomorrow', 'Watch "Friday Night Lights"'],
    ["Call mum, tomorrow", "Call mum"],
  ])("%j → %j", (input, title) => {
    expect(parseQuickAdd(input, PARIS).title).toBe(title);
  });

  it("is empty when everything was recognised (the UI refuses it)", () => {
    expect(fields(parseQuickAdd("  tomorrow #home !high @bills ", PARIS))).toEqual(
      expected("", { due_date: "2026-03-07", list_id: "list-home", priority: "high", tags: ["bills"] }),
    );
  });

  it("escaped or quoted text is not parsed", () => {
    const result = parseQuickAdd('\\tomorrow \\#home \\@bills "fri !high"', PARIS);
    expect(fields(result)).toEqual(expected('tomorrow #home @bills "fri !high"'));
    expect(result.tokens).toEqual([]);
  });
});

describe("Quick add: priorities", () => {
  it.each([
    ["!high", "high"],
    ["!HIGH", "high"],
    ["!medium", "medium"],
    ["!med", "medium"],
    ["!low", "low"],
    ["!none", "none"],
    ["!1", "high"],
    ["!2", "medium"],
    ["!3", "low"],
    ["!4", "none"],
    ["p1", "high"],
    ["P2", "medium"],
    ["p3", "low"],
    ["p4", "none"],
  ])("%s → %s", (marker, priority) => {
    const result = parseQuickAdd(`Fix the leak ${marker}`, PARIS);
    expect(fields(result)).toEqual(expected("Fix the leak", { priority: priority as Fields["priority"] }));
    expect(result.tokens.map((t) => t.kind)).toEqual(["priority"]);
  });

  it.each([
    ["Fix the leak !urgent", "Fix the leak !urgent"],
    ["Fix the leak !5", "Fix the leak !5"],
    ["Fix p1x", "Fix p1x"],
    ["Fix top1", "Fix top1"],
  ])("%j is not a priority", (input, title) => {
    expect(fields(parseQuickAdd(input, PARIS))).toEqual(expected(title));
  });

  it("the first one counts; a later one stays in the title", () => {
    expect(fields(parseQuickAdd("Fix !low the leak p1", PARIS))).toEqual(
      expected("Fix the leak p1", { priority: "low" }),
    );
  });
});

describe("Quick add: tags", () => {
  it("any name; repeated ones once, ignoring case, in their first spelling", () => {
    const result = parseQuickAdd("Plan @Trip @budget-2026 @trip @TRIP @été", PARIS);
    expect(fields(result)).toEqual(expected("Plan", { tags: ["Trip", "budget-2026", "été"] }));
    expect(result.tokens.map((t) => t.text)).toEqual(["@Trip", "@budget-2026", "@trip", "@TRIP", "@été"]);
  });

  it("a quoted name may have spaces; trailing punctuation is not part of a name", () => {
    expect(fields(parseQuickAdd('Pay @"house bills" @rent.', PARIS))).toEqual(
      expected("Pay.", { tags: ["house bills", "rent"] }),
    );
  });

  it("a name over 50 characters is not a tag", () => {
    const long = `@${"x".repeat(51)}`;
    expect(fields(parseQuickAdd(`Note ${long} @${"y".repeat(50)}`, PARIS))).toEqual(
      expected(`Note ${long}`, { tags: ["y".repeat(50)] }),
    );
  });

  it("at most 20 tags: later new ones stay in the title", () => {
    const names = Array.from({ length: 22 }, (_, n) => `t${n}`);
    const result = parseQuickAdd(`Many ${names.map((name) => `@${name}`).join(" ")} @T0`, PARIS);
    expect(result.tags).toEqual(names.slice(0, 20));
    expect(result.title).toBe("Many @t20 @t21");
  });
});

describe("Quick add: lists", () => {
  it.each([
    ["Chores #HOME", "list-home", "Chores", "#Home"],
    ["Chores #home.", "list-home", "Chores.", "#Home"],
    ["#work report", "list-work", "report", "#Work"],
    ["#work stuff report", "list-work-stuff", "report", "#Work stuff"],
    ["#WORK STUFF", "list-work-stuff", "", "#Work stuff"],
    ['#"work STUFF" report', "list-work-stuff", "report", "#Work stuff"],
    ['#"Work" stuff report', "list-work", "stuff report", "#Work"],
  ])("%j → %s", (input, listId, title, label) => {
    const result = parseQuickAdd(input, PARIS);
    expect(fields(result)).toEqual(expected(title, { list_id: listId }));
    expect(result.tokens.map((t) => t.label)).toEqual([label]);
  });

  it.each([
    ["Fix #123 crash", "Fix #123 crash"],
    ["Join the #Workshop", "Join the #Workshop"],
    ['Move to #"Side projects"', 'Move to #"Side projects"'],
    ["Post #friday photo", "Post #friday photo"],
  ])("an unknown list %j stays in the title (and is not read as a date)", (input, title) => {
    const result = parseQuickAdd(input, PARIS);
    expect(fields(result)).toEqual(expected(title));
    expect(result.tokens).toEqual([]);
  });

  it("the first list counts; a later one stays in the title", () => {
    expect(fields(parseQuickAdd("Sort #home then #groceries", PARIS))).toEqual(
      expected("Sort then #groceries", { list_id: "list-home" }),
    );
  });

  it("with no lists at all, nothing is a list", () => {
    expect(fields(parseQuickAdd("Chores #home", { ...PARIS, lists: [] }))).toEqual(expected("Chores #home"));
  });
});
