// The console is built into web/dist and served by the API at /; `npm run dev` proxies the API.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const api = "http://127.0.0.1:8080"; // `vigil serve` with its default port

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { proxy: { "/api": { target: api, ws: true } } },
});
