// Preloaded into the Firebase Auth emulator (NODE_OPTIONS=--require) by the local stack and
// the tests. The emulator's start is CPU-bound, mostly ajv generating validators for the
// Identity Toolkit API schema; ajv's optional code-optimisation passes cost a third of it and
// change nothing in what the validators accept. Measured here: ready in ~9.5 s instead of
// 15-18 s. Local tooling only: nothing of ours runs in production on Node.
const Module = require("module");
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exported = load.apply(this, arguments);
  if (request === "ajv" && typeof exported === "function" && !exported.__cirrus) {
    class UnoptimisedAjv extends exported {
      constructor(opts = {}) {
        super({ ...opts, code: { ...(opts.code || {}), optimize: false } });
      }
    }
    Object.defineProperty(UnoptimisedAjv, "default", { value: UnoptimisedAjv });
    Object.defineProperty(UnoptimisedAjv, "__cirrus", { value: true });
    return UnoptimisedAjv;
  }
  return exported;
};
