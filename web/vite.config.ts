import { defineConfig } from "vite";

// One bundle, no inline script (the Content Security Policy allows scripts from the app's own
// origin only).
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, modulePreload: { polyfill: false } },
});
