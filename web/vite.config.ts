import { defineConfig } from "vite";

// One bundle, no inline script (the Content Security Policy allows scripts from the app's own
// origin only).
export default defineConfig({
  // Firestore (notifications) is its own chunk of ~134 kB gzip, loaded after the first paint.
  build: { outDir: "dist", emptyOutDir: true, modulePreload: { polyfill: false }, chunkSizeWarningLimit: 600 },
});
