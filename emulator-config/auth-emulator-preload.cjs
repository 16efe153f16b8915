// Preloaded into the Firebase Auth emulator (NODE_OPTIONS=--require) by the local stack and
// the tests. The emulator's start is CPU-bound, mostly ajv generating validators for every
// operation of the Identity Toolkit API schema. Two changes that leave what the validators
// accept as it was: validators compiled on first use (exegesis' own option), and ajv without
// its optional code-optimisation passes. Measured here: ready in ~3.3 s instead of 15-18 s
// (8.3 s with the second change alone). Local tooling only: nothing of ours runs in production
// on Node.
const Module = require("module");
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exported = load.apply(this, arguments);
  if (request === "exegesis-express") {
    // Exegesis compiles a validator for every operation of the API at start (a fresh Ajv
    // instance and a copy of the schema each); compiling each on its first use is its own
    // documented option and validates the same way.
    const middleware = exported.middleware;
    const lazy = (spec, options, ...rest) =>
      middleware(spec, { ...options, lazyCompileValidationSchemas: true }, ...rest);
    return Object.assign({}, exported, { middleware: lazy, default: lazy });
  }
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
