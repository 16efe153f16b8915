// TypeScript types for the API's request and response bodies, from infra/openapi.yaml: the app
// compiles against the contract the gateway serves, so a change to it breaks this build, not the
// app's users. Swagger 2.0 definitions only (what API Gateway reads); no network, no template.
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const [source, target] = process.argv.slice(2);
const spec = parse(readFileSync(source, "utf8"));

function type(schema, indent) {
  if (!schema) return "unknown";
  if (schema.$ref) return schema.$ref.replace("#/definitions/", "");
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  switch (schema.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return `Array<${type(schema.items, indent)}>`;
    case "object":
    case undefined: {
      if (!schema.properties) {
        return schema.additionalProperties
          ? `Record<string, ${type(schema.additionalProperties, indent)}>`
          : "Record<string, unknown>";
      }
      const required = new Set(schema.required ?? []);
      const pad = "  ".repeat(indent + 1);
      const fields = Object.entries(schema.properties).map(
        ([name, prop]) =>
          `${pad}${name}${required.has(name) ? "" : "?"}: ${type(prop, indent + 1)};`,
      );
      return `{\n${fields.join("\n")}\n${"  ".repeat(indent)}}`;
    }
    default:
      throw new Error(`no TypeScript type for ${JSON.stringify(schema)}`);
  }
}

const out = [
  `// Generated from ${source} by scripts/api-types.mjs: do not edit.`,
  ...Object.entries(spec.definitions).map(([name, schema]) => `export type ${name} = ${type(schema, 0)};`),
  `export type Route = ${Object.keys(spec.paths).map((p) => JSON.stringify(p)).join(" | ")};`,
  "",
];
writeFileSync(target, out.join("\n"));
