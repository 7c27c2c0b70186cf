// The loading step every report page runs (src/components/useLoaded.ts) and the status it shows
// until the figures come (src/components/ReportStatus.tsx), run by `npm test` without a browser:
// a value or the failure in words is handed on, unless the page asked again first. The hook
// around it only re-runs this step when its dependencies change.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { ApiError } from "../src/api/client";
import { ReportStatus } from "../src/components/ReportStatus";
import { startLoad } from "../src/components/useLoaded";
import { I18nProvider, translate } from "../src/i18n/I18n";
import type { Translate } from "../src/i18n/I18n";

const t: Translate = (key, params) => translate("en", key, params);

/** A load that settles when the test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (failure: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { load: () => promise, resolve, reject, settled: () => promise.then(() => undefined, () => undefined) };
}

test("startLoad hands on the value", async () => {
  const values: number[] = [];
  const errors: string[] = [];
  const answer = deferred<number>();
  startLoad(answer.load, t, (v) => values.push(v), (e) => errors.push(e));
  answer.resolve(42);
  await answer.settled();
  await Promise.resolve();
  assert.deepEqual(values, [42]);
  assert.deepEqual(errors, []);
});

test("startLoad words the failure, as the problem strings put it", async () => {
  const values: number[] = [];
  const errors: string[] = [];
  const answer = deferred<number>();
  startLoad(answer.load, t, (v) => values.push(v), (e) => errors.push(e));
  answer.reject(new ApiError(404, "not-found", "no such organisation"));
  await answer.settled();
  await new Promise((done) => setTimeout(done, 0));
  assert.deepEqual(values, []);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^It does not exist/);
});

test("an answer that comes after the cancel is dropped", async () => {
  const values: number[] = [];
  const errors: string[] = [];
  const early = deferred<number>();
  const failing = deferred<number>();
  startLoad(early.load, t, (v) => values.push(v), (e) => errors.push(e))();
  startLoad(failing.load, t, (v) => values.push(v), (e) => errors.push(e))();
  early.resolve(1);
  failing.reject(new Error("gone"));
  await Promise.all([early.settled(), failing.settled()]);
  await new Promise((done) => setTimeout(done, 0));
  assert.deepEqual(values, []);
  assert.deepEqual(errors, []);
});

test("ReportStatus asks for an organisation, then says it loads, or why it failed", () => {
  const storage = new Map<string, string>([["vigil.lang", "en"]]);
  globalThis.localStorage = { getItem: (key: string) => storage.get(key) ?? null } as Storage;
  const status = (picked: boolean, loaded: boolean, error: string | null) =>
    renderToStaticMarkup(createElement(I18nProvider, null, createElement(ReportStatus, { picked, loaded, error })));
  assert.equal(status(false, false, null), `<p class="muted">${t("report.pick")}</p>`);
  assert.equal(status(true, false, null), `<p class="muted">${t("common.loading")}</p>`);
  assert.equal(status(true, true, null), "");
  assert.equal(
    status(true, true, "It does not exist"),
    '<p class="error" role="alert">Something went wrong: It does not exist</p>',
  );
});
