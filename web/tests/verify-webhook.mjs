// Verifies a Cirrus delivery with an independent Standard Webhooks implementation (npm
// standardwebhooks): reads {secret, headers, body} as JSON on stdin, prints "verified" and the
// payload's type, or fails.
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { secret, headers, body } = JSON.parse(input);
const payload = new Webhook(secret.replace(/^whsec_/, "")).verify(body, headers);
console.log(`verified ${payload.type}`);
