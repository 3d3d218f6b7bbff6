// The server's route matcher is patched to cache each route table's ranked branches
// (patches/@remix-run+router+*.patch, docs/decisions/009-route-matching-cache.md): matching must
// answer as before, also once lazy route discovery added routes to a table already matched.
import fs from "node:fs";
import { createRequire } from "node:module";
import type * as Router from "@remix-run/router";
import { describe, expect, it } from "vitest";

// The server loads the CommonJS build, which is the one patched.
const require = createRequire(import.meta.url);
const router = require("@remix-run/router") as typeof Router;

const ids = (matches: { route: { id?: string } }[] | null) => matches?.map((match) => match.route.id) ?? null;

describe("route matching", () => {
  it("matches the same table again with the same answers", () => {
    const routes = [{ id: "root", path: "/", children: [{ id: "case", path: "cases/:caseId" }, { id: "list", path: "cases" }] }];
    expect(ids(router.matchRoutes(routes, "/cases/42"))).toEqual(["root", "case"]);
    expect(router.matchRoutes(routes, "/cases/7")?.[1]?.params).toEqual({ caseId: "7" });
    expect(ids(router.matchRoutes(routes, "/cases"))).toEqual(["root", "list"]);
    expect(router.matchRoutes(routes, "/elsewhere")).toBeNull();
  });

  it("sees routes added by lazy route discovery after the table was first matched", () => {
    const app = router.createRouter({
      history: router.createMemoryHistory(),
      routes: [{ id: "root", path: "/", children: [{ id: "a", path: "a" }] }],
    });
    expect(router.matchRoutes(app.routes, "/b")).toBeNull();
    app.patchRoutes("root", [{ id: "b", path: "b" }]);
    expect(ids(router.matchRoutes(app.routes, "/b"))).toEqual(["root", "b"]);
  });

  it("runs on the patched build, which npm install applies", () => {
    // Without it every page still works, only slower: nothing else would notice a skipped patch.
    expect(fs.readFileSync(require.resolve("@remix-run/router"), "utf8")).toContain("Handover patch");
  });
});
