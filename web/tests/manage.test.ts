// The skeleton the management pages share (src/manage/ManageSection.tsx), run by `npm test`
// without a browser: its markup rendered to a string, and the change and delete of a row as the
// requests they send. `fetch` is replaced by a recorder because no server runs here; the pages
// themselves are driven against a real server by tests/e2e.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { ApiError } from "../src/api/client";
import { I18nProvider } from "../src/i18n/I18n";
import { DeleteButton, ManageSection, rowActions } from "../src/manage/ManageSection";

interface Sent {
  url: string;
  method: string;
  body: string | undefined;
}

/** Answer every request with `status`, recording what was sent. */
function recordFetch(status: number): Sent[] {
  const sent: Sent[] = [];
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, method: init.method ?? "GET", body: init.body as string | undefined });
    const body = status === 204 ? null : JSON.stringify({ type: "/problems/conflict", detail: "in use" });
    return new Response(body, { status });
  }) as typeof fetch;
  return sent;
}

/** What useSubmit gives, without React: run the action, true when it succeeded. */
function submitter() {
  const failures: unknown[] = [];
  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      return true;
    } catch (failure) {
      failures.push(failure);
      return false;
    }
  };
  return { submit: { error: null, busy: false, run, clear: () => undefined }, failures };
}

test("rowActions patches and deletes one row of the collection, then reloads", async () => {
  const sent = recordFetch(204);
  const { submit } = submitter();
  let reloads = 0;
  const { patch, remove } = rowActions<{ name: string }>(submit, "/organisations", () => (reloads += 1));
  await patch("3401", { name: "Hefei" });
  await remove(7);
  assert.deepEqual(sent, [
    { url: "/api/v1/organisations/3401", method: "PATCH", body: '{"name":"Hefei"}' },
    { url: "/api/v1/organisations/7", method: "DELETE", body: undefined },
  ]);
  assert.equal(reloads, 2);
});

test("rowActions does not reload when the server refuses", async () => {
  recordFetch(409);
  const { submit, failures } = submitter();
  let reloads = 0;
  await rowActions(submit, "/devices", () => (reloads += 1)).remove("34020000001320000001");
  assert.equal(reloads, 0);
  assert.equal(failures.length, 1);
  assert.ok(failures[0] instanceof ApiError);
  assert.equal((failures[0] as ApiError).status, 409);
});

test("ManageSection is a titled page: the add form with its fields, then what follows", () => {
  const storage = new Map<string, string>([["vigil.lang", "en"]]);
  globalThis.localStorage = { getItem: (key: string) => storage.get(key) ?? null } as Storage;
  const { submit } = submitter();
  const section = createElement(
    ManageSection,
    {
      name: "devices",
      title: "Devices",
      addTitle: "Add a device",
      onAdd: () => undefined,
      submit: { ...submit, busy: true, error: "It already exists" },
      fields: createElement("input", { name: "device-id" }),
    },
    createElement(DeleteButton, { id: "3402", onConfirm: () => undefined }),
  );
  const html = renderToStaticMarkup(createElement(I18nProvider, null, section));
  assert.equal(
    html,
    '<section class="page" aria-labelledby="devices-title"><h2 id="devices-title">Devices</h2>' +
      '<form class="form grid-form" noValidate="" aria-label="Add a device"><h3>Add a device</h3>' +
      '<input name="device-id"/><button type="submit" class="primary" disabled="">Add</button>' +
      '<p class="error" role="alert" data-testid="server-error">It already exists</p></form>' +
      '<button type="button" class="danger">Delete</button></section>',
  );
});
