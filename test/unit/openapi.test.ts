// The OpenAPI document (spec §6): valid OpenAPI 3.1 by a maintained validator, built from the very schemas that
// validate requests, covering every route of the manifest, every error of §3.6 and the deliveries of §5;
// the committed docs/openapi.json is what the code builds.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { buildOpenApi } from "../../dev/openapi/document.js";
import { messagesPostBody } from "../../functions/edge/message-body-schema.js";
import { STATUS } from "../../functions/edge/errors-http.js";
import { DELIVERY_TYPES, OUTCOME_TYPES } from "../../functions/core/vocabulary.js";
import { routes } from "../../stacks/routes.js";

const document = buildOpenApi();
const paths = document.paths as Record<string, Record<string, { requestBody?: unknown; responses: object }>>;

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("is the committed docs/openapi.json (run `npm run openapi` after changing a schema or route)", () => {
    const committed: unknown = JSON.parse(readFileSync(new URL("../../docs/openapi.json", import.meta.url), "utf8"));
    expect(committed).toEqual(document);
  });

  it("describes every route of the manifest, and nothing else", () => {
    const described = Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(described.sort()).toEqual(routes.map((r) => `${r.method.toLowerCase()} ${r.path}`).sort());
  });

  it("shows POST /messages with the validating schema itself, limits included", () => {
    const body = paths["/messages"]?.post?.requestBody;
    const { $schema: _, ...expected } = z.toJSONSchema(messagesPostBody, {
      target: "draft-2020-12",
      io: "input",
      unrepresentable: "any",
    });
    expect(body).toEqual({ required: true, content: { "application/json": { schema: expected } } });
    expect(JSON.stringify(expected)).toContain('"maxLength":150000');
    expect(JSON.stringify(expected)).toContain('"maxItems":15');
  });

  it("names every error code of §3.6 with its status, and every status a route answers has its codes", () => {
    const errorSchema = JSON.stringify((document.components as { schemas: { Error: unknown } }).schemas.Error);
    for (const code of Object.keys(STATUS)) expect(errorSchema).toContain(`"${code}"`);
    const post = paths["/messages"]?.post?.responses as Record<string, { description: string }>;
    expect(Object.keys(post).sort()).toEqual([
      "200",
      "201",
      "202",
      "400",
      "401",
      "409",
      "413",
      "415",
      "422",
      "500",
      "502",
      "503",
      "504",
    ]);
    expect(post["400"]?.description).toBe("Error: invalid_json, validation_failed");
  });

  it("lists each delivery type the bridge sends as a webhook", () => {
    expect(Object.keys(document.webhooks as object).sort()).toEqual([...DELIVERY_TYPES, ...OUTCOME_TYPES].sort());
  });
});
