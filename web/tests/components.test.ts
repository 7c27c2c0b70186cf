// The shared components (src/components) that every list and filter page is built of, run by
// `npm test` without a browser: their markup rendered to a string, a click by calling the
// handler the markup carries, and the cursor paging as the state machine it is.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createElement } from "react";
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { Organisation, Page } from "../src/api/types";
import { ChoiceSelect } from "../src/components/ChoiceSelect";
import { ConfirmButton } from "../src/components/ConfirmButton";
import { DataTable } from "../src/components/DataTable";
import type { Column } from "../src/components/DataTable";
import { OrgSelect } from "../src/components/OrgSelect";
import { PeriodPicker } from "../src/components/PeriodPicker";
import type { Period } from "../src/components/PeriodPicker";
import { CursorList, pageQuery } from "../src/components/cursorList";

const html = (element: ReactElement) => renderToStaticMarkup(element);

test("ConfirmButton acts only when the question is answered yes", () => {
  const asked: string[] = [];
  let done = 0;
  const button = (answer: boolean) =>
    ConfirmButton({
      question: "Delete 3401?",
      onConfirm: () => (done += 1),
      ask: (question) => (asked.push(question), answer),
      children: "Delete",
    }) as ReactElement<{ onClick: () => void; className: string; type: string }>;
  button(false).props.onClick();
  assert.equal(done, 0);
  button(true).props.onClick();
  assert.equal(done, 1);
  assert.deepEqual(asked, ["Delete 3401?", "Delete 3401?"]);
  assert.equal(html(button(true)), '<button type="button" class="danger">Delete</button>');
});

interface Row {
  id: number;
  name: string;
  ok: boolean;
}
const COLUMNS: Column<Row>[] = [
  { key: "id", header: "#", className: "mono", cell: (r) => r.id },
  { key: "name", header: "Name", rowHeader: true, cell: (r) => r.name },
  { key: "ok", header: "State", className: (r) => (r.ok ? undefined : "bad"), cellProps: (r) => ({ "data-ok": String(r.ok) }), cell: (r) => (r.ok ? "fine" : "broken") },
];
const table = (rows: Row[], extra: Partial<Parameters<typeof DataTable<Row>>[0]> = {}) =>
  html(createElement(DataTable<Row>, { columns: COLUMNS, rows, rowKey: (r) => r.id, testId: "things", empty: "None", ...extra }));

test("DataTable: a header per column, a row per item, each cell as its column says", () => {
  const markup = table([{ id: 7, name: "gate", ok: false }], { rowProps: (r) => ({ "data-row": r.id }) });
  assert.equal(
    markup,
    '<table class="table" data-testid="things"><thead><tr><th scope="col">#</th><th scope="col">Name</th><th scope="col">State</th></tr></thead>' +
      '<tbody><tr data-row="7"><td class="mono">7</td><th scope="row">gate</th><td class="bad" data-ok="false">broken</td></tr></tbody></table>',
  );
});

test("DataTable: the empty note only when nothing is there or coming, the more button only with a cursor", () => {
  assert.match(table([]), /<p class="muted">None<\/p>$/);
  assert.doesNotMatch(table([], { loading: true }), /None/);
  assert.doesNotMatch(table([{ id: 1, name: "a", ok: true }]), /None/);
  const more = (next: string | null, loading = false) =>
    table([{ id: 1, name: "a", ok: true }], { loading, more: { next, onMore: () => undefined, label: "More" } });
  assert.match(more("abc"), /<button type="button">More<\/button>$/);
  assert.match(more("abc", true), /<button type="button" disabled="">More<\/button>$/);
  assert.doesNotMatch(more(null), /More/);
});

const ORGS: Organisation[] = [
  { id: "3402", name: "芜湖市", kind: "region", parent_id: "34" },
  { id: "34", name: "安徽省", kind: "region", parent_id: null },
];

test("OrgSelect lists the organisations by code, labelled, with the empty choice when given", () => {
  const select = (extra: object) =>
    html(createElement(OrgSelect, { label: "Organisation", organisations: ORGS, value: "3402", onChange: () => undefined, ...extra }));
  const options = (markup: string) => [...markup.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
  const named = select({ name: "org" });
  assert.match(named, /<label for="([^"]+)">Organisation<\/label><select name="org" aria-label="Organisation" id="\1">/);
  assert.deepEqual(options(named), [["34", "安徽省（34）"], ["3402", "芜湖市（3402）"]]);
  assert.match(named, /<option value="3402" selected="">/);
  assert.deepEqual(options(select({ none: "—", codeFirst: true })), [["", "—"], ["34", "34 安徽省"], ["3402", "3402 芜湖市"]]);
});

