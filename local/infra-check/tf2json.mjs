// Prints the Terraform files of one directory as one JSON document, parsed by HashiCorp's own
// HCL library (through @cdktf/hcl2json), so tests read infra/ as Terraform reads it.
// Blocks of the same kind from different files are merged: {resource: {type: {name: [body]}}},
// {variable: {name: [body]}}, {locals: [{...}, ...]}.
import { parse } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const merged = {};
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()) {
  const file = path.join(dir, name);
  const doc = await parse(file, fs.readFileSync(file, 'utf8'));
  for (const [kind, value] of Object.entries(doc)) {
    if (Array.isArray(value)) {
      merged[kind] = (merged[kind] ?? []).concat(value);
    } else {
      merged[kind] ??= {};
      for (const [type, byName] of Object.entries(value)) {
        // resource/data: {type: {name: [body]}}; variable/output: {name: [body]}
        merged[kind][type] = Array.isArray(byName)
          ? byName
          : { ...(merged[kind][type] ?? {}), ...byName };
      }
    }
  }
}
process.stdout.write(JSON.stringify(merged));