test("ChoiceSelect words each code as asked, labelled, with the empty choice when given", () => {
  const words: Record<string, string> = { new: "未处理", closed: "已关闭" };
  const select = (extra: object) =>
    html(createElement(ChoiceSelect, { label: "State", choices: ["new", "closed"], word: (s) => words[s], value: "closed", onChange: () => undefined, ...extra }));
  const options = (markup: string) => [...markup.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
  const named = select({ name: "state" });
  assert.match(named, /<label for="([^"]+)">State<\/label><select name="state" aria-label="State" id="\1">/);
  assert.deepEqual(options(named), [["new", "未处理"], ["closed", "已关闭"]]);
  assert.match(named, /<option value="closed" selected="">/);
  assert.deepEqual(options(select({ none: "All", value: "" })), [["", "All"], ["new", "未处理"], ["closed", "已关闭"]]);
});

test("PeriodPicker: two labelled inputs of the period's ends, each change keeping the other end", () => {
  const changes: Period[] = [];
  const props = { value: { from: "2026-03-01", to: "2026-03-31" }, onChange: (p: Period) => changes.push(p), labels: ["From", "To"] as [string, string] };
  const markup = html(createElement(PeriodPicker, { ...props, required: true }));
  assert.match(markup, /<label for="([^"]+)">From<\/label><input id="\1" type="date" required="" name="from" value="2026-03-01"\/>/);
  assert.match(markup, /<label for="([^"]+)">To<\/label><input id="\1" type="date" required="" name="to" value="2026-03-31"\/>/);
  const audit = html(createElement(PeriodPicker, { ...props, type: "datetime-local", names: ["since", "until"] }));
  assert.match(audit, /type="datetime-local" name="since" value="2026-03-01"/);
  assert.doesNotMatch(audit, /required/);
  // The Field elements carry the change handlers: a new "to" keeps "from", and the other way round.
  const fields = (PeriodPicker(props) as ReactElement<{ children: ReactElement<{ onChange: (e: object) => void }>[] }>).props.children;
  fields[1].props.onChange({ target: { value: "2026-04-30" } });
  fields[0].props.onChange({ target: { value: "2026-02-01" } });
  assert.deepEqual(changes, [
    { from: "2026-03-01", to: "2026-04-30" },
    { from: "2026-02-01", to: "2026-03-31" },
  ]);
});

/** A fake list endpoint: `pages` pages of two items; each answer waits for `release`. */
function endpoint(pages: number, tag = "") {
  const asked: (string | null)[] = [];
  const pending: (() => void)[] = [];
  const fetchPage = (cursor: string | null): Promise<Page<string>> => {
    asked.push(cursor);
    const index = cursor ? Number(cursor) : 0;
    const page = { items: [`${tag}${2 * index}`, `${tag}${2 * index + 1}`], next: index + 1 < pages ? String(index + 1) : null };
    return new Promise((resolve) => pending.push(() => resolve(page)));
  };
  const release = async () => {
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { asked, fetchPage, release };
}

test("CursorList: the first page, then the following ones appended until there is no cursor", async () => {
  const seen: boolean[] = [];
  const list = new CursorList<string>((state) => seen.push(state.loading));
  const api = endpoint(2);
  const first = list.reload(api.fetchPage);
  assert.equal(list.state.loading, true);
  await api.release();
  await first;
  assert.deepEqual(list.state, { items: ["0", "1"], next: "1", loading: false, error: null });
  const more = list.more();
  await list.more(); // a second ask while the first is loading does nothing
  await api.release();
  await more;
  assert.deepEqual(list.state.items, ["0", "1", "2", "3"]);
  assert.equal(list.state.next, null);
  await list.more(); // no cursor: nothing asked
  assert.deepEqual(api.asked, [null, "1"]);
  assert.deepEqual(seen, [true, false, true, false]);
});

test("CursorList: a reload starts over, and an older answer arriving late is dropped", async () => {
  const list = new CursorList<string>();
  const old = endpoint(3, "old");
  const fresh = endpoint(3, "new");
  const stale = list.reload(old.fetchPage);
  const current = list.reload(fresh.fetchPage);
  await fresh.release();
  await old.release();
  await Promise.all([stale, current]);
  assert.deepEqual(list.state.items, ["new0", "new1"]);
  const failing = list.reload(() => Promise.reject(new Error("down")));
  await failing;
  assert.equal((list.state.error as Error).message, "down");
  assert.deepEqual(list.state.items, ["new0", "new1"], "the rows stay when a reload fails");
});

test("pageQuery: the filter, the page size and the cursor when there is one", () => {
  const filter = new URLSearchParams({ actor: "admin" });
  assert.equal(pageQuery(filter, 100, null).toString(), "actor=admin&limit=100");
  assert.equal(pageQuery(filter, 100, "abc").toString(), "actor=admin&limit=100&cursor=abc");
  assert.equal(filter.toString(), "actor=admin", "the filter is not changed");
});
